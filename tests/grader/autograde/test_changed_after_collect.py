"""A submission changed between collect and autograde, through real nbgrader collect and autograde.

Two learners submit into a throwaway exchange; `python -m grader collect` (nbgrader's collect
underneath) copies and records both; then ben's collected notebook is edited. Autograde grades
ada as usual and refuses ben, leaving his file and the gradebook alone; --grade-changed grades
him and says so; collect --update sets the changed copy aside and collects his own again.
"""

from __future__ import annotations

import io
import json
import stat

import pytest
from submissions import builder
from submissions import on_bytes as answers
from submissions.course import LESSON, TASK, release_notebook, released_course

from grader.autograde.collected import BY_COLLECT, CollectChecker, load_record
from grader.autograde.collecting import collect
from grader.autograde.inbound import find_inbound
from grader.autograde.run import autograde
from grader.gradebook.queries import submission_score

pytestmark = pytest.mark.slow

COURSE_ID = "framing-test"
STAMP = "2026-11-20 10:00:00.000000 UTC"
NOTEBOOK = f"{LESSON}.ipynb"


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("changed")
    course = released_course(base / "course")
    exchange = base / "exchange"
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write(f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
                     f"c.Exchange.root = {str(exchange)!r}\n")
    release = release_notebook(course)
    inbound = exchange / COURSE_ID / "inbound"
    for student in ("ada", "ben"):
        # What `nbgrader submit` leaves in the exchange.
        copy = inbound / f"{student}+{LESSON}+{STAMP}"
        copy.mkdir(parents=True)
        (copy / NOTEBOOK).write_text(json.dumps(builder.build(release, {TASK: answers.CORRECT})))
        (copy / "timestamp.txt").write_text(STAMP)
        (copy / "submission_secret.txt").write_text("ab" * 64)
    log = io.StringIO()
    collected = collect(course, LESSON, out=log)
    return course, collected, log.getvalue()


def _edit_bens_notebook(course) -> str:
    path = course.path("submitted", "ben", LESSON, NOTEBOOK)
    nb = builder.read(path)
    nb.cells[builder.cell_index(nb, f"{TASK}-answer")].source = answers.NO_WHILE_LOOP
    path.write_text(json.dumps(nb))
    return path.read_text()


def test_collect_records_what_nbgrader_copied_and_closes_it(scene) -> None:
    course, collected, log = scene
    assert collected.recorded == ["ada", "ben"] and not collected.changed, log
    assert f"{LESSON}: recorded what collect copied for 2 submission(s)" in log
    for student in ("ada", "ben"):
        record = load_record(course, LESSON, student)
        assert record.recorded_by == BY_COLLECT and record.timestamp == STAMP
        assert record.inbound == f"{student}+{LESSON}+{STAMP}"
        folder = course.path("submitted", student, LESSON)
        assert not stat.S_IMODE(folder.stat().st_mode) & 0o077


def test_a_changed_submission_is_refused_an_honest_one_graded(scene) -> None:
    course, _, _ = scene
    edited = _edit_bens_notebook(course)
    log = io.StringIO()
    outcomes = {o.student: o for o in autograde(course, LESSON, out=log)}
    text = log.getvalue()
    ada, ben = outcomes["ada"], outcomes["ben"]
    assert ada.ok and ada.score == ada.max_score > 0 and ada.collect_notes == []
    (ada_line,) = [line for line in text.splitlines() if " ada " in line]
    assert "collect" not in ada_line, text
    assert not ben.ok and ben.changed_after_collect
    (ben_line,) = [line for line in text.splitlines() if " ben " in line]
    for needed in (LESSON, f"{NOTEBOOK} changed (modified", "--grade-changed",
                   f"collect {LESSON} --update --students ben", "kept as they are"):
        assert needed in ben_line, (needed, text)
    assert "1 of the failed changed after collect and were not graded" in text
    # Nothing lost, nothing graded from the changed file.
    assert course.path("submitted", "ben", LESSON, NOTEBOOK).read_text() == edited
    assert submission_score(course, LESSON, "ben") is None


def test_grade_changed_grades_it_and_says_so(scene) -> None:
    course, _, _ = scene
    log = io.StringIO()
    (ben,) = autograde(course, LESSON, students=["ben"], grade_changed=True, out=log)
    assert ben.ok and 0 < ben.score < ben.max_score  # the edited answer, the one graded
    assert ben.collect_notes and "graded as asked (--grade-changed)" in ben.collect_notes[0]
    assert "graded as asked (--grade-changed)" in log.getvalue()
    # The record of what collect copied is kept: a run without the flag refuses again.
    assert CollectChecker(course, LESSON, find_inbound(course.root)).check("ben").refused


def test_collect_update_sets_the_changed_copy_aside_and_collects_again(scene) -> None:
    course, _, _ = scene
    edited = course.path("submitted", "ben", LESSON, NOTEBOOK).read_text()
    log = io.StringIO()
    summary = collect(course, LESSON, update=True, students=["ben"], out=log)
    kept = summary.set_aside["ben"]
    assert (kept / NOTEBOOK).read_text() == edited and f"kept in {kept}" in log.getvalue()
    assert summary.recorded == ["ben"]
    check = CollectChecker(course, LESSON, find_inbound(course.root)).check("ben")
    assert not check.refused and check.notes == []
    assert course.path("submitted", "ben", LESSON, NOTEBOOK).read_text() != edited
