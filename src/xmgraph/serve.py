"""A read-only SPARQL 1.1 Protocol endpoint over a graph (``xmgraph serve``).

A small ASGI app on Starlette, served by uvicorn:

``/sparql``
    the SPARQL 1.1 Protocol query operation: ``GET ?query=``, ``POST`` of a form
    (``query=``) or of ``application/sparql-query``. Results are negotiated (``Accept``, or a
    ``format``/``output`` parameter): SPARQL Results JSON (the default), XML, CSV and TSV for
    SELECT and ASK; Turtle (the default), JSON-LD, N-Triples and RDF/XML for CONSTRUCT and
    DESCRIBE. Without a query it answers a SPARQL Service Description (Turtle).
``/queries`` and ``/queries/NAME``
    the named queries (JSON), and one of them run with its parameters from the URL, bound
    with ``initBindings`` (``/queries/yoy_growth?metric=metric:GrossProfit``).
``/``
    the query page: a SPARQL editor (YASGUI, vendored in ``templates/vendor/`` and served
    from ``/static/`` by a fixed list of names) that completes this graph's prefixes and
    terms, opens the named queries as tabs with their parameters, and shows results as a
    table or a chart; nothing on it comes from elsewhere. ``/view`` is the browser view of
    the graph when :mod:`xmgraph.view` is installed.

Read-only: SPARQL Update (``update=``, ``using-graph-uri``, ``application/sparql-update``)
is refused with 403, ``SERVICE`` with 400 (:mod:`xmgraph.guard` checks the text as every
engine reads it; a worker of a local store also runs without a network where Linux allows),
and ``FROM`` loads nothing. ``default-graph-uri`` and ``named-graph-uri`` choose a store's
graphs (400 on a graph without named graphs). CORS is open (any origin may query, no
credentials, a fixed list of request headers), so a query editor on another site can use
the endpoint; the server listens on loopback unless told otherwise and answers only to the
Host names it knows (the loopback names and ``--allow-host``: no DNS rebinding). Every
answer says ``nosniff``, ``no-referrer`` and no framing; pages carry their
Content-Security-Policy as a header. A request body is read as a stream and refused (413)
as soon as it passes 1 MB.

Each query runs in a worker process (a pool of ``workers``, each holding a copy of the
graph): a query still running after ``timeout`` seconds is stopped by killing its worker,
answered with 503 (E025), and a fresh worker takes its place, so the server keeps serving.
rdflib cannot stop a query from inside, and a thread cannot be killed; a process can.
Queries wait for a worker in a :class:`FairQueue`: slow queries never hold the last worker,
clients take turns, and a query that waited too long gets 503 with ``Retry-After``.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import logging
import math
import pickle
import queue
import re
import socket
import struct
import sys
import threading
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources as importlib_resources
from typing import IO, TYPE_CHECKING, Any

from xmgraph.errors import Errors, XmgraphError
from xmgraph.export import json_for_script

if TYPE_CHECKING:
    from rdflib import Graph
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from xmgraph.store import Store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Seconds a query may run before its worker is stopped.
DEFAULT_TIMEOUT = 30.0
#: Queries that run at the same time (one worker process each).
DEFAULT_WORKERS = 2
#: The largest query (or form) accepted, in bytes.
MAX_QUERY_BYTES = 1_000_000
#: Seconds a new worker may take to load the graph.
START_TIMEOUT = 120.0
#: A query that takes longer is heavy (:class:`FairQueue`).
LIGHT_SECONDS = 0.25
#: Queries that may wait for a worker at the same time (more: 503 at once).
MAX_WAITING = 256

log = logging.getLogger("xmgraph.serve")

# ---------------------------------------------------------------- content negotiation

#: Media types of results: SELECT and ASK.
RESULT_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media types of graphs: CONSTRUCT and DESCRIBE.
GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}
#: What each format is sent as.
FORMAT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
_FORMAT_WORDS = {
    "json": ("json", "jsonld"),
    "srj": ("json", None),
    "xml": ("xml", "rdfxml"),
    "srx": ("xml", None),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "json-ld": (None, "jsonld"),
    "jsonld": (None, "jsonld"),
    "nt": (None, "nt"),
    "ntriples": (None, "nt"),
    "n-triples": (None, "nt"),
    "rdf": (None, "rdfxml"),
    "rdfxml": (None, "rdfxml"),
    "rdf+xml": (None, "rdfxml"),
}
_PREFERENCE = {
    "SELECT": ("json", "xml", "csv", "tsv"),
    "ASK": ("json", "xml"),
    "GRAPH": ("turtle", "jsonld", "nt", "rdfxml"),
}


def _family(kind: str) -> str:
    return "GRAPH" if kind in ("CONSTRUCT", "DESCRIBE") else kind


def acceptable(kind: str) -> list[str]:
    """The media types a query of this kind can be answered in."""
    fits = _PREFERENCE[_family(kind)]
    return [FORMAT_MEDIA[f].split(";")[0] for f in fits]


def negotiate(accept: str | None, format_params: Sequence[str], kind: str) -> str | None:
    """The format to answer a query of ``kind`` (SELECT, ASK, CONSTRUCT, DESCRIBE) in.

    A ``format``/``output`` parameter that fits wins; then the ``Accept`` header (q-values,
    wildcards); no header, the default (JSON for results, Turtle for graphs). None when
    nothing acceptable fits (406).

    >>> negotiate("text/csv", [], "SELECT"), negotiate(None, [], "CONSTRUCT")
    ('csv', 'turtle')
    >>> negotiate("application/json;q=0.5, text/tab-separated-values", [], "SELECT")
    'tsv'
    >>> negotiate("text/csv", [], "ASK") is None
    True
    """
    family = _family(kind)
    fits = _PREFERENCE[family]
    graph = family == "GRAPH"
    for word in format_params:
        word = word.strip().lower()
        pair = _FORMAT_WORDS.get(word)
        if pair is not None:
            chosen = pair[1] if graph else pair[0]
            if chosen in fits:
                return chosen
        media = (GRAPH_MEDIA if graph else RESULT_MEDIA).get(word.split(";")[0])
        if media in fits:
            return media
    if not accept or not accept.strip():
        return fits[0]
    table = GRAPH_MEDIA if graph else RESULT_MEDIA
    ranges: list[tuple[float, int, str]] = []
    for index, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, index, media.lower()))
    for _, _, media in sorted(ranges):
        if media == "*/*" or media == "*":
            return fits[0]
        if media.endswith("/*"):
            major = media[:-2]
            for candidate in fits:
                if FORMAT_MEDIA[candidate].startswith(major + "/"):
                    return candidate
            continue
        found = table.get(media)
        if found in fits:
            return found
    return None


# ---------------------------------------------------------------- answering a query


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def _error(status: int, error: XmgraphError | str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", f"{error}\n".encode())


#: Codes of errors in the request (400), not in the server, when a query is run.
CLIENT_CODES = frozenset({"E022", "E023", "E027", "E069", "E100", "E101", "E106", "E107", "E108"})


@dataclass(frozen=True)
class Dataset:
    """The SPARQL Protocol's dataset of a request (``default-graph-uri``,
    ``named-graph-uri``): the graphs to query instead of the store's default ones."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


