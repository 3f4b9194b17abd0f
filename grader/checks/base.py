"""What a check is: the cases it runs, the points it is worth, how it judges a report.

A ``Check`` makes ``Probe``s for a seed. A probe is one case for the child
(plain JSON, no expected values in it) plus a ``judge`` that turns the child's
report into a ``Failure`` or ``None``. Judges run in the grader's process, on
plain data, with expected values the child never sees.

A failure says how its stream is framed, so its picture is drawn in that
framing: ``framing`` is framinglib.visual's plain JSON description of it
(``framing_from_description`` builds the framing back); failures that give
only ``header_size`` or ``delimiter`` (lessons 2-6) are described from those by
``picture_framing``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from grader import settings

__all__ = ["Check", "Failure", "Judge", "Probe", "case_check", "gated"]


@dataclass
class Failure:
    """One failed check, with the smallest input found that shows it."""

    check: str
    message: str
    hint: str = ""
    chunks: list[bytes] = field(default_factory=list)
    expected: list[bytes] = field(default_factory=list)
    received: list[bytes] = field(default_factory=list)
    #: The type name of each received item ("bytes" unless the learner's code sent another).
    received_types: list[str] = field(default_factory=list)
    #: The learner's own traceback lines (never grader code), or "".
    traceback: str = ""
    #: The stream's header size for the picture; 0 when the input is not length-prefixed.
    header_size: int = 4
    #: The delimiter ending each frame when the stream is delimited (lesson 4), else b"".
    delimiter: bytes = b""
    #: The child's report of the exception behind this failure, for ``learner_traceback``.
    error: dict[str, Any] | None = None
    #: How the stream is framed, as framinglib.visual describes a framing (plain JSON);
    #: ``None``: as ``header_size``/``delimiter`` say. It wins over both.
    framing: dict[str, Any] | None = None
    #: For a task returning messages as tuples (lesson 7's ``(type, body)``): each expected
    #: message's parts ([] for a task returning frames; ``expected`` holds them joined).
    expected_parts: list[list[bytes]] = field(default_factory=list)
    #: ... and each received item's parts as (type name, bytes), ``None`` for an item that
    #: was not a tuple (``received`` holds the parts joined).
    received_parts: list[list[tuple[str, bytes]] | None] = field(default_factory=list)

    def picture_framing(self) -> dict[str, Any] | None:
        """The framing the picture draws this failure's stream in; ``None``: no picture."""
        if self.framing is not None:
            return dict(self.framing)
        if self.delimiter:
            return {"kind": "delimited", "delimiter": self.delimiter.hex()}
        if self.header_size:
            return {"kind": "length_prefix", "header_size": self.header_size,
                    "byteorder": "big"}
        return None


Judge = Callable[[dict[str, Any]], Failure | None]


@dataclass(frozen=True)
class Probe:
    """One case for the child and how to judge what it reports.

    ``size`` orders failing probes: the smallest is the one shown. ``shrink``
    proposes smaller variants of a failing probe (property-based checks).
    """

    payload: dict[str, Any]
    judge: Judge
    size: tuple[int, ...] = ()
    timeout: float = settings.CASE_TIMEOUT_S
    shrink: Callable[[], list[Probe]] | None = None


@dataclass(frozen=True)
class Check:
    """A named, separately scored property of an answer.

    ``requires`` names checks that must pass too before this one earns its points: a
    property that an answer doing no framing at all also has (its frames are bytes,
    its feed returns a list) is worth something only once the frames are right.
    """

    name: str
    points: float
    summary: str
    hint: str
    probes: Callable[[str], list[Probe]]
    requires: tuple[str, ...] = ()


def gated(check: Check, *requires: str) -> Check:
    """``check``, earning its points only when every check in ``requires`` passes too."""
    return replace(check, requires=requires)


CaseT = TypeVar("CaseT")


def case_check(
    name: str,
    points: float,
    summary: str,
    hint: str,
    cases: Callable[[str], Iterable[CaseT]],
    probe: Callable[[CaseT, str, str], Probe],
) -> Check:
    """A check whose probes are ``probe(case, name, hint)`` for each case of ``cases(seed)``.

    The check modules give only data (the cases, points, summary, hint); ``probe``
    is the shared verdict for one kind of answer (a stream function, a decoder).
    """

    def probes(seed: str) -> list[Probe]:
        return [probe(case, name, hint) for case in cases(seed)]

    return Check(name, points, summary, hint, probes)
