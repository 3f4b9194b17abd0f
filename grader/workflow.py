"""The instructor's workflow on top of nbgrader: release, autograde (in parallel), scores, export.

Autograde starts `jobs` long-lived worker processes (`python -m grader autograde-worker`, so
nbgrader is imported once per worker, not once per student) and hands each one student at a
time. A worker runs nbgrader's own Autograde converter, configured by `grader.course.Course`, on
that student's preflighted submission. With SQLite every gradebook
session of every worker is serialised by a file lock (nbgrader opens short sessions around its
reads and writes, and none while the kernel runs), so workers never meet a locked database;
PostgreSQL handles concurrent writers itself. Results do not depend on the number of jobs:
each student's grading reads only that student's files and seeds the checks with the student id.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

from grader.course import Course, put_venv_on_path, subprocess_env
from grader.preflight import PreflightResult, SubmissionError, preflight_submission

WORKER_RESULT_PREFIX = "GRADER-RESULT "
# Per student, beside the notebook reports: how the latest grading attempt went.
PREFLIGHT_FILE = "preflight.json"
ATTEMPT_FILE = "last-attempt.json"
# What a learner is told when grading failed for a reason that is not in their submission.
GRADER_TROUBLE = "the grader could not process it; your instructor has the details"


class WorkflowError(Exception):
    """An instructor command cannot run (the message says why and what to do)."""


class GradingInterrupted(Exception):
    """Autograde was interrupted (Ctrl-C); the message says how far it got."""


@dataclass
class StudentOutcome:
    """How grading one student went."""

    student: str
    ok: bool
    score: float | None = None
    max_score: float | None = None
    message: str = ""
    seconds: float = 0.0
    tricks: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    # What preflight found wrong and could not repair (a missing answer cell, say).
    problems: list[str] = field(default_factory=list)
    kernel_events: list[str] = field(default_factory=list)
    # True when the submission itself is at fault (preflight refused it): the message is then
    # about the learner's files and safe to show them.
    submission_problem: bool = False


# --- shared helpers ------------------------------------------------------------------------------


def _nbgrader_api(course: Course, *, submitted_dir: str = "submitted"):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = course.nbgrader_config(submitted_dir=submitted_dir)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def prepare_course(course: Course) -> None:
    from grader.gradebook_db import prepare_gradebook

    put_venv_on_path()
    course.ensure_layout()
    prepare_gradebook(course.db_url)


@contextlib.contextmanager
def serialised_gradebook(course: Course) -> Iterator[None]:
    """Hold a cross-process lock for the lifetime of every nbgrader Gradebook (SQLite only).

    SQLite lets one writer in at a time and fails a second with "database is locked" (or, for
    two readers both upgrading to writers, at once). nbgrader opens a Gradebook for each short
    step, so holding a file lock from its creation to its close serialises the steps of all
    workers without serialising the notebook execution in between.
    """
    if not course.uses_sqlite:
        yield
        return
    from nbgrader.api import Gradebook

    from grader.gradebook_db import exclusive

    original_init, original_close = Gradebook.__init__, Gradebook.close
    state = threading.local()

    def locked_init(self, *args, **kwargs):
        depth = getattr(state, "depth", 0)
        if depth == 0:
            state.lock = exclusive(course.db_url, "gradebook-session")
            state.lock.__enter__()
        state.depth = depth + 1
        self._course_lock_held = True
        try:
            original_init(self, *args, **kwargs)
        except BaseException:
            _release(self)
            raise

    def _release(self) -> None:
        if not getattr(self, "_course_lock_held", False):
            return
        self._course_lock_held = False
        state.depth -= 1
        if state.depth == 0:
            state.lock.__exit__(None, None, None)

    def locked_close(self):
        try:
            original_close(self)
        finally:
            _release(self)

    Gradebook.__init__, Gradebook.close = locked_init, locked_close
    try:
        yield
    finally:
        Gradebook.__init__, Gradebook.close = original_init, original_close


def _submission_score(course: Course, lesson: str, student: str) -> tuple[float, float] | None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gradebook:
        try:
            submission = gradebook.find_submission(lesson, student)
        except MissingEntry:
            return None
        return float(submission.score), float(submission.max_score)


def check_lesson(course: Course, lesson: str) -> None:
    """Raise WorkflowError unless `lesson` is one of the course's lessons."""
    if lesson not in course.lessons():
        known = ", ".join(course.lessons()) or "none"
        raise WorkflowError(
            f"no lesson {lesson!r} in {course.source_dir} (lessons: {known})"
        )


