"""`autograde --jobs 2` gives exactly what `--jobs 1` gives: scores, gradebook rows, feedback.

The two runs come from the grading benchmark's own code (a smoke run of it, with three students),
which also grades the same submissions with stock nbgrader; no timing is asserted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from support.paths import REPO as REPO_ROOT  # noqa: E402

sys.path.insert(0, str(REPO_ROOT))
from benchmarks.grading import (  # noqa: E402
    ANSWERS,
    LESSON,
    NOTEBOOK,
    BenchmarkRun,
    course_command,
    report,
    run_benchmark,
    venv_env,
)

# The module's fixture grades a whole class with nbgrader; beside another test worker it
# can take minutes, so the hang guard is wider than the suite's 300 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

# Two right answers in different styles and a classic bug (few: each costs seconds per way).
STUDENT_ANSWERS = {
    "s001": "bytearray-del",
    "s002": "never-trims",
    "s003": "offsets-memoryview",
}


def lesson_points() -> float:
    """The points of the lesson's graded cells, as the lesson's source notebook sets them."""
    source = nbformat.read(REPO_ROOT / "notebooks" / LESSON / NOTEBOOK, 4)
    return float(sum(
        cell.metadata["nbgrader"]["points"]
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    ))


FULL_MARKS = lesson_points()


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> BenchmarkRun:
    run = run_benchmark(STUDENT_ANSWERS, tmp_path_factory.mktemp("parallel"))
    for root in (run.jobs1_root, run.jobs2_root):
        subprocess.run(
            course_command("feedback", LESSON, "--course", str(root)),
            env=venv_env(), check=True, capture_output=True, text=True,
        )
    return run


def gradebook_rows(course_root: Path) -> list[tuple]:
    """Every grade and comment nbgrader stored for the lesson, as plain comparable tuples."""
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(f"sqlite:///{course_root / 'gradebook.db'}") as gradebook:
        for submission in gradebook.find_assignment(LESSON).submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    rows.append((
                        "grade", submission.student.id, notebook.name, grade.name,
                        grade.auto_score, grade.manual_score, grade.max_score,
                        grade.needs_manual_grade,
                    ))
                for comment in notebook.comments:
                    rows.append((
                        "comment", submission.student.id, notebook.name, comment.name,
                        comment.auto_comment, comment.manual_comment,
                    ))
    return sorted(rows, key=repr)


def gradebook_scores(course_root: Path) -> dict[str, float]:
    """Each student's total for the lesson, read from the course's SQLite gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course_root / 'gradebook.db'}") as gradebook:
        return {
            submission.student.id: submission.score
            for submission in gradebook.find_assignment(LESSON).submissions
        }


def check_cell_outputs(course_root: Path, student: str) -> list:
    """What the trusted checks wrote into each graded cell of a student's autograded notebook."""
    notebook = nbformat.read(course_root / "autograded" / student / LESSON / NOTEBOOK, 4)
    return [
        (cell.metadata["nbgrader"]["grade_id"], cell.get("outputs"))
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    ]


def test_both_job_counts_give_the_expected_scores(graded: BenchmarkRun) -> None:
    scores1, scores2 = gradebook_scores(graded.jobs1_root), gradebook_scores(graded.jobs2_root)
    assert scores1 == scores2
    for student, answer in STUDENT_ANSWERS.items():
        correct = ANSWERS[answer][1]
        assert (scores1[student] == FULL_MARKS) == correct, (student, answer, scores1[student])


def test_gradebook_rows_are_identical(graded: BenchmarkRun) -> None:
    rows = gradebook_rows(graded.jobs1_root)
    assert len([row for row in rows if row[0] == "grade"]) == len(STUDENT_ANSWERS)
    assert gradebook_rows(graded.jobs2_root) == rows


def test_autograded_notebooks_carry_identical_results(graded: BenchmarkRun) -> None:
    for student in STUDENT_ANSWERS:
        outputs = check_cell_outputs(graded.jobs1_root, student)
        assert outputs, f"{student} has no graded cells"
        assert check_cell_outputs(graded.jobs2_root, student) == outputs


def test_feedback_is_identical(graded: BenchmarkRun) -> None:
    for student in STUDENT_ANSWERS:
        folder1 = graded.jobs1_root / "feedback" / student / LESSON
        folder2 = graded.jobs2_root / "feedback" / student / LESSON
        pages = sorted(path.name for path in folder1.glob("*.html"))
        assert pages, f"no feedback written for {student} in {folder1}"
        assert sorted(path.name for path in folder2.glob("*.html")) == pages
        for page in pages:
            text1 = (folder1 / page).read_text().replace(str(graded.jobs1_root), "COURSE")
            text2 = (folder2 / page).read_text().replace(str(graded.jobs2_root), "COURSE")
            assert text1 == text2, f"{student}'s {page} differs between --jobs 1 and --jobs 2"


def test_parallel_run_shows_progress_and_a_summary(graded: BenchmarkRun) -> None:
    lines = graded.jobs2.output.splitlines()
    for student in STUDENT_ANSWERS:
        assert sum(student in line for line in lines) == 1, graded.jobs2.output
    assert f"graded {len(STUDENT_ANSWERS)}, failed 0" in graded.jobs2.output


def test_stock_nbgrader_graded_the_same_submissions(graded: BenchmarkRun) -> None:
    stock = gradebook_scores(graded.stock_root)
    assert set(stock) == set(STUDENT_ANSWERS)
    # Honest answers score the same however they are graded.
    course = gradebook_scores(graded.jobs1_root)
    for student, answer in STUDENT_ANSWERS.items():
        if ANSWERS[answer][1]:
            assert stock[student] == course[student] == FULL_MARKS, (student, stock, course)


def test_benchmark_report_shows_each_way_and_both_ratios(
    graded: BenchmarkRun, capsys: pytest.CaptureFixture[str]
) -> None:
    report(graded)
    printed = capsys.readouterr().out
    for timing in (graded.stock, graded.jobs1, graded.jobs2):
        assert timing.failed == 0, timing.output
        assert f"{timing.per_submission:6.2f} s per submission" in printed
    assert f"{graded.jobs1.seconds / graded.jobs2.seconds:.2f}x" in printed
    assert f"{graded.jobs1.seconds / graded.stock.seconds:.2f}x" in printed
