"""`python -m grader workspace` (make lab): release copies that never overwrite a learner's work."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.course import DEFAULT_SOURCE_DIR
from grader.workspace import create_workspace, place_file


def test_new_file_is_added_then_left_alone(tmp_path: Path) -> None:
    new = tmp_path / "release.ipynb"
    new.write_text("v1")
    target = tmp_path / "work" / "lesson" / "lesson.ipynb"
    assert place_file(new, target, None) == (target, "added")
    assert place_file(new, target, None)[0] is None
    assert target.read_text() == "v1"


def test_newer_lesson_arrives_beside_the_learners_copy(tmp_path: Path) -> None:
    new = tmp_path / "release.ipynb"
    target = tmp_path / "work" / "lesson.ipynb"
    new.write_text("v1")
    place_file(new, target, None)
    target.write_text("v1 plus the learner's answers")
    new.write_text("v2")
    written, what = place_file(new, target, recorded="digest of v1")
    assert written is not None and written != target and written.parent == target.parent
    assert written.read_text() == "v2" and what.startswith("newer version")
    assert target.read_text() == "v1 plus the learner's answers"
    assert place_file(new, target, recorded="digest of v1")[0] is None  # not twice


@pytest.mark.slow
def test_workspace_holds_release_versions_without_solutions(tmp_path: Path) -> None:
    sources = tmp_path / "notebooks"
    shutil.copytree(DEFAULT_SOURCE_DIR / "02-length-prefix", sources / "02-length-prefix")
    work = tmp_path / "work"
    changes = create_workspace(work, source_dir=sources)
    copy = work / "02-length-prefix" / "02-length-prefix.ipynb"
    assert any("02-length-prefix.ipynb: added" in change for change in changes)
    text = copy.read_text()
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    assert "NotImplementedError" in text
    copy.write_text(json.dumps(json.loads(text) | {"learner": "my work"}))
    assert create_workspace(work, source_dir=sources) == []  # unchanged sources: no work
    assert json.loads(copy.read_text())["learner"] == "my work"