# --- release -------------------------------------------------------------------------------------


def release(course: Course, lesson: str) -> Path:
    """Generate the student version of a lesson into release/LESSON and record it in the gradebook.

    Solutions and hidden tests are removed by nbgrader's generate_assignment.
    """
    from grader.gradebook_db import exclusive

    check_lesson(course, lesson)
    prepare_course(course)
    with exclusive(course.db_url, "release", lesson):
        _generate_release(course, lesson)
    return course.path("release", lesson)


def _generate_release(course: Course, lesson: str) -> None:
    result = _nbgrader_api(course).generate_assignment(lesson, force=True, create=True)
    if not result.get("success"):
        raise WorkflowError(f"nbgrader could not release {lesson}:\n{_tail(result)}")


def _ensure_released(course: Course, lesson: str, out: TextIO = sys.stdout) -> None:
    """Release the lesson unless this gradebook and course folder already have it.

    Checked under the release lock, so graders starting together (shards on several hosts)
    release it once, not over each other's grading.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from grader.gradebook_db import exclusive

    with exclusive(course.db_url, "release", lesson):
        with Gradebook(course.db_url) as gradebook:
            try:
                known = bool(gradebook.find_assignment(lesson).notebooks)
            except MissingEntry:
                known = False
        if not known or not course.path("release", lesson).is_dir():
            print(f"{lesson} was not released into this course yet; releasing it first",
                  file=out)
            _generate_release(course, lesson)


def _tail(result: dict, lines: int = 15) -> str:
    text = (result.get("log") or "") + (result.get("error") or "")
    return "\n".join(text.strip().splitlines()[-lines:])


# --- autograde -----------------------------------------------------------------------------------


def parse_shard(text: str) -> tuple[int, int]:
    """'2/3' -> (2, 3): the second of three shards (1-based)."""
    try:
        index_text, count_text = text.split("/")
        index, count = int(index_text), int(count_text)
    except ValueError:
        raise WorkflowError(f"--shard expects I/N such as 1/2, got {text!r}") from None
    if count < 1 or not 1 <= index <= count:
        raise WorkflowError(f"--shard {text}: I must be between 1 and N (N >= 1)")
    return index, count


def select_students(
    available: Sequence[str], wanted: Sequence[str] | None, shard: tuple[int, int] | None
) -> list[str]:
    """The students to grade: the named ones (all by default), then this shard's share.

    Shards split the sorted list round-robin, so every host that sees the same submissions
    folder gets a disjoint, balanced share and together they cover everyone once.
    """
    students = sorted(available)
    if wanted:
        unknown = sorted(set(wanted) - set(students))
        if unknown:
            raise WorkflowError(f"no submission from: {', '.join(unknown)}")
        students = [student for student in students if student in set(wanted)]
    if shard:
        index, count = shard
        students = students[index - 1:: count]
    return students


def submitted_students(course: Course, lesson: str) -> list[str]:
    folder = course.path("submitted")
    if not folder.is_dir():
        return []
    return sorted(entry.name for entry in folder.iterdir()
                  if (entry / lesson).is_dir() and not entry.name.startswith("."))


def autograde(
    course: Course,
    lesson: str,
    *,
    jobs: int = 1,
    students: Sequence[str] | None = None,
    shard: tuple[int, int] | None = None,
    out: TextIO = sys.stdout,
) -> list[StudentOutcome]:
    """Grade every (selected) student's submission of `lesson`, `jobs` students at a time."""
    if jobs < 1:
        raise WorkflowError(f"--jobs must be at least 1, got {jobs}")
    check_lesson(course, lesson)
    if course.sandbox_kernel:
        from grader.kernel_sandbox import sandbox_tools_available

        if not sandbox_tools_available():
            raise WorkflowError("bwrap, prlimit and setpriv are needed to sandbox the grading "
                                "kernel: run `make system-deps`, or pass --no-kernel-sandbox")
    else:
        print("warning: the notebook kernel runs unsandboxed: learner code can read and write "
              "the course directory (scores still come from the sandboxed checks)", file=out)
    chosen = select_students(submitted_students(course, lesson), students, shard)
    if not chosen:
        print(f"no submissions of {lesson} to grade in {course.path('submitted')}", file=out)
        return []
    started = time.monotonic()
    # Workers start first: they import nbgrader while this process prepares the gradebook.
    workers = [_WorkerProcess(course, lesson, number)
               for number in range(1, min(jobs, len(chosen)) + 1)]
    outcomes: list[StudentOutcome] = []
    stopping = threading.Event()
    try:
        for worker in workers:
            worker.start()
        prepare_course(course)
        _ensure_released(course, lesson, out)
        _grade_all(course, lesson, chosen, workers, _ProgressPrinter(out, len(chosen)),
                   outcomes, stopping)
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
    print(
        f"{lesson}: graded {len(outcomes) - len(failed)}, failed {len(failed)}, "
        f"{elapsed:.1f} s ({elapsed / max(len(outcomes), 1):.2f} s per submission, "
        f"{len(workers)} job(s))",
        file=out, flush=True,
    )
    _write_run_summary(course, lesson, outcomes)
    return outcomes


