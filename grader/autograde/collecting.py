"""`python -m grader collect LESSON`: nbgrader's own collect, then the record of what it copied.

The copying is nbgrader's (`nbgrader collect`, run in the course directory so it reads the
same configuration an instructor's plain command would). Around it the course adds what
nbgrader lacks:

- before: with ``--update``, a submission that changed after collect (``collected``'s check
  refuses it) is moved to ``course/set-aside/LESSON/STUDENT/WHEN/``, so nbgrader copies it
  afresh from the exchange (its own ``--update`` copies only a *newer* timestamp, so it would
  leave the changed copy in place); nothing is deleted, and a copy nbgrader does not replace
  is put back;
- after: the submission folders are closed to other users at once (collect leaves them 0777),
  and every submission nbgrader copied gets a record (``grader.autograde.collected``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from grader import settings
from grader.course import Course, subprocess_env
from grader.deployment.privacy import repair_submitted
from grader.errors import WorkflowError

from .collected import (
    BY_COLLECT,
    CollectChecker,
    file_hashes,
    read_timestamp,
    write_record,
)
from .inbound import find_inbound, read_exchange_settings
from .selection import submitted_students

__all__ = ["CollectSummary", "collect"]


@dataclass
class CollectSummary:
    """What one `collect` did."""

    recorded: list[str] = field(default_factory=list)
    #: student -> where their changed copy now is.
    set_aside: dict[str, Path] = field(default_factory=dict)
    #: student -> the line saying their submission changed after collect (left in place).
    changed: dict[str, str] = field(default_factory=dict)


def collect(
    course: Course, lesson: str, *, update: bool = False,
    students: Sequence[str] | None = None, out: TextIO = sys.stdout,
) -> CollectSummary:
    """Run `nbgrader collect` for `lesson` (all students, or `students`) and record the result."""
    course.check_lesson(lesson)
    _require_exchange(course)
    summary = CollectSummary()
    wanted = set(students) if students else None
    inbound = find_inbound(course.root)
    checker = CollectChecker(course, lesson, inbound)

    def mine(student: str) -> bool:
        return wanted is None or student in wanted

    before = {student: file_hashes(course.path("submitted", student, lesson))
              for student in submitted_students(course, lesson) if mine(student)}
    for student in list(before):
        check = checker.check(student)
        if not check.refused:
            continue
        if update:
            summary.set_aside[student] = _set_aside(course, lesson, student)
            del before[student]
        else:
            summary.changed[student] = check.refusal
    try:
        _run_nbgrader_collect(course, lesson, update=update, students=students, out=out)
    finally:
        repair_submitted(course.path("submitted"))
        _report_set_aside(course, lesson, summary, out)
    for student in submitted_students(course, lesson):
        if not mine(student):
            continue
        folder = course.path("submitted", student, lesson)
        copied = student not in before or file_hashes(folder) != before[student]
        if copied:
            copies = inbound.copies_of(student, lesson, read_timestamp(folder))
            write_record(course, lesson, student, BY_COLLECT, copies[0] if copies else None)
            summary.recorded.append(student)
        else:
            # Collected before, by plain nbgrader: this run did not see it copied.
            checker.record_unrecorded([student])
    for line in summary.changed.values():
        print(line, file=out)
    print(f"{lesson}: recorded what collect copied for {len(summary.recorded)} submission(s) "
          f"in {course.path(settings.COLLECT_RECORDS_DIR, lesson)}", file=out)
    return summary


def _report_set_aside(course: Course, lesson: str, summary: CollectSummary,
                      out: TextIO) -> None:
    """Say where each set-aside copy is; put back the ones nbgrader did not replace."""
    for student, kept in list(summary.set_aside.items()):
        folder = course.path("submitted", student, lesson)
        if folder.exists():
            print(f"{student}: collected {lesson} again from the exchange; the copy that "
                  f"changed after collect is kept in {kept}", file=out)
            continue
        kept.rename(folder)  # nbgrader copied nothing: the changed copy goes back
        del summary.set_aside[student]
        summary.changed[student] = (f"{student}: nbgrader collected no {lesson} for them, so "
                                    f"the changed copy is back in {folder}, still not graded")


def _set_aside(course: Course, lesson: str, student: str) -> Path:
    """Move a changed submission out of nbgrader's way, keeping all of it."""
    when = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = course.path(settings.SET_ASIDE_DIR, lesson, student, when)
    suffix = 1
    while target.exists():
        suffix += 1
        target = target.with_name(f"{when}-{suffix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    course.path(settings.SET_ASIDE_DIR).chmod(0o700)
    course.path("submitted", student, lesson).rename(target)
    return target


def _require_exchange(course: Course) -> None:
    """Refuse at once, with the fix, when nbgrader's exchange does not exist.

    nbgrader itself says only "Unwritable directory, please contact your instructor" (to
    the instructor). A configuration that cannot be read is left to nbgrader to report.
    """
    try:
        root, _ = read_exchange_settings(course.root)
    except Exception:  # a broken config: nbgrader reports it in its own words
        return
    if not Path(root).is_dir():
        raise WorkflowError(
            f"nbgrader's exchange {root} does not exist, so nothing can have been submitted "
            f"to collect. Create it (sudo mkdir -p {root} && sudo chmod 1777 {root}), or name "
            "the one your learners submit to with c.Exchange.root in "
            "/etc/jupyter/nbgrader_config.py (deploy/nbgrader_config.py is a sample); "
            "`python -m grader doctor` checks it")


def _run_nbgrader_collect(course: Course, lesson: str, *, update: bool,
                          students: Sequence[str] | None, out: TextIO) -> None:
    """nbgrader's collect in the course directory, once per named student (or once for all)."""
    extra = {settings.ENV_DB_URL: course.db_url_override} if course.db_url_override else {}
    for student in students or [None]:
        command = [sys.executable, "-m", "nbgrader", "collect", lesson]
        command += ["--update"] if update else []
        command += [f"--student={student}"] if student else []
        result = subprocess.run(command, cwd=course.root, env=subprocess_env(extra),
                                capture_output=True, text=True)
        log = (result.stdout + result.stderr).strip()
        if log:
            print(log, file=out)
        if result.returncode != 0:
            raise WorkflowError(f"nbgrader collect {lesson} failed (exit status "
                                f"{result.returncode}); its log is above")
