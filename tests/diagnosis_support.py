"""Until grading hands its cases to the diagnosis itself: run a task's checks on an answer
and collect, per case, what the answer did (the same run ``grade_source`` makes)."""

from __future__ import annotations

from grader.diagnosis import Diagnosis, diagnose
from grader.grading import grade_source
from grader.runner import Case, run_cases
from grader.tasks import TASKS


def observe(task: str, source: str, seed: str = "") -> list[tuple]:
    spec = TASKS[task]
    plan = [(check, probe) for check in spec.checks for probe in check.probes(seed)]
    cases = [Case(check.name, probe.payload, probe.timeout) for check, probe in plan]
    outcomes = run_cases(source, cases, prelude=spec.prelude, isolate=False)
    found = []
    for (check, probe), outcome in zip(plan, outcomes, strict=True):
        failed = outcome.status != "ok"
        if outcome.status == "ok" and outcome.report is not None:
            try:
                failed = probe.judge(outcome.report) is not None
            except (KeyError, TypeError, ValueError, IndexError, AttributeError):
                failed = True
        found.append((check.name, probe.payload, outcome.status, outcome.report, failed))
    return found


def diagnose_source(task: str, source: str, seed: str = "") -> Diagnosis:
    result = grade_source(task, source, seed, isolate=False)
    failed = [(f.check, f.message) for f in result.failures]
    return diagnose(task, observe(task, source, seed), failed)
