"""People and their roles (董事长雷军): a role mention, the person named right after it."""

from __future__ import annotations

import re

from xmgraph.extract.context import Env
from xmgraph.extract.sentences import Sentence
from xmgraph.model import Entity, Role
from xmgraph.names import slug
from xmgraph.patterns import HAN, ID, PUNCT_BEFORE_NAME, Mention


def _person_after(env: Env, pos: int, nxt: Mention | None) -> Entity | None:
    """The person named right after a role: a known one, or two or three Han characters
    followed by a word that is no name's or a punctuation mark (minted)."""
    if nxt is not None and nxt.kind == "person" and nxt.start == pos:
        return nxt.entity
    text = env.text
    for n in (3, 2):
        cand = text[pos : pos + n]
        rest = text[pos + n : pos + n + 4]
        if not re.fullmatch(rf"[{HAN}]{{{n}}}", cand):
            continue
        adverbs = env.lex.cue("adverb-after-name")
        if cand.endswith(adverbs):
            continue  # 张伟也表示: 也 says "too", no part of the name
        if rest.startswith(env.lex.cue("not-a-name")) or (
            rest[:1] and (rest[:1] in PUNCT_BEFORE_NAME or rest.startswith(adverbs))
        ):
            iri = f"{ID}person/{slug(cand)}"
            return Entity(iri=iri, kind="person", label=cand, known=False, names=(cand,))
    return None


def _organization(env: Env, mentions: list[Mention], i: int) -> Entity | None:
    """The company named last before the role, else the report's."""
    org = next(
        (
            m.entity
            for m in reversed(mentions[:i])
            if m.kind == "entity" and m.entity and m.entity.kind == "company"
        ),
        None,
    )
    return org or env.ents.main_company


def roles(env: Env, sentence: Sentence, mentions: list[Mention]) -> list[Role]:
    """The roles a sentence names (董事长兼首席执行官雷军: both roles of one person)."""
    joiners = env.lex.cue("role-joiner")
    out: list[Role] = []
    i = 0
    while i < len(mentions):
        if mentions[i].kind != "role":
            i += 1
            continue
        org = _organization(env, mentions, i)
        run = [mentions[i]]
        j = i + 1
        while (
            j < len(mentions)
            and mentions[j].kind == "role"
            and env.text[run[-1].end : mentions[j].start].strip() in (*joiners, "")
        ):
            run.append(mentions[j])
            j += 1
        person = _person_after(env, run[-1].end, mentions[j] if j < len(mentions) else None)
        if person is not None and org is not None:
            src = env.source(sentence)
            out.extend(
                Role(person=person, role=r.role, organization=org.iri, source=src)
                for r in run
                if r.role is not None
            )
        i = j
    return out