def size_of(source: Graph | Store) -> int:
    """Triples of a graph, or of a store's merge (what the home page and the CLI show)."""
    from rdflib import Graph

    return len(source) if isinstance(source, Graph) else source.triples()


def check(text: str) -> Answer | None:
    """The guard's answer (400) for a query the endpoint does not run, else None: the
    text as every engine reads it (:mod:`xmgraph.guard`), then rdflib's parse (403 for an
    update) and a SERVICE anywhere in its algebra."""
    from xmgraph import query as q
    from xmgraph.guard import check_text

    try:
        check_text(text)
        parsed = q.parse(text)
    except XmgraphError as exc:
        return _error(403 if exc.code == "E028" else 400, exc)
    if q.uses_service(parsed):
        reason = "SERVICE (federated queries): this endpoint does not call other endpoints"
        return _error(400, XmgraphError(Errors.E029, reason=reason))
    return None


def answer(
    source: Graph | Store,
    text: str,
    bindings: Mapping[str, Any] | None = None,
    accept: str | None = None,
    format_params: Sequence[str] = (),
    dataset: Dataset | None = None,
    base: str | None = None,
) -> Answer:
    """Check, run and serialize one query (what a worker does for a request): on
    rdflib's engine for a graph, on the store's own engine for a store. ``dataset``: the
    request's graphs (a graph has no named graphs: 400); ``base``: the base IRI of the
    query (the endpoint's URL), against which its relative IRIs resolve."""
    from rdflib import Graph

    from xmgraph import query as q

    refused = check(text)
    if refused is not None:
        return refused
    kind = q.query_kind(q.parse(text))
    fmt = negotiate(accept, format_params, kind)
    if fmt is None:
        types = ", ".join(acceptable(kind))
        return _error(406, f"a {kind} result is available as {types}; none is acceptable")
    if dataset is not None and isinstance(source, Graph):
        reason = "this endpoint serves one graph, with no named graphs"
        return _error(400, XmgraphError(Errors.E106, reason=reason))
    try:
        if isinstance(source, Graph):
            result = q.execute(source, _with_base(text, base), bindings)
        else:
            graphs = (dataset.default, dataset.named) if dataset is not None else None
            with source.using(graphs, base=base):
                result = source.result(text, bindings)
        body = _serialize(result, fmt)
    except XmgraphError as exc:
        return _error(400 if exc.code in CLIENT_CODES else 500, exc)
    except Exception as exc:  # a serializer's failure: the server's fault
        return _error(500, XmgraphError(Errors.E024, reason=f"{type(exc).__name__}: {exc}"))
    return Answer(200, FORMAT_MEDIA[fmt], body)


def _with_base(text: str, base: str | None) -> Any:
    """The query parsed for rdflib's engine with ``base`` as its base IRI: a ``BASE``
    before its own prologue (a ``BASE`` of the query's own still wins). The text was
    checked as it came (:func:`check`), so errors name its own lines."""
    from xmgraph import query as q
    from xmgraph.store import check_iri

    if base is None:
        return q.parse(text)
    check_iri("base", base)
    return q.parse(f"BASE <{base}>\n{text}")


def _serialize(result: Any, fmt: str) -> bytes:
    from xmgraph import query as q

    if fmt == "rdfxml":
        from xmgraph.build import bind_prefixes

        assert result.graph is not None
        data: bytes = bind_prefixes(result.graph).serialize(format="pretty-xml", encoding="utf-8")
        return data
    return q.serialize_result(result, fmt)


# ---------------------------------------------------------------- worker processes


def _sandbox(server: str | None = None) -> None:
    """No network from inside a query: no FROM loading, no SERVICE, no sockets, but to
    ``server`` (the URL of a ``sparql:`` store that answers the queries) when given."""
    import urllib.parse

    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    blocked = ("urllib.Request", "socket.connect", "socket.getaddrinfo", "subprocess.Popen")
    url = urllib.parse.urlsplit(server) if server else None
    port = (url.port or (443 if url.scheme == "https" else 80)) if url else None

    def allowed(event: str, args: tuple[Any, ...]) -> bool:
        if url is None:
            return False
        if event == "urllib.Request":
            return urllib.parse.urlsplit(str(args[0])).netloc == url.netloc
        if event == "socket.getaddrinfo":
            host = args[0].decode() if isinstance(args[0], bytes) else args[0]
            return host == url.hostname and args[1] in (port, str(port))
        if event == "socket.connect":
            address = args[1]
            return isinstance(address, tuple) and len(address) >= 2 and address[1] == port
        return False

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event in blocked and not allowed(event, args):
            raise PermissionError(f"{event} is not allowed while answering a query")

    sys.addaudithook(hook)


