"""The evaluation gate: extraction precision and recall on the hand-written corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xmgraph.evaluate import Score, corpus_pairs, evaluate_corpus, read_table, score

CORPUS = Path(__file__).parent / "data" / "corpus"
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.90
DEV3_FLOOR = 0.96  #: reached P=R=0.985
DEV4_FLOOR = 0.96  #: baseline P=0.770 R=0.832, after the dev4 fixes P=R=0.989
DEV5_FLOOR = 0.97  #: official styles; baseline P=0.733 R=0.700, after the dev5 fixes P=R=1.000
DEV6_FLOOR = 0.92  #: seed-like; baseline P=0.854 R=0.844, after the dev6 fixes P=0.950 R=0.944
HOLDOUT3_FLOOR = 0.87  #: baseline P=0.762 R=0.787, after the dev3 fixes P=0.894 R=0.902
#: written by someone who saw no code; baseline P=0.825 R=0.852. Partly seen on 2026-12-04 (six
#: lines of k01 read while debugging datelines, a fragment of k09 in a failure message): since
#: then a development set, its floor a regression floor.
HOLDOUT4_FLOOR = 0.82

ROW = {
    "entity_label": "华辰科技股份有限公司",
    "metric": "https://w3id.org/xmgraph/metric/Revenue",
    "period": "2024",
    "value": "5230000000",
    "unit": "CNY",
    "yoy_pct": "12",
    "qualifier": "",
    "region": "",
}


@pytest.fixture(scope="module")
def corpus_scores() -> list[Score]:
    return evaluate_corpus(CORPUS)


def test_corpus_gate(corpus_scores, record_score):
    """Overall precision >= 0.95 and recall >= 0.90 over every report of the corpus."""
    total = sum(corpus_scores[1:], corpus_scores[0])
    record_score(f"corpus, {len(corpus_scores)} reports (tests/data/corpus)", total)
    holdout = {
        r["name"]
        for r in json.loads((CORPUS / "MANIFEST.json").read_text())["reports"]
        if r["holdout"]
    }
    print()
    for s in corpus_scores:
        tag = " (holdout)" if s.name in holdout else ""
        print(f"{s.name:36s} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}{tag}")
    print(f"{'overall':36s} P={total.precision:.3f} R={total.recall:.3f} F1={total.f1:.3f}")
    assert len(corpus_scores) == len(corpus_pairs(CORPUS)) >= 15
    assert total.precision >= PRECISION_FLOOR
    assert total.recall >= RECALL_FLOOR


def test_gold_files_point_into_their_reports():
    for txt, gold in corpus_pairs(CORPUS):
        text = txt.read_text(encoding="utf-8")
        for row in read_table(gold):
            assert text[int(row["start"]) : int(row["end"])] == row["source"], (
                txt.name,
                row["source"],
            )


def test_score_counts_right_wrong_and_missed():
    wrong = dict(ROW, value="5230000001")
    s = score([ROW, wrong], [ROW, dict(ROW, period="2023")])
    assert (len(s.right), len(s.wrong), len(s.missed)) == (1, 1, 1)
    assert (s.precision, s.recall) == (0.5, 0.5)


def test_score_matches_labels_across_scripts_and_suffixes():
    predicted = dict(ROW, entity_label="華辰科技股份有限公司")
    assert score([predicted], [ROW]).precision == 1.0
    segment = dict(ROW, entity_label="云计算业务")
    assert score([segment], [dict(ROW, entity_label="云计算")]).recall == 1.0


def test_score_matches_a_gold_label_written_with_pinyin_annotations():
    # a page mis-decoded with pinyin after its characters: the gold label as first written
    gold = dict(ROW, entity_label="華辰(chén)科技股份有限公司")
    assert score([ROW], [gold]).recall == 1.0
    assert score([dict(ROW, entity_label="华晨科技")], [gold]).recall == 0.0


def test_score_uses_the_graphs_names_for_an_entity():
    predicted = dict(ROW, entity="https://w3id.org/xmgraph/id/org/x", entity_label="Huachen")
    names = {"https://w3id.org/xmgraph/id/org/x": ["华辰科技股份有限公司"]}
    assert score([predicted], [ROW], names=names).precision == 1.0
    assert score([predicted], [ROW]).precision == 0.0


def test_qualifier_order_does_not_matter_but_values_do():
    assert (
        score(
            [dict(ROW, qualifier="approximate target")], [dict(ROW, qualifier="target approximate")]
        ).recall
        == 1.0
    )
    assert score([dict(ROW, yoy_pct="-12")], [ROW]).recall == 0.0


#: The evaluation sets beside the corpus: folder, label in the summary, floor for both
#: precision and recall, number of reports. Sealed sets (holdout*) are only ever looked at
#: as totals, and their floors catch regressions, not tuning; the dev sets are where the
#: fixes after the corpus were made.
GATES = [
    # sealed: baseline P=0.908 R=0.902
    pytest.param("holdout2", "sealed holdout", 0.85, 8, id="holdout2"),
    # sealed, written by the author of the dev3 fixes: baseline P=0.762 R=0.787, after the
    # dev3 fixes P=0.894 R=0.902 (see tests/data/holdout3/NOTES.md)
    pytest.param("holdout3", "sealed holdout", HOLDOUT3_FLOOR, 8, id="holdout3"),
    # sealed, written by a helper who read neither the extraction code nor the other sets,
    # after the dev3 fixes: its first total (P=0.825 R=0.852) is the most honest estimate
    # of quality on unseen reports we have
    pytest.param("holdout4", "sealed holdout", HOLDOUT4_FLOOR, 10, id="holdout4"),
    # the first development set after the corpus
    pytest.param("dev3", "dev3", DEV3_FLOOR, 11, id="dev3"),
    # real-news style reports (distractor numbers, quotes, Chinese numerals)
    pytest.param("dev4", "dev4", DEV4_FLOOR, 12, id="dev4"),
    # the official styles news is copied from (HKEX, 业绩快报, US releases)
    pytest.param("dev5", "dev5", DEV5_FLOOR, 12, id="dev5"),
    # long conglomerate reports, the closest to the seed
    pytest.param("dev6", "dev6", DEV6_FLOOR, 10, id="dev6"),
]


@pytest.mark.parametrize(("folder", "label", "floor", "reports"), GATES)
def test_evaluation_set_gate(folder, label, floor, reports, record_score):
    scores = evaluate_corpus(CORPUS.parent / folder)
    total = sum(scores[1:], scores[0])
    record_score(f"{label}, {len(scores)} reports (tests/data/{folder})", total)
    assert len(scores) == len(corpus_pairs(CORPUS.parent / folder)) == reports
    assert total.precision >= floor
    assert total.recall >= floor


#: Sets of the structures of real published text, with (precision, recall) floors: regression
#: floors at the first measurement, not goals (see README, Extraction quality).
PUBLISHED = [
    # development: 40 reports of our own in the genres of real text; baseline (yoy_pp scored)
    # P=0.224 R=0.137, after the published-text work P=0.597 R=0.563, 2026-12-04 P=0.656 R=0.599,
    # session 8 (46 reports) P=0.72 R=0.69, session 9 P=0.780 R=0.739, session 12 (52)
    # P=0.824 R=0.807, session 24 (58: six structures of real tables and papers added)
    # P=0.902 R=0.885
    pytest.param("realistic", (0.89, 0.87), 63, id="realistic"),
    # sealed, written by a helper who saw no code and no other set; baseline P=0.035 R=0.019,
    # after the published-text work P=0.586 R=0.561, 2026-12-04 P=0.640 R=0.604 (totals only
    # ever looked at), session 9 P=0.749 R=0.717
    pytest.param("sealed5", (0.74, 0.72), 18, id="sealed5"),
]


@pytest.mark.parametrize(("folder", "floors", "reports"), PUBLISHED)
def test_published_text_gate(folder, floors, reports, record_score):
    scores = evaluate_corpus(CORPUS.parent / folder)
    total = sum(scores[1:], scores[0])
    record_score(f"{folder}, {len(scores)} reports (tests/data/{folder})", total)
    assert len(scores) == reports
    assert total.precision >= floors[0]
    assert total.recall >= floors[1]


def test_percentage_points_scored_only_where_gold_has_the_column():
    pp = dict(ROW, yoy_pct="", yoy_pp="1.2")
    assert score([dict(ROW, yoy_pct="")], [pp]).recall == 0.0
    assert score([pp], [pp]).recall == 1.0
    assert score([dict(ROW, yoy_pp="9")], [ROW]).recall == 1.0


@pytest.mark.parametrize(
    "folder", ["dev3", "dev4", "dev5", "dev6", "holdout3", "holdout4", "realistic", "sealed5"]
)
def test_gold_of_each_set_points_into_its_reports(folder):
    for txt, gold in corpus_pairs(CORPUS.parent / folder):
        text = txt.read_text(encoding="utf-8")
        for row in read_table(gold):
            assert text[int(row["start"]) : int(row["end"])] == row["source"], (txt.name,)


def test_a_period_written_two_ways_is_the_same_period():
    gold = [{"entity_label": "A", "metric": "m", "period": "2017-07-01/2017-12-31", "value": "1"}]
    assert score([{**gold[0], "period": "2017-H2"}], gold).recall == 1.0
    assert score([{**gold[0], "period": "2017-H1"}], gold).recall == 0.0
    assert score([{**gold[0], "period": "2017年"}], [{**gold[0], "period": "2017年"}]).recall == 1.0


def test_the_conventions_list_every_metric_of_the_ontology():
    """The annotators' metric list (tests/data/corpus/NOTES.md) names each metric the
    ontology has, so that gold written from the conventions alone uses them all."""
    import re

    from xmgraph.lexicon import load_lexicon

    notes = (Path(__file__).parent / "data" / "corpus" / "NOTES.md").read_text(encoding="utf-8")
    section = notes.split("## The metric list", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([A-Za-z0-9]+)` \(", section))
    ontology = {iri.rsplit("/", 1)[-1] for iri in load_lexicon().metrics}
    assert ontology == listed


def test_a_legal_form_at_a_names_end_does_not_tell_two_names_apart():
    """华辰电力股份 in gold and 华辰电力股份有限公司 predicted are the same company."""
    gold = [{"entity_label": "华辰电力股份", "metric": "m", "period": "2024", "value": "1"}]
    row = dict(gold[0], entity_label="华辰电力股份有限公司")
    assert score([row], gold).precision == 1.0
    other = dict(gold[0], entity_label="华辰电气股份有限公司")
    assert score([other], gold).precision == 0.0
