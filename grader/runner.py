"""Run a learner's source on a batch of cases in a sandboxed child process, and collect reports.

The runner knows nothing about framing: a case is a ``payload`` (plain JSON the
child's drivers understand), a ``group`` (the check it belongs to) and a
wall-clock ``timeout``. Cases run in one child, one after the other, because
starting a process is the expensive part. Each report must arrive before the
case's deadline; otherwise the child's whole process group is killed
(SIGKILL, so ignoring signals does not help), that case is reported as timed
out, the rest of its group as skipped, and a fresh child carries on with the
other groups. A child that dies (``os._exit``, the memory limit) costs its
group the same way.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .sandbox import Limits, plan

__all__ = ["Case", "Outcome", "run_cases"]

_CHILD_SOURCE = (Path(__file__).with_name("child.py")).read_text(encoding="utf-8")

#: A child may not send more than this in reports (learner code can write to the pipe).
MAX_REPORT_BYTES = 256 << 20

#: ``skipped``: an earlier case of the same group failed; ``not_run``: the run was cut short
#: (a fatal group failed, or too many children had to be killed).
Status = Literal["ok", "timeout", "crashed", "skipped", "not_run", "broken"]


@dataclass(frozen=True)
class Case:
    """One run of the learner's code: what to send the child, and how long it may take."""

    group: str
    payload: dict[str, Any]
    timeout: float = 2.0


@dataclass
class Outcome:
    """What became of one case: the child's report when ``status`` is ``"ok"``."""

    status: Status
    report: dict[str, Any] | None = None
    detail: str = ""


@dataclass
class _Child:
    process: subprocess.Popen[bytes]
    results: int
    scratch: str | None = None
    pending: bytearray = field(default_factory=bytearray)
    #: How far ``pending`` is known to hold no newline (long lines are scanned once).
    scanned: int = 0
    received: int = 0
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)

    def __post_init__(self) -> None:
        self.selector.register(self.results, selectors.EVENT_READ)


def run_cases(
    source: str,
    cases: Sequence[Case],
    *,
    prelude: str = "",
    limits: Limits | None = None,
    isolate: bool = True,
    startup_timeout: float = 10.0,
    fatal_groups: frozenset[str] = frozenset(),
    max_restarts: int = 3,
) -> list[Outcome]:
    """Run every case on ``source``; one ``Outcome`` per case, in order.

    When a case of a group in ``fatal_groups`` does not report, nothing more is
    run; nor after ``max_restarts`` children had to be replaced (each one cost a
    timeout or a crash), so an answer that hangs everywhere costs seconds, not minutes.
    """
    limits = limits or Limits()
    outcomes: list[Outcome | None] = [None] * len(cases)
    pending = list(range(len(cases)))
    restarts = 0
    while pending:
        pending = _run_batch(
            source, prelude, cases, pending, outcomes, limits, isolate, startup_timeout
        )
        fatal = any(
            outcome is not None and outcome.status != "ok" and case.group in fatal_groups
            for case, outcome in zip(cases, outcomes, strict=True)
        )
        if pending:
            restarts += 1
        if fatal or restarts > max_restarts:
            reason = "a required case failed" if fatal else "too many cases had to be stopped"
            for index in pending:
                outcomes[index] = Outcome("not_run", detail=reason)
            break
    return [outcome or Outcome("not_run", detail="not run") for outcome in outcomes]


def _run_batch(
    source: str,
    prelude: str,
    cases: Sequence[Case],
    indices: list[int],
    outcomes: list[Outcome | None],
    limits: Limits,
    isolate: bool,
    startup_timeout: float,
) -> list[int]:
    """Run ``indices`` in one child until all report or one fails; return the indices left."""
    child = _start(source, prelude, cases, indices, limits, isolate)
    try:
        line, problem = _next_line(child, time.monotonic() + startup_timeout)
        if problem is not None or line != b'{"ready":true}':
            # The child never got as far as learner code: the sandbox itself failed.
            detail = problem.detail if problem else "the child did not start properly"
            for index in indices:
                outcomes[index] = Outcome("broken", detail=f"grading could not start: {detail}")
            return []
        for index in indices:
            line, problem = _next_line(child, time.monotonic() + cases[index].timeout)
            if problem is None:
                report = _parse(line, index)
                if report is not None:
                    outcomes[index] = Outcome("ok", report)
                    continue
                problem = Outcome("broken", detail="the child's report was malformed")
            outcomes[index] = problem
            rest = indices[indices.index(index) + 1 :]
            return _skip_group(cases, rest, cases[index].group, outcomes)
        return []
    finally:
        _stop(child)