def isolate_network() -> bool:
    """Move this process into a new user and network namespace (Linux): its only network
    is a loopback that is down, so nothing a query runs can reach any address, not even
    what the audit hook cannot see (Oxigraph's SERVICE, in Rust). False where the system
    does not allow it (another OS, a container that forbids user namespaces): the guard
    (:func:`check`) is then the only fence."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import os

    clone_newuser, clone_newnet = 0x10000000, 0x40000000
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done = bool(libc.unshare(clone_newuser | clone_newnet) == 0)
    except (OSError, AttributeError):
        return False
    if not done:
        log.debug("no network namespace for a query worker: %s", os.strerror(ctypes.get_errno()))
    return done


def _write_frame(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _read_frame(stream: IO[bytes]) -> Any:
    """The next message; EOFError when the other side has gone."""
    head = _read_exactly(stream, 8)
    (size,) = struct.unpack(">Q", head)
    return pickle.loads(_read_exactly(stream, size))  # our own worker's (or server's) bytes


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks: list[bytes] = []
    while size > 0:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError("the pipe was closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _worker_process() -> None:
    """A worker (``python -c``, see :class:`QueryPool`): read the graph (or the spec of the
    store to open) from stdin, say ready, then answer one query per message until stdin
    closes. Messages are length-prefixed pickles; stdout carries only them (prints go to
    stderr)."""
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, not for us
    inbox = sys.stdin.buffer
    outbox = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        load = _read_frame(inbox)
        graph: Any
        server = None
        if not (load[0] == "store" and load[1].startswith("sparql:")):
            isolate_network()  # before any thread starts: unshare needs a lone thread
        if load[0] == "store":  # the store answers: opened here, read-only
            from xmgraph.store import open_store

            graph = open_store(load[1], read_only=True)
            server = load[1].removeprefix("sparql:") if load[1].startswith("sparql:") else None
        else:
            from rdflib import Dataset

            from xmgraph.build import bind_prefixes

            _, data, namespaces = load
            # a dataset whose default graph holds everything: GRAPH ?g matches nothing,
            # FROM loads nothing (SPARQL_LOAD_GRAPHS is off), neither is an error
            graph = Dataset(default_union=True)
            graph.default_graph.parse(data=data, format="nt")
            del data, load
            for prefix, namespace in namespaces:
                graph.bind(prefix, namespace, override=False)
            bind_prefixes(graph)
        for warm in ("ASK { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"):
            answer(graph, warm)  # parser, engine and serializers loaded before any request
        answer(graph, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", accept="text/csv")
        answer(graph, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", accept="text/tab-separated-values")
        _sandbox(server)
    except EOFError:
        return
    except BaseException as exc:
        _write_frame(outbox, ("failed", f"{type(exc).__name__}: {exc}"))
        return
    _write_frame(outbox, ("ready",))
    while True:
        try:
            message = _read_frame(inbox)
        except (EOFError, OSError):
            return
        _, text, bindings, accept, format_params, dataset, base = message
        try:
            reply = answer(graph, text, bindings, accept, format_params, dataset, base)
        except BaseException as exc:  # never leave the server without an answer
            reply = _error(500, f"{type(exc).__name__}: {exc}")
        try:
            _write_frame(outbox, reply)
        except OSError:
            return


class _Worker:
    """A worker process, and a thread that reads its answers into a queue."""

    def __init__(self, load: tuple[Any, ...]) -> None:
        import os
        import subprocess
        from pathlib import Path

        import xmgraph

        env = dict(os.environ)
        package_root = str(Path(xmgraph.__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        code = "from xmgraph.serve import _worker_process; _worker_process()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self._stdin: IO[bytes] = self.process.stdin
        self._stdout: IO[bytes] = self.process.stdout
        self.answers: queue.Queue[Any] = queue.Queue()
        self._reader = threading.Thread(
            target=self._read, name="xmgraph-worker-reader", daemon=True
        )
        self._reader.start()
        # the graph, sent from a thread: the worker reads it once Python has started, and
        # the workers of a pool start at the same time
        self._loader = threading.Thread(
            target=self._load, args=(load,), name="xmgraph-worker-loader", daemon=True
        )
        self._loader.start()

    def _load(self, load: tuple[Any, ...]) -> None:
        with contextlib.suppress(OSError):  # a worker that died is seen by its reader
            self.send(load)

    def _read(self) -> None:
        while True:
            try:
                message = _read_frame(self._stdout)
            except Exception:
                self.answers.put(EOFError("the query worker stopped"))
                return
            self.answers.put(message)

    def send(self, message: Any) -> None:
        _write_frame(self._stdin, message)

    def receive(self, timeout: float) -> Any:
        """The next message; queue.Empty after ``timeout`` s; EOFError when it died."""
        message = self.answers.get(timeout=timeout)
        if isinstance(message, EOFError):
            raise message
        return message

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(timeout=5)
        for stream in (self._stdin, self._stdout):
            with contextlib.suppress(Exception):
                stream.close()


@dataclass(eq=False)
class _Ticket:
    """A query waiting for a worker, or running on one."""

    client: str
    key: str
    heavy: bool
    serial: int
    started: float = 0.0
    worker: Any = None


class FairQueue:
    """Hands free workers to waiting queries, so that slow queries cannot starve cheap
    ones, nor one client the others.

    A query is *heavy* when the same query (text and bindings) last took more than
    ``light_seconds``, or the same query is running and has run that long already; a query
    never seen is heavy when its client had a heavy one in the last ``memory`` seconds
    (running or done). Heavy queries hold at most ``size - 1`` workers (one with a pool of
    one): one worker stays for light queries, which go first. Among the waiting queries of
    a lane, the client served least recently goes first. A query that has waited
    ``wait`` seconds gets no worker (the server answers 503 with ``Retry-After``).
    """

    def __init__(
        self,
        size: int,
        *,
        light_seconds: float = LIGHT_SECONDS,
        memory: float = 60.0,
        max_waiting: int = MAX_WAITING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size = size
        self.heavy_slots = max(1, size - 1)
        self.light_seconds = light_seconds
        self.memory = memory
        self.max_waiting = max_waiting
        self._clock = clock
        self._cond = threading.Condition()
        self._free: list[Any] = []
        self._waiting: list[_Ticket] = []
        self._running: dict[int, _Ticket] = {}
        self._served: dict[str, int] = {}
        self._serial = 0
        self._costs: OrderedDict[str, float] = OrderedDict()
        self._heavy_clients: dict[str, float] = {}
        #: the latest grants, oldest first: (query key, whether it went as heavy)
        self.history: deque[tuple[str, bool]] = deque(maxlen=1000)
        self.closed = False

    @property
    def waiting(self) -> int:
        """Queries waiting for a worker now."""
        with self._cond:
            return len(self._waiting)

    def _overdue(self, ticket: _Ticket, now: float) -> bool:
        return ticket.heavy or now - ticket.started > self.light_seconds

    def is_heavy(self, key: str, client: str) -> bool:
        """Whether a query would go to the heavy lane now (see the class docstring)."""
        with self._cond:
            return self._classify(key, client)

    def _classify(self, key: str, client: str) -> bool:
        now = self._clock()
        if key in self._costs:
            return self._costs[key] > self.light_seconds
        for ticket in self._running.values():
            if (ticket.key == key or ticket.client == client) and self._overdue(ticket, now):
                return True
        return self._heavy_clients.get(client, -1.0) > now

    def add(self, worker: Any) -> None:
        """A worker ready for queries (new, or done with one)."""
        with self._cond:
            self._free.append(worker)
            self._dispatch()

    def acquire(self, key: str, client: str, wait: float) -> Any:
        """A worker for the query ``key`` of ``client``; None after ``wait`` seconds (or
        at once when too many queries wait)."""
        with self._cond:
            if self.closed or len(self._waiting) >= self.max_waiting:
                return None
            self._serial += 1
            ticket = _Ticket(client, key, self._classify(key, client), self._serial)
            self._waiting.append(ticket)
            self._dispatch()
            deadline = self._clock() + wait
            while ticket.worker is None:
                remaining = deadline - self._clock()
                if remaining <= 0 or self.closed:
                    self._waiting.remove(ticket)
                    self._dispatch()
                    return None
                self._cond.wait(remaining)
            return ticket.worker

    def release(self, worker: Any, seconds: float, *, keep: bool = True) -> None:
        """``worker`` is done: its query took ``seconds`` (inf: stopped); ``keep``: it can
        take the next query (else it is gone: killed, dead)."""
        with self._cond:
            ticket = self._running.pop(id(worker), None)
            if ticket is not None:
                self._costs[ticket.key] = seconds
                self._costs.move_to_end(ticket.key)
                if seconds > self.light_seconds:
                    self._heavy_clients[ticket.client] = self._clock() + self.memory
                self._forget()
            if keep:
                self._free.append(worker)
            self._dispatch()

    def _forget(self, keep: int = 4096) -> None:
        """Bounded memory: the oldest query costs and clients go first."""
        while len(self._costs) > keep:
            self._costs.popitem(last=False)
        if len(self._served) > keep:
            for client in sorted(self._served, key=self._served.__getitem__)[
                : len(self._served) - keep
            ]:
                del self._served[client]
        if len(self._heavy_clients) > keep:
            now = self._clock()
            self._heavy_clients = {c: t for c, t in self._heavy_clients.items() if t > now}

    def retry_after(self, timeout: float) -> int:
        """Seconds until a running query is sure to be done (stopped at ``timeout``)."""
        with self._cond:
            now = self._clock()
            ends = [t.started + timeout - now for t in self._running.values()]
        return max(1, math.ceil(min(ends, default=1.0)))

    def close(self) -> None:
        """Wake every waiting query (it gets no worker)."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def _dispatch(self) -> None:
        while self._free and not self.closed:
            ticket = self._next()
            if ticket is None:
                break
            ticket.worker = self._free.pop()
            ticket.started = self._clock()
            self._waiting.remove(ticket)
            self._running[id(ticket.worker)] = ticket
            self._served[ticket.client] = ticket.serial
            self.history.append((ticket.key, ticket.heavy))
        self._cond.notify_all()

    def _next(self) -> _Ticket | None:
        lane = [t for t in self._waiting if not t.heavy]
        if not lane:
            now = self._clock()
            busy = sum(1 for t in self._running.values() if self._overdue(t, now))
            lane = self._waiting if busy < self.heavy_slots else []
        if not lane:
            return None
        return min(lane, key=lambda t: (self._served.get(t.client, -1), t.serial))


