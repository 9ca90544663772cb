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
HOLDOUT4_FLOOR = 0.82  #: written by someone who saw no code; baseline P=0.825 R=0.852

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


def test_sealed_holdout_regression_floor(record_score):
    """tests/data/holdout2 is kept out of tuning: only its totals are looked at.

    The floors are lower than the corpus gate's: they catch regressions, not tuning.
    """
    scores = evaluate_corpus(CORPUS.parent / "holdout2")
    total = sum(scores[1:], scores[0])
    record_score(f"sealed holdout, {len(scores)} reports (tests/data/holdout2)", total)
    assert total.precision >= 0.85
    assert total.recall >= 0.85


def test_second_sealed_holdout_regression_floor(record_score):
    """tests/data/holdout3 is sealed like holdout2: only its totals are looked at.

    Its baseline when written was P=0.762 R=0.787; the floors sit a little below the totals
    measured after the fixes made on dev3 (see tests/data/holdout3/NOTES.md).
    """
    scores = evaluate_corpus(CORPUS.parent / "holdout3")
    total = sum(scores[1:], scores[0])
    record_score(f"sealed holdout, {len(scores)} reports (tests/data/holdout3)", total)
    assert len(scores) == 8
    assert total.precision >= HOLDOUT3_FLOOR
    assert total.recall >= HOLDOUT3_FLOOR


def test_third_sealed_holdout_regression_floor(record_score):
    """tests/data/holdout4: sealed, written by a helper who read neither the extraction code
    nor the other sets, after the dev3 fixes; nobody has looked at its rows. Its first total
    (P=0.825 R=0.852) is the most honest estimate of quality on unseen reports we have; the
    floor only guards against a fall."""
    scores = evaluate_corpus(CORPUS.parent / "holdout4")
    total = sum(scores[1:], scores[0])
    record_score(f"sealed holdout, {len(scores)} reports (tests/data/holdout4)", total)
    assert len(scores) == 10
    assert total.precision >= HOLDOUT4_FLOOR
    assert total.recall >= HOLDOUT4_FLOOR


def test_dev3_gate(record_score):
    """tests/data/dev3: the development set the fixes after the corpus were made on."""
    scores = evaluate_corpus(CORPUS.parent / "dev3")
    total = sum(scores[1:], scores[0])
    record_score(f"dev3, {len(scores)} reports (tests/data/dev3)", total)
    assert len(scores) == len(corpus_pairs(CORPUS.parent / "dev3")) >= 10
    assert total.precision >= DEV3_FLOOR
    assert total.recall >= DEV3_FLOOR


def test_dev4_gate(record_score):
    """tests/data/dev4: real-news style reports (distractor numbers, quotes, Chinese numerals)."""
    scores = evaluate_corpus(CORPUS.parent / "dev4")
    total = sum(scores[1:], scores[0])
    record_score(f"dev4, {len(scores)} reports (tests/data/dev4)", total)
    assert len(scores) == len(corpus_pairs(CORPUS.parent / "dev4")) >= 12
    assert total.precision >= DEV4_FLOOR
    assert total.recall >= DEV4_FLOOR


def test_dev5_gate(record_score):
    """tests/data/dev5: the official styles news is copied from (HKEX, 业绩快报, US releases)."""
    scores = evaluate_corpus(CORPUS.parent / "dev5")
    total = sum(scores[1:], scores[0])
    record_score(f"dev5, {len(scores)} reports (tests/data/dev5)", total)
    assert len(scores) == len(corpus_pairs(CORPUS.parent / "dev5")) >= 12
    assert total.precision >= DEV5_FLOOR
    assert total.recall >= DEV5_FLOOR
    for txt, gold in corpus_pairs(CORPUS.parent / "dev5"):
        text = txt.read_text(encoding="utf-8")
        for row in read_table(gold):
            assert text[int(row["start"]) : int(row["end"])] == row["source"], (txt.name,)


def test_dev6_gate(record_score):
    """tests/data/dev6: long conglomerate reports, the closest to the seed."""
    scores = evaluate_corpus(CORPUS.parent / "dev6")
    total = sum(scores[1:], scores[0])
    record_score(f"dev6, {len(scores)} reports (tests/data/dev6)", total)
    assert len(scores) == len(corpus_pairs(CORPUS.parent / "dev6")) >= 10
    assert total.precision >= DEV6_FLOOR
    assert total.recall >= DEV6_FLOOR
    for txt, gold in corpus_pairs(CORPUS.parent / "dev6"):
        text = txt.read_text(encoding="utf-8")
        for row in read_table(gold):
            assert text[int(row["start"]) : int(row["end"])] == row["source"], (txt.name,)


def test_dev4_gold_points_into_its_reports():
    for txt, gold in corpus_pairs(CORPUS.parent / "dev4"):
        text = txt.read_text(encoding="utf-8")
        for row in read_table(gold):
            assert text[int(row["start"]) : int(row["end"])] == row["source"], (txt.name,)


def test_dev3_and_holdouts_gold_point_into_their_reports():
    for folder in ("dev3", "holdout3", "holdout4"):
        for txt, gold in corpus_pairs(CORPUS.parent / folder):
            text = txt.read_text(encoding="utf-8")
            for row in read_table(gold):
                assert text[int(row["start"]) : int(row["end"])] == row["source"], (txt.name,)
