"""Grade one task's answer source: run its checks in a sandboxed child, score by named check.

``grade_source`` never runs learner code in the calling process. It sends the
cases to ``grader.sandbox.runner``, judges the plain reports with the checks' own
expected values, keeps the smallest failing input of each failed check (and
shrinks property-based failures further), and scores the checks that passed.
"""

from __future__ import annotations

import ast
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import settings
from .cells import defined_names, is_unanswered
from .checks.base import Check, Failure, Probe
from .checks.reports import describe_error, learner_traceback
from .formatting import escape
from .lessons import TASKS, Task
from .sandbox.limits import Limits
from .sandbox.runner import Case, Outcome, run_cases
from .visible import foreign_imports

if TYPE_CHECKING:
    from .diagnosis import Diagnosis
    from .diagnosis.match import Observed

try:
    from .diagnosis import diagnose_safely
    from .diagnosis.match import no_match
except ModuleNotFoundError as missing:
    # The learners' wheel leaves the misconception library out: its trusted mutants are
    # near-copies of the lessons' solutions (deploy/learners/build_wheel.py). Grading there
    # is the same; only the diagnosis sentence is missing (the instructor's feedback has it).
    # Any other import failure is a bug in the instructor's install and must not be hidden.
    if not (missing.name or "").startswith(f"{__package__}.diagnosis"):
        raise
    diagnose_safely = None
    no_match = None

__all__ = ["Failure", "TaskResult", "grade_source"]

_LOAD_GROUP = "__load__"


@dataclass
class TaskResult:
    """The outcome of grading one task: points per named check, and what failed."""

    task: str
    score: float
    max_score: float
    failures: list[Failure] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    #: Checks that passed but earn nothing yet: a check they require failed (``Check.requires``).
    withheld: list[str] = field(default_factory=list)
    #: The misconception behind the failures, when one behaves exactly like the answer.
    diagnosis: Diagnosis | None = None

    def __repr__(self) -> str:
        # Short on purpose: a notebook shows it under check()'s HTML report.
        failed = ", ".join(f.check for f in self.failures) or "none"
        return f"<TaskResult {self.task}: {self.score:g}/{self.max_score:g}, failed: {failed}>"

    def to_json(self) -> dict[str, Any]:
        """Plain JSON: bytes as escaped text (long values shortened)."""
        return {
            "score": self.score,
            "max_score": self.max_score,
            "passed": list(self.passed),
            "withheld": list(self.withheld),
            "failures": [_failure_json(f) for f in self.failures],
            "diagnosis": self.diagnosis.to_json() if self.diagnosis else None,
        }


def _failure_json(failure: Failure) -> dict[str, Any]:
    return {
        "check": failure.check,
        "message": failure.message,
        "hint": failure.hint,
        "chunks": [escape(c, 80) for c in failure.chunks],
        "expected": [escape(f, 80) for f in failure.expected],
        "received": [escape(f, 80) for f in failure.received],
        "traceback": failure.traceback,
        # How the stream was framed (reports written before this key have none).
        "framing": failure.picture_framing(),
    }


def grade_source(
    task: str,
    source: str,
    seed: str = "",
    *,
    limits: Limits | None = None,
    isolate: bool = True,
    diagnose: bool = True,
) -> TaskResult:
    """Run every check of ``task`` on ``source`` in a sandboxed child and score it.

    With ``diagnose`` (the default), a failed answer is also compared, case by case,
    with the task's known misconceptions (``grader.diagnosis``), from the same run.

    ``seed`` (a student id, say) varies the property-based cases. Raises
    ``KeyError`` for an unknown task name, and ``grader.errors.SandboxError``
    when the grading process cannot start (the answer is then not graded at
    all, rather than given a score it did not earn).
    """
    result = _graded(TASKS[task], source, seed, limits, isolate, diagnose)
    return _naming_foreign_imports(result, source)


#: How a failure says the answer raised, at load time or on an input (the sandbox's words).
_RAISED = "Running your cell raised"