class QueryPool:
    """Worker processes that answer queries, each with a copy of the graph (or the store,
    opened read-only in each: its own engine answers, nothing is copied).

    A worker is a fresh Python (``python -c``: nothing of the caller's ``__main__`` is
    run again) that reads the graph as N-Triples from its stdin. :meth:`run` waits for a
    worker in a :class:`FairQueue` (at most ``queue_timeout`` seconds: then 503 E105 with
    ``Retry-After``), hands it the query and waits at most ``timeout`` seconds; a worker
    that has not answered by then is killed and replaced in the background, and the
    request gets 503 (E025). A worker that dies is replaced too.
    """

    def __init__(
        self,
        source: Graph | Store,
        *,
        workers: int = DEFAULT_WORKERS,
        timeout: float = DEFAULT_TIMEOUT,
        queue_timeout: float | None = None,
    ) -> None:
        from rdflib import Graph

        if workers < 1:
            raise XmgraphError(Errors.E041, reason=f"--workers must be at least 1, not {workers}")
        if not timeout > 0:
            raise XmgraphError(Errors.E041, reason=f"--timeout must be positive, not {timeout}")
        if queue_timeout is not None and not queue_timeout > 0:
            reason = f"--queue-timeout must be positive, not {queue_timeout}"
            raise XmgraphError(Errors.E041, reason=reason)
        self.size = workers
        self.timeout = float(timeout)
        self.queue_timeout = float(queue_timeout if queue_timeout is not None else timeout)
        self._load: tuple[Any, ...]
        if isinstance(source, Graph):
            data = source.serialize(format="nt", encoding="utf-8")
            self._load = ("graph", data, [(p, str(n)) for p, n in source.namespaces()])
        else:
            self._load = ("store", source.spec)
        self.queue = FairQueue(workers)
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.started = False
        self.replaced = 0  # workers replaced after a timeout or a crash

    # -- life cycle
    def start(self) -> None:
        """Start the workers and wait until each has loaded the graph (once)."""
        if self.started:
            return
        self.started = True
        try:
            pending = [self._spawn() for _ in range(self.size)]
            for worker in pending:
                self._await_ready(worker)
                self.queue.add(worker)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        self.queue.close()
        for worker in workers:
            worker.stop()

    def _spawn(self) -> _Worker:
        worker = _Worker(self._load)
        with self._lock:
            self._all.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        message: Any = None
        try:
            message = worker.receive(START_TIMEOUT)
        except (queue.Empty, EOFError):
            message = None
        if message != ("ready",):
            self._discard(worker)
            reason = message[1] if isinstance(message, tuple) and len(message) > 1 else "no answer"
            raise XmgraphError(Errors.E041, reason=f"a query worker failed to start: {reason}")

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; start its successor in the background."""
        self._discard(worker)
        with self._lock:
            self.replaced += 1

        def successor() -> None:
            if self._closed:
                return
            try:
                fresh = self._spawn()
                self._await_ready(fresh)
            except Exception as exc:
                if not self._closed:  # a pool closed meanwhile (shutdown) wants no successor
                    log.error("cannot start a query worker: %s", exc)
                return
            if self._closed:
                self._discard(fresh)
            else:
                self.queue.add(fresh)

        threading.Thread(target=successor, name="xmgraph-worker-successor", daemon=True).start()

    # -- queries
    def run(
        self,
        text: str,
        bindings: Mapping[str, Any] | None = None,
        accept: str | None = None,
        format_params: Sequence[str] = (),
        *,
        client: str = "",
        dataset: Dataset | None = None,
        base: str | None = None,
    ) -> Answer:
        """Answer one query of ``client`` (blocking: call it from a thread)."""
        if self._closed:
            return _error(503, "the server is shutting down")
        key = json.dumps([text, sorted((k, str(v)) for k, v in (bindings or {}).items())])
        worker = self.queue.acquire(key, client, self.queue_timeout)
        if worker is None:
            busy = _error(503, XmgraphError(Errors.E105, seconds=f"{self.queue_timeout:g}"))
            retry = str(self.queue.retry_after(self.timeout))
            return Answer(busy.status, busy.media_type, busy.body, (("Retry-After", retry),))
        started = time.monotonic()
        message = ("run", text, dict(bindings or {}), accept, list(format_params), dataset, base)
        try:
            worker.send(message)
            reply = worker.receive(self.timeout)
        except queue.Empty:
            self.queue.release(worker, math.inf, keep=False)
            self._replace(worker)
            return _error(503, XmgraphError(Errors.E025, seconds=f"{self.timeout:g}"))
        except (EOFError, OSError) as exc:
            self.queue.release(worker, math.inf, keep=False)
            self._replace(worker)
            return _error(500, f"the query worker stopped ({type(exc).__name__}); try again")
        self.queue.release(worker, time.monotonic() - started)
        if not isinstance(reply, Answer):
            return _error(500, "the query worker answered nonsense")
        return reply


# ---------------------------------------------------------------- the web app


def _page_asset(name: str) -> str:
    return (importlib_resources.files("xmgraph") / "templates" / name).read_text(encoding="utf-8")


#: The files of the query page under ``/static/``: a fixed list (name: file under
#: ``templates/``, media type), never a path from the request. The vendored ones
#: (``templates/vendor/``, see its manifest.json) are the editor (YASGUI) and the charts.
PAGE_ASSETS = {
    "serve.js": ("serve.js", "text/javascript; charset=utf-8"),
    "serve.css": ("serve.css", "text/css; charset=utf-8"),
    "yasgui.min.js": ("vendor/yasgui/yasgui.min.js", "text/javascript; charset=utf-8"),
    "yasgui.min.css": ("vendor/yasgui/yasgui.min.css", "text/css; charset=utf-8"),
    "echarts.min.js": ("vendor/echarts/echarts.common.min.js", "text/javascript; charset=utf-8"),
}


@functools.cache
def _vendored_asset(name: str) -> bytes:
    """A vendored file of the page, read once (they are large and never change)."""
    return _page_asset(name).encode("utf-8")


def _view_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("xmgraph.view") is not None
    except (ImportError, ValueError):
        return False


#: The two ``<style>`` elements the editor's results table (YASR's column resizer, in
#: vendor/yasgui/yasgui.min.js) adds, allowed by their hashes: no 'unsafe-inline'.
EDITOR_STYLE_HASHES = (
    "sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=",  # the table's grips
    "sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg=",  # the cursor while dragging one
)
_CSP = (
    "default-src 'none'; script-src 'self'; "
    f"style-src 'self' {' '.join(repr(h) for h in EDITOR_STYLE_HASHES)}; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: The policy of every answer that sets none (results, errors: nothing to run or frame).
_CSP_DEFAULT = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
#: Headers on every answer.
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
#: The request headers a cross-origin page may send (the CORS preflight echoes none).
CORS_HEADERS = ("Accept", "Content-Type")
#: The names the endpoint answers to by default (the Host header, DNS rebinding).
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::([0-9]{1,5}))?")


def split_host(value: str) -> tuple[str, int | None] | None:
    """A Host header's name and port (None when it is no host).

    >>> split_host("[::1]:8000"), split_host("LocalHost"), split_host("a b")
    (('[::1]', 8000), ('localhost', None), None)
    """
    match = _HOST.fullmatch(value.strip().lower())
    if not match:
        return None
    return match[1], int(match[2]) if match[2] else None


def allowed_hosts(names: Sequence[str] = (), listen: str | None = None) -> frozenset[str]:
    """The host names (``name`` or ``name:port``) the endpoint answers to: the loopback
    names, the address it listens on (an IP address cannot be rebound), and ``names``
    (``--allow-host``; E104 for one that is no host name)."""
    import ipaddress

    found = set(LOOPBACK_NAMES)
    if listen:
        with contextlib.suppress(ValueError):
            address = ipaddress.ip_address(listen)
            if not address.is_unspecified:
                found.add(f"[{address}]" if address.version == 6 else str(address))
    for name in names:
        text = name.strip()
        with contextlib.suppress(ValueError):
            if ipaddress.ip_address(text).version == 6:
                text = f"[{text}]"
        if split_host(text) is None:
            raise XmgraphError(Errors.E104, value=name)
        found.add(text.lower())
    return frozenset(found)


class HostGuard:
    """ASGI middleware: answers only requests whose Host names this server (421, or 400
    without a Host), against DNS rebinding: a page of another site whose name the attacker
    points at 127.0.0.1 sends its own name as the Host. A name allowed without a port is
    allowed with the server's port (any, when it is not known) or with none."""

    def __init__(self, app: Any, hosts: frozenset[str], port: int | None = None) -> None:
        self.app, self.hosts, self.port = app, hosts, port

    def allows(self, value: str) -> bool:
        """Whether a Host header's value names this server."""
        parts = split_host(value)
        if parts is None:
            return False
        name, port = parts
        if port is not None and f"{name}:{port}" in self.hosts:
            return True
        return name in self.hosts and (port is None or self.port is None or port == self.port)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        if self.allows(host):
            await self.app(scope, receive, send)
            return
        from starlette.responses import Response

        choices = ", ".join(sorted(self.hosts))
        body = f"{XmgraphError(Errors.E103, host=host, choices=choices)}\n"
        status = 421 if host else 400
        await Response(body, status_code=status, media_type="text/plain; charset=utf-8")(
            scope, receive, send
        )


