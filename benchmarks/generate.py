"""Synthetic results-news reports for the benchmarks: the genre, not copies of it.

    .venv/bin/python benchmarks/generate.py OUT_DIR -n 1000 [--seed 7] [--gold]

Writes ``OUT_DIR/<company>_<period>.txt``: fictional companies of five industries (phones,
electric vehicles, internet, retail and coffee chains, home appliances), each with a series
of consecutive reports (annual, interim, quarterly: A-share, Hong Kong or US-listed
habits), phrased as the seed corpus is (公告显示 …, 分业务看 …, 截至 … 止, 较上年同期的 …),
with figures that hang together (segments add up to less than the total, growth rates
agree with the previous report's figure). About 30 % are in Traditional characters
(OpenCC ``s2hk``), some with full-width digits; files are UTF-8, UTF-8 with a BOM,
GB18030 or Big5.

Reports restate the previous year's figure ("较上年同期的952.3亿元"): the same value as
the earlier report (ONE observation with two sources in a dataset), except in about 4 %
of restatements, which give a slightly different figure: a conflict for
``queries/conflicts.rq``.

``--gold`` also writes ``NAME.facts.csv`` with the facts each report states, so that
``xmgraph eval OUT_DIR -q`` measures how well they are extracted.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

METRIC = "https://w3id.org/xmgraph/metric/"
COLUMNS = [
    *("entity", "entity_label", "metric", "metric_label", "period", "value", "unit"),
    *("yoy_pct", "qualifier", "region", "source", "start", "end"),
]

FIRST = "华蓝启嘉顺星鑫味光欧优恒鹿峰云天海中新长宏瑞泰安盛博凯智远诚达信和美万德隆"
SECOND = "辰驰明惠通游源享启德选达鸣川图锐拓创联科邦海景辉耀晟途航润丰禾翼芯讯"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静立新海峰军明华强磊洋勇艳杰涛超斌"
FULL_WIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")


@dataclass
class Industry:
    key: str
    suffixes: tuple[str, ...]
    segments: tuple[str, ...]
    revenue: tuple[float, float]  # annual revenue range, 亿元
    margin: tuple[float, float]  # gross margin range, %
    count_metric: str | None  # Shipments, Deliveries, NumberOfStores, MonthlyActiveUsers ...


INDUSTRIES = (
    Industry(
        "phone",
        ("科技股份有限公司", "电子股份有限公司", "通讯科技有限公司"),
        ("智能手机", "平板电脑", "可穿戴设备", "智能家居", "互联网服务"),
        (300, 3000),
        (12, 24),
        "Shipments",
    ),
    Industry(
        "ev",
        ("汽车股份有限公司", "汽车集团有限公司", "新能源汽车有限公司"),
        ("汽车", "能源服务", "软件及服务"),
        (150, 1500),
        (8, 22),
        "Deliveries",
    ),
    Industry(
        "internet",
        ("网络控股有限公司", "互动娱乐控股有限公司", "数字科技有限公司"),
        ("增值服务", "网络广告", "云服务", "金融科技", "电子商务"),
        (80, 2500),
        (35, 60),
        "MonthlyActiveUsers",
    ),
    Industry(
        "retail",
        ("咖啡股份有限公司", "超市股份有限公司", "餐饮集团有限公司"),
        ("自营门店", "加盟门店", "线上零售", "生鲜"),
        (40, 800),
        (18, 60),
        "NumberOfStores",
    ),
    Industry(
        "appliance",
        ("电器股份有限公司", "家电集团股份有限公司"),
        ("空调", "冰箱", "洗衣机", "厨房电器"),
        (200, 3500),
        (20, 32),
        "SalesVolume",
    ),
)


def d(value: float | Decimal, places: int = 1) -> Decimal:
    q = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(q, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def grouped(value: Decimal) -> str:
    """1286.4 -> '1,286.4' (as the reports write hundreds of 亿)."""
    whole, _, frac = format(value, "f").partition(".")
    return f"{int(whole):,}" + ("." + frac if frac else "")


@dataclass
class Company:
    name: str  # full legal name, Simplified
    short: str
    industry: Industry
    segments: tuple[str, ...]
    base: float  # annual revenue in the first year, 亿元
    growth: float
    margin: float
    chairman: str
    traditional: bool
    style: str  # "a" (A-share), "hk" or "us"
    restated: dict[tuple[str, str], Decimal] = field(default_factory=dict)


@dataclass
class Period:
    year: int
    kind: str  # FY, H1, Q1..Q4

    @property
    def code(self) -> str:
        return str(self.year) if self.kind == "FY" else f"{self.year}-{self.kind}"

    @property
    def share(self) -> float:  # share of the year's revenue
        return {"FY": 1.0, "H1": 0.48}.get(self.kind, 0.25)

    @property
    def end(self) -> str:
        month, day = {"FY": (12, 31), "H1": (6, 30), "Q1": (3, 31), "Q2": (6, 30)}.get(
            self.kind, (9, 30) if self.kind == "Q3" else (12, 31)
        )
        return f"{self.year}-{month:02d}-{day:02d}"

    def previous(self) -> Period:
        return Period(self.year - 1, self.kind)


class Report:
    """Sentences and the gold facts they state, assembled line by line."""

    def __init__(self, company: Company, period: Period) -> None:
        self.company = company
        self.period = period
        self.lines: list[list[tuple[str, list[dict[str, str]]]]] = []

    def say(self, sentence: str, *facts: dict[str, str]) -> None:
        self.lines.append([(sentence, list(facts))])

    def also(self, sentence: str, *facts: dict[str, str]) -> None:
        """A second sentence on the line before."""
        self.lines[-1].append((sentence, list(facts)))


def fact(
    entity: str,
    metric: str,
    period: str,
    value: Decimal,
    unit: str,
    yoy: Decimal | None = None,
    qualifier: str = "",
    region: str = "",
) -> dict[str, str]:
    return {
        "entity": "",
        "entity_label": entity,
        "metric": METRIC + metric,
        "metric_label": "",
        "period": period,
        "value": plain(value),
        "unit": unit,
        "yoy_pct": "" if yoy is None else plain(yoy),
        "qualifier": qualifier,
        "region": region,
    }


def change(rng: random.Random, trend: float) -> Decimal:
    g = d(rng.gauss(trend, 8), 1)
    return g if g else Decimal("0.1")


def growth_words(g: Decimal) -> str:
    return f"同比增长{plain(g)}%" if g >= 0 else f"同比下降{plain(-g)}%"


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names: set[str] = set()
        self.revenue: dict[tuple[str, str], Decimal] = {}  # (company, period) -> 亿元 stated

    def company(self) -> Company:
        rng = self.rng
        industry = rng.choice(INDUSTRIES)
        while True:
            short = rng.choice(FIRST) + rng.choice(SECOND)
            name = short + rng.choice(industry.suffixes)
            if name not in self.names:
                self.names.add(name)
                break
        k = rng.randint(2, min(4, len(industry.segments)))
        return Company(
            name=name,
            short=short,
            industry=industry,
            segments=tuple(rng.sample(industry.segments, k)),
            base=rng.uniform(*industry.revenue),
            growth=rng.uniform(-6, 30),
            margin=rng.uniform(*industry.margin),
            chairman=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            traditional=rng.random() < 0.3,
            style=rng.choice(("a", "a", "hk", "us")),
        )

    def periods(self, company: Company, count: int) -> list[Period]:
        kinds = {"a": ("Q1", "H1", "Q3", "FY"), "hk": ("H1", "FY"), "us": ("Q1", "Q2", "Q3", "Q4")}
        first = self.rng.randint(2015, 2021)
        out: list[Period] = []
        year = first
        while len(out) < count:
            for kind in kinds[company.style]:
                out.append(Period(year, kind))
            year += 1
        return out[:count]

    def true_revenue(self, company: Company, period: Period) -> Decimal:
        years = period.year - 2015
        annual = company.base * (1 + company.growth / 100) ** years
        wobble = 1 + 0.03 * ((zlib.crc32(f"{company.name}{period.code}".encode()) % 7) - 3) / 3
        places = 1 if annual * period.share >= 100 else 2
        return d(annual * period.share * wobble, places)

    # ------------------------------------------------------------ one report

    def report(self, company: Company, period: Period) -> Report:
        rng = self.rng
        r = Report(company, period)
        c, p = company, period
        rmb = "人民币" if c.style != "a" else ""
        day = rng.randint(12, 29)
        month = {"FY": 3, "H1": 8, "Q1": 4, "Q2": 8, "Q3": 10, "Q4": 3}[p.kind]
        title = {
            "FY": f"{p.year}年年度业绩",
            "H1": rng.choice((f"{p.year}年半年度业绩", f"截至{p.year}年6月30日止六个月的中期业绩")),
            "Q1": f"{p.year}年第一季度业绩",
            "Q2": f"{p.year}年第二季度未经审计财务业绩",
            "Q3": f"{p.year}年第三季度未经审计财务业绩",
            "Q4": f"{p.year}年第四季度未经审计财务业绩",
        }[p.kind]
        verb = rng.choice(("发布", "公布", "晚间披露"))
        r.say(f"{c.name}(以下简称“{c.short}”){month}月{day}日{verb}{title}。")
        when = {
            "FY": rng.choice((f"{p.year}年", "报告期内", "全年")),
            "H1": rng.choice(("上半年", "报告期内", "期内")),
            "Q1": rng.choice(("第一季度", "一季度", "当季")),
            "Q2": rng.choice(("第二季度", "二季度")),
            "Q3": rng.choice(("第三季度", "三季度")),
            "Q4": rng.choice(("第四季度", "四季度")),
        }[p.kind]
        code = p.code
        rev = self.true_revenue(c, p)
        prev_key = (c.name, p.previous().code)
        g: Decimal
        if prev_key in self.revenue and rng.random() < 0.6:
            prev = self.revenue[prev_key]
            if rng.random() < 0.04:  # a restatement that disagrees with the earlier report
                prev = d(prev * Decimal(str(rng.choice((0.97, 0.98, 1.02, 1.03)))), 1)
            g = d((rev / prev - 1) * 100, 1)
            word = "增长" if g >= 0 else "下降"
            r.say(
                f"公告显示，{when}{c.short}营业收入为{rmb}{grouped(rev)}亿元，"
                f"较上年同期的{rmb}{grouped(prev)}亿元{word}{plain(abs(g))}%。",
                fact(c.name, "Revenue", code, rev * 10**8, "CNY", g),
                fact(c.name, "Revenue", p.previous().code, prev * 10**8, "CNY"),
            )
        else:
            g = change(rng, c.growth)
            phrase = rng.choice(
                (f"{when}，{c.short}实现营业收入", f"{when}，公司总收入为", f"{when}{c.short}营收")
            )
            r.say(
                f"{phrase}{rmb}{grouped(rev)}亿元，{growth_words(g)}。",
                fact(c.name, "Revenue", code, rev * 10**8, "CNY", g),
            )
        self.revenue[(c.name, code)] = rev
        if p.kind == "FY" and rng.random() < 0.4:
            q4 = d(rev * Decimal(str(rng.uniform(0.24, 0.3))), 1 if rev >= 400 else 2)
            gq = change(rng, c.growth)
            r.say(
                f"第四季度，公司实现营业收入{rmb}{grouped(q4)}亿元，{growth_words(gq)}。",
                fact(c.name, "Revenue", f"{p.year}-Q4", q4 * 10**8, "CNY", gq),
            )
        # profit, margin
        gm = d(c.margin + rng.gauss(0, 1.5), 1)
        net = d(rev * Decimal(str(rng.uniform(0.03, 0.15))), 2)
        gn = change(rng, c.growth + 5)
        if c.industry.key == "ev" and rng.random() < 0.5:
            r.say(
                f"{when}净亏损为{rmb}{grouped(net)}亿元。",
                fact(c.name, "NetLoss", code, net * 10**8, "CNY"),
            )
        elif c.style == "hk" and rng.random() < 0.5:
            r.say(
                f"股东应占溢利为{rmb}{grouped(net)}亿元，{growth_words(gn)}。",
                fact(c.name, "ProfitAttributableToShareholders", code, net * 10**8, "CNY", gn),
            )
        elif c.style == "us" and rng.random() < 0.5:
            r.say(
                f"{when}净利润为{rmb}{grouped(net)}亿元，{growth_words(gn)}。",
                fact(c.name, "NetProfit", code, net * 10**8, "CNY", gn),
            )
        else:
            r.say(
                f"归属于上市公司股东的净利润为{rmb}{grouped(net)}亿元，{growth_words(gn)}。",
                fact(c.name, "ProfitAttributableToShareholders", code, net * 10**8, "CNY", gn),
            )
        delta = d(abs(rng.gauss(0, 1.2)), 1) or Decimal("0.3")
        moved = rng.choice(("提升", "下降"))
        r.also(
            f"毛利率为{plain(gm)}%，较上年同期{moved}{plain(delta)}个百分点。",
            fact(c.name, "GrossMargin", code, gm, "percent"),
        )
        # segments
        shares = sorted((rng.uniform(0.15, 0.6) for _ in c.segments), reverse=True)
        total = sum(shares) * 1.15
        for i, (segment, share) in enumerate(zip(c.segments, shares, strict=False)):
            seg_rev = d(rev * Decimal(str(share / total)), 1 if rev >= 100 else 2)
            if seg_rev <= 0:
                continue
            gs = change(rng, c.growth)
            pct = d(seg_rev / rev * 100, 1)
            if i == 0:
                r.say(
                    f"分业务看，{segment}业务收入为{rmb}{grouped(seg_rev)}亿元，{growth_words(gs)}，"
                    f"占总收入的{plain(pct)}%。",
                    fact(segment, "Revenue", code, seg_rev * 10**8, "CNY", gs),
                    fact(segment, "RevenueShare", code, pct, "percent"),
                )
            elif i == 1:
                r.say(
                    f"{segment}业务收入{rmb}{grouped(seg_rev)}亿元，{growth_words(gs)}。",
                    fact(segment, "Revenue", code, seg_rev * 10**8, "CNY", gs),
                )
            else:
                r.also(
                    f"{segment}业务收入为{rmb}{grouped(seg_rev)}亿元，{growth_words(gs)}。",
                    fact(segment, "Revenue", code, seg_rev * 10**8, "CNY", gs),
                )
        self.count_metric(r, code, when)
        # overseas share
        if rng.random() < 0.5:
            share = d(rng.uniform(8, 55), 1)
            r.say(
                f"全球化方面，{c.short}境外收入占比达{plain(share)}%。",
                fact(c.name, "RevenueShare", code, share, "percent", region="Overseas"),
            )
        # R&D
        if rng.random() < 0.7:
            rd = d(rev * Decimal(str(rng.uniform(0.03, 0.12))), 2)
            grd = change(rng, 15)
            ratio = d(rd / rev * 100, 1)
            r.say(
                f"{when}{c.short}研发投入为{rmb}{grouped(rd)}亿元，{growth_words(grd)}，"
                f"研发投入占营业收入的{plain(ratio)}%。",
                fact(c.name, "RDExpense", code, rd * 10**8, "CNY", grd),
                fact(c.name, "RDExpenseShare", code, ratio, "percent"),
            )
        # people
        if rng.random() < 0.6:
            staff = rng.randint(800, 90_000)
            y, m, dd = p.end.split("-")
            r.say(
                f"截至{y}年{int(m)}月{int(dd)}日，公司员工总数为{staff:,}人。",
                fact(c.name, "Employees", p.end, Decimal(staff), "person"),
            )
        if p.kind == "FY" and rng.random() < 0.7:
            dps = d(rng.uniform(0.05, 2.5), 2)
            if c.style == "hk":
                r.say(
                    f"董事会建议派发末期股息每股{plain(dps)}港元。",
                    fact(c.name, "DividendPerShare", code, dps, "HKD"),
                )
            else:
                r.say(
                    f"董事会建议派发末期股息每股{plain(dps)}元(含税)。",
                    fact(c.name, "DividendPerShare", code, dps, "CNY"),
                )
        if p.kind == "FY" and rng.random() < 0.6:
            target = d(rev * Decimal(str(rng.uniform(1.05, 1.3))), 0)
            r.say(
                f"展望{p.year + 1}年，公司目标实现营业收入{grouped(target)}亿元。",
                fact(c.name, "Revenue", str(p.year + 1), target * 10**8, "CNY", qualifier="target"),
            )
        r.say(
            f"{c.short}董事长{c.chairman}表示，公司将继续坚持"
            + rng.choice(("高质量发展", "全球化与高端化并重", "降本增效", "技术创新驱动"))
            + "的战略。"
        )
        return r

    def count_metric(self, r: Report, code: str, when: str) -> None:
        rng, c, p = self.rng, r.company, r.period
        metric = c.industry.count_metric
        if metric is None or rng.random() < 0.2:
            return
        g = change(rng, c.growth)
        if metric == "Shipments":
            n = d(c.base / 15 * r.period.share * rng.uniform(0.8, 1.2), 2)
            seg = c.segments[0]
            r.say(
                f"{when}{seg}出货量约{plain(n)}亿台，{growth_words(g)}。",
                fact(seg, "Shipments", code, n * 10**8, "unit", g, "approximate"),
            )
        elif metric == "Deliveries":
            n = rng.randint(8_000, 200_000) * (4 if p.kind == "FY" else 1)
            r.say(
                f"{when}，公司共交付新车{n:,}辆，{growth_words(g)}。",
                fact(c.name, "Deliveries", code, Decimal(n), "vehicle", g),
            )
        elif metric == "MonthlyActiveUsers":
            n = d(rng.uniform(0.5, 12), 2)
            y, m, dd = p.end.split("-")
            r.say(
                f"截至{y}年{int(m)}月{int(dd)}日，平台月活跃用户数达到{plain(n)}亿，{growth_words(g)}。",
                fact(c.name, "MonthlyActiveUsers", p.end, n * 10**8, "user", g),
            )
        elif metric == "NumberOfStores":
            n = rng.randint(300, 25_000)
            y, m, dd = p.end.split("-")
            r.say(
                f"截至{y}年{int(m)}月{int(dd)}日，公司门店总数达到{n:,}家。",
                fact(c.name, "NumberOfStores", p.end, Decimal(n), "store"),
            )
        elif metric == "SalesVolume":
            n = d(rng.uniform(200, 3000) * p.share, 0)
            r.say(
                f"{when}，公司家电产品总销量为{grouped(n)}万台，{growth_words(g)}。",
                fact(c.name, "SalesVolume", code, n * 10**4, "unit", g),
            )


# ---------------------------------------------------------------- writing


_CONVERTERS: dict[str, object] = {}


def convert(text: str, config: str) -> str:
    import opencc

    if config not in _CONVERTERS:
        try:
            _CONVERTERS[config] = opencc.OpenCC(config)
        except Exception:  # the official binding wants the file name
            _CONVERTERS[config] = opencc.OpenCC(config + ".json")
    return str(_CONVERTERS[config].convert(text))  # type: ignore[attr-defined]


def render(report: Report, rng: random.Random) -> tuple[str, list[dict[str, str]], str]:
    """The report's text, its gold rows with sources, and the encoding to write it in."""
    c = report.company
    full_width = not c.traditional and rng.random() < 0.05
    text_parts: list[str] = []
    rows: list[dict[str, str]] = []
    pos = 0
    for line in report.lines:
        for sentence, facts in line:
            if c.traditional:
                sentence = convert(sentence, "s2hk")
            if full_width:
                sentence = sentence.translate(FULL_WIDTH)
            for f in facts:
                rows.append(dict(f, source=sentence, start=str(pos), end=str(pos + len(sentence))))
            text_parts.append(sentence)
            pos += len(sentence)
        text_parts.append("\n")
        pos += 1
    text = "".join(text_parts)
    roll = rng.random()
    if c.traditional:
        encoding = "big5" if roll < 0.3 else "utf-8"
    else:
        encoding = "gb18030" if roll < 0.15 else "utf-8-sig" if roll < 0.2 else "utf-8"
    return text, rows, encoding


def generate(out: Path, n: int, seed: int = 7, *, gold: bool = False) -> list[Path]:
    """Write ``n`` reports into ``out``; returns their paths."""
    gen = Generator(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    while len(paths) < n:
        company = gen.company()
        count = min(n - len(paths), gen.rng.randint(6, 24))
        for period in gen.periods(company, count):
            report = gen.report(company, period)
            text, rows, encoding = render(report, gen.rng)
            slug = f"{len(paths):05d}_{period.code.lower()}"
            path = out / f"{slug}.txt"
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:  # Big5 lacks a few characters: UTF-8 then
                data = text.encode("utf-8")
            path.write_bytes(data)
            if gold:
                with (out / f"{slug}.facts.csv").open("w", encoding="utf-8", newline="") as f:
                    writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
                    writer.writeheader()
                    writer.writerows(rows)
            paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the reports into")
    parser.add_argument("-n", type=int, default=100, help="how many reports (default 100)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--gold", action="store_true", help="also write NAME.facts.csv")
    args = parser.parse_args(argv)
    paths = generate(args.out, args.n, args.seed, gold=args.gold)
    sys.stdout.write(f"wrote {len(paths)} reports to {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