def _skip_group(
    cases: Sequence[Case], rest: list[int], group: str, outcomes: list[Outcome | None]
) -> list[int]:
    left = []
    for index in rest:
        if cases[index].group == group:
            outcomes[index] = Outcome("skipped", detail="an earlier case of this check failed")
        else:
            left.append(index)
    return left


def _start(
    source: str,
    prelude: str,
    cases: Sequence[Case],
    indices: list[int],
    limits: Limits,
    isolate: bool,
) -> _Child:
    sandbox = plan(limits, isolate=isolate)
    scratch = tempfile.mkdtemp(prefix="grader-child-") if sandbox.needs_private_cwd else None
    read_end, write_end = os.pipe()
    job = {
        "source": source,
        "prelude": prelude,
        "drop_to_uid": sandbox.drop_to_uid,
        "rlimits": limits.rlimits(),
        "cases": [{**cases[index].payload, "id": index} for index in indices],
    }
    argv = [*sandbox.argv, "-I", "-c", _CHILD_SOURCE, str(write_end)]
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(write_end,),
            start_new_session=True,  # its own process group, killed as a whole
            cwd=scratch or "/",
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": scratch or "/tmp"},
        )
    except BaseException:
        os.close(read_end)
        _remove(scratch)
        raise
    finally:
        os.close(write_end)
    os.set_blocking(read_end, False)
    assert process.stdin is not None
    try:
        process.stdin.write(json.dumps(job).encode())
        process.stdin.close()
    except BrokenPipeError:
        pass
    return _Child(process, read_end, scratch)


def _next_line(child: _Child, deadline: float) -> tuple[bytes, Outcome | None]:
    """The child's next report line, or the reason there is none before ``deadline``."""
    while True:
        end = child.pending.find(b"\n", child.scanned)
        if end >= 0:
            line = bytes(child.pending[:end])
            del child.pending[: end + 1]
            child.scanned = 0
            return line, None
        child.scanned = len(child.pending)
        # Poll once more even when the deadline has passed: if this (grading) process was
        # the slow one, a report already in the pipe still counts.
        remaining = max(deadline - time.monotonic(), 0.0)
        if not child.selector.select(remaining):
            if remaining == 0.0:
                return b"", Outcome("timeout", detail="the case ran past its time limit")
            continue
        try:
            piece = os.read(child.results, 1 << 20)
        except BlockingIOError:
            continue
        if not piece:
            return b"", Outcome("crashed", detail=_exit_reason(child.process))
        child.received += len(piece)
        if child.received > MAX_REPORT_BYTES:
            return b"", Outcome("broken", detail="the child sent too much data")
        child.pending += piece


def _parse(line: bytes, index: int) -> dict[str, Any] | None:
    try:
        report = json.loads(line)
    except ValueError:
        return None
    if not isinstance(report, dict) or report.get("id") != index:
        return None
    return report


def _exit_reason(process: subprocess.Popen[bytes]) -> str:
    try:
        code = process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        return "the process stopped reporting"
    if code < 0:
        name = signal.Signals(-code).name
        if -code == signal.SIGXCPU:
            return f"the process used up its CPU time and was stopped ({name})"
        return f"the process was killed by {name} (often the memory limit)"
    return f"the process exited with status {code} before finishing the case"


def _stop(child: _Child) -> None:
    process = child.process
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    child.selector.close()
    os.close(child.results)
    _remove(child.scratch)


def _remove(folder: str | None) -> None:
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