def _naming_foreign_imports(result: TaskResult, source: str) -> TaskResult:
    """Put the imports outside the standard library in front of every "your cell raised".

    The sandbox has only the standard library, so such an import is the likely cause of
    the error, and naming it (and the rule) says more than a bare ModuleNotFoundError.
    One place for every check: the load, the stream probes and the socket probes.
    """
    raised = [f for f in result.failures if f.message.startswith(_RAISED)]
    found = foreign_imports(source) if raised else []
    if not found:
        return result
    which = " and ".join(str(item) for item in found)
    verb = "is" if len(found) == 1 else "are"
    note = (f"{which}, which {verb} not in the standard library: answers may use only the "
            "standard library")
    for failure in raised:
        failure.message = f"{note}. {failure.message}"
    return result


def _graded(
    spec: Task, source: str, seed: str, limits: Limits | None, isolate: bool, diagnose: bool
) -> TaskResult:
    problem = _static_problem(spec, source)
    if problem is not None:
        return _all_failed(spec, problem)
    plan = [(check, probe) for check in spec.checks for probe in check.probes(seed)]
    load = {"driver": "load", "name": spec.name}
    cases = [Case(_LOAD_GROUP, load, timeout=settings.LOAD_TIMEOUT_S)]
    cases += [Case(check.name, probe.payload, probe.timeout) for check, probe in plan]
    outcomes = run_cases(
        source,
        cases,
        limits=limits,
        isolate=isolate,
        fatal_groups=frozenset({_LOAD_GROUP}),
    )
    load_problem = _load_problem(spec, outcomes[0], source)
    if load_problem is not None:
        return _all_failed(spec, load_problem)
    found: dict[str, list[tuple[int, Probe, Failure]]] = {}
    observed: list[Observed] = []
    for (check, probe), outcome in zip(plan, outcomes[1:], strict=True):
        verdict = _verdict(check, probe, outcome)
        if verdict is not None:
            found.setdefault(check.name, []).append(verdict)
        observed.append(
            (check.name, probe.payload, outcome.status, outcome.report, verdict is not None)
        )
    failures, passed = [], []
    budget_end = time.monotonic() + settings.SHRINK_BUDGET_S
    for check in spec.checks:
        if check.name not in found:
            passed.append(check.name)
            continue
        # Judged failures beat timeouts and crashes (they say more); then the smallest input.
        rank, probe, failure = min(found[check.name], key=lambda f: (f[0], f[1].size))
        if rank == _JUDGED and probe.shrink is not None:
            failure = _shrink(source, probe, failure, limits, isolate, budget_end)
        if failure.error is not None:
            failure.traceback = learner_traceback(failure.error, source)
        failures.append(failure)
    earned = [c for c in spec.checks
              if c.name in passed and all(name in passed for name in c.requires)]
    withheld = [name for name in passed if name not in {c.name for c in earned}]
    score = float(sum(c.points for c in earned))
    diagnosis = None
    if diagnose and failures and diagnose_safely is not None:
        diagnosis = diagnose_safely(spec.name, observed, [(f.check, f.message) for f in failures])
    return TaskResult(spec.name, score, spec.max_score, failures, passed, withheld, diagnosis)


_JUDGED, _STOPPED, _NOT_RUN = 0, 1, 2
_UNREADABLE = (
    "The grader could not read what your code did on this input "
    "(did it write into the grader's report channel?)"
)


def _verdict(check: Check, probe: Probe, outcome: Outcome) -> tuple[int, Probe, Failure] | None:
    """The failure a case shows (ranked: judged, stopped, not run), or ``None`` if it passed."""
    if outcome.status == "ok" and outcome.report is not None:
        try:
            failure = probe.judge(outcome.report)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            # Only a report the learner's code tampered with can be malformed like this.
            failure = Failure(check.name, _UNREADABLE, check.hint)
        return None if failure is None else (_JUDGED, probe, failure)
    if outcome.status == "skipped":
        return None  # an earlier case of the same check failed and says why
    rank = _STOPPED
    if outcome.status == "not_run":
        rank = _NOT_RUN
        message = f"Not run: {outcome.detail}, so grading moved on"
    elif outcome.status == "timeout":
        message = (
            f"Your code did not finish within {probe.timeout:g} s on this input and was stopped "
            "(an endless loop?); the rest of this check was not run"
        )
    else:
        message = f"Running your code on this input failed: {outcome.detail}"
    chunks = [bytes.fromhex(c) for c in probe.payload.get("chunks", [])]
    return rank, probe, Failure(check.name, message, check.hint, chunks=chunks)


