"""The rule engine: every rule's examples, named after the rule; the checks on rule files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xmgraph.context import add_context
from xmgraph.errors import XmgraphError
from xmgraph.extract import extract, load_rules
from xmgraph.extract.rules import RuleSet, read_rule_file
from xmgraph.lexicon import load_lexicon
from xmgraph.model import Report, plain_decimal
from xmgraph.normalize import normalize
from xmgraph.read import read_bytes

DATA = Path(__file__).parent / "data"

RULES = load_rules()
WITH_EXAMPLES = [r for r in RULES.rules if r.examples]
REGIONS = {
    "https://w3id.org/xmgraph/id/region/overseas": "Overseas",
    "https://w3id.org/xmgraph/id/region/mainland-china": "Mainland China",
    "https://w3id.org/xmgraph/id/region/hong-kong": "Hong Kong",
    "https://w3id.org/xmgraph/id/region/southeast-asia": "Southeast Asia",
    "https://w3id.org/xmgraph/id/region/latin-america": "Latin America",
}


def rows(text: str, rules: RuleSet = RULES) -> set[tuple[str, ...]]:
    """The facts of a text as example rows: entity, metric, period, value, unit, yoy (or the
    change in percentage points, "1.4pp"), qualifiers, region."""
    lex = load_lexicon()
    report: Report = read_bytes(text.encode("utf-8"), name="example.txt")
    doc = add_context(normalize(report, vocabulary=lex.vocabulary), lex)
    facts = extract(doc, lex, rules=rules).facts
    return {
        (
            f.entity.label,
            f.metric.rsplit("/", 1)[-1],
            f.period.code,
            plain_decimal(f.value),
            f.unit,
            plain_decimal(f.yoy_pct)
            if f.yoy_pct is not None
            else f"{plain_decimal(f.yoy_pp)}pp"
            if f.yoy_pp is not None
            else "",
            " ".join(f.qualifiers),
            REGIONS.get(f.region or "", ""),
        )
        for f in facts
    }


def holds(example, rules: RuleSet = RULES) -> bool:
    got = rows(example.text, rules)
    return set(example.gives) <= got and not set(example.never) & got


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=[r.id for r in WITH_EXAMPLES])
def test_rule_examples(rule):
    """Each example of the rule gives the facts it must and none it must not."""
    for example in rule.examples:
        got = rows(example.text)
        assert set(example.gives) <= got, (example.text, sorted(got))
        assert not set(example.never) & got, (example.text, sorted(got))


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=[r.id for r in WITH_EXAMPLES])
def test_rule_examples_need_the_rule(rule):
    """Switched off, the rule's examples no longer all hold: each example shows what it buys."""
    off = RULES.without([rule.id])
    assert not all(holds(e, off) for e in rule.examples)


def test_every_figure_rule_is_in_order():
    figure = [r.order for r in RULES.stage("figure")]
    assert figure == sorted(figure)
    assert RULES.stage("figure")[-1].action == "make-fact"


def test_facts_carry_their_rules():
    lex = load_lexicon()
    text = "华辰科技2024年归属于华辰科技股东的净利润为58.7亿元，同比增长31.5%。"
    report = read_bytes(text.encode("utf-8"), name="t.txt")
    (fact,) = extract(normalize(report, vocabulary=lex.vocabulary), lex).facts
    assert "filters.make-fact" in fact.rules
    assert "attribution.attributable" in fact.rules
    assert "changes.change" in fact.rules


def test_a_rule_switched_off_changes_the_facts():
    text = "华辰科技2024年营收为52.3亿元，同比增长12.5%。"
    assert rows(text) != rows(text, RULES.without(["changes.change"]))


def test_unknown_rule_id_to_switch_off():
    with pytest.raises(XmgraphError, match="E084"):
        RULES.without(["no.such-rule"])


def _file(tmp_path, rule):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"rules": [rule]}), encoding="utf-8")
    return path


GOOD = {
    "id": "x.y",
    "stage": "figure",
    "order": 1,
    "action": "drop",
    "description": "d",
    "when": [{"if": "window-has", "cue": "consensus", "width": 4}],
}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"stage": "nowhere"}, "E080"),
        ({"action": "explode"}, "E082"),
        ({"when": [{"if": "moon-phase"}]}, "E081"),
        ({"when": [{"if": "window-has", "cue": "consensus", "span": 4}]}, "E080"),
        ({"when": [{"if": "window-has"}]}, "E080"),
        ({"when": [{"if": "percent", "unless": "flat"}]}, "E080"),
        ({"order": "first"}, "E080"),
        ({"description": None}, "E080"),
    ],
)
def test_bad_rule_files_are_coded_errors(tmp_path, change, code):
    with pytest.raises(XmgraphError, match=code):
        read_rule_file(_file(tmp_path, {**GOOD, **change}))


def test_good_rule_file_reads(tmp_path):
    (rule,) = read_rule_file(_file(tmp_path, GOOD))
    assert (rule.id, rule.stage, rule.action) == ("x.y", "figure", "drop")