class SecurityHeaders:
    """ASGI middleware: :data:`SECURITY_HEADERS` on every answer, and a policy that allows
    nothing (:data:`_CSP_DEFAULT`) on those that set no Content-Security-Policy."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", _CSP_DEFAULT.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


def _page_policy(page: bytes) -> str:
    """The Content-Security-Policy a page declares in its ``<meta>``, as a header (which
    also forbids framing: a meta tag cannot)."""
    match = re.search(rb'http-equiv="Content-Security-Policy"\s+content="([^"]*)"', page)
    if not match:
        return _CSP_DEFAULT
    return html.unescape(match[1].decode("utf-8")) + "; frame-ancestors 'none'"


class _TooLarge(Exception):
    """A request body over :data:`MAX_QUERY_BYTES`."""


async def _read_body(request: Request) -> bytes:
    """The body, read as a stream and dropped as soon as it passes
    :data:`MAX_QUERY_BYTES` (chunked or not); _TooLarge then."""
    declared = request.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > MAX_QUERY_BYTES:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_QUERY_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _media(request: Request) -> tuple[str, str]:
    """The request body's media type and charset (lower case; "" when not given)."""
    value = request.headers.get("content-type", "")
    media, *params = (part.strip() for part in value.split(";"))
    charset = ""
    for param in params:
        key, _, text = param.partition("=")
        if key.strip().lower() == "charset":
            charset = text.strip().strip('"').lower()
    return media.lower(), charset


