"""Which students a run grades: the submitted ones, those named, and this host's shard."""

from __future__ import annotations

from collections.abc import Sequence

from grader.course import Course
from grader.errors import WorkflowError

__all__ = ["parse_shard", "select_students", "submitted_students"]


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
    """Students with a submission folder for ``lesson``, sorted."""
    folder = course.path("submitted")
    if not folder.is_dir():
        return []
    return sorted(entry.name for entry in folder.iterdir()
                  if (entry / lesson).is_dir() and not entry.name.startswith("."))
