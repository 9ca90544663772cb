"""The frame module's helpers: ``quick_init`` makes the objects a dataclass's own
``__init__`` makes, and ``evolve`` those ``dataclasses.replace`` makes."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xmgraph.extract.context import Step
from xmgraph.extract.frame import Frame, evolve, quick_init


@dataclass(frozen=True)
class Plain:
    a: int
    b: str
    c: tuple[int, ...] = ()
    d: bool = False


@quick_init
@dataclass(frozen=True)
class Quick:
    a: int
    b: str
    c: tuple[int, ...] = ()
    d: bool = False


@given(st.integers(), st.text(), st.lists(st.integers()).map(tuple), st.booleans())
def test_quick_init_sets_the_fields_the_dataclass_init_sets(
    a: int, b: str, c: tuple[int, ...], d: bool
) -> None:
    pairs = [
        (Plain(a, b), Quick(a, b)),
        (Plain(a, b=b, d=d), Quick(a, b=b, d=d)),
        (Plain(a, b, c, d), Quick(a, b, c, d)),
    ]
    for plain, quick in pairs:
        assert quick.__dict__ == plain.__dict__
        assert list(quick.__dict__) == [f.name for f in dataclasses.fields(Quick)]
        again = Quick(quick.a, quick.b, quick.c, quick.d)
        assert quick == again
        assert hash(quick) == hash(again)
        assert pickle.loads(pickle.dumps(quick)) == quick
        assert dataclasses.replace(quick, a=a + 1).__dict__ == {**plain.__dict__, "a": a + 1}


def test_quick_init_keeps_frozen_and_the_signature() -> None:
    q = Quick(1, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.a = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        Quick(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Quick(1, "x", e=3)  # type: ignore[call-arg]
    assert Quick.__init__.__qualname__ == "Quick.__init__"


def test_quick_init_refuses_a_field_it_cannot_make() -> None:
    with pytest.raises(TypeError, match="factory"):

        @quick_init
        @dataclass(frozen=True)
        class WithFactory:
            a: list[int] = field(default_factory=list)

    with pytest.raises(TypeError, match="factory"):

        @quick_init
        @dataclass(frozen=True)
        class NotInInit:
            a: int = field(default=0, init=False)


def test_a_reader_context_is_made_with_every_field() -> None:
    frame = Frame()
    step = Step(frame, True, outcome="fact")
    assert step.__dict__ == {"frame": frame, "done": True, "outcome": "fact", "fact": None}
    assert evolve(step, done=False) == dataclasses.replace(step, done=False)