async def _body_params(request: Request) -> list[tuple[str, str]] | Answer:
    """The parameters a POST carries (a form, or a query as the body), or the answer
    refusing it (413, 415, 403 for an update)."""
    try:
        body = await _read_body(request)
    except _TooLarge:
        error = _error(413, XmgraphError(Errors.E102, limit=MAX_QUERY_BYTES))
        return Answer(413, error.media_type, error.body, (("Connection", "close"),))
    media, charset = _media(request)
    if media == "application/sparql-update":
        return _error(403, XmgraphError(Errors.E028))
    if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
        return _error(415, "POST a form (application/x-www-form-urlencoded) "
                      "or a query (application/sparql-query)")  # fmt: skip
    try:
        if charset not in ("", "utf-8", "utf8", "us-ascii"):
            raise UnicodeError(charset)
        text = body.decode("utf-8")
    except UnicodeError:
        return _error(415, XmgraphError(Errors.E108, charset=charset or "undeclared"))
    if media == "application/sparql-query":
        return [("query", text)]
    from urllib.parse import parse_qsl

    return parse_qsl(text, keep_blank_values=True)


def _protocol(params: list[tuple[str, str]]) -> tuple[str, Dataset | None] | Answer | None:
    """The query and dataset of a request's parameters; the answer refusing them (an
    update, two queries); None when there is no query."""
    names = {k for k, _ in params}
    if names & {"update", "using-graph-uri", "using-named-graph-uri"}:
        return _error(403, XmgraphError(Errors.E028))
    queries = [v for k, v in params if k == "query"]
    if len(queries) > 1:
        return _error(400, "give one query parameter, not several")
    if not queries:
        return None
    dataset = None
    if names & {"default-graph-uri", "named-graph-uri"}:
        default = tuple(v for k, v in params if k == "default-graph-uri")
        dataset = Dataset(default, tuple(v for k, v in params if k == "named-graph-uri"))
    return queries[0], dataset


