"""`make demo`: the instructor's whole workflow on a small demo class, headless.

Releases every lesson in notebooks/, writes four demo submissions per graded lesson, autogrades
them (sandboxed kernel, trusted checks, parallel workers), prints the gradebook and writes the
course's feedback. The demo class:

- ada answers with the lessons' own solutions (full marks);
- ben reads headers little-endian and refuses exactly-at-the-limit input (lesson 3: a buffer
  that is never trimmed);
- cy takes at most one frame (or line) per call: the loop runs once (lesson 2: a 2-byte
  header);
- dee hands the release back untouched.
"""

from __future__ import annotations

import copy
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from grader.autograde.collected import write_record
from grader.cells import CHECK_SUFFIX, answer_task, cell_task
from grader.course import Course
from grader.formatting import pad
from grader.gradebook.queries import lesson_scores as scores
from grader.insight.collect import write_insight
from grader.sandbox.kernel import sandbox_tools_available
from grader.settings import DEFAULT_COURSE_DIR

from .release import release
from .run import autograde

__all__ = ["DEMO_CLASS", "demo_submission", "run_demo", "solutions", "write_demo_class"]

SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*(?:\n|\Z)", re.MULTILINE)

# Lesson 3's classic bug that an endianness swap does not show: an offset that never trims.
NEVER_TRIMS_ON_BYTES = '''\
buffer = bytearray()
done = 0


def on_bytes(chunk):
    global done
    buffer.extend(chunk)
    while len(buffer) - done >= 4:
        length = int.from_bytes(buffer[done:done + 4], "big")
        if len(buffer) - done < 4 + length:
            return
        handle(bytes(buffer[done + 4:done + 4 + length]))
        done += 4 + length
'''


def _little_endian(source: str) -> str:
    for big, little in ((">I", "<I"), ("'big'", "'little'"), ('"big"', '"little"'),
                        (">H", "<H"), (">Q", "<Q")):
        source = source.replace(big, little)
    return source


def _off_by_one_limit(source: str) -> str:
    """`len > self.max_length` becomes `>=`: the limit is no longer inclusive."""
    return re.sub(r">\s*self\.(max_\w+)", r">= self.\1", source)


def _one_per_call(source: str) -> str:
    """The first loop runs at most once (one frame per call); with no loop, a 2-byte header.

    `while C:` becomes a loop of at most one round rather than `if C:`, so that a `break` in
    its body stays legal Python (an `if` made the answer a syntax error, not the classic bug).
    """
    changed = re.sub(r"^(\s*)while\b(.*):[ \t]*$", r"\1for _once in range(1 if \2 else 0):",
                     source, count=1, flags=re.MULTILINE)
    return changed if changed != source else source.replace('">I"', '">H"')


DEMO_CLASS: dict[str, Callable[[str, str], str] | None] = {
    "ada": lambda task, solution: solution,
    "ben": lambda task, solution: (NEVER_TRIMS_ON_BYTES if task == "on_bytes"
                                   else _off_by_one_limit(_little_endian(solution))),
    "cy": lambda task, solution: _one_per_call(solution),
    "dee": None,
}


def solutions(source_nb: NotebookNode) -> dict[str, str]:
    """task -> the lesson's own solution source (the markers removed)."""
    found = {}
    for cell in source_nb.cells:
        task = answer_task(cell)
        if task is not None:
            found[task] = SOLUTION_MARKERS.sub("", cell.source)
    return found


def demo_submission(release_nb: NotebookNode, answers: dict[str, str]) -> NotebookNode:
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        task = answer_task(cell)
        if task in answers:
            cell.source = answers[task]
    return nb


#: Who wrote the demo class's records of what was "collected" (see grader.autograde.collected).
DEMO_RECORDER = "python -m grader demo, which wrote the submission"


