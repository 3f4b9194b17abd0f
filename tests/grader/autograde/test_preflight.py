"""Instructor-side QA findings in preflight: messages that name what was handed in."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from grader.autograde.preflight import SubmissionError, preflight_submission


def _cell(source: str, grade_id: str, **flags: bool) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": False, "grade": False,
                                 "locked": False, **flags}
    return cell


def _lesson(tasks: list[str]) -> nbformat.NotebookNode:
    cells = []
    for task in tasks:
        cells.append(_cell("raise NotImplementedError()\n", f"{task}-answer", solution=True))
        cells.append(_cell("from grader.notebook import graded\n", f"{task}-check",
                           grade=True, locked=True))
        cells[-1].metadata["nbgrader"]["points"] = 3
    return nbformat.v4.new_notebook(cells=cells)


@pytest.fixture
def course(tmp_path: Path) -> dict[str, Path]:
    release = tmp_path / "release" / "03-reassembly"
    release.mkdir(parents=True)
    nbformat.write(_lesson(["on_bytes"]), release / "03-reassembly.ipynb")
    submitted = tmp_path / "submitted" / "stu" / "03-reassembly"
    submitted.mkdir(parents=True)
    (submitted / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    return {"release": release, "submitted": submitted, "staged": tmp_path / "staged"}


def _preflight(course: dict[str, Path]):
    return preflight_submission("stu", "03-reassembly", course["submitted"], course["staged"],
                                course["release"])


def test_an_empty_notebook_file_is_called_empty(course):
    (course["submitted"] / "03-reassembly.ipynb").write_text("")
    with pytest.raises(SubmissionError, match=r"03-reassembly.ipynb is empty \(0 bytes\)"):
        _preflight(course)


@pytest.mark.parametrize("name", ["my-work.ipynb", "03-reassembly.py"])
def test_a_misnamed_submission_names_the_file_found_instead(course, name):
    (course["submitted"] / name).write_text("{}")
    with pytest.raises(SubmissionError) as caught:
        _preflight(course)
    message = str(caught.value)
    assert "no 03-reassembly.ipynb was submitted" in message
    assert f"found instead: {name}" in message and "timestamp.txt" not in message


def test_another_lessons_notebook_is_refused_with_a_clear_message(course):
    nbformat.write(_lesson(["encode_frame", "read_header"]),
                   course["submitted"] / "03-reassembly.ipynb")
    with pytest.raises(SubmissionError, match="cells of another lesson .*encode_frame-answer"):
        _preflight(course)


def test_a_cell_copied_from_another_lesson_runs_as_a_plain_cell(course):
    notebook = _lesson(["on_bytes"])
    notebook.cells.append(_cell("x = 1\n", "encode_frame-answer", solution=True))
    nbformat.write(notebook, course["submitted"] / "03-reassembly.ipynb")
    result = _preflight(course)
    assert any("encode_frame-answer is not part of this lesson" in r for r in result.repairs)
    staged = json.loads((course["staged"] / "03-reassembly.ipynb").read_text())
    assert "nbgrader" not in staged["cells"][-1]["metadata"]
    assert staged["cells"][0]["metadata"]["nbgrader"]["grade_id"] == "on_bytes-answer"