def create_app(
    graph: Graph | Store,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
    pool: QueryPool | None = None,
    triples: int | None = None,
    hosts: frozenset[str] | None = None,
    port: int | None = None,
    queue_timeout: float | None = None,
) -> Starlette:
    """The ASGI app serving ``graph`` (or a store: its engine answers, its merge is the
    graph); the pool of workers starts with the app. ``triples``: the size shown on the
    home page, when the caller has counted it already. ``hosts``: the Host names served
    (:func:`allowed_hosts`, the loopback names by default), on ``port``."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.routing import Route

    pool = pool or QueryPool(graph, workers=workers, timeout=timeout, queue_timeout=queue_timeout)
    triples = size_of(graph) if triples is None else triples  # a store counts with a query
    handlers = _Handlers(graph, pool, triples)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(pool.start)
        try:
            yield
        finally:
            pool.close()

    routes = [
        Route("/", handlers.home, methods=["GET"]),
        Route("/sparql", handlers.sparql, methods=["GET", "POST"]),
        Route("/queries", handlers.named_list, methods=["GET"]),
        Route("/queries/{name}", handlers.named_run, methods=["GET"]),
        Route("/static/{name}", handlers.asset, methods=["GET"]),
        Route("/view", handlers.view, methods=["GET"]),
    ]
    middleware = [
        Middleware(HostGuard, hosts=hosts or allowed_hosts(), port=port),
        Middleware(SecurityHeaders),
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=list(CORS_HEADERS),
            max_age=600,
        ),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool
    return app


def _respond(result: Answer) -> Response:
    from starlette.responses import Response

    headers = {"Vary": "Accept", "Cache-Control": "no-store", **dict(result.headers)}
    return Response(
        result.body, status_code=result.status, media_type=result.media_type, headers=headers
    )


class _Handlers:
    """The endpoints of the app (see the module docstring)."""

    def __init__(self, graph: Graph | Store, pool: QueryPool, triples: int) -> None:
        from xmgraph import query as q

        self.graph, self.pool, self.triples = graph, pool, triples
        self.named = q.named_queries()
        self.by_name = {n.name: n for n in self.named}
        self.view_cache: dict[str, bytes] = {}
        self.view_lock = threading.Lock()

    async def run(
        self,
        text: str,
        bindings: Mapping[str, Any] | None,
        request: Request,
        format_params: list[str],
        dataset: Dataset | None = None,
    ) -> Response:
        from starlette.concurrency import run_in_threadpool

        accept = request.headers.get("accept")
        client = request.client.host if request.client else ""
        base = str(request.url_for("sparql"))
        result = await run_in_threadpool(
            lambda: self.pool.run(
                text, bindings, accept, format_params, client=client, dataset=dataset, base=base
            )
        )
        return _respond(result)

    async def sparql(self, request: Request) -> Response:
        from starlette.responses import RedirectResponse

        params = list(request.query_params.multi_items())
        if request.method == "POST":
            posted = await _body_params(request)
            if isinstance(posted, Answer):
                return _respond(posted)
            params.extend(posted)
        found = _protocol(params)
        if isinstance(found, Answer):
            return _respond(found)
        if found is None:
            if "text/html" in request.headers.get("accept", ""):
                return RedirectResponse("/", status_code=303)
            return _respond(
                Answer(200, "text/turtle; charset=utf-8", _description(str(request.url)))
            )
        formats = [v for k, v in params if k in ("format", "output", "results")]
        return await self.run(found[0], None, request, formats, found[1])

    async def named_list(self, request: Request) -> Response:
        from starlette.responses import Response

        data = [_describe(n) for n in self.named]
        return Response(
            json.dumps(data, ensure_ascii=False, indent=1), media_type="application/json"
        )

    async def named_run(self, request: Request) -> Response:
        from xmgraph import query as q

        name = request.path_params["name"]
        spec = self.by_name.get(name)
        if spec is None:
            error = XmgraphError(Errors.E021, name=name, choices=", ".join(self.by_name))
            return _respond(_error(404, error))
        words = ("format", "output", "results")
        items = request.query_params.multi_items()
        # The query page's editor sends its (empty) query argument along: a query that
        # is empty or the named query's own text is no parameter.
        items = [
            (k, v) for k, v in items if k != "query" or v.strip() not in ("", spec.text.strip())
        ]
        pairs = [(k, v) for k, v in items if k not in words]
        formats = [v for k, v in items if k in words]
        try:
            bindings = q.parse_params([f"{k}={v}" for k, v in pairs if v != ""], spec)
        except XmgraphError as exc:
            return _respond(_error(400, exc))
        return await self.run(spec.text, bindings, request, formats)

    async def home(self, request: Request) -> Response:
        from starlette.responses import Response

        page = _home_page(self.named, self.triples, _view_available(), self.pool.timeout)
        return Response(
            page, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": _CSP}
        )

    async def asset(self, request: Request) -> Response:
        from starlette.responses import Response

        name = request.path_params["name"]
        if name not in PAGE_ASSETS:
            return _respond(_error(404, f"no such file: {name}"))
        path, media = PAGE_ASSETS[name]
        if path.startswith("vendor/"):
            return Response(
                _vendored_asset(path), media_type=media, headers={"Cache-Control": "max-age=3600"}
            )
        return Response(_page_asset(path), media_type=media, headers={"Cache-Control": "no-cache"})

    async def view(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import Response

        try:
            import xmgraph.view as view_module
        except ModuleNotFoundError as exc:
            if exc.name != "xmgraph.view":
                raise
            return _respond(_error(404, "the browser view (xmgraph.view) is not installed"))
        render = getattr(view_module, "render_view", None)
        if render is None:
            return _respond(_error(404, "the browser view (xmgraph.view) is not installed"))
        lang = request.query_params.get("lang", "en")

        def build() -> bytes:
            with self.view_lock:
                if lang not in self.view_cache:
                    self.view_cache[lang] = render(self.graph, lang=lang).encode("utf-8")
                return self.view_cache[lang]

        try:
            page = await run_in_threadpool(build)
        except XmgraphError as exc:
            return _respond(_error(400, exc))
        headers = {"Content-Security-Policy": _page_policy(page)}
        return Response(page, media_type="text/html; charset=utf-8", headers=headers)


def _describe(named: Any) -> dict[str, Any]:
    return {
        "name": named.name,
        "title": named.title,
        "parameters": [
            {"name": p.name, "kind": p.kind, "description": p.description} for p in named.parameters
        ],
        "text": named.text,
    }


def _description(endpoint: str) -> bytes:
    """A SPARQL 1.1 Service Description of the endpoint, in Turtle."""
    from rdflib import BNode, Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    g = Graph()
    g.bind("sd", sd)
    g.bind("formats", formats)
    service = BNode()
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, URIRef(endpoint.split("?")[0])))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):  # fmt: skip
        g.add((service, sd.resultFormat, formats[name]))
    data = g.serialize(format="turtle", encoding="utf-8")
    return data


def _home_page(named: Sequence[Any], triples: int, view: bool, timeout: float) -> bytes:
    """The page at ``/``: every dynamic string escaped, the queries as JSON data."""
    template = _page_asset("serve.html")
    from xmgraph import __version__
    from xmgraph.namespaces import PREFIXES

    values = {
        "VERSION": html.escape(__version__),
        "TRIPLES": html.escape(f"{triples:,}"),
        "TIMEOUT": html.escape(f"{timeout:g}"),
        "VIEW": '<a href="/view">browser view</a> · ' if view else "",
        "QUERIES": json_for_script([_describe(n) for n in named]),
        "PREFIXES": json_for_script(PREFIXES),
    }
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template.encode("utf-8")


# ---------------------------------------------------------------- running the server


def check_port(host: str, port: int) -> None:
    """E041 when ``host:port`` cannot be listened on (in use, no such address)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise XmgraphError(Errors.E041, reason=f"cannot listen on {host}:{port}: {exc}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            reason = f"cannot listen on {host}:{port}: {exc.strerror or exc}"
            raise XmgraphError(Errors.E041, reason=reason) from exc


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    graph: Graph | Store,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
    log_level: str = "info",
    on_ready: Callable[[str], None] | None = None,
    triples: int | None = None,
    allow_hosts: Sequence[str] = (),
    queue_timeout: float | None = None,
) -> None:
    """Serve ``graph`` (or a store) until interrupted (Ctrl-C). ``on_ready`` gets the
    base URL; ``triples`` as for :func:`create_app`; ``allow_hosts``: more Host names
    to answer to than the loopback ones (``--allow-host``)."""
    import uvicorn

    hosts = allowed_hosts(allow_hosts, listen=host)
    check_port(host, port)
    pool = QueryPool(graph, workers=workers, timeout=timeout, queue_timeout=queue_timeout)
    pool.start()  # a worker that cannot start is an error here, before listening
    try:
        app = create_app(graph, pool=pool, triples=triples, hosts=hosts, port=port)
        config = uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="on")
        server = uvicorn.Server(config)
        if on_ready is not None:
            shown = f"[{host}]" if ":" in host else host
            url = f"http://{shown}:{port}/"
            _when_started(server, lambda: on_ready(url))
        server.run()
        if not server.started:
            raise XmgraphError(Errors.E041, reason=f"the server did not start on {host}:{port}")
    finally:
        pool.close()