def write_demo_class(course: Course, lesson: str) -> list[str]:
    """Write the demo class's submissions of one lesson; return the student ids."""
    (release_path,) = sorted(course.path("release", lesson).glob("*.ipynb"))[:1]
    release_nb = nbformat.read(release_path, as_version=4)
    source_nb = nbformat.read(course.source_dir / lesson / release_path.name, as_version=4)
    lesson_solutions = solutions(source_nb)
    for student, answer in DEMO_CLASS.items():
        answers = {} if answer is None else {
            task: answer(task, solution) for task, solution in lesson_solutions.items()}
        folder = course.path("submitted", student, lesson)
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(demo_submission(release_nb, answers), folder / release_path.name)
        (folder / "timestamp.txt").write_text(time.strftime("%Y-%m-%d %H:%M:%S.000000 UTC",
                                                            time.gmtime()))
        # The demo stands in for collect, so it keeps the record collect would.
        write_record(course, lesson, student, DEMO_RECORDER)
    return list(DEMO_CLASS)


def _graded_lessons(course: Course) -> list[str]:
    graded = []
    for lesson in course.lessons():
        for path in (course.source_dir / lesson).glob("*.ipynb"):
            if any(cell_task(cell, CHECK_SUFFIX)
                   for cell in nbformat.read(path, as_version=4).cells):
                graded.append(lesson)
                break
    return graded


def gradebook_table(gradebook: dict[str, list[dict]]) -> str:
    """Students down, lessons across (by number), and each student's total."""
    lessons = list(gradebook)
    students = sorted({row["student"] for rows in gradebook.values() for row in rows})
    cell = {(lesson, row["student"]): row for lesson, rows in gradebook.items() for row in rows}
    heads = [lesson.split("-")[0] for lesson in lessons]
    lines = ["gradebook (lessons: " + ", ".join(lessons) + ")",
             f"{'student':<10}" + "".join(f"{head:>9}" for head in heads) + f"{'total':>10}"]
    for student in students:
        marks, total, maximum = [], 0.0, 0.0
        for lesson in lessons:
            row = cell.get((lesson, student))
            marks.append("-" if row is None else f"{row['score']:g}/{row['max_score']:g}")
            if row is not None:
                total, maximum = total + row["score"], maximum + row["max_score"]
        lines.append(pad(student, 10) + "".join(f"{mark:>9}" for mark in marks)
                     + f"{f'{total:g}/{maximum:g}':>10}")
    return "\n".join(lines)


def run_demo(course: Course, *, jobs: int = 2, out=sys.stdout) -> int:
    """Run the demo; return 0 when every demo submission was graded."""
    from grader.feedback.pages import write_feedback

    if course.root == DEFAULT_COURSE_DIR.resolve():
        # Never mix demo students into an instructor's real course.
        course = Course(root=Path(tempfile.mkdtemp(prefix="framing-demo-")),
                        db_url_override=course.db_url_override)
    if not sandbox_tools_available():
        print("warning: bwrap/prlimit not found (run `make system-deps`); the demo runs the "
              "kernel unsandboxed, scores still come from the sandboxed checks", file=out)
        course = Course(root=course.root, db_url_override=course.db_url_override,
                        sandbox_kernel=False)
    print(f"demo course: {course.root}", file=out)
    for lesson in course.lessons():
        release(course, lesson)
        print(f"released {lesson}", file=out)
    all_ok = True
    gradebook: dict[str, list[dict]] = {}
    for lesson in _graded_lessons(course):
        students = write_demo_class(course, lesson)
        print(f"\nautograding {lesson} ({len(students)} students, {jobs} jobs)", file=out)
        # Only the demo class: a --course that already holds real submissions keeps them out.
        outcomes = autograde(course, lesson, jobs=jobs, students=students, out=out)
        all_ok &= all(outcome.ok for outcome in outcomes)
        write_feedback(course, lesson)
        gradebook[lesson] = [row for row in scores(course, lesson) if row["student"] in students]
        write_insight(course, lesson, gradebook[lesson])
    print("\n" + gradebook_table(gradebook) + "\n", file=out)
    print(f"feedback: {course.path('feedback')}/STUDENT/LESSON/*.html", file=out)
    print(f"instructor's reports: {course.reports_dir}", file=out)
    print(f"class pictures: {course.path('insight')}/LESSON.html (and .csv)", file=out)
    return 0 if all_ok else 1
