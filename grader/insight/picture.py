"""The numbers of the class picture, from one record per student (no I/O here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["ClassPicture", "StudentRecord", "TaskRecord", "class_picture"]


@dataclass(frozen=True)
class TaskRecord:
    """One student's result on one task, as grading stored it."""

    task: str
    score: float
    max_score: float
    failed: tuple[str, ...] = ()
    #: The misconception's id, "" when none matched (or the task passed).
    diagnosis: str = ""
    sentence: str = ""


@dataclass(frozen=True)
class StudentRecord:
    """One student's lesson: the gradebook's score, each task, and the grading time."""

    student: str
    score: float
    max_score: float
    tasks: tuple[TaskRecord, ...] = ()
    #: Seconds grading this student's notebook took (None when not recorded).
    seconds: float | None = None


@dataclass
class ClassPicture:
    """What the page shows, already counted."""

    lesson: str
    students: list[StudentRecord]
    #: (task, misconception id, its sentence, number of students), most students first.
    misconceptions: list[tuple[str, str, str, int]] = field(default_factory=list)
    #: (task, check, share of the class that failed it), largest share first.
    failed_checks: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def scores(self) -> list[float]:
        return [s.score for s in self.students]

    @property
    def max_score(self) -> float:
        return max((s.max_score for s in self.students), default=0.0)

    @property
    def mean_score(self) -> float:
        return sum(self.scores) / len(self.scores) if self.students else 0.0

    @property
    def grading_seconds(self) -> list[float]:
        return [s.seconds for s in self.students if s.seconds is not None]

    def diagnoses_of(self, student: StudentRecord) -> list[tuple[str, str]]:
        """(task, misconception id) of each diagnosed task of ``student``."""
        return [(t.task, t.diagnosis) for t in student.tasks if t.diagnosis]


def class_picture(lesson: str, students: list[StudentRecord]) -> ClassPicture:
    """Count misconceptions per student and failed checks per share of the class."""
    students = sorted(students, key=lambda s: s.student)
    who: Counter[tuple[str, str]] = Counter()
    sentences: dict[tuple[str, str], str] = {}
    failed: Counter[tuple[str, str]] = Counter()
    for student in students:
        for task in student.tasks:
            if task.diagnosis:
                who[(task.task, task.diagnosis)] += 1
                sentences.setdefault((task.task, task.diagnosis), task.sentence)
            for check in set(task.failed):
                failed[(task.task, check)] += 1
    count = len(students) or 1
    misconceptions = sorted(
        ((task, mid, sentences[(task, mid)], n) for (task, mid), n in who.items()),
        key=lambda row: (-row[3], row[0], row[1]),
    )
    checks = sorted(
        ((task, check, n / count) for (task, check), n in failed.items()),
        key=lambda row: (-row[2], row[0], row[1]),
    )
    return ClassPicture(lesson, students, misconceptions, checks)
