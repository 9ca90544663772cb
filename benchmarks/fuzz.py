"""Fuzz the pipeline: mutated reports through read, normalize, context, extract, build and
the numeric checks, in this process; every exception other than a coded
:class:`~xmgraph.errors.XmgraphError` is a failure (issue 2)::

    .venv/bin/python benchmarks/fuzz.py --count 10000 --seed 1

Inputs are the bundled report, sentences written here, and their mutations: huge and
absurd numbers (a million digits, 10^16 亿), scale words piled up, bytes flipped, cut or
inserted (0xFF, a GBK tail, NUL), pieces repeated, shuffled or mixed with random
characters. Prints the number of inputs, of coded errors, and each uncaught exception
(its type, the input's seed) with a count per type.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import traceback
from collections.abc import Callable

from xmgraph import resources
from xmgraph.errors import XmgraphError

SENTENCES = [
    "小米集团2024年收入为3659亿元，同比增长35%。",
    "经调整净利润272亿元，创历史新高。",
    "總收入为{n}亿元。",
    "营业收入182.4亿元（-32.6%），毛利率9.8%（-6.1pct）。",
    "其中海外收入{n}亿元，占比{n}%。",
    "净利润为负人民币{n}万元，上年同期为{n}亿元。",
    "港幣二十五億六千三百萬元",
    "2024年第三季度营收{n}亿元，环比增长{n}%，同比下降{n}%。",
    "手机出货量1.685亿台，智能电动汽车交付{n}辆。",
    "| 项目 | 本报告期 | 上年同期 | 增减变动幅度(%) |\n| 营业收入 | {n} | {n} | {n} |",
    "单位：人民币万元\n项目 本报告期 上年同期 增减变动幅度(%)\n营业总收入 {n} {n} {n}",
    "每股收益{n}元，派息{n}港仙。",
    "经(jīng)调(tiáo)整凈利潤{n}億元",
]

NUMBERS: list[Callable[[random.Random], str]] = [
    lambda r: str(r.randint(0, 10_000)),
    lambda r: f"{r.randint(0, 999)}.{r.randint(0, 99)}",
    lambda r: "1" + "0" * r.choice([16, 20, 28, 30, 50, 400, 5_000]),
    lambda r: "9" * r.choice([29, 100, 10_000, 1_000_000]),
    lambda r: "0." + "0" * r.choice([20, 40, 500]) + "1",
    lambda r: "-" + str(r.randint(0, 10**30)),
    lambda r: ",".join(["999"] * r.randint(2, 40)),
    lambda r: str(r.randint(0, 99)) + "亿" * r.randint(1, 30),
    lambda r: "".join(r.choice("0123456789.,-%亿万千百十零一二三四五六七八九") for _ in range(20)),
    lambda r: "1e" + str(r.randint(0, 999_999)),
    lambda r: "１２３，４５６．７８",
]


def _text(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(1, 6)):
        sentence = rng.choice(SENTENCES)
        while "{n}" in sentence:
            sentence = sentence.replace("{n}", rng.choice(NUMBERS)(rng), 1)
        pieces.append(sentence)
    if rng.random() < 0.03:
        pieces.append(resources.demo_report().read_text(encoding="utf-8"))
    if rng.random() < 0.3:
        pieces.insert(rng.randrange(len(pieces) + 1), _noise(rng))
    rng.shuffle(pieces)
    return rng.choice(["", "\n", "。"]).join(pieces)


def _noise(rng: random.Random) -> str:
    ranges = [(0x20, 0x7E), (0x4E00, 0x9FFF), (0x3000, 0x303F), (0xFF00, 0xFFEF), (0x80, 0x24F)]
    lo, hi = rng.choice(ranges)
    return "".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 200)))


def _mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([0, 0, 1, 2, 5])):
        kind = rng.randrange(5)
        at = rng.randrange(len(out) + 1)
        if kind == 0 and out:
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif kind == 1:
            out[at:at] = rng.choice([b"\xff", b"\xfe\xff", b"\x00", b"\xb9", b"\xe4\xb8"])
        elif kind == 2:
            del out[at : at + rng.randint(1, 3)]
        elif kind == 3:
            out = out[: max(1, at)]
        else:
            out[at:at] = out[max(0, at - 50) : at]
    return bytes(out)


def make_input(seed: int) -> bytes:
    """The fuzzed input of ``seed`` (the same bytes every time)."""
    rng = random.Random(seed)
    text = _text(rng)
    encoding = rng.choice(["utf-8", "utf-8", "utf-8", "gb18030", "big5", "utf-16"])
    data = text.encode(encoding, errors="replace")
    return _mutate(data, rng)


def run_one(data: bytes, name: str = "fuzz.txt") -> None:
    """Read -> normalize -> context -> extract -> build -> numeric checks -> N-Triples."""
    from xmgraph.build import build
    from xmgraph.consistency import check_graph
    from xmgraph.context import add_context
    from xmgraph.extract import extract
    from xmgraph.lexicon import load_lexicon
    from xmgraph.normalize import normalize
    from xmgraph.read import read_bytes

    lexicon = load_lexicon()
    report = read_bytes(data, name=name)
    doc = add_context(normalize(report, vocabulary=lexicon.vocabulary), lexicon)
    graph = build([extract(doc, lexicon)], ontology=False)
    check_graph(graph, record=True)
    graph.serialize(format="nt", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1, help="the first input's seed")
    parser.add_argument("--show", type=int, default=3, help="tracebacks shown per type")
    args = parser.parse_args()
    coded: collections.Counter[str] = collections.Counter()
    crashes: collections.Counter[str] = collections.Counter()
    for done, seed in enumerate(range(args.seed, args.seed + args.count)):
        if done and done % 100 == 0:  # a running tally, should the run be stopped
            print(f"{done} inputs: {sum(crashes.values())} uncaught exceptions", flush=True)
        try:
            run_one(make_input(seed))
        except XmgraphError as exc:
            coded[exc.code] += 1
        except Exception as exc:
            kind = type(exc).__name__
            crashes[kind] += 1
            if crashes[kind] <= args.show:
                print(f"seed {seed}: {kind}: {str(exc)[:200]}", file=sys.stderr)
                traceback.print_exc(limit=-3)
    print(
        f"{args.count} inputs: {sum(crashes.values())} uncaught exceptions "
        f"{dict(crashes)}; coded errors {dict(sorted(coded.items()))}"
    )
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
