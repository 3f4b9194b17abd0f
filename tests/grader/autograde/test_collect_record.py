"""The record of what collect copied, and the check autograde makes against it (no grading).

Each test builds a submitted/ folder (and, where it matters, an exchange inbound folder as
`nbgrader submit` leaves it) and asks the checker what autograde would do with it.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from grader.autograde.collected import (
    BY_COLLECT,
    BY_FIRST_SIGHT,
    CollectChecker,
    load_record,
    record_path,
    write_record,
)
from grader.autograde.inbound import ExchangeInbound, find_inbound, read_exchange_settings
from grader.course import Course

LESSON = "03-reassembly"
STAMP = "2026-11-20 10:00:00.000000 UTC"
NOTEBOOK = f"{LESSON}.ipynb"


def _submission(folder: Path, text: str = '{"cells": []}') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NOTEBOOK).write_text(text)
    (folder / "timestamp.txt").write_text(STAMP)
    (folder / "submission_secret.txt").write_text("0f" * 64)
    return folder


def _course(tmp_path: Path, *students: str) -> Course:
    course = Course(root=tmp_path / "course")
    for student in students:
        _submission(course.path("submitted", student, LESSON))
    return course


NO_EXCHANGE = ExchangeInbound(None, "nbgrader's configuration names no course id")


def test_an_honest_submission_passes_without_a_word(tmp_path: Path) -> None:
    course = _course(tmp_path, "ada")
    write_record(course, LESSON, "ada", BY_COLLECT)
    check = CollectChecker(course, LESSON, NO_EXCHANGE).check("ada")
    assert not check.refused and check.notes == []


def test_a_file_edited_after_collect_is_refused_with_one_line_that_says_what_to_do(
    tmp_path: Path,
) -> None:
    course = _course(tmp_path, "ada", "ben")
    for student in ("ada", "ben"):
        write_record(course, LESSON, student, BY_COLLECT)
    edited = course.path("submitted", "ben", LESSON, NOTEBOOK)
    edited.write_text('{"cells": [], "x": 1}')
    os.utime(edited, (1_800_000_000, 1_800_000_000))
    checker = CollectChecker(course, LESSON, NO_EXCHANGE)
    check = checker.check("ben")
    assert check.refused and "\n" not in check.refusal
    for needed in ("ben", LESSON, f"{NOTEBOOK} changed (modified 2027-01-15 08:00:00 UTC)",
                   f"python -m grader collect {LESSON} --update --students ben",
                   "--grade-changed", "kept as they are", "gradebook is untouched"):
        assert needed in check.refusal, (needed, check.refusal)
    assert not checker.check("ada").refused
    # Nothing was changed by looking: the edited file is still there, the record unchanged.
    assert edited.read_text() == '{"cells": [], "x": 1}'
    assert load_record(course, LESSON, "ben").files[NOTEBOOK] != ""


def test_added_and_removed_files_are_named(tmp_path: Path) -> None:
    course = _course(tmp_path, "ada")
    write_record(course, LESSON, "ada", BY_COLLECT)
    folder = course.path("submitted", "ada", LESSON)
    (folder / "timestamp.txt").unlink()
    (folder / "helper.py").write_text("print('hi')\n")
    # What nbgrader itself leaves out (checkpoints, hidden files) is not a change.
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    refusal = CollectChecker(course, LESSON, NO_EXCHANGE).check("ada").refusal
    assert "helper.py added" in refusal and "timestamp.txt removed" in refusal
    assert "checkpoints" not in refusal


def test_grade_changed_grades_it_and_says_so(tmp_path: Path) -> None:
    course = _course(tmp_path, "ada")
    write_record(course, LESSON, "ada", BY_COLLECT)
    course.path("submitted", "ada", LESSON, NOTEBOOK).write_text("{}")
    check = CollectChecker(course, LESSON, NO_EXCHANGE).check("ada", grade_changed=True)
    assert not check.refused
    (note,) = check.notes
    assert note.startswith("graded as asked (--grade-changed)") and NOTEBOOK in note


def test_the_record_is_private_and_outside_submitted(tmp_path: Path) -> None:
    course = _course(tmp_path, "ada")
    before = os.umask(0o022)
    try:
        write_record(course, LESSON, "ada", BY_COLLECT)
    finally:
        os.umask(before)
    path = record_path(course, LESSON, "ada")
    assert course.path("submitted") not in path.parents
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    data = json.loads(path.read_text())
    assert data["timestamp"] == STAMP and data["recorded_by"] == BY_COLLECT
    assert set(data["files"]) == {NOTEBOOK, "timestamp.txt", "submission_secret.txt"}


def test_an_older_course_without_records_gets_a_note_not_a_crash(tmp_path: Path) -> None:
    course = _course(tmp_path, "ada", "ben")
    record_path(course, LESSON, "ben").parent.mkdir(parents=True)
    record_path(course, LESSON, "ben").write_text("{not json")  # a damaged record: none
    checker = CollectChecker(course, LESSON, NO_EXCHANGE)
    recorded = checker.record_unrecorded(["ada", "ben"])
    assert recorded == ["ada", "ben"]
    note = checker.first_sight_note(recorded)
    assert "\n" not in note and "2 submission(s)" in note and "had no record" in note
    assert "names no course id" in note and "cannot be compared" in note
    assert load_record(course, LESSON, "ada").recorded_by == BY_FIRST_SIGHT
    # From now on a change is caught; the second run records nothing and says nothing.
    assert checker.record_unrecorded(["ada", "ben"]) == [] and checker.first_sight_note([]) == ""
    assert not checker.check("ada").refused
    course.path("submitted", "ada", LESSON, NOTEBOOK).write_text("{}")
    assert checker.check("ada").refused


def _exchange(tmp_path: Path, course: Course, student: str, text: str = '{"cells": []}') -> Path:
    """An exchange with `student`'s inbound copy, named in the course's nbgrader_config.py."""
    root = tmp_path / "exchange"
    copy = _submission(root / "framing-test" / "inbound" / f"{student}+{LESSON}+{STAMP}", text)
    course.root.mkdir(parents=True, exist_ok=True)
    (course.root / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.course_id = 'framing-test'\n"
        f"c.Exchange.root = {str(root)!r}\n")
    return copy


def test_the_exchange_is_found_as_nbgrader_finds_it(tmp_path: Path) -> None:
    course = _course(tmp_path, "ada")
    copy = _exchange(tmp_path, course, "ada")
    assert read_exchange_settings(course.root) == (
        str(tmp_path / "exchange"), "framing-test")
    inbound = find_inbound(course.root)
    assert inbound.folder == copy.parent
    assert inbound.copies_of("ada", LESSON, STAMP) == [copy]
    assert inbound.copies_of("ada", LESSON, "2026-11-20 10:00:01.000000 UTC") == []
    assert inbound.copies_of("ad", LESSON, STAMP) == []
    # A random suffix (Exchange.add_random_string) still matches.
    suffixed = copy.with_name(copy.name + "+AbCd")
    copy.rename(suffixed)
    assert inbound.copies_of("ada", LESSON, STAMP) == [suffixed]
    (course.root / "nbgrader_config.py").write_text("c = get_config()\n")
    assert "names no CourseDirectory.course_id" in find_inbound(
        course.root).unreadable_because


def test_first_sight_compares_with_the_inbound_copy(tmp_path: Path) -> None:
    # Plain `nbgrader collect`, then someone edits submitted/ before autograde first looks.
    course = _course(tmp_path, "ada")
    copy = _exchange(tmp_path, course, "ada")
    course.path("submitted", "ada", LESSON, NOTEBOOK).write_text('{"cells": ["forged"]}')
    checker = CollectChecker(course, LESSON, find_inbound(course.root))
    note = checker.first_sight_note(checker.record_unrecorded(["ada"]))
    assert f"compared with its copy in {copy.parent}" in note
    assert load_record(course, LESSON, "ada").inbound == copy.name
    refusal = checker.check("ada").refusal
    assert f"its copy in the exchange ({copy})" in refusal and f"{NOTEBOOK} changed" in refusal


def test_an_inbound_copy_changed_after_a_recorded_collect_is_a_note(tmp_path: Path) -> None:
    course = _course(tmp_path, "ada")
    copy = _exchange(tmp_path, course, "ada")
    write_record(course, LESSON, "ada", BY_COLLECT, copy)
    (copy / NOTEBOOK).write_text('{"cells": ["later"]}')  # its owner, the student, can
    check = CollectChecker(course, LESSON, find_inbound(course.root)).check("ada")
    assert not check.refused
    (note,) = check.notes
    assert "changed after collect" in note and "graded what collect copied" in note


@pytest.mark.parametrize("config", ["c = get_config()\nraise RuntimeError('typo')\n"])
def test_a_broken_nbgrader_config_is_a_reason_not_a_crash(tmp_path: Path, config: str) -> None:
    course = _course(tmp_path, "ada")
    (course.root / "nbgrader_config.py").write_text(config)
    inbound = find_inbound(course.root)
    assert inbound.folder is None and "could not be read" in inbound.unreadable_because


def test_collect_with_no_exchange_says_so_with_the_fix_before_running_nbgrader(
    tmp_path: Path,
) -> None:
    import io

    from grader.autograde.collecting import collect
    from grader.errors import WorkflowError

    course = _course(tmp_path)
    missing = tmp_path / "no-exchange-here"
    course.root.mkdir(parents=True, exist_ok=True)
    (course.root / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.course_id = 'framing-test'\n"
        f"c.Exchange.root = {str(missing)!r}\n")
    out = io.StringIO()
    with pytest.raises(WorkflowError) as raised:
        collect(course, LESSON, out=out)
    assert f"nbgrader's exchange {missing} does not exist" in str(raised.value)
    assert f"chmod 1777 {missing}" in str(raised.value)
    assert out.getvalue() == ""  # nbgrader was not run: nothing of its log