def _when_started(server: Any, action: Callable[[], None]) -> None:
    def wait() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            action()

    threading.Thread(target=wait, daemon=True).start()


class BackgroundServer:
    """The endpoint in a background thread (for notebooks and tests)::

        with BackgroundServer(graph) as url:
            SPARQLWrapper(url + "sparql") ...

    ``port=0`` picks a free port; :attr:`url` is the base URL once started.
    """

    def __init__(
        self,
        graph: Graph | Store,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        timeout: float = DEFAULT_TIMEOUT,
        workers: int = DEFAULT_WORKERS,
        allow_hosts: Sequence[str] = (),
        queue_timeout: float | None = None,
    ) -> None:
        import uvicorn

        if port == 0:
            with socket.socket() as probe:
                probe.bind((host, 0))
                port = probe.getsockname()[1]
        self.host, self.port = host, port
        self.app = create_app(
            graph,
            timeout=timeout,
            workers=workers,
            hosts=allowed_hosts(allow_hosts, listen=host),
            port=port,
            queue_timeout=queue_timeout,
        )
        config = uvicorn.Config(self.app, host=host, port=port, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="xmgraph-serve", daemon=True)
        self.url = f"http://{host}:{port}/"

    def start(self, wait: float = START_TIMEOUT) -> str:
        """Start serving; returns the base URL when the server accepts requests."""
        self._thread.start()
        deadline = time.monotonic() + wait
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise XmgraphError(Errors.E041, reason=f"the server did not start on {self.url}")
            time.sleep(0.02)
        return self.url

    def stop(self) -> None:
        """Stop serving (the workers stop with the app)."""
        self._server.should_exit = True
        self._thread.join(timeout=30)

    @property
    def pool(self) -> QueryPool:
        """The app's worker pool."""
        pool: QueryPool = self.app.state.pool
        return pool

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running(graph: Graph | Store, **options: Any) -> Iterator[str]:
    """``with running(graph) as url:`` the endpoint at ``url + "sparql"`` meanwhile."""
    server = BackgroundServer(graph, **options)
    try:
        yield server.start()
    finally:
        server.stop()
