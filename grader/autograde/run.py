"""An autograde run: every selected student of a lesson, `jobs` at a time, on worker processes.

Autograde starts `jobs` long-lived worker processes (``grader.autograde.worker``, so
nbgrader is imported once per worker, not once per student) and hands each one student at
a time. A worker runs nbgrader's own Autograde converter, configured by
``grader.autograde.config``, on that student's preflighted submission. With SQLite every
gradebook session of every worker is serialised by a file lock
(``grader.gradebook.session_lock``: nbgrader opens short sessions around its reads and
writes, and none while the kernel runs), so workers never meet a locked database;
PostgreSQL handles concurrent writers itself. Results do not depend on the number of jobs:
each student's grading reads only that student's files and seeds the checks with the
student id.

Before a student is graded, their submitted folder is compared with the record of what
collect copied (``grader.autograde.collected``): one that changed since is refused with one
line saying what changed and what to do, unless the run was asked to grade it anyway
(``grade_changed``, ``--grade-changed``), which the student's line then says.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence
from typing import TextIO

from grader.course import Course
from grader.deployment.privacy import repair_submitted
from grader.errors import GradingInterrupted, SubmissionError, WorkflowError
from grader.gradebook.schema import prepare_course
from grader.sandbox.kernel import sandbox_tools_available

from .collected import CollectChecker
from .inbound import find_inbound
from .outcome import StudentOutcome
from .preflight import preflight_submission
from .progress import ProgressPrinter
from .release import ensure_released
from .reports import load_reports, record_attempt, write_preflight, write_run_summary
from .selection import select_students, submitted_students
from .worker import WorkerProcess

__all__ = ["autograde", "grade_student"]


def autograde(
    course: Course,
    lesson: str,
    *,
    jobs: int = 1,
    students: Sequence[str] | None = None,
    shard: tuple[int, int] | None = None,
    grade_changed: bool = False,
    out: TextIO = sys.stdout,
) -> list[StudentOutcome]:
    """Grade every (selected) student's submission of `lesson`, `jobs` students at a time.

    A submission that changed after collect is refused (not graded, nothing overwritten)
    unless `grade_changed` is set; see ``grader.autograde.collected``.
    """
    if jobs < 1:
        raise WorkflowError(f"--jobs must be at least 1, got {jobs}")
    course.check_lesson(lesson)
    # `nbgrader collect` leaves each submission folder writable by everyone (0777).
    repaired = repair_submitted(course.path("submitted"))
    if repaired:
        print(f"closed {len(repaired)} path(s) in {course.path('submitted')} that other users "
              "could write (as nbgrader collect leaves them)", file=out)
    if course.sandbox_kernel:
        if not sandbox_tools_available():
            raise WorkflowError("bwrap, prlimit and setpriv are needed to sandbox the grading "
                                "kernel: run `make system-deps`, or pass --no-kernel-sandbox")
    else:
        print("warning: the notebook kernel runs unsandboxed: learner code can read and write "
              "the course directory (scores still come from the sandboxed checks)", file=out)
    available = submitted_students(course, lesson)
    checker = CollectChecker(course, lesson, find_inbound(course.root))
    # Every submission of the lesson, not only this shard's: the earlier a record, the better.
    first_sight = checker.first_sight_note(checker.record_unrecorded(available))
    if first_sight:
        print(first_sight, file=out)
    chosen = select_students(available, students, shard)
    if not chosen:
        print(f"no submissions of {lesson} to grade in {course.path('submitted')}", file=out)
        return []
    started = time.monotonic()
    # Workers start first: they import nbgrader while this process prepares the gradebook.
    workers = [WorkerProcess(course, lesson, number)
               for number in range(1, min(jobs, len(chosen)) + 1)]
    outcomes: list[StudentOutcome] = []
    stopping = threading.Event()
    try:
        for worker in workers:
            worker.start()
        prepare_course(course)
        ensure_released(course, lesson, out)
        grade_all(course, lesson, chosen, workers, ProgressPrinter(out, len(chosen)),
                  outcomes, stopping, checker=checker, grade_changed=grade_changed)
    except KeyboardInterrupt:
        # Stop now rather than wait for the students in progress; those are left as they
        # were (not marked failed), and the ones already graded keep their grades.
        stopping.set()
        for worker in workers:
            worker.kill()
        raise GradingInterrupted(
            f"{lesson}: interrupted; graded {len(outcomes)} of {len(chosen)} student(s), the "
            "rest are unchanged (run autograde again to grade them)"
        ) from None
    finally:
        for worker in workers:
            worker.stop()
    elapsed = time.monotonic() - started
    outcomes.sort(key=lambda outcome: outcome.student)
    failed = [outcome for outcome in outcomes if not outcome.ok]
    changed = sum(outcome.changed_after_collect for outcome in outcomes)
    print(
        f"{lesson}: graded {len(outcomes) - len(failed)}, failed {len(failed)}, "
        f"{elapsed:.1f} s ({elapsed / max(len(outcomes), 1):.2f} s per submission, "
        f"{len(workers)} job(s))"
        + (f"; {changed} of the failed changed after collect and were not graded "
           "(see their lines)" if changed else ""),
        file=out, flush=True,
    )
    write_run_summary(course, lesson, outcomes)
    return outcomes


def grade_all(
    course: Course, lesson: str, chosen: list[str], workers: list[WorkerProcess],
    printer: ProgressPrinter, outcomes: list[StudentOutcome], stopping: threading.Event,
    *, checker: CollectChecker | None = None, grade_changed: bool = False,
) -> None:
    """Hand the students to the workers, one at a time each, until none are left.

    Each outcome is appended to `outcomes` as it arrives; once `stopping` is set, outcomes
    (a worker killed mid-student) are dropped and no further student is started.
    """
    pending = list(reversed(chosen))
    pending_lock = threading.Lock()

    def next_student() -> str | None:
        with pending_lock:
            return pending.pop() if pending and not stopping.is_set() else None

    def work(worker: WorkerProcess) -> None:
        while (student := next_student()) is not None:
            try:
                outcome = grade_student(course, lesson, student, worker,
                                        checker=checker, grade_changed=grade_changed)
            except Exception as error:  # one student's trouble must not stop the others
                outcome = StudentOutcome(student, False,
                                         message=f"{type(error).__name__}: {error}")
            if stopping.is_set():
                return
            record_attempt(course, lesson, outcome)
            printer.line(outcome)
            outcomes.append(outcome)

    threads = [threading.Thread(target=work, args=(worker,), daemon=True) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def grade_student(
    course: Course, lesson: str, student: str, worker: WorkerProcess,
    *, checker: CollectChecker | None = None, grade_changed: bool = False,
) -> StudentOutcome:
    """Check, preflight and have a worker process autograde one student's submission.

    With a `checker`, a submission that changed after collect is refused before anything is
    copied or graded (its folder, reports and gradebook entry stay as they were).
    """
    started = time.monotonic()
    collect_check = checker.check(student, grade_changed=grade_changed) if checker else None
    if collect_check is not None and collect_check.refused:
        return StudentOutcome(student, False, message=collect_check.refusal,
                              seconds=time.monotonic() - started, changed_after_collect=True)
    staged = course.preflight_dir / student / lesson
    try:
        preflight = preflight_submission(
            student, lesson, course.path("submitted", student, lesson), staged,
            course.path("release", lesson),
        )
    except SubmissionError as error:
        return StudentOutcome(student, False, message=str(error),
                              seconds=time.monotonic() - started, submission_problem=True)
    write_preflight(course, lesson, preflight)
    outcome = worker.grade(student)
    outcome.seconds = time.monotonic() - started
    outcome.collect_notes = collect_check.notes if collect_check else []
    outcome.repairs = preflight.repairs
    outcome.problems = preflight.problems
    reports = load_reports(course, lesson, student)
    outcome.tricks = [trick["trick"] for report in reports for trick in report.get("tricks", [])]
    outcome.kernel_events = [event for report in reports
                             for event in report.get("kernel_events", [])]
    return outcome
