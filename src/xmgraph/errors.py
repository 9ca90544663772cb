"""All of xmgraph's error messages, each with a code (as spaCy keeps its ``Errors``).

A :class:`XmgraphError` is the only exception the library raises on purpose for bad
input; the CLI prints ``str(error)`` on one line and exits non-zero.

>>> str(XmgraphError(Errors.E001, path="a.txt"))
'E001: no such file: a.txt'
"""

from __future__ import annotations

from typing import Any


class Errors:
    """Message templates; ``{name}`` fields are filled by :class:`XmgraphError`."""

    # reading
    E001 = "no such file: {path}"
    E002 = "is a directory, not a file: {path}"
    E003 = "file is empty: {path}"
    E004 = "not a text file (binary content): {path}"
    E005 = "cannot decode {path} as text in any supported encoding (UTF-8/16, GB18030, Big5)"
    E006 = "cannot read {path}: {reason}"
    # input and output formats
    E010 = "unknown output format for {path}: use one of {choices}"
    E011 = "unknown input type for {path}: use a report (.txt) or a graph ({choices})"
    E012 = "unknown --format {value!r}: use one of {choices}"
    E013 = "cannot parse graph {path}: {reason}"
    E014 = "output file exists: {path} (use --force to overwrite)"
    E015 = "cannot write {path}: {reason}"
    E016 = "bad --date {value!r}: use YYYY-MM-DD (a calendar date)"
    # ontology and queries
    E020 = "ontology file is broken: {path}: {reason}"
    E021 = "unknown query {name!r}: available queries are {choices}"
    E022 = "malformed SPARQL query: {reason}"
    E023 = "bad --param {value!r}: use name=value"
    E024 = "query failed: {reason}"
    E025 = "query timed out after {seconds} s"
    E026 = "--format {value!r} does not fit a {kind} query: use one of {choices}"
    E027 = "unknown parameter {name!r} for {query}: its parameters are {choices}"
    E028 = "SPARQL Update is not allowed: queries are read-only"
    E029 = "not allowed on this endpoint: {reason}"
    # validation
    E030 = "graph does not conform: {count} violation(s)"
    # other
    E040 = "no input given"
    E041 = "{reason}"
    # the browser view
    E050 = "unknown --lang {value!r}: use one of {choices}"
    E051 = "cannot draw a {kind} query: use a SELECT (its entities) or a CONSTRUCT (its subgraph)"
    E052 = "the view is an HTML page: give -o a .html file, not {path}"
    # datasets, stores and engines
    E060 = "unknown --engine {value!r}: use one of {choices}"
    E061 = "cannot reach the Dask scheduler at {address}: {reason}"
    E062 = "unknown store {spec!r}: use memory, oxigraph:PATH or sparql:URL"
    E063 = "cannot open the store {spec}: {reason}"
    E064 = "the SPARQL server at {url} refused the request ({status}): {reason}"
    E065 = "cannot reach the SPARQL server at {url}: {reason}"
    E066 = "{path} is not a dataset written by xmgraph (no report graphs): --force replaces it"
    E067 = "the SPARQL server cut the results at {rows} rows and paging did not help: {reason}"
    E068 = "give either REPORT-or-GRAPH inputs or --store {spec}, not both"
    E069 = "cannot bind {name!r} in a query sent to a server: {reason}"
    # the endpoint's guard, requests and parameters (xmgraph serve)
    E100 = (
        "a \\u or \\U escape at {where}: not accepted on this endpoint (write the character itself)"
    )
    E101 = "a quote that opens no string literal at {where}"
    E102 = "a request may have at most {limit} bytes"
    E103 = "the Host {host!r} is not served here: use {choices} (or serve with --allow-host)"
    E104 = "bad --allow-host {value!r}: give a host name or address, optionally with :PORT"
    E105 = "the server is busy: no query worker was free within {seconds} s; try again later"
    E106 = "default-graph-uri and named-graph-uri: {reason}"
    E107 = "cannot bind {name!r}: {reason}"
    E108 = "the request body is not UTF-8 ({charset}): send SPARQL as UTF-8"
    E180 = (
        "the SPARQL server cut a {form} result at {triples} triples (maxrows={maxrows}): "
        "no partial graph is returned; raise the server's ResultSetMaxRows (and maxrows=) "
        "or narrow the query"
    )
    # robustness: sizes, numbers and files (E120-E139)
    E120 = "{path} is too large: {size} bytes, over the limit of {limit} bytes (--max-size)"
    E121 = "bad --max-size {value!r}: use a number of bytes, or with a unit (20MB, 500KB)"
    E122 = "{count} of {total} report(s) could not be built (listed above); the rest were"
    E123 = "internal error on this input: {kind}: {reason} (XMGRAPH_DEBUG=1 shows the traceback)"
    # extraction rules (ontology/rules/*.json)
    E080 = "rule file {path}, rule {rule}: {reason}"
    E081 = "rule file {path}, rule {rule}: unknown condition {name!r} for the stage {stage!r}"
    E082 = "rule file {path}, rule {rule}: unknown action {name!r} for the stage {stage!r}"
    E083 = "two rules have the id {rule}"
    E084 = "no rule has the id(s) {ids}"
    E085 = "nothing to explain: the report has no {what}"
    # validation with inference
    # big graphs, streamed (E170-E179)
    E170 = (
        "{path}: reports this big are written streamed, and JSON-LD cannot be: "
        "use .ttl, .nt or a dataset (.trig)"
    )
    E140 = "unknown --inference {value!r}: use one of {choices}"
    E141 = "nothing could be extracted from {what}: nothing written (the warning above says why)"
    E142 = (
        "{path} is a folder: its reports build a dataset, a graph per report (-o NAME.trig, "
        "NAME.nq or DIR/); or give its files ('{path}/*.txt') to build one graph"
    )


class XmgraphError(Exception):
    """An error in the user's input, with a code and a one-line message."""

    def __init__(self, template: str, **fields: Any) -> None:
        code = next((k for k, v in vars(Errors).items() if v == template), "E000")
        self.code = code
        self.message = template.format(**fields).replace("\n", " ")
        super().__init__(f"{code}: {self.message}")
