"""Learner code cannot raise its own score, reach the course files, or stall grading.

One real `nbgrader autograde` run (through `grader.autograde.run.autograde`, two jobs) grades a
small class in which every student submits the same honest but imperfect answer (it never trims its
buffer) plus one trick. No trick may earn more than the honest answer alone, and each must be
named in the instructor's report.
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from submissions import builder
from submissions import on_bytes as answers
from submissions.course import LESSON, TASK, release_notebook, released_course

from grader.autograde.reports import load_reports
from grader.autograde.run import autograde
from grader.gradebook.queries import lesson_scores as scores

# The module's fixture grades a whole class with nbgrader; beside another test worker it
# can take minutes, so the hang guard is wider than the suite's 300 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

HONEST = answers.NEVER_TRIMS

# student -> (answer source, extra cell after the answer or None, trick the report must name)
TRICKSTERS = {
    "t-transform": (HONEST, answers.BLANK_LATER_CELLS, "input_transformers"),
    "t-custom-exc": (HONEST, answers.SWALLOW_ERRORS, "set_custom_exc"),
    "t-interactivity": (HONEST, answers.HIDE_RESULTS, "ast_node_interactivity"),
    "t-displayhook": (HONEST, answers.FAKE_DISPLAYHOOK, "displayhook"),
    "t-gradebook": (HONEST, answers.WRITE_NEXT_TO_GRADEBOOK, "course files"),
    "t-os-exit": (HONEST, answers.KILL_KERNEL, "os._exit"),
    "t-interrupt": (HONEST, answers.INTERRUPT, "KeyboardInterrupt"),
    "t-frozen-loop": (HONEST, answers.IGNORE_SIGNALS_AND_LOOP, "signals"),
    "t-system-exit": (answers.EXIT_IN_ANSWER, None, "SystemExit"),
    "t-always-equal": (answers.ALWAYS_EQUAL_BYTES, None, "__eq__ override"),
    "t-endless-handle": (answers.HANDLE_WITHOUT_END, None, None),
    "t-gigabytes": (answers.ALLOCATE_GIGABYTES, None, "huge allocation"),
    "t-patch-grader": (HONEST, answers.PATCH_THE_GRADER, "grader patching"),
    "t-skip": (HONEST, answers.SKIP_THE_TESTS, "skip exception"),
    "t-walk-frames": (answers.WALK_FRAMES, None, "frame walking"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hardening") / "course"
    course = released_course(root, cell_timeout_s=5)
    release = release_notebook(course)
    builder.write(root, "honest", LESSON, builder.build(release, {TASK: HONEST}))
    builder.write(root, "unanswered", LESSON, release)
    for student, (answer, extra, _) in TRICKSTERS.items():
        cells = {f"{TASK}-answer": extra} if extra else None
        builder.write(root, student, LESSON, builder.build(release, {TASK: answer}, extra=cells))
    log = io.StringIO()
    outcomes = {outcome.student: outcome for outcome in autograde(course, LESSON, jobs=2, out=log)}
    return course, outcomes, log.getvalue()


def test_every_student_is_graded_despite_the_tricks(graded) -> None:
    _, outcomes, log = graded
    failed = {name: outcome.message for name, outcome in outcomes.items() if not outcome.ok}
    assert failed == {}, log
    assert f"graded {len(TRICKSTERS) + 2}, failed 0" in log


def test_honest_answer_earns_partial_credit(graded) -> None:
    _, outcomes, _ = graded
    honest = outcomes["honest"]
    assert 0 < honest.score < honest.max_score, "the baseline must be partial to expose tricks"
    assert outcomes["unanswered"].score == 0


@pytest.mark.parametrize("student", sorted(TRICKSTERS))
def test_no_trick_beats_the_honest_answer(graded, student: str) -> None:
    _, outcomes, _ = graded
    answer = TRICKSTERS[student][0]
    ceiling = outcomes["honest"].score if answer is HONEST else outcomes["unanswered"].score
    assert outcomes[student].score <= ceiling, (student, outcomes[student])


@pytest.mark.parametrize("student", sorted(s for s, t in TRICKSTERS.items() if t[2]))
def test_each_trick_is_named_in_the_instructors_report(graded, student: str) -> None:
    course, _, _ = graded
    named = {trick["trick"] for report in load_reports(course, LESSON, student)
             for trick in report["tricks"]}
    assert TRICKSTERS[student][2] in named, named


def test_tricks_that_honest_code_carries_keep_its_score(graded) -> None:
    # Tricks in a cell of their own must not cost the honest answer beside them either:
    # the verdict comes from the answer source, whatever happened to the kernel.
    _, outcomes, _ = graded
    for student in ("t-os-exit", "t-frozen-loop", "t-interrupt", "t-custom-exc"):
        assert outcomes[student].score == outcomes["honest"].score, student


def test_kernel_death_and_runaway_loop_are_reported(graded) -> None:
    course, _, _ = graded
    events = {student: [event for report in load_reports(course, LESSON, student)
                        for event in report["kernel_events"]]
              for student in ("t-os-exit", "t-frozen-loop")}
    assert any("died" in event for event in events["t-os-exit"]), events
    assert any("time limit" in event or "s limit" in event for event in events["t-frozen-loop"])


def test_kernel_cannot_touch_the_course_files(graded) -> None:
    course, _, _ = graded
    planted = [path for base in (course.root, course.root.parent)
               for path in Path(base).rglob("pwned.txt")]
    assert planted == []
    with sqlite3.connect(course.root / "gradebook.db") as connection:
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "grade" in tables
    assert len(scores(course, LESSON)) == 2 + len(TRICKSTERS)


def test_scores_in_the_gradebook_match_the_progress_lines(graded) -> None:
    course, outcomes, _ = graded
    for row in scores(course, LESSON):
        assert row["score"] == outcomes[row["student"]].score
