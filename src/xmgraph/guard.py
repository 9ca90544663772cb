"""What a served query may not do, checked on its text as every SPARQL engine reads it.

The endpoint (``xmgraph serve``) hands a query to rdflib, to Oxigraph or to another SPARQL
server. Two parsers can read one text differently: SPARQL lets ``\\u0022`` stand for ``"``
*anywhere* in a query (rdflib expands such escapes before parsing), while Oxigraph reads
them inside string literals only. A ``SERVICE`` that rdflib sees inside a string is then a
real ``SERVICE`` to Oxigraph, which calls the address it names. So the guard does not ask
one engine's parser what a query means; it refuses what no engine could read differently:

* any ``\\u`` or ``\\U`` escape (write the character itself), so that every engine sees
  the same characters;
* the word ``SERVICE`` anywhere outside string literals, IRIs, comments and variable
  names, in any case, even inside a longer word: Oxigraph reads a keyword with no space
  around it (``1SERVICE <…>``, ``SERVICESILENT <…>``, ``SERVICEex:x`` each call the
  address), so a prefixed name that holds the word (``ex:myservice``) is refused too (write
  the full IRI). The text is split into SPARQL's tokens, strings as the grammar defines
  them, a ``\\`` escape of a prefixed name kept with its name;
* a quote that opens no well-formed string literal (no engine would accept it; the guard
  cannot tell where the string would end, so it does not guess).

>>> check_text('SELECT ?service WHERE { ?s ?p "SERVICE <http://x/> {}" }')
>>> try:
...     check_text('SELECT * WHERE { ?s ?p 1service <http://x/> { ?s ?p ?o } }')
... except XmgraphError as exc:
...     print(str(exc)[:73])
E029: not allowed on this endpoint: SERVICE (federated queries) at line 1
"""

from __future__ import annotations

import re

from xmgraph.errors import Errors, XmgraphError

#: A ``\\u`` or ``\\U`` codepoint escape (refused wherever it is).
_ESCAPE = re.compile(r"\\[uU]")
_ECHAR = r"\\[tbnrf\\\"']"
#: SPARQL 1.1's tokens that can hide a word: comments, IRIs, the four kinds of string
#: (long ones first, as the grammar's longest match has it), a prefixed name's ``\\``
#: escape, a variable, and any other character.
_TOKEN = re.compile(
    rf"""
    (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>
        '''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*'''
      | \"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*\"\"\"
      | '(?:[^'\\\n\r]|{_ECHAR})*'
      | "(?:[^"\\\n\r]|{_ECHAR})*"
    )
  | (?P<quote>['"])
  | (?P<escape>\\.)
  | (?P<variable>[?$]\w+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
#: The word that makes an engine reach out of the store, looked for in what is left of the
#: text once its strings, IRIs, comments and variables are blanked out.
_REFUSED = re.compile("service", re.IGNORECASE)


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def check_text(text: str) -> None:
    """Refuse (E100, E029, E101) a query the endpoint cannot prove harmless; see the
    module docstring."""
    escape = _ESCAPE.search(text)
    if escape:
        raise XmgraphError(Errors.E100, where=_where(text, escape.start()))
    kept: list[str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "quote":
            raise XmgraphError(Errors.E101, where=_where(text, match.start()))
        token = match.group()
        kept.append(token if kind in ("escape", "other") else " " * len(token))
    found = _REFUSED.search("".join(kept))
    if found:
        reason = (
            f"SERVICE (federated queries) at {_where(text, found.start())}: "
            "this endpoint does not call other endpoints"
        )
        raise XmgraphError(Errors.E029, reason=reason)
