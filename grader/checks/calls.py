"""Probes for answers that are plain functions: one call, and a verdict on what it gave.

A call probe calls the learner's function once with byte arguments; the
``Verdict`` (written by the lesson, run in the grader's process) says what is
wrong with the reported value or error, or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from grader import settings
from grader.formatting import escape

from .base import Check, Failure, Probe, case_check
from .reports import describe_error

__all__ = ["Verdict", "call_check", "call_probe"]


#: What a call must give: ``verdict(value, error)`` says what is wrong, or ``None``.
Verdict = Callable[[dict[str, Any] | None, dict[str, Any] | None], str | None]


def call_probe(
    function: str,
    args: Sequence[bytes],
    check_value: Verdict,
    *,
    check: str,
    hint: str,
    timeout: float = settings.CASE_TIMEOUT_S,
) -> Probe:
    """Call ``function(*args)`` once; ``check_value(value, error)`` says what is wrong, or None."""
    shown = ", ".join(f"b'{escape(a, 24)}'" for a in args)

    def judge(report: dict[str, Any]) -> Failure | None:
        error = report.get("error")
        if report.get("stage") == "load":
            return Failure(
                check,
                f"Running your cell raised {describe_error(error or {})}",
                hint,
                error=error,
                header_size=0,
            )
        problem = check_value(report.get("value"), error)
        if problem is None:
            return None
        return Failure(
            check,
            f"{function}({shown}) {problem}",
            hint,
            header_size=0,
            error=error if problem.startswith("raised") else None,
        )

    payload = {"driver": "call", "function": function, "args": [a.hex() for a in args]}
    return Probe(payload, judge, (sum(map(len, args)),), timeout)


def call_check(
    function: str,
    name: str,
    points: float,
    summary: str,
    hint: str,
    cases: Callable[[str], Iterable[tuple[bytes, Verdict]]],
) -> Check:
    """A check calling ``function(argument)`` for each ``(argument, verdict)`` of ``cases``."""

    def probe(case: tuple[bytes, Verdict], check: str, hint: str) -> Probe:
        argument, verdict = case
        return call_probe(function, [argument], verdict, check=check, hint=hint)

    return case_check(name, points, summary, hint, cases, probe)