def _grade_all(
    course: Course, lesson: str, chosen: list[str], workers: list[_WorkerProcess],
    printer: _ProgressPrinter, outcomes: list[StudentOutcome], stopping: threading.Event,
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

    def work(worker: _WorkerProcess) -> None:
        while (student := next_student()) is not None:
            try:
                outcome = grade_student(course, lesson, student, worker)
            except Exception as error:  # one student's trouble must not stop the others
                outcome = StudentOutcome(student, False,
                                         message=f"{type(error).__name__}: {error}")
            if stopping.is_set():
                return
            _record_attempt(course, lesson, outcome)
            printer.line(outcome)
            outcomes.append(outcome)

    threads = [threading.Thread(target=work, args=(worker,), daemon=True) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class _ProgressPrinter:
    def __init__(self, out: TextIO, total: int) -> None:
        self.out, self.total, self.done = out, total, 0
        self.width = len(str(total))
        self.lock = threading.Lock()

    def line(self, outcome: StudentOutcome) -> None:
        with self.lock:
            self.done += 1
            head = f"[{self.done:>{self.width}}/{self.total}] {pad(outcome.student, 16)}"
        if outcome.ok:
            body = f"{_fmt(outcome.score)}/{_fmt(outcome.max_score)}"
        else:
            body = f"FAILED: {outcome.message}"
        notes = []
        if outcome.tricks:
            notes.append("tricks: " + ", ".join(sorted(set(outcome.tricks))))
        if outcome.problems:
            more = len(outcome.problems) - 1
            notes.append(f"problem: {outcome.problems[0]}" + (f" (+{more} more)" if more else ""))
        if outcome.repairs:
            notes.append(f"{len(outcome.repairs)} repair(s)")
        if outcome.kernel_events:
            notes.append("kernel: " + outcome.kernel_events[0].split("; later cells")[0])
        tail = f"  ({'; '.join(notes)})" if notes else ""
        print(f"{head} {body:<12} {outcome.seconds:5.1f} s{tail}", file=self.out, flush=True)


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (CJK ids take two columns a character)."""
    columns = sum(0 if unicodedata.combining(char)
                  else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - columns, 0)


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


class _WorkerProcess:
    """A long-lived `python -m grader autograde-worker` process: nbgrader is imported once.

    The parent sends one student id per line on its stdin and reads one result line back. If the
    process dies, the student it was grading fails with a message and a fresh process is
    started for the next one.
    """

    def __init__(self, course: Course, lesson: str, number: int) -> None:
        self.course, self.lesson, self.number = course, lesson, number
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> _WorkerProcess:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        """Start the process now (it warms up while the parent does other work)."""
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()

    def _start(self) -> subprocess.Popen:
        log_path = self.course.path("logs", self.lesson, f"worker-{self.number}.log")
        log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "grader", "autograde-worker", self.lesson,
                   "--course-json", json.dumps(course_to_json(self.course))]
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
                    return _outcome_from_json(json.loads(line[len(WORKER_RESULT_PREFIX):]))
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
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def _outcome_from_json(data: dict) -> StudentOutcome:
    known = {name for name in StudentOutcome.__dataclass_fields__}
    return StudentOutcome(**{key: value for key, value in data.items() if key in known})


def grade_student(
    course: Course, lesson: str, student: str, worker: _WorkerProcess
) -> StudentOutcome:
    """Preflight one student's submission and have a worker process autograde it."""
    started = time.monotonic()
    staged = course.preflight_dir / student / lesson
    try:
        preflight = preflight_submission(
            student, lesson, course.path("submitted", student, lesson), staged,
            course.path("release", lesson),
        )
    except SubmissionError as error:
        return StudentOutcome(student, False, message=str(error),
                              seconds=time.monotonic() - started, submission_problem=True)
    report_dir = course.reports_dir / lesson / student
    report_dir.mkdir(parents=True, exist_ok=True)
    for stale in report_dir.glob("*.json"):
        stale.unlink()
    (report_dir / PREFLIGHT_FILE).write_text(json.dumps(preflight.to_json(), indent=1))
    outcome = worker.grade(student)
    outcome.seconds = time.monotonic() - started
    outcome.repairs = preflight.repairs
    outcome.problems = preflight.problems
    reports = load_reports(course, lesson, student)
    outcome.tricks = [trick["trick"] for report in reports for trick in report.get("tricks", [])]
    outcome.kernel_events = [event for report in reports
                             for event in report.get("kernel_events", [])]
    return outcome


def course_to_json(course: Course) -> dict:
    return {"root": str(course.root), "source_dir": str(course.source_dir),
            "db_url_override": course.db_url_override, "cell_timeout_s": course.cell_timeout_s,
            "sandbox_kernel": course.sandbox_kernel,
            "memory_limit_bytes": course.memory_limit_bytes}


def course_from_json(data: dict) -> Course:
    return Course(**data)


def run_worker(course: Course, lesson: str, student: str) -> StudentOutcome:
    """The worker's side: autograde one student with nbgrader's own converter."""
    from grader.gradebook_db import claim_student

    with claim_student(course.db_url, lesson, student) as claim:
        api = _nbgrader_api(course, submitted_dir=course.preflight_dir.name)
        result = api.autograde(lesson, student, force=True, create=True)
        log_path = course.path("logs", lesson, f"{student}.log")
        log_path.write_text((result.get("log") or "") + (result.get("error") or ""))
        if not result.get("success"):
            claim.status = "error"
            return StudentOutcome(student, False, message=_failure_reason(result))
        scores = _submission_score(course, lesson, student)
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

    course = course_from_json(json.loads(course_json))
    put_venv_on_path()
    # Import the heavy parts before the first student arrives (the parent is busy meanwhile).
    import nbgrader.apps  # noqa: F401

    import grader.grading  # noqa: F401
    import grader.preprocessors  # noqa: F401

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
            print(WORKER_RESULT_PREFIX + json.dumps(asdict(outcome)), flush=True)
    return 0


# --- reports, scores, export ---------------------------------------------------------------------


def load_reports(course: Course, lesson: str, student: str) -> list[dict]:
    """The trusted preprocessor's per-notebook reports for one student (notebook order)."""
    folder = course.reports_dir / lesson / student
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))
            if path.name not in (PREFLIGHT_FILE, ATTEMPT_FILE)]


