"""The grading worker, both sides: the long-lived process, and the parent's handle on it.

``python -m grader autograde-worker`` imports nbgrader once and then grades one student per
line of its stdin with nbgrader's own Autograde converter, answering each with one result
line. ``WorkerProcess`` is the parent's side: it starts the process, hands it a student,
reads the result, and starts a fresh process when one dies.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys

from grader import settings
from grader.course import Course, put_venv_on_path, subprocess_env
from grader.gradebook.locks import claim_student
from grader.gradebook.queries import submission_score
from grader.gradebook.session_lock import serialised_gradebook

from .outcome import StudentOutcome
from .release import nbgrader_api

__all__ = ["WORKER_RESULT_PREFIX", "WorkerProcess", "run_worker", "worker_main"]

WORKER_RESULT_PREFIX = "GRADER-RESULT "


class WorkerProcess:
    """A long-lived `python -m grader autograde-worker` process: nbgrader is imported once.

    The parent sends one student id per line on its stdin and reads one result line back. If the
    process dies, the student it was grading fails with a message and a fresh process is
    started for the next one.
    """

    def __init__(self, course: Course, lesson: str, number: int) -> None:
        self.course, self.lesson, self.number = course, lesson, number
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the process now (it warms up while the parent does other work)."""
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()

    def _start(self) -> subprocess.Popen:
        log_path = self.course.path("logs", self.lesson, f"worker-{self.number}.log")
        log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "grader", "autograde-worker", self.lesson,
                   "--course-json", json.dumps(self.course.to_json())]
        with open(log_path, "a") as log:
            return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=log, text=True, env=subprocess_env(),
                                    cwd=self.course.root, start_new_session=True)

    def grade(self, student: str) -> StudentOutcome:
        self.start()
        process = self.process
        assert process is not None and process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(student + "\n")
            process.stdin.flush()
            for line in process.stdout:
                if line.startswith(WORKER_RESULT_PREFIX):
                    return StudentOutcome.from_json(json.loads(line[len(WORKER_RESULT_PREFIX):]))
        except (BrokenPipeError, OSError):
            pass
        status = process.wait()
        self.process = None
        return StudentOutcome(student, False, message=(
            f"the grading worker died (exit status {status}); see "
            f"{self.course.path('logs', self.lesson)}"))

    def kill(self) -> None:
        """End the worker at once (Ctrl-C), whatever it is grading.

        Its kernels follow it: bwrap's --die-with-parent, and ipykernel's parent poller for an
        unsandboxed kernel.
        """
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: see _start
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=settings.WORKER_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def run_worker(course: Course, lesson: str, student: str) -> StudentOutcome:
    """The worker's side: autograde one student with nbgrader's own converter."""
    with claim_student(course.db_url, lesson, student) as claim:
        api = nbgrader_api(course, submitted_dir=course.preflight_dir.name)
        result = api.autograde(lesson, student, force=True, create=True)
        log_path = course.path("logs", lesson, f"{student}.log")
        log_path.write_text((result.get("log") or "") + (result.get("error") or ""))
        if not result.get("success"):
            claim.status = "error"
            return StudentOutcome(student, False, message=_failure_reason(result))
        scores = submission_score(course, lesson, student)
    if scores is None:
        return StudentOutcome(student, False, message="nbgrader recorded no submission")
    return StudentOutcome(student, True, score=scores[0], max_score=scores[1])


def _failure_reason(result: dict) -> str:
    """The line of nbgrader's log that says what went wrong (the exception, not the frames)."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    exceptions = [line.strip() for line in text.splitlines()
                  if re.match(r"^\s*[\w.]*(?:Error|Exception|Exit)\b.*", line)
                  and "NbGraderException" not in line]
    errors = [line.strip() for line in text.splitlines() if line.startswith("[ERROR]")
              and "Traceback" not in line and "There was an error" not in line
              and "Please see" not in line]
    return ((exceptions or errors or ["nbgrader failed"])[-1])[:300]


def worker_main(lesson: str, course_json: str) -> int:
    """Entry point of `python -m grader autograde-worker` (started by `autograde`).

    Reads student ids from stdin, one per line, and answers each with one result line.
    """
    import traceback

    course = Course.from_json(json.loads(course_json))
    put_venv_on_path()
    # Import the heavy parts before the first student arrives (the parent is busy meanwhile).
    import nbgrader.apps  # noqa: F401

    import grader.autograde.preprocessors  # noqa: F401
    import grader.grading  # noqa: F401

    # nbgrader's Gradebook sessions take the course's lock while this block runs (SQLite only).
    with serialised_gradebook(course):
        for line in sys.stdin:
            student = line.strip()
            if not student:
                continue
            try:
                outcome = run_worker(course, lesson, student)
            except Exception as error:  # reported to the parent, which carries on
                traceback.print_exc()
                outcome = StudentOutcome(student, False,
                                         message=f"{type(error).__name__}: {error}")
            print(WORKER_RESULT_PREFIX + json.dumps(outcome.to_json()), flush=True)
    return 0
