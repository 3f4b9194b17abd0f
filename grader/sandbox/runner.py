"""Run a learner's source on a batch of cases in a sandboxed child process, and collect reports.

The runner knows nothing about framing: a case is a ``payload`` (plain JSON the
child's drivers understand), a ``group`` (the check it belongs to) and a
wall-clock ``timeout``. Cases run in one child, one after the other, because
starting a process is the expensive part. Each report must arrive before the
case's deadline; otherwise the child's whole process group is killed
(SIGKILL, so ignoring signals does not help), that case is reported as timed
out, the rest of its group as skipped, and a fresh child carries on with the
other groups. A child that dies (``os._exit``, the memory limit) costs its
group the same way. A run also has an overall time limit and a cap on how many
children may be replaced, so no answer can stall grading.

Reports travel on a pipe of their own (not stdout): the child's first line says
it is ready, then one line per case, in order and tagged with the case's id.
Anything else on that pipe marks the case as broken.
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

from grader import settings
from grader.errors import SandboxError

from .bwrap import child_plan
from .limits import Limits

__all__ = ["CHILD_PARTS", "Case", "Outcome", "SandboxError", "run_cases"]

#: The files of the child's one source, in order: each part uses names the earlier ones define
#: (the case format shared with the diagnosis, the socket drivers, the child itself).
CHILD_PARTS = ("child_protocol.py", "child_sockets.py", "child.py")
#: The child's source (it imports nothing of the grader).
_CHILD_SOURCE = "\n\n".join(
    Path(__file__).with_name(part).read_text(encoding="utf-8") for part in CHILD_PARTS
)

#: ``skipped``: an earlier case of the same group failed; ``not_run``: the run was cut short
#: (a fatal group failed, or too many children had to be killed).
Status = Literal["ok", "timeout", "crashed", "skipped", "not_run", "broken"]


@dataclass(frozen=True)
class Case:
    """One run of the learner's code: what to send the child, and how long it may take."""

    group: str
    payload: dict[str, Any]
    timeout: float = settings.CASE_TIMEOUT_S


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
    limits: Limits | None = None,
    isolate: bool = True,
    startup_timeout: float = settings.CHILD_STARTUP_TIMEOUT_S,
    fatal_groups: frozenset[str] = frozenset(),
    max_restarts: int = settings.MAX_CHILD_RESTARTS,
    total_timeout: float = settings.ANSWER_TIMEOUT_S,
) -> list[Outcome]:
    """Run every case on ``source``; one ``Outcome`` per case, in order.

    Raises ``SandboxError`` when no child process can be started at all.

    When a case of a group in ``fatal_groups`` does not report, nothing more is
    run; nor after ``max_restarts`` children had to be replaced (each one cost a
    timeout or a crash), nor after ``total_timeout`` seconds in all: an answer
    that hangs everywhere, or is merely slow on thousands of cases, costs
    seconds, not hours.
    """
    run = _Run(
        source,
        cases,
        limits or Limits(),
        isolate,
        startup_timeout,
        time.monotonic() + total_timeout,
    )
    pending = list(range(len(cases)))
    restarts = 0
    while pending:
        pending = run.batch(pending)
        fatal = any(
            outcome is not None and outcome.status != "ok" and case.group in fatal_groups
            for case, outcome in zip(cases, run.outcomes, strict=True)
        )
        if pending:
            restarts += 1
        reason = None
        if fatal:
            reason = "the answer could not be run"
        elif restarts > max_restarts:
            reason = "the code had already been stopped on several other checks"
        elif pending and time.monotonic() >= run.deadline:
            reason = "the time for grading this answer ran out"
        if reason:
            for index in pending:
                run.outcomes[index] = Outcome("not_run", detail=reason)
            break
    return [outcome or Outcome("not_run", detail="not run") for outcome in run.outcomes]


@dataclass
class _Run:
    """One ``run_cases`` call: its inputs, the outcomes so far, and its overall deadline."""

    source: str
    cases: Sequence[Case]
    limits: Limits
    isolate: bool
    startup_timeout: float
    deadline: float

    def __post_init__(self) -> None:
        self.outcomes: list[Outcome | None] = [None] * len(self.cases)

    def _ready_child(self, indices: list[int]) -> _Child:
        """A child that has read its job and is about to run learner code (two attempts)."""
        detail = ""
        for _attempt in range(2):
            child = _start(self.source, self.cases, indices, self.limits, self.isolate)
            line, problem = _next_line(child, time.monotonic() + self.startup_timeout)
            if problem is None and line == b'{"ready":true}':
                return child
            _stop(child)
            # No learner code has run yet: the machine or the sandbox is at fault, not the answer.
            detail = problem.detail if problem else "the child did not start properly"
        raise SandboxError(f"the grading process could not start: {detail}")

    def batch(self, indices: list[int]) -> list[int]:
        """Run ``indices`` in one child until all report or one fails; return those left."""
        cases = self.cases
        child = self._ready_child(indices)
        try:
            for position, index in enumerate(indices):
                deadline = min(time.monotonic() + cases[index].timeout, self.deadline)
                line, problem = _next_line(child, deadline)
                if problem is None:
                    report = _parse(line, index)
                    if report is not None:
                        self.outcomes[index] = Outcome("ok", report)
                        continue
                    problem = Outcome("broken", detail="the child's report was malformed")
                self.outcomes[index] = problem
                return self._skip_group(indices[position + 1 :], cases[index].group)
            return []
        finally:
            _stop(child)

    def _skip_group(self, rest: list[int], group: str) -> list[int]:
        left = []
        for index in rest:
            if self.cases[index].group == group:
                self.outcomes[index] = Outcome(
                    "skipped", detail="an earlier case of this check failed"
                )
            else:
                left.append(index)
        return left


def _start(
    source: str,
    cases: Sequence[Case],
    indices: list[int],
    limits: Limits,
    isolate: bool,
) -> _Child:
    sandbox = child_plan(limits, isolate=isolate)
    scratch = tempfile.mkdtemp(prefix="grader-child-") if sandbox.needs_private_cwd else None
    read_end, write_end = os.pipe()
    job = {
        "source": source,
        "drop_to_uid": sandbox.drop_to_uid,
        "rlimits": limits.rlimits(),
        "recursion_limit": settings.CHILD_RECURSION_LIMIT,
        "full_frame_bytes": settings.CHILD_FULL_FRAME_BYTES,
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
        if child.received > settings.MAX_REPORT_BYTES:
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