def test_a_rules_checks_are_its_conditions():
    """The checks a rule is built with answer as its conditions do, read one by one: by
    name (a condition given without its function), 'any' of several, 'unless'; and the
    rule still pickles (its checks are module functions)."""
    import pickle

    from xmgraph.extract.rules import Condition, Rule, _holds

    def rule(*when: Condition) -> Rule:
        return Rule("t", "f", "frame", "test", "series", when=when, params={"cue": "x"})

    is_metric = Condition("kind", {"kinds": ["metric"]})
    is_region = Condition("kind", {"kinds": ["region"]})
    either = Condition("any", {"of": (is_metric, is_region)})
    not_metric = Condition("kind", {"kinds": ["metric"]}, negate=True)

    class Ctx:
        def __init__(self, kind: str) -> None:
            self.m = type("M", (), {"kind": kind})()

    load_rules()  # the conditions registered
    for when in [(is_metric,), (either,), (not_metric,), (either, not_metric), ()]:
        r = rule(*when)
        assert pickle.loads(pickle.dumps(r)) == r
        for kind in ("metric", "region", "period"):
            expected = all(_holds("frame", c, Ctx(kind)) for c in when)
            assert r.holds(Ctx(kind)) is expected


def test_unknown_cue_set_is_a_coded_error(tmp_path):
    from xmgraph.extract.rules import check_cues

    bad = {**GOOD, "when": [{"if": "window-has", "cue": "no-such-cues"}]}
    rules = RuleSet(tuple(read_rule_file(_file(tmp_path, bad))))
    with pytest.raises(XmgraphError, match=r"E080.*no-such-cues"):
        check_cues(rules, load_lexicon().cues)


def test_not_json_is_a_coded_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(XmgraphError, match="E080"):
        read_rule_file(path)


def test_an_actions_unknown_parameter_is_E080_naming_the_file_and_rule(tmp_path):
    with pytest.raises(XmgraphError) as info:
        read_rule_file(_file(tmp_path, {**GOOD, "params": {"strength": 3}}))
    assert info.value.code == "E080"
    assert str(info.value).startswith("E080: rule file ")
    assert ", rule x.y: action 'drop': " in str(info.value)


def _explained(text: str) -> list[tuple[str, tuple[str, ...], str]]:
    """Each figure of ``text`` with the rules that fired on it and its outcome."""
    from xmgraph.extract import explain

    lex = load_lexicon()
    doc = add_context(
        normalize(read_bytes(text.encode("utf-8"), name="t.txt"), vocabulary=lex.vocabulary), lex
    )
    return [(f.text, f.rules, f.outcome) for s in explain(doc, lex).sentences for f in s.figures]


def test_the_sieve_leaves_out_only_rules_that_cannot_hold(monkeypatch):
    """Rules sifted by their stage's key fire as when every rule is tried, figure by figure
    (the bundled report: entities, periods, changes, 分别, shares, tables)."""
    from xmgraph.extract import rules as engine
    from xmgraph.resources import demo_report

    text = demo_report().read_text(encoding="utf-8")
    sifted = _explained(text)
    monkeypatch.setattr(engine, "KEYS", {})
    assert _explained(text) == sifted
    assert len(sifted) > 40


def test_a_static_condition_is_decided_by_its_stages_key(monkeypatch):
    """Every static condition a rule uses gives one value for all contexts of one key, on
    the bundled report and the extraction cases (else the sieve would skip a rule that
    holds)."""
    from xmgraph.extract import rules as engine
    from xmgraph.resources import demo_report

    seen: dict[str, list[object]] = {}
    keys = dict(engine.KEYS)

    def recording(stage: str):
        def key(ctx: object) -> object:
            seen.setdefault(stage, []).append(ctx)
            return keys[stage](ctx)

        return key

    monkeypatch.setattr(engine, "KEYS", {s: recording(s) for s in keys})
    cases = json.loads((DATA / "extract" / "cases.json").read_text(encoding="utf-8"))["cases"]
    for text in [demo_report().read_text(encoding="utf-8"), *(c["text"] for c in cases)]:
        _explained(text)
    assert set(seen) == {"frame", "metric", "figure", "fact"}
    for stage, contexts in seen.items():
        static = [
            check
            for r in RULES.stage(stage)
            for c, check in zip(r.when, r.checks, strict=True)
            if c.name in engine.STATIC[stage]
        ]
        assert static, stage
        values: dict[tuple[int, object], bool] = {}
        for ctx in contexts:
            for n, check in enumerate(static):
                value = engine.passes((check,), ctx)
                assert values.setdefault((n, keys[stage](ctx)), value) == value


def test_a_file_without_a_rules_list_says_so(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"rules": 3}), encoding="utf-8")
    with pytest.raises(XmgraphError) as e:
        read_rule_file(path)
    assert str(e.value) == (
        "E080: rule file bad.json, rule -: a rule file is an object with a 'rules' list"
    )


def test_a_bad_condition_inside_any_names_the_file(tmp_path):
    rule = {**GOOD, "action": "make-bound-fact", "when": [{"any": [{"if": "moon-phase"}]}]}
    with pytest.raises(XmgraphError, match=r"E081: .*bad\.json"):
        read_rule_file(_file(tmp_path, rule))
