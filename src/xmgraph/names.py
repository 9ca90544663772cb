"""The entities a report speaks of: known ones from the ontology, and the company, segments
and products it names itself (minted with the name as written)."""

from __future__ import annotations

import re

from xmgraph.lexicon import Lexicon
from xmgraph.model import Entity
from xmgraph.patterns import (
    HAN,
    ID,
    PUNCT_BEFORE_NAME,
    Patterns,
    alternation,
    compact,
    label_pattern,
)


def slug(name: str) -> str:
    """An IRI-safe slug for a name: pinyin for Chinese, lower-case ASCII otherwise.

    >>> slug("华辰科技股份有限公司")
    'huachen-keji-gufen-youxian-gongsi'
    """
    from pypinyin import lazy_pinyin

    words: list[str] = []
    for token in re.findall(rf"[{HAN}]+|[A-Za-z0-9]+", name):
        if re.match(rf"[{HAN}]", token):
            syl = lazy_pinyin(token)
            words.extend("".join(syl[i : i + 2]) for i in range(0, len(syl), 2))
        else:
            words.append(token.lower())
    return "-".join(w for w in words if w) or "x"


class EntityFinder:
    """Known entities of the companies a document mentions, and companies it names itself."""

    def __init__(self, text: str, lexicon: Lexicon, pats: Patterns) -> None:
        self.lexicon = lexicon
        self.pats = pats
        companies = [e for e in lexicon.entities if e.kind == "company"]
        mentioned = {
            c.iri
            for c in companies
            if any(find_name(n, text) is not None for n in c.names if len(n) >= 2)
        }
        known = [
            e
            for e in lexicon.entities
            if (e.kind == "company" and e.iri in mentioned)
            or lexicon.company_of(e.iri) in mentioned
        ]
        self.minted: list[Entity] = []
        main = self._first_company(text, known)
        self.main_company = main
        self.by_name: dict[str, Entity] = {}
        for e in [*known, *self.minted]:
            for n in e.names:
                if len(compact(n)) >= 2 and not n.islower():
                    self.by_name.setdefault(compact(n), e)
        self._scan_parts(text)
        for e in self.minted:
            for n in e.names:
                self.by_name.setdefault(compact(n), e)
        self.pattern = re.compile(alternation(list(self.by_name))) if self.by_name else None

    def _first_company(self, text: str, known: list[Entity]) -> Entity | None:
        """The reporting company: the first company named, minted when it is not known."""
        first_known = None
        for e in known:
            if e.kind != "company":
                continue
            pos = min(
                (p for n in e.names if len(n) >= 2 for p in [find_name(n, text)] if p is not None),
                default=None,
            )
            if pos is not None and (first_known is None or pos < first_known[0]):
                first_known = (pos, e)
        minted = self._mint_company(text)
        if minted is not None and (first_known is None or minted[0] < first_known[0]):
            self.minted.append(minted[1])
            return minted[1]
        return first_known[1] if first_known else None

    def _mint_company(self, text: str) -> tuple[int, Entity] | None:
        suffixes = alternation(list(self.lexicon.cue("company-suffix")))
        aliases = alternation(list(self.lexicon.cue("alias")))
        other = r"[^（()）“”\"]{1,40}?"  # 港股代码：9899 — other notes in the same brackets
        alias_re = re.compile(
            rf"(?P<name>[{HAN}A-Za-z0-9·]{{2,24}}?(?:{suffixes}))\s*[（(]\s*(?:"
            rf"(?:{other}[，,；;、]\s*)?(?:{aliases})\s*[：:]?\s*[“\"「『']?(?P<alias>[^”\"」』'）)，,；;]{{1,12}})[”\"」』']?"
            rf"(?:\s*[，,；;、]{other})?"
            rf"|(?:{other}[，,；;、]\s*)?[“\"「『](?P<quoted>[^”\"」』'）)]{{1,12}})[”\"」』']"
            # further names joined to the first (“智聘”或“公司”), other notes after them
            rf"(?:\s*[^“”\"「」『』（()），,；;]{{0,2}}\s*[“\"「『][^”\"」』'）)]{{1,12}}[”\"」』'])*"
            rf"(?:\s*[，,；;、]{other})?)\s*[）)]"
        )
        m = alias_re.search(text)
        if m:
            name = trim_name(m["name"], self.lexicon)
            return m.start("name"), self._company(name, (m["alias"] or m["quoted"],))
        announce = alternation(list(self.lexicon.cue("announce")))
        english = r"[（(][A-Za-z][A-Za-z0-9 .&'-]*[）)]"
        dated = r"(?=(?:\d{4}年)?\d{1,2}月\d{1,2}日)"
        headline = re.compile(
            rf"^\s*(?P<name>[{HAN}A-Za-z]{{2,16}}?)\s*(?:{english}|{dated}|(?=(?:{announce})))"
        )
        m = headline.search(text)
        if m:
            cut = alternation([*self.lexicon.cue("as-of"), *self.lexicon.cue("announce")])
            name = trim_name(re.split(cut, m["name"])[0], self.lexicon)
            if (
                len(name) >= 2
                and not self._known_inside(name)
                and not self.pats.period_word.match(name)
            ):
                return m.start("name"), self._company_named(name, text)
        for pos, name in self._plain_names(text):
            if len(name) >= 4:
                return pos, self._company_named(name, text)
        return None

    def _plain_names(self, text: str) -> list[tuple[int, str]]:
        """Company names (ending in a company suffix) in the lead of the report."""
        suffixes = alternation(list(self.lexicon.cue("company-suffix")))
        plain = re.compile(
            rf"(?:^|(?<=[{re.escape(PUNCT_BEFORE_NAME)}日]))(?P<name>[{HAN}A-Za-z]{{2,12}}(?:{suffixes}))"
        )
        out = []
        for m in plain.finditer(text[:400]):
            name = trim_name(m["name"], self.lexicon)
            if (
                len(name) >= 2
                and not self._known_inside(name)
                and not self.pats.period_word.search(name)
            ):
                out.append((m.start("name"), name))
        return out

    def _company_named(self, name: str, text: str) -> Entity:
        """The company a headline names by its short name, under its legal name when the lead
        writes it out (星辰汽车 … 星辰智能汽车控股有限公司)."""
        legal = self.lexicon.cue("legal-suffix")
        if not name.endswith(legal):
            for _, full in self._plain_names(text):
                if full.endswith(legal) and full != name and _subsequence(name, full):
                    return self._company(full, (name,))
        return self._company(name, ())

    def _known_inside(self, name: str) -> bool:
        return any(
            find_name(n, name) is not None
            for e in self.lexicon.entities
            for n in e.names
            if len(n) >= 2
        )

    # -- segments and products the report names itself
    def _strip(self, chunk: str) -> str:
        """Drop leading words that are not part of a name (其中, 公司, the company's name ...)."""
        lex = self.lexicon
        lead = [
            *lex.cue("segment-stop"),
            *lex.cue("by-part"),
            *lex.cue("subpart"),
            *lex.cue("target"),
            *lex.cue("forecast"),
            *(w for w, _ in lex.period_words),
        ]
        if self.main_company is not None:
            lead.extend(self.main_company.names)
        lead = sorted({w for w in lead if len(w) >= 2}, key=len, reverse=True)
        changed = True
        while changed and chunk:
            changed = False
            date = re.match(r"(?:(?:19|20)\d{2}\s*年?|\d{1,2}\s*[月日])\s*", chunk)
            if date:
                chunk, changed = chunk[date.end() :], True
                continue
            for w in lead:
                if chunk.startswith(w):
                    chunk = chunk[len(w) :].lstrip()
                    changed = True
                    break
        return chunk

    def _is_name(self, name: str) -> bool:
        p = self.pats
        if not 2 <= len(name) <= 12 or re.search(r"\d", name):
            return False
        if re.fullmatch(r"[A-Za-z]+", name) and len(name) < 3:
            return False
        if any(w in name for w in self.lexicon.cue("unknown-place")):
            return False  # 省内: a place, no part of the company
        stops = self.lexicon.cue("segment-stop")
        if any(w in name for w in stops if len(w) > 1 or w in "的为达") or name[0] in {
            w for w in stops if len(w) == 1
        }:
            return False
        if p.metric.match(name) or any(
            w in name
            for w in (*self.lexicon.cue("metric-blocker"), *self.lexicon.cue("not-a-metric"))
        ):
            return False
        for rx in (p.period_word, p.role):
            if rx.search(name):
                return False
        if name.startswith(self.lexicon.cue("market-wide")):
            return False  # 全国挖掘机: the whole market, no name
        if any(w in name for w in self.lexicon.cue("place-suffix")):
            return False  # 中国台湾地区客户: a place, not a segment
        region = p.region.search(name)
        if region is not None:
            # a name may begin with a region word (国际物流), but not be one (海外, 北美市场)
            rest = name[region.end() :]
            world = p.region_by_name[compact(region.group())].iri == self.lexicon.world_region
            if (
                world
                or region.start() > 0
                or len(rest) < 2
                or rest in self.lexicon.cue("region-suffix")
                or p.region.search(rest)
                or rest.startswith(self.lexicon.cue("series-joiner"))  # 香港及澳门
            ):
                return False
        return compact(name) not in self.by_name

    def _scan_parts(self, text: str) -> None:
        """Mint the segments (X业务, X分部, X收入 …) and quoted products a report names."""
        lex = self.lexicon
        suffix = alternation(list(lex.cue("segment-suffix")))
        revenue = alternation(self.pats.metric_by_name_of("Revenue"))
        follows = alternation(
            [n for mi in lex.metrics.values() for n in mi.names if not n.isascii()]
            + list(lex.cue("increase"))
            + list(lex.cue("decrease"))
            + ["的", "实现", "全年", "整体", "共", "总"]
        )
        seg_rx = re.compile(rf"^(?P<name>[{HAN}A-Za-z]{{2,12}}?)(?P<suf>{suffix})")
        verbs = alternation(list(lex.cue("segment-verb")))
        revenue_rx = re.compile(rf"(?:{verbs})?(?:{revenue})")
        product = alternation(
            [n for mi in lex.metrics.values() if mi.names_product for n in mi.names]
        )
        # 扫地机器人全球出货量, 空调海外销量, 无人机全年出货量: a region or the words of a whole
        # year may stand between the product and the figure
        year_words = alternation(
            [w for w, tpl in lex.period_words if tpl == "{year}" and not w.isascii()]
        )
        product_rx = re.compile(rf"(?:{self.pats.region.pattern})?(?:{year_words})?(?:{product})")
        store_words = [w for u in lex.units if u.default_metric for w in u.words]
        stores_rx = re.compile(
            rf"(?P<name>[{HAN}]{{2,8}}?(?:{alternation(list(lex.cue('store-kind')))}))"
            rf"\s*\d[\d,]*(?:\.\d+)?\s*(?:{alternation(store_words)})"
        )
        # IoT业务1041亿元: a part named right before an amount, its metric left out
        money = [w for u in lex.units if u.currency for w in u.words]
        amount = (
            rf"\d[\d,]*(?:\.\d+)?\s*(?:{alternation(list(lex.scales))})?\s*(?:{alternation(money)})"
        )
        copula = alternation(list(lex.cue("copula")))
        follow_rx = re.compile(rf"\s*(?:{follows}|(?:{copula})?\s*{amount})")
        for chunk_m in re.finditer(r"[^，,；;：:。！？、\s“”\"「」（）()]+", text):
            chunk = self._strip(chunk_m.group())
            if self.pats.metric.match(chunk) or self.pats.not_metric.match(chunk):
                continue  # 投资收益为…: no part named 投资
            m = seg_rx.match(chunk)
            if m:
                name, suf = m["name"], m["suf"]
                if self._is_name(name) and follow_rx.match(chunk, m.end()):
                    names = (name + suf, name) if len(name) >= 3 else (name + suf,)
                    self._mint("segment", name, names)
                continue
            name = self._name_before(chunk, revenue_rx)  # 汽车销售收入: the longest name
            # “MOMO”系列收入, “智能手机”分部收入: the word after a quoted name names nothing
            if name is not None and name not in lex.cue("product-kind") + lex.cue("segment-suffix"):
                self._mint("segment", name, (name,))
                continue
            name = self._name_before(chunk, product_rx)  # 空调销量: a product category
            if name is not None and not name.startswith(lex.cue("not-a-product")):
                self._mint("product", name, (name,))
        for m in stores_rx.finditer(text):  # 直营店412家、加盟店1,906家: kinds of store
            name = self._strip(m["name"])
            if len(name) >= 2 and self._is_name(name) and not self.pats.metric.search(name):
                self._mint("segment", name, (name,))
        kinds = alternation(list(lex.cue("product-kind")))
        latin_kinds = alternation([k for k in lex.cue("product-kind") if k.isascii()])
        quoted = re.compile(
            rf"(?:(?:{kinds})\s*[“\"「](?P<a>[^”\"」]{{1,16}})[”\"」])"
            rf"|(?:[“\"「](?P<b>[^”\"」]{{1,16}})[”\"」](?=\s*的?\s*(?:{self.pats.metric.pattern})))"
            rf"|(?:[“\"「](?P<c>[^”\"」]{{1,16}})[”\"」](?=\s*(?:{kinds})))"  # “MOMO”系列
            # 平台TripGo的月活跃用户数: a Latin name right after a product word, before a metric
            rf"|(?:(?:{kinds})\s*(?P<d>[A-Za-z][A-Za-z0-9]{{1,15}})(?=\s*的?\s*(?:{self.pats.metric.pattern})))"
            # 百川App月活跃用户数: a Chinese name with a Latin product word (App) before a metric
            rf"|(?:(?<![{HAN}])(?P<e>[{HAN}]{{2,6}}(?:{latin_kinds}))(?=\s*的?\s*(?:{self.pats.metric.pattern})))"
        )
        # 华腾“智能手机”分部: a quoted name right before a segment word is a segment
        quoted_segment = re.compile(rf"[“\"「](?P<name>[^”\"」]{{2,16}})[”\"」](?=\s*(?:{suffix}))")
        for m in quoted_segment.finditer(text):
            name = m["name"].strip()
            if compact(name) not in self.by_name and not self.pats.metric.search(name):
                self._mint("segment", name, (name,))
        for m in quoted.finditer(text):
            name = (m["a"] or m["b"] or m["c"] or m["d"] or m["e"]).strip()
            if (
                len(name) >= 2
                and compact(name) not in self.by_name
                and not self.pats.metric.fullmatch(name)
            ):
                self._mint("product", name, (name,))

    def _name_before(self, chunk: str, follower: re.Pattern[str]) -> str | None:
        """The longest name at the start of ``chunk`` that ``follower`` comes right after."""
        for end in range(min(12, len(chunk) - 1), 1, -1):
            name = chunk[:end]
            if (
                re.fullmatch(rf"[{HAN}A-Za-z]+", name)
                and follower.match(chunk, end)
                and self._is_name(name)
            ):
                return name
        return None

    def _mint(self, kind: str, name: str, names: tuple[str, ...]) -> Entity:
        for e in self.minted:
            if e.kind == kind and e.label == name:
                return e
        owner = self.main_company
        base = owner.iri if owner is not None else f"{ID}org/unknown"
        if kind == "segment":
            iri = f"{base}/{slug(name)}"
        else:
            iri = f"{ID}product/{slug(owner.label if owner else 'unknown')}/{slug(name)}"
        e = Entity(
            iri=iri,
            kind=kind,
            label=name,
            parent=owner.iri if owner else None,
            known=False,
            names=names,
        )
        self.minted.append(e)
        return e

    def _company(self, name: str, aliases: tuple[str, ...]) -> Entity:
        """A company minted from the report, also known by its name without a legal suffix."""
        short = name
        for suffix in self.lexicon.cue("legal-suffix"):
            if short.endswith(suffix) and len(short) - len(suffix) >= 2:
                short = short[: -len(suffix)]
                break
        # （「本公司」…）: the words a report names itself by are no names of the company
        aliases = (*(a for a in aliases if a not in self.lexicon.cue("self")), short)
        return Entity(
            iri=f"{ID}org/{slug(name)}",
            kind="company",
            label=name,
            known=False,
            names=tuple(sorted({name, *aliases}, key=lambda n: (-len(n), n))),
        )


def _subsequence(short: str, full: str) -> bool:
    """Whether ``short`` is written inside ``full`` in order, starting with its first character."""
    if not short or not full.startswith(short[0]):
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def trim_name(name: str, lexicon: Lexicon) -> str:
    """Drop words that precede a company name in a clause (dates, 'announced' ...)."""
    name = re.sub(r"^.*?[日月]", "", name) if re.search(r"\d+[日月]", name) else name
    for w in (*lexicon.cue("name-lead"), *lexicon.cue("not-a-name")):
        if name.startswith(w) and len(name) - len(w) >= 2:
            name = name[len(w) :]
    return name


def find_name(needle: str, hay: str) -> int | None:
    m = re.search(label_pattern(needle), hay)
    return m.start() if m else None