def _record_attempt(course: Course, lesson: str, outcome: StudentOutcome) -> None:
    """Remember how this student's latest grading went (scores and feedback read it)."""
    folder = course.reports_dir / lesson / outcome.student
    folder.mkdir(parents=True, exist_ok=True)
    learner = "" if outcome.ok else (outcome.message if outcome.submission_problem
                                     else GRADER_TROUBLE)
    attempt = {"ok": outcome.ok, "message": outcome.message, "learner_message": learner,
               "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    (folder / ATTEMPT_FILE).write_text(json.dumps(attempt, indent=1))


def load_attempt(course: Course, lesson: str, student: str) -> dict | None:
    """The latest grading attempt of one student (None if never graded by this version)."""
    path = course.reports_dir / lesson / student / ATTEMPT_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None


def failed_attempts(course: Course, lesson: str) -> dict[str, str]:
    """student -> why their latest grading failed, for every student whose latest run failed."""
    folder = course.reports_dir / lesson
    students = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    failed = {}
    for student in students:
        attempt = load_attempt(course, lesson, student)
        if attempt is not None and not attempt.get("ok"):
            failed[student] = attempt.get("message", "")
    return failed


def load_preflight(course: Course, lesson: str, student: str) -> PreflightResult | None:
    path = course.reports_dir / lesson / student / PREFLIGHT_FILE
    if not path.exists():
        return None
    return PreflightResult(**json.loads(path.read_text()))


def _write_run_summary(course: Course, lesson: str, outcomes: list[StudentOutcome]) -> None:
    path = course.reports_dir / lesson / "last-run.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(outcome) for outcome in outcomes], indent=1))


def scores(course: Course, lesson: str) -> list[dict]:
    """Every graded student's total for one lesson: [{"student", "score", "max_score"}]."""
    from nbgrader.api import Gradebook, MissingEntry

    check_lesson(course, lesson)
    prepare_course(course)
    rows = []
    with Gradebook(course.db_url) as gradebook:
        try:
            assignment = gradebook.find_assignment(lesson)
        except MissingEntry:
            raise WorkflowError(f"{lesson} has not been released or graded in this course") \
                from None
        for submission in sorted(assignment.submissions, key=lambda s: s.student.id):
            rows.append({"student": submission.student.id, "score": float(submission.score),
                         "max_score": float(submission.max_score)})
    return rows


def format_scores_table(lesson: str, rows: list[dict], course: Course) -> str:
    """The gradebook as a plain-text table, with the tricks each student's notebook tried."""
    width = max(len(lesson), 12)
    lines = [f"{'student':<16} {lesson:>{width}}  tricks"]
    for row in rows:
        tricks = sorted({trick["trick"] for report in load_reports(course, lesson, row["student"])
                         for trick in report.get("tricks", [])})
        score = f"{_fmt(row['score'])}/{_fmt(row['max_score'])}"
        lines.append(f"{pad(row['student'], 16)} {score:>{width}}  {', '.join(tricks) or '-'}")
    failed = failed_attempts(course, lesson)
    if failed:
        lines.append(f"\nlatest grading failed for {len(failed)} student(s) (a score above is "
                     "then from an earlier run, or 0 if nbgrader gave up midway):")
        lines.extend(f"  {student}: {message}" for student, message in failed.items())
    return "\n".join(lines)


def export_csv(course: Course) -> str:
    """One row per student, one score column per graded lesson, and the total (for an LMS)."""
    from nbgrader.api import Gradebook

    prepare_course(course)
    with Gradebook(course.db_url) as gradebook:
        lessons = sorted(assignment.name for assignment in gradebook.assignments
                         if assignment.num_submissions)
        students = sorted(student.id for student in gradebook.students)
        table = {student: {} for student in students}
        maxima = {}
        for lesson in lessons:
            assignment = gradebook.find_assignment(lesson)
            maxima[lesson] = float(assignment.max_score)
            for submission in assignment.submissions:
                table[submission.student.id][lesson] = float(submission.score)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *lessons, "total", "max_total"])
    writer.writerow(["(max)", *(_fmt(maxima[lesson]) for lesson in lessons),
                     _fmt(sum(maxima.values())), _fmt(sum(maxima.values()))])
    for student in students:
        marks = [table[student].get(lesson) for lesson in lessons]
        total = sum(mark for mark in marks if mark is not None)
        writer.writerow([student, *("" if mark is None else _fmt(mark) for mark in marks),
                         _fmt(total), _fmt(sum(maxima.values()))])
    return buffer.getvalue()

