"""What a check is: the cases it runs, the points it is worth, how it judges a report.

A ``Check`` makes ``Probe``s for a seed. A probe is one case for the child
(plain JSON, no expected values in it) plus a ``judge`` that turns the child's
report into a ``Failure`` or ``None``. Judges run in the grader's process, on
plain data, with expected values the child never sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from grader import settings

__all__ = ["Check", "Failure", "Judge", "Probe", "case_check"]


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
    #: The child's report of the exception behind this failure, for ``learner_traceback``.
    error: dict[str, Any] | None = None


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
    """A named, separately scored property of an answer."""

    name: str
    points: float
    summary: str
    hint: str
    probes: Callable[[str], list[Probe]]


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
