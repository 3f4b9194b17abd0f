"""The matcher: which known misconception did exactly what the answer did, case by case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .library import misconceptions_for
from .misconception import Misconception
from .simulate import (
    TIMEOUT,
    answer_observation,
    is_cost_case,
    is_late_case,
    same,
    simulate,
    slow_on,
)

__all__ = ["Diagnosis", "Observed", "diagnose", "diagnose_safely", "no_match", "unavailable"]

#: One case the checks ran: the check's name, the case sent to the child, the outcome's
#: status ("ok", "timeout", ...), the child's report, and whether the answer failed it.
Observed = tuple[str, dict[str, Any], str, dict[str, Any] | None, bool]

#: Cases compared per check: up to this many the answer failed and this many it passed,
#: in the check's order. The checks' first cases are the ones written to make each mistake
#: show; the two-thousandth cutting of the same stream rules out nothing new, at a cost
#: (a submission's grading time may grow by 15% at most).
FAILED_SAMPLE = 48
PASSED_SAMPLE = 24


@dataclass
class Diagnosis:
    """The verdict on one answer.

    ``status``: ``"match"`` (``misconception`` names the cause), ``"none"`` (no known
    misconception behaves like the answer: ``first_failure`` names the first failing
    check, and nothing is guessed) or ``"unavailable"`` (the diagnosis could not be
    made; the checks' verdicts stand alone).
    """

    status: Literal["match", "none", "unavailable"]
    sentence: str
    misconception: Misconception | None = None
    #: The failed checks the diagnosis explains (their own hints are not shown).
    explains: list[str] = field(default_factory=list)
    first_failure: str = ""
    #: Cases compared with the library (0 when nothing was comparable).
    compared: int = 0

    @property
    def id(self) -> str:
        return self.misconception.id if self.misconception else ""

    def to_json(self) -> dict[str, Any]:
        found = self.misconception
        return {
            "status": self.status,
            "id": self.id,
            "sentence": self.sentence,
            "section": str(found.section) if found else "",
            "fix": found.fix if found else "",
            "explains": list(self.explains),
            "first_failure": self.first_failure,
        }


def unavailable(reason: str) -> Diagnosis:
    """The diagnosis for an answer the machinery could not diagnose (the checks still grade it)."""
    return Diagnosis(
        "unavailable",
        f"A diagnosis was not possible for this answer ({reason}); the checks below still "
        "graded it.",
    )


def diagnose(
    task: str,
    observed: Sequence[Observed],
    failed: Sequence[tuple[str, str]],
) -> Diagnosis:
    """Compare what the answer did on every case with each misconception of ``task``.

    ``failed`` lists the failed checks in check order as ``(name, message)``; the
    diagnosis is only made for an answer that failed something.
    """
    if not failed:
        return Diagnosis("none", "")
    first_name, first_message = failed[0]
    candidates = [(m, variant) for m in misconceptions_for(task) for variant in m.variants]
    compared = 0
    compared_checks: set[str] = set()
    for check, payload, status, report, _failed in _sampled(observed):
        try:
            seen = answer_observation(payload, status, report)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            seen = None  # a report the answer tampered with says nothing comparable
        if seen is None:
            continue
        compared += 1
        compared_checks.add(check)
        if is_cost_case(payload):
            # Running out of time says the work was too much, not which mistake made it so
            # (garbled frames can flood the report too); finishing rules out the ones slow
            # on this case.
            if seen != TIMEOUT:
                candidates = [(m, variant) for m, variant in candidates
                              if not slow_on(m.slow, payload)]
            if not candidates:
                break
            continue
        candidates = [
            (m, variant) for m, variant in candidates
            if same(seen, simulate(variant, payload, m.slow))
        ]
        if not candidates:
            break
    if candidates and compared:
        found = candidates[0][0]
        explains = [name for name, _ in failed if name in compared_checks]
        if explains:
            return Diagnosis("match", found.sentence(), found, explains, first_name, compared)
    return no_match(task, first_name, first_message, compared)


def no_match(task: str, first_name: str, first_message: str, compared: int = 0) -> Diagnosis:
    """No guess: the diagnosis names the first failing check and what it found."""
    return Diagnosis(
        "none",
        f"No known misconception behaves exactly like your {task}; the first check that "
        f"fails is {first_name}: {first_message}",
        first_failure=first_name,
        compared=compared,
    )


def _sampled(observed: Sequence[Observed]) -> list[Observed]:
    """The cases compared: the first of every check, then up to ``FAILED_SAMPLE`` failed
    and ``PASSED_SAMPLE`` passed ones per check; cost and megabyte cases last.

    Each check's first case tells most misconceptions apart, so few are left to replay
    on the rest; the order does not change the verdict.
    """
    firsts, rest, costly = [], [], []
    taken: dict[tuple[str, bool], int] = {}
    for item in observed:
        check, payload, failed = item[0], item[1], item[4]
        if is_late_case(payload):
            costly.append(item)
            continue
        count = taken.get((check, failed), 0)
        if count >= (FAILED_SAMPLE if failed else PASSED_SAMPLE):
            continue
        taken[(check, failed)] = count + 1
        if (check, not failed) not in taken and count == 0:
            firsts.append(item)
        else:
            rest.append(item)
    return firsts + rest + costly


def diagnose_safely(
    task: str, observed: Sequence[Observed], failed: Sequence[tuple[str, str]]
) -> Diagnosis:
    """``diagnose``, but never raising: whatever the answer made the machinery trip over,
    the checks' verdicts stand, and the report says the diagnosis was not possible."""
    try:
        return diagnose(task, observed, failed)
    except RecursionError:
        return unavailable("what your code returned was nested too deeply to compare")
    except Exception as error:  # the grade must not depend on the diagnosis working
        return unavailable(f"{type(error).__name__} while comparing")