def _shrink(
    source: str,
    probe: Probe,
    failure: Failure,
    limits: Limits | None,
    isolate: bool,
    budget_end: float,
) -> Failure:
    """Replace a failing probe by simpler ones that still fail, while time allows."""
    for _ in range(settings.SHRINK_ROUNDS):
        if probe.shrink is None or time.monotonic() > budget_end:
            break
        candidates = sorted(probe.shrink(), key=lambda p: p.size)[: settings.SHRINK_BATCH]
        if not candidates:
            break
        cases = [Case(f"candidate-{i}", c.payload, c.timeout) for i, c in enumerate(candidates)]
        outcomes = run_cases(source, cases, limits=limits, isolate=isolate)
        best = None
        for candidate, outcome in zip(candidates, outcomes, strict=True):
            if outcome.status != "ok" or outcome.report is None:
                continue
            try:
                found = candidate.judge(outcome.report)
            except (KeyError, TypeError, ValueError, IndexError, AttributeError):
                continue
            if found is not None:
                best = (candidate, found)
                break  # candidates are sorted: the first failure is the smallest
        if best is None:
            break
        probe, failure = best
    return failure


def _static_problem(spec: Task, source: str) -> str | Failure | None:
    """Why the source cannot be graded at all (syntax, or the task's name not defined), if so."""
    try:
        tree = ast.parse(source)
        # Some errors only the compiler sees ('break' outside a loop, 'return' outside a
        # function); compiling runs nothing, and the child would otherwise fail to start.
        compile(tree, "<answer>", "exec", dont_inherit=True)
    except SyntaxError as error:
        line = f" on line {error.lineno}" if error.lineno else ""
        text = (error.text or "").strip()
        shown = f" (`{text[:80]}`)" if text else ""
        return Failure(
            "answer", f"Your answer has a syntax error{line}{shown}: {error.msg}",
            "Python cannot read the answer cell, so nothing in it could be checked: run the "
            "cell to see the spot marked, fix it, and check again.",
        )
    except (ValueError, RecursionError, MemoryError) as error:
        return f"Your answer cannot be compiled: {type(error).__name__}: {error}"
    if spec.name not in defined_names(tree):
        return f"Your answer does not define `{spec.name}` at the top level of the cell"
    if is_unanswered(tree, spec.name):
        return Failure(
            "answer",
            f"`{spec.name}` is not answered yet: it still only raises NotImplementedError",
            f"Replace `raise NotImplementedError()` in the answer cell with your code for "
            f"`{spec.name}`, run the cell, then check again.",
        )
    return None


def _load_problem(spec: Task, outcome: Outcome, source: str) -> Failure | None:
    report = outcome.report or {}
    if outcome.status == "timeout":
        return Failure(
            "answer", "Running your cell did not finish (an endless loop at the top level?)",
            "Code at the top level of the answer cell runs each time the cell runs and must "
            f"end quickly: keep loops and waits inside `{spec.name}`.",
        )
    elif outcome.status != "ok":
        message = f"Running your cell failed: {outcome.detail}"
    elif report.get("error"):
        error = report["error"]
        failure = Failure(
            "answer", f"Running your cell raised {describe_error(error)}", error=error
        )
        failure.traceback = learner_traceback(error, source)
        return failure
    elif not report.get("defined"):
        message = f"After running your cell, `{spec.name}` is not defined"
    else:
        return None
    return Failure("answer", message)


def _all_failed(spec: Task, problem: str | Failure) -> TaskResult:
    failure = problem if isinstance(problem, Failure) else Failure("answer", problem)
    failure.hint = failure.hint or f"Define `{spec.name}` in the answer cell and run it."
    # Nothing ran, so nothing can be compared: the diagnosis names this failure, no guess.
    diagnosis = no_match(spec.name, failure.check, failure.message) if no_match else None
    return TaskResult(spec.name, 0.0, spec.max_score, [failure], [], diagnosis=diagnosis)
