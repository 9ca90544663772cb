"""The endpoint's guard: a query text that any engine could read as a SERVICE is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xmgraph.errors import XmgraphError
from xmgraph.guard import check_text

#: The probe's payload and its variants (other escapes, case, comments, nesting, prefixed
#: names, strings around it): the first is the probe's own. rdflib expands \u0022 before
#: parsing and sees one string; Oxigraph reads the escapes inside the literals and runs the
#: SERVICE. They name 127.0.0.1:9 (the endpoint tests put a listener's port there).
VARIANTS = json.loads((Path(__file__).parent / "data" / "ssrf_variants.json").read_text("utf-8"))


@pytest.mark.parametrize("text", VARIANTS)
def test_the_payload_and_its_variants_are_refused(text):
    with pytest.raises(XmgraphError) as refused:
        check_text(text)
    assert refused.value.code in ("E029", "E100", "E101")


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }" }',
        "SELECT * WHERE { ?s ?p '''SERVICE''' }",
        "# SERVICE <http://127.0.0.1:9/>\nSELECT * WHERE { ?s ?p ?o }",
        "SELECT ?service WHERE { ?service ?p $SERVICE }",
        "SELECT * WHERE { <http://example.org/SERVICE> ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o <= 3 && ?o > 1) }",
        'SELECT * WHERE { ?s ?p "a \\"quoted\\" word" }',
        "SELECT ?xSERVICEy WHERE { ?s ?p $xServiceY }",
    ],
)
def test_queries_without_a_service_pass(text):
    check_text(text)


def test_a_prefixed_name_holding_the_word_is_refused_too():
    """Oxigraph reads keywords with no space around them: the guard cannot tell
    ``xmg:services`` from a SERVICE; the full IRI passes."""
    with pytest.raises(XmgraphError, match=r"^E029"):
        check_text("SELECT * WHERE { ?s xmg:services ?o }")
    check_text("SELECT * WHERE { ?s <https://w3id.org/xmgraph/ont#services> ?o }")


@given(st.text(alphabet=st.characters(blacklist_characters='\\"\n\r')))
def test_any_string_literal_passes(content):
    check_text(f'SELECT * WHERE {{ ?s ?p "{content}" }}')


@given(st.text(), st.sampled_from(["\\u", "\\U"]), st.text())
def test_any_codepoint_escape_is_refused(before, escape, after):
    with pytest.raises(XmgraphError, match=r"^E100"):
        check_text(f'SELECT * WHERE {{ ?s ?p "{before}{escape}{after}" }}')


def test_every_named_query_passes_the_guard():
    """The endpoint runs the named queries through the same guard (``/queries/NAME``)."""
    from xmgraph.query import named_queries

    for named in named_queries():
        check_text(named.text)


# ---------------------------------------------------------------- found by mutation testing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '\nSELECT * WHERE { ?s ?p "x" .\n  SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }',
            "E029: not allowed on this endpoint: SERVICE (federated queries) at line 3, "
            "column 3: this endpoint does not call other endpoints",
        ),
        (
            'SELECT * WHERE { ?s ?p "SERVICE" . ?s ?p ?o } SERVICE <http://127.0.0.1:9/> {}',
            "E029: not allowed on this endpoint: SERVICE (federated queries) at line 1, "
            "column 47: this endpoint does not call other endpoints",
        ),
        (
            'SELECT * WHERE {\n ?s ?p "unclosed }',
            "E101: a quote that opens no string literal at line 2, column 8",
        ),
        (
            'SELECT * WHERE {\n ?s ?p "a\\u0022" }',
            "E100: a \\u or \\U escape at line 2, column 10: not accepted on this endpoint "
            "(write the character itself)",
        ),
    ],
)
def test_a_refusal_says_where_and_why(text, message):
    """The line and column count from 1, strings blanked out keep the text's offsets."""
    with pytest.raises(XmgraphError) as refused:
        check_text(text)
    assert str(refused.value) == message


def test_an_escape_in_a_prefixed_name_is_read_with_its_name():
    """``ex:\\service``: the escape's character is part of the name, the word is there."""
    with pytest.raises(XmgraphError, match=r"^E029: .* at line 1, column 25"):
        check_text("SELECT * WHERE { ?s ex:\\service ?o }")


def test_the_place_of_a_refusal_after_a_leading_newline_and_before_others():
    """The line counts the newlines before the offset only, the column from the newline that
    begins the text."""
    with pytest.raises(XmgraphError) as refused:
        check_text("\nSELECT * WHERE { SERVICE <http://127.0.0.1:9/> {} }\n\n")
    assert "SERVICE (federated queries) at line 2, column 18:" in str(refused.value)
