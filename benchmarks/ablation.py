"""Ablation: what each extraction rule buys. For every rule, the precision and recall over the
evaluation sets with that rule switched off, against all rules on.

    .venv/bin/python benchmarks/ablation.py [--sets corpus dev3 ...] [--markdown]

Facts are scored as `xmgraph eval` scores them (same keys; an entity's names are its label and
the names the text gives it), read straight from the extraction (no graph is built), so a run
over ~90 rules takes minutes, not an hour.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from xmgraph.context import add_context
from xmgraph.evaluate import Score, corpus_pairs, read_table, score
from xmgraph.extract import extract, load_rules
from xmgraph.extract.rules import RuleSet
from xmgraph.lexicon import load_lexicon
from xmgraph.model import Extraction, plain_decimal
from xmgraph.normalize import normalize
from xmgraph.read import read_report

DATA = Path(__file__).parents[1] / "tests" / "data"
SETS = ("corpus", "dev3", "dev4", "dev5", "dev6", "realistic")


def rows(extraction: Extraction, lex) -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    """The facts table rows of an extraction (no graph), and the names of its entities."""
    out, names = [], {}
    for f in extraction.facts:
        region = lex.entity(f.region) if f.region else None
        out.append(
            {
                "entity": f.entity.iri,
                "entity_label": f.entity.label,
                "metric": f.metric,
                "period": f.period.code,
                "value": plain_decimal(f.value),
                "unit": f.unit,
                "yoy_pct": plain_decimal(f.yoy_pct) if f.yoy_pct is not None else "",
                "qualifier": " ".join(f.qualifiers),
                "region": region.label if region is not None else "",
            }
        )
        names[f.entity.iri] = [f.entity.label, *f.entity.names]
    return out, names


def total(docs, gold, rules: RuleSet, lex) -> Score:
    scores = []
    for doc, want in zip(docs, gold, strict=True):
        got, names = rows(extract(doc, lex, rules=rules), lex)
        scores.append(score(got, want, names=names))
    return sum(scores[1:], scores[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    lex = load_lexicon()
    pairs = [p for name in args.sets for p in corpus_pairs(DATA / name)]
    docs = [
        add_context(normalize(read_report(t), vocabulary=lex.vocabulary), lex) for t, _ in pairs
    ]
    gold = [read_table(g) for _, g in pairs]
    rules = load_rules()
    base = total(docs, gold, rules, lex)
    print(
        f"{len(docs)} reports ({', '.join(args.sets)}); all rules: "
        f"P={base.precision:.3f} R={base.recall:.3f}"
    )
    print("| rule | stage | P without | R without | ΔP | ΔR |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for rule in rules.rules:
        if rule.action == "make-fact":
            continue  # without it there is no fact at all
        s = total(docs, gold, rules.without([rule.id]), lex)
        dp, dr = base.precision - s.precision, base.recall - s.recall
        print(
            f"| `{rule.id}` | {rule.stage} | {s.precision:.3f} | {s.recall:.3f} | "
            f"{dp:+.3f} | {dr:+.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
