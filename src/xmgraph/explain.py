"""``xmgraph explain``: for each figure of a sentence, the mentions found, the frame in force,
the rules that fired in order, and the fact made or the rule that left it out (as duckling's
debug view shows which rules fired). Lines of text; the CLI prints them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from xmgraph.extract import Explained, explain
from xmgraph.extract.frame import Frame
from xmgraph.extract.reader import FactKey, FigureTrace, SentenceTrace, fact_key
from xmgraph.model import Fact, plain_decimal
from xmgraph.patterns import Mention


def explain_report(path: str | Path, *, published: date | None = None) -> Explained:
    """Read, normalize and extract one report (published on ``published``, else on its
    dateline's date), keeping the trace."""
    from xmgraph.context import add_context
    from xmgraph.lexicon import load_lexicon
    from xmgraph.normalize import normalize
    from xmgraph.read import read_report

    lexicon = load_lexicon()
    doc = normalize(read_report(path), vocabulary=lexicon.vocabulary)
    return explain(add_context(doc, lexicon, published=published), lexicon)


def _short(iri: str | None) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1] if iri else "-"


def _mention(text: str, m: Mention) -> str:
    what = {
        "metric": _short(m.metric.iri) if m.metric else "",
        "period": m.period or "",
        "entity": m.entity.label if m.entity else "",
        "region": m.entity.label if m.entity else "",
        "quantity": (plain_decimal(m.value) if m.value is not None else "")
        + ("%" if m.percent else f" {m.unit.code}" if m.unit else ""),
    }.get(m.kind, "")
    detail = f"={what}" if what else ""
    return f"{m.kind}[{text[m.start : m.end]}{detail}] ({m.rule})"


def _frame(f: Frame) -> str:
    parts = [
        f"entity={f.entity.label if f.entity else '-'}",
        f"metric={_short(f.metric.iri) if f.metric else '-'}",
        f"period={f.period.code if f.period else '-'}",
        f"region={f.region.label if f.region else '-'}",
    ]
    return " ".join(parts)


def _fact(f: Fact) -> str:
    change = f" yoy {plain_decimal(f.yoy_pct)}%" if f.yoy_pct is not None else ""
    quals = f" [{' '.join(f.qualifiers)}]" if f.qualifiers else ""
    return (
        f"{f.entity.label} | {_short(f.metric)} | {f.period.code} | "
        f"{plain_decimal(f.value)} {f.unit}{change}{quals}"
    )


def _figure(fig: FigureTrace, final: dict[int, Fact], dropped: dict[FactKey, str]) -> Iterator[str]:
    yield f"  figure {fig.text!r} at {fig.mention.start}"
    yield f"    frame: {_frame(fig.frame)}"
    yield f"    rules: {' > '.join(fig.rules) or '-'}"
    if fig.outcome == "fact" and fig.fact is not None:
        made = final.get(id(fig.fact))
        yield f"    fact: {_fact(made or fig.fact)}"
        if made is not None and made.rules:
            yield f"    made by: {' '.join(made.rules)}"
        elif made is None:
            yield f"    dropped later by {dropped.get(fact_key(fig.fact), 'a later rule')}"
    else:
        yield f"    outcome: {fig.outcome}"


def lines(
    explained: Explained, *, sentence: int | None = None, figure: str | None = None
) -> Iterator[str]:
    """The explanation, sentence by sentence (only sentence ``sentence``, 1-based, or only the
    figures whose text contains ``figure``, when given)."""
    text = explained.normalized
    final = _final_facts(explained)
    for s in explained.sentences:
        if sentence is not None and s.index + 1 != sentence:
            continue
        figures = [f for f in s.figures if figure is None or figure in f.text]
        if figure is not None and not figures:
            continue
        yield from _sentence(text, s, figures, final)


def _sentence(
    text: str, s: SentenceTrace, figures: list[FigureTrace], final: dict[int, Fact]
) -> Iterator[str]:
    a, b = s.original
    yield f"sentence {s.index + 1} [{a}:{b} in the file]: {text[s.sentence.start : s.sentence.end]}"
    yield "  mentions: " + ("; ".join(_mention(text, m) for m in s.mentions) or "-")
    dropped = dict(s.dropped)
    for fig in figures:
        yield from _figure(fig, final, dropped)


def _final_facts(explained: Explained) -> dict[int, Fact]:
    """The facts made, as the extraction kept them (changes attached later included), keyed by
    the identity of the fact first made for the same figure."""
    kept = {
        (f.source.start, f.metric, f.period.code, f.value): f for f in explained.extraction.facts
    }
    out: dict[int, Fact] = {}
    for s in explained.sentences:
        for fig in s.figures:
            if fig.fact is not None:
                f = fig.fact
                match = kept.get((f.source.start, f.metric, f.period.code, f.value))
                if match is not None:
                    out[id(f)] = match
    return out
