"""The instructor's workflow through real `nbgrader autograde` runs: scores, broken submissions,
feedback that leaks nothing, scores --json and the CSV export.

One class is graded once (two jobs) and every test reads that run.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from submissions import builder
from submissions import on_bytes as answers
from submissions.course import (
    LESSON,
    TASK,
    hidden_and_solution_lines,
    release_notebook,
    released_course,
)

from grader.autograde.reports import load_preflight, load_reports
from grader.autograde.run import autograde
from grader.course import subprocess_env
from grader.feedback.pages import write_feedback
from grader.gradebook.queries import lesson_scores as scores
from grader.grading import grade_source

pytestmark = pytest.mark.slow

GOOD = {
    "right": answers.CORRECT,
    "right-apart": answers.CORRECT_HEADER_APART,
    "quadratic": answers.QUADRATIC,
    "no-while": answers.NO_WHILE_LOOP,
    "never-trims": answers.NEVER_TRIMS,
    "little-endian": answers.LITTLE_ENDIAN,
}
# The failing check each classic bug must be caught by (names from grader/checks).
CAUGHT_BY = {"no-while": "coalesced", "never-trims": "buffer_trimmed",
             "little-endian": "worked_example", "quadratic": "linear_time"}


def _edit_check_cell(nb) -> None:
    nb.cells[builder.cell_index(nb, f"{TASK}-check")].source = "print('full marks please')\n6"


BROKEN = {
    # student -> (how the submission is damaged, what the grader must say)
    "bad-json": ("invalid json", "not valid JSON"),
    "no-notebook": ("missing", "was submitted"),
    "deleted-check": (builder.delete_cell(f"{TASK}-check"), "restored the deleted cell"),
    "stripped": (builder.strip_nbgrader_metadata, "stripped nbgrader metadata"),
    "same-ids": (builder.duplicate_cell_ids, "duplicated id"),
    "edited-check": (_edit_check_cell, "was edited"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("workflow") / "course"
    course = released_course(root)
    release = release_notebook(course)
    for student, answer in GOOD.items():
        builder.write(root, student, LESSON, builder.build(release, {TASK: answer}))
    for student, (damage, _) in BROKEN.items():
        if damage == "invalid json":
            nb = builder.build(release, {TASK: answers.CORRECT})
            builder.write(root, student, LESSON, builder.invalid_json(nb))
        elif damage == "missing":
            builder.write(root, student, LESSON, release, name="my-copy")
        else:
            nb = builder.build(release, {TASK: answers.CORRECT}, damage=damage)
            builder.write(root, student, LESSON, nb)
    # bad-json was graded before, from a good notebook: that grade must survive.
    builder.write(root, "bad-json", LESSON, builder.build(release, {TASK: answers.CORRECT}),
                  name="first-try")
    # As `nbgrader collect` leaves them (whatever this process's umask): writable by everyone.
    for path in (root / "submitted").rglob("*"):
        if path.is_dir():
            path.chmod(0o777)
    log = io.StringIO()
    outcomes = {o.student: o for o in autograde(course, LESSON, jobs=2, out=log)}
    feedback = write_feedback(course, LESSON)
    return course, outcomes, log.getvalue(), feedback


def test_progress_lines_and_summary(graded) -> None:
    _, outcomes, log, _ = graded
    closed, note, *lines = log.strip().splitlines()
    assert closed.startswith("closed ") and "as nbgrader collect leaves them" in closed, log
    # Written straight into submitted/, as an older course or plain `nbgrader collect` leaves
    # them: no record of what collect copied, and no exchange to compare with.
    assert note.startswith(f"note: {len(GOOD) + len(BROKEN)} submission(s) of {LESSON} had "
                           "no record of what collect copied"), log
    assert "cannot be compared with the exchange's copies" in note, log
    assert len(lines) == len(GOOD) + len(BROKEN) + 1, log
    assert lines[-1].startswith(f"{LESSON}: graded {len(outcomes) - 2}, failed 2, ")


def test_right_answer_full_marks_and_bugs_partial(graded) -> None:
    _, outcomes, _, _ = graded
    right = outcomes["right"]
    assert right.ok and right.score == right.max_score > 0
    assert outcomes["right-apart"].score == right.score
    for student in CAUGHT_BY:
        assert outcomes[student].ok and outcomes[student].score < right.score, student


def test_classic_bugs_fail_the_check_that_names_them(graded) -> None:
    course, _, _, _ = graded
    for student, check in CAUGHT_BY.items():
        (report,) = load_reports(course, LESSON, student)
        failed = {failure["check"] for failure in report["tasks"][TASK]["result"]["failures"]}
        assert check in failed, (student, failed)


def test_autograde_scores_equal_the_check_command(graded) -> None:
    # The nbgrader path and `grade_source` (what `check` uses) give the same verdict.
    from grader.deployment.secret import graded_seed, load_or_create

    course, outcomes, _, _ = graded
    secret = load_or_create(course.root)
    for student, answer in GOOD.items():
        result = grade_source(TASK, answer, seed=graded_seed(secret, student))
        expected = round(outcomes[student].max_score * result.score / result.max_score, 2)
        assert outcomes[student].score == pytest.approx(expected), student


@pytest.mark.parametrize("student", sorted(BROKEN))
def test_broken_submission_costs_only_its_student(graded, student: str) -> None:
    course, outcomes, _, _ = graded
    outcome = outcomes[student]
    said = outcome.message + " ".join(outcome.repairs)
    assert BROKEN[student][1] in said, (student, outcome)
    if student not in ("bad-json", "no-notebook"):
        # Repaired: graded from the course's own checks, so the right answer gets full marks.
        assert outcome.ok and outcome.score == outcomes["right"].score, outcome


def test_unreadable_submission_keeps_its_earlier_grade(graded) -> None:
    course, outcomes, _, _ = graded
    assert not outcomes["bad-json"].ok and not outcomes["no-notebook"].ok
    rows = {row["student"]: row for row in scores(course, LESSON)}
    assert "no-notebook" not in rows
    assert "bad-json" not in rows or rows["bad-json"]["score"] >= 0


def test_repairs_are_recorded_for_the_instructor(graded) -> None:
    course, _, _, _ = graded
    preflight = load_preflight(course, LESSON, "deleted-check")
    assert any("restored the deleted cell" in repair for repair in preflight.repairs)


def test_feedback_shows_failures_but_no_hidden_source(graded) -> None:
    course, outcomes, _, feedback = graded
    # Every student gets a page; one whose submission could not be graded is told why.
    assert {path.parent.parent.name for path in feedback} == set(outcomes)
    for student in (name for name, outcome in outcomes.items() if not outcome.ok):
        page = course.path("feedback", student, LESSON, f"{LESSON}.html").read_text()
        assert "could not be graded" in page and outcomes[student].message in page, student
    secrets = hidden_and_solution_lines(course)
    assert any("graded(" in line for line in secrets)
    assert any("BEGIN SOLUTION" in line for line in secrets)
    internals = ["Traceback", "site-packages", "grader/", "grade_source", "### BEGIN", "NbGrader"]
    for path in feedback:
        page = path.read_text()
        for needle in secrets + internals:
            assert needle not in page, (path, needle)
    page = course.path("feedback", "never-trims", LESSON, f"{LESSON}.html").read_text()
    assert "buffer_trimmed" in page


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True,
                          text=True, env=subprocess_env(), timeout=120)


def test_scores_json_lists_every_graded_student(graded) -> None:
    course, outcomes, _, _ = graded
    done = _cli("scores", LESSON, "--json", "--course", str(course.root))
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [row["student"] for row in rows] == sorted(s for s, o in outcomes.items() if o.ok)
    for row in rows:
        assert set(row) == {"student", "score", "max_score"}
        assert row["score"] == outcomes[row["student"]].score


def test_export_csv_has_a_column_per_lesson_and_a_total(graded) -> None:
    course, outcomes, _, _ = graded
    done = _cli("export", "--course", str(course.root))
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    by_student = {row["student"]: row for row in table}
    assert float(by_student["right"][LESSON]) == outcomes["right"].score
    assert float(by_student["never-trims"]["total"]) == outcomes["never-trims"].score
    assert by_student["(max)"][LESSON] == by_student["right"]["max_total"]


def test_nbgraders_own_feedback_is_configured_not_to_leak(graded) -> None:
    # Instructors may still press "generate feedback" in the formgrader: the course's
    # nbgrader_config.py makes that clear the hidden tests too.
    course, _, _, _ = graded
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_feedback", LESSON, "--force",
         "--CourseDirectory.feedback_directory=stock-feedback"],
        cwd=course.root, capture_output=True, text=True, env=subprocess_env(), timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    pages = sorted(course.path("stock-feedback").rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text()
        assert "BEGIN HIDDEN TESTS" not in text and 'graded(&quot;on_bytes' not in text
        assert 'graded("on_bytes")' not in text, page
