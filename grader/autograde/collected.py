"""What `collect` copied into submitted/, recorded, and whether a submission still is that.

nbgrader grades whatever lies in ``submitted/STUDENT/LESSON`` when autograde runs; it never
asks whether that is what the student handed in. Between `nbgrader collect` and grading the
folder can change: collect leaves it writable by every user (0777), and a TA's editor or a
script can touch it too. So the course records, per submission, a SHA-256 of every file and
nbgrader's ``timestamp.txt``, in ``course/collected/LESSON/STUDENT.json`` (settings'
``COLLECT_RECORDS_DIR``, private to the instructor):

- by `python -m grader collect` (``grader.autograde.collecting``) right after nbgrader
  copied the submission: the record of what collect copied;
- else when autograde first sees the submission (plain `nbgrader collect`, or a course
  collected before records were kept): the best record left, with the exchange's inbound
  copy (``grader.autograde.inbound``) as the witness of what was submitted.

Before grading a student, ``CollectChecker.check`` compares the folder with its record and
with its inbound copy when the exchange can be read. A difference from the record, or from
the inbound copy when no collect-time record exists, refuses the student with one line: who,
which lesson, which files changed and when, and what the instructor can do (collect it again,
or grade it as it is with ``--grade-changed``). Nothing is deleted or overwritten: the changed
folder stays where it is, and the gradebook keeps whatever grade it had.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grader import settings
from grader.course import Course

from .inbound import ExchangeInbound

__all__ = [
    "BY_COLLECT",
    "BY_FIRST_SIGHT",
    "CollectCheck",
    "CollectChecker",
    "CollectRecord",
    "FileChange",
    "file_hashes",
    "load_record",
    "record_path",
    "write_record",
]

#: Who wrote a record: `python -m grader collect` as it copied the submission ...
BY_COLLECT = "python -m grader collect"
#: ... or autograde, the first time it saw a submission that had none.
BY_FIRST_SIGHT = "autograde, when it first saw the submission"


def _utc(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))


def _ignored(relative: Path) -> bool:
    return any(fnmatch.fnmatch(part, pattern)
               for part in relative.parts for pattern in settings.SUBMISSION_IGNORE)


def file_hashes(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file of a submission folder (nbgrader's ignores left out).

    A symbolic link counts as its target's name, not what it points at: a submission holds
    none, and following one could read another user's file.
    """
    hashes: dict[str, str] = {}
    for current, dirs, files in os.walk(folder):
        base = Path(current)
        dirs[:] = sorted(name for name in dirs if not _ignored((base / name).relative_to(folder)))
        for name in sorted(files):
            path = base / name
            relative = path.relative_to(folder)
            if _ignored(relative):
                continue
            if path.is_symlink():
                hashes[relative.as_posix()] = "symlink to " + os.readlink(path)
                continue
            digest = hashlib.sha256()
            with open(path, "rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            hashes[relative.as_posix()] = digest.hexdigest()
    return hashes


def read_timestamp(folder: Path) -> str | None:
    """nbgrader's timestamp.txt of a submission (None when missing or empty)."""
    try:
        return (folder / "timestamp.txt").read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


@dataclass(frozen=True)
class CollectRecord:
    """What one submission folder held when it was recorded."""

    student: str
    lesson: str
    #: nbgrader's timestamp.txt as collected (when the student submitted), if there was one.
    timestamp: str | None
    #: When the record was made (UTC).
    recorded: str
    #: BY_COLLECT or BY_FIRST_SIGHT.
    recorded_by: str
    #: The exchange's inbound folder it was collected from, when that was known.
    inbound: str | None
    files: dict[str, str] = field(default_factory=dict)

    @property
    def made_by_collect(self) -> bool:
        return self.recorded_by == BY_COLLECT


def record_path(course: Course, lesson: str, student: str) -> Path:
    return course.path(settings.COLLECT_RECORDS_DIR, lesson, f"{student}.json")


def write_record(course: Course, lesson: str, student: str, recorded_by: str,
                 inbound: Path | None = None) -> CollectRecord:
    """Record what ``submitted/STUDENT/LESSON`` holds now (a file only the instructor can read)."""
    folder = course.path("submitted", student, lesson)
    record = CollectRecord(student, lesson, read_timestamp(folder), _utc(time.time()),
                           recorded_by, inbound.name if inbound else None, file_hashes(folder))
    path = record_path(course, lesson, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    for private in (path.parent.parent, path.parent):  # whatever umask the caller had
        private.chmod(0o700)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(asdict(record), indent=1))
    partial.chmod(0o600)
    os.replace(partial, path)  # a reader sees the old record or the new one, never half
    return record


def load_record(course: Course, lesson: str, student: str) -> CollectRecord | None:
    """The record of a submission, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(record_path(course, lesson, student).read_text())
        return CollectRecord(**data)
    except (OSError, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class FileChange:
    """One file that is not as expected, and when the file system last saw it modified."""

    name: str
    how: str  # "changed", "added" or "removed"
    modified: str | None

    def describe(self) -> str:
        return f"{self.name} {self.how}" + (f" (modified {self.modified})" if self.modified
                                            else "")


def compare(expected: dict[str, str], folder: Path) -> list[FileChange]:
    """How the files of `folder` differ from `expected` (relative path -> SHA-256)."""
    current = file_hashes(folder)
    changes = []
    for name in sorted(set(expected) | set(current)):
        if expected.get(name) == current.get(name):
            continue
        how = "removed" if name not in current else "added" if name not in expected else "changed"
        where = folder if how == "removed" else folder / name
        try:
            modified = _utc(where.lstat().st_mtime)
        except OSError:
            modified = None
        changes.append(FileChange(name, how, modified))
    return changes


@dataclass
class CollectCheck:
    """Whether one submission may be graded, and what the instructor is told about it."""

    student: str
    lesson: str
    #: One line saying why the submission is not graded; empty when it may be.
    refusal: str = ""
    #: Lines for the instructor that do not stop grading (an override, a changed inbound copy).
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.refusal)


class CollectChecker:
    """Checks submissions against their records and inbound copies for one run."""

    def __init__(self, course: Course, lesson: str, inbound: ExchangeInbound) -> None:
        self.course, self.lesson, self.inbound = course, lesson, inbound

    def record_unrecorded(self, students: list[str]) -> list[str]:
        """Record, as first seen, every submission among `students` that has no record."""
        recorded = []
        for student in students:
            if load_record(self.course, self.lesson, student) is None:
                folder = self.course.path("submitted", student, self.lesson)
                copies = self.inbound.copies_of(student, self.lesson, read_timestamp(folder))
                write_record(self.course, self.lesson, student, BY_FIRST_SIGHT,
                             copies[0] if copies else None)
                recorded.append(student)
        return recorded

    def first_sight_note(self, recorded: list[str]) -> str:
        """The run's one line about submissions that had no record until now."""
        if not recorded:
            return ""
        if self.inbound.folder is not None:
            witness = f"each is compared with its copy in {self.inbound.folder}"
        else:
            witness = (f"they cannot be compared with the exchange's copies "
                       f"({self.inbound.unreadable_because}), so a change made before now "
                       "cannot be seen")
        return (f"note: {len(recorded)} submission(s) of {self.lesson} had no record of what "
                "collect copied (collected by plain `nbgrader collect`, or before this course "
                f"kept records); recorded them as they are now, {witness}; later changes are "
                f"refused (`python -m grader collect {self.lesson}` records at collect time)")

    def check(self, student: str, *, grade_changed: bool = False) -> CollectCheck:
        """Compare `student`'s submitted folder with its record and its inbound copy."""
        result = CollectCheck(student, self.lesson)
        folder = self.course.path("submitted", student, self.lesson)
        record = load_record(self.course, self.lesson, student)
        against, changes = "", []
        if record is not None:
            changes = compare(record.files, folder)
            against = (f"what collect copied (recorded {record.recorded} by "
                       f"{record.recorded_by})")
        inbound_against, inbound_changes = self._compare_with_inbound(folder, record)
        if not changes and inbound_changes:
            if record is not None and record.made_by_collect:
                # The folder is exactly what collect copied: the exchange's copy changed since
                # (its owner, the student, can write it). Grading what was collected is right.
                result.notes.append(
                    f"{inbound_against} changed after collect "
                    f"({_listed(inbound_changes)}); graded what collect copied")
            else:
                against, changes = inbound_against, inbound_changes
        if not changes:
            return result
        where = f"submitted/{student}/{self.lesson}"
        summary = f"{where} differs from {against}: {_listed(changes)}"
        if grade_changed:
            result.notes.append(f"graded as asked (--grade-changed) although {summary}")
            return result
        result.refusal = (
            f"not graded: {student}'s {self.lesson} changed after collect: {summary}. The "
            f"changed files are kept as they are and the gradebook is untouched. To grade what "
            f"{student} submitted: `python -m grader collect {self.lesson} --update --students "
            f"{student}` (keeps this copy in {settings.SET_ASIDE_DIR}/); to grade it as it is "
            "now: autograde with --grade-changed")
        return result

    def _compare_with_inbound(
        self, folder: Path, record: CollectRecord | None
    ) -> tuple[str, list[FileChange]]:
        """How `folder` differs from its inbound copy ('' and [] when it matches or is unseen)."""
        student = folder.parent.name
        timestamp = read_timestamp(folder) or (record.timestamp if record else None)
        copies = self.inbound.copies_of(student, self.lesson, timestamp)
        if not copies:
            return "", []
        best: tuple[str, list[FileChange]] | None = None
        for copy in copies:
            try:
                expected = file_hashes(copy)
            except OSError:
                continue  # one unreadable copy (another's random suffix) proves nothing
            changes = compare(expected, folder)
            if not changes:
                return "", []
            if best is None:
                best = (f"its copy in the exchange ({copy})", changes)
        return best or ("", [])


def _listed(changes: list[FileChange], shown: int = 4) -> str:
    text = ", ".join(change.describe() for change in changes[:shown])
    return text + (f" and {len(changes) - shown} more" if len(changes) > shown else "")
