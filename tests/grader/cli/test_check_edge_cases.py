"""Learner-side QA findings: unanswered tasks and lessons that hold another lesson's task."""

from __future__ import annotations

import ast
import json

import nbformat
import pytest

from grader.cells import is_unanswered
from grader.cli import main as cli_main
from grader.grading import grade_source

ON_BYTES_STUB = '''\
import struct

buffer = bytearray()


def on_bytes(chunk):
    """Called with every recv() result."""
    # YOUR CODE HERE
    raise NotImplementedError()
'''

FRAME_DECODER_STUB = '''\
class FrameDecoder:
    def __init__(self, max_frame_size=65536):
        raise NotImplementedError()

    @property
    def buffered(self):
        """Bytes held."""
        raise NotImplementedError

    def feed(self, data):
        pass
        raise NotImplementedError()
'''


def _cell(source: str, grade_id: str | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    if grade_id:
        cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": grade_id.endswith(
            "-answer"), "grade": grade_id.endswith("-check"), "locked": False}
    return cell


@pytest.mark.parametrize(("source", "name", "expected"), [
    (ON_BYTES_STUB, "on_bytes", True),
    (FRAME_DECODER_STUB, "FrameDecoder", True),
    (FRAME_DECODER_STUB.replace("        raise NotImplementedError()\n\n    @",
                                "        self.held = b''\n\n    @", 1), "FrameDecoder", False),
    ("def on_bytes(chunk):\n    raise ValueError('no')\n", "on_bytes", False),
    ("on_bytes = print\n", "on_bytes", False),
    ("class FrameDecoder:\n    pass\n", "FrameDecoder", False),
])
def test_is_unanswered_means_every_body_is_still_the_stub(source, name, expected):
    assert is_unanswered(ast.parse(source), name) is expected


def test_an_unanswered_task_gets_one_failure_that_says_so():
    result = grade_source("on_bytes", ON_BYTES_STUB)
    assert result.score == 0 and result.passed == []
    (failure,) = result.failures
    assert failure.check == "answer"
    assert "not answered yet" in failure.message and "NotImplementedError" in failure.message
    assert "Replace `raise NotImplementedError()`" in failure.hint


def test_check_grades_only_the_tasks_the_lesson_notebook_grades(tmp_path, capsys):
    # Lesson 6 asks for lesson 3's on_bytes (to race it) but grades only FrameDecoder.
    notebook = nbformat.v4.new_notebook(cells=[
        _cell(ON_BYTES_STUB, "lesson-3-on_bytes"),
        _cell(FRAME_DECODER_STUB, "FrameDecoder-answer"),
        _cell("from grader.notebook import graded\n", "FrameDecoder-check"),
    ])
    path = tmp_path / "06-complete-decoder.ipynb"
    nbformat.write(notebook, path)
    code = cli_main(["check", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert list(report["tasks"]) == ["FrameDecoder"]
    assert "not answered yet" in report["tasks"]["FrameDecoder"]["failures"][0]["message"]


def test_check_reports_a_graded_task_whose_answer_cell_is_gone(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook(cells=[
        _cell(ON_BYTES_STUB, "on_bytes-answer"),
        _cell("from grader.notebook import graded\n", "on_bytes-check"),
        _cell("from grader.notebook import graded\n", "encode_frame-check"),
    ])
    path = tmp_path / "mixed.ipynb"
    nbformat.write(notebook, path)
    code = cli_main(["check", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "on_bytes: 0 / " in out and "encode_frame: 0 / " in out
    assert "does not define `encode_frame`" in out


def test_an_endless_top_level_gets_a_hint_about_the_top_level():
    result = grade_source("on_bytes", "while True:\n    pass\n\ndef on_bytes(chunk):\n    pass\n")
    (failure,) = result.failures
    assert "did not finish" in failure.message
    assert "top level" in failure.hint and "Define `on_bytes`" not in failure.hint


def test_a_syntax_error_in_one_answer_cell_costs_only_that_task(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook(cells=[
        _cell("def encode_frame(payload)\n    return payload\n", "encode_frame-answer"),
        _cell("from grader.notebook import graded\n", "encode_frame-check"),
        _cell("def read_header(header):\n    raise NotImplementedError()\n",
              "read_header-answer"),
        _cell("from grader.notebook import graded\n", "read_header-check"),
    ])
    path = tmp_path / "02-length-prefix.ipynb"
    nbformat.write(notebook, path)
    code = cli_main(["check", str(path), "--json"])
    tasks = json.loads(capsys.readouterr().out)["tasks"]
    assert code == 1
    assert "syntax error on line 1" in tasks["encode_frame"]["failures"][0]["message"]
    assert "not answered yet" in tasks["read_header"]["failures"][0]["message"]


@pytest.mark.parametrize(("body", "said"), [
    ("    if True:\n        break\n", "'break' outside loop"),
    ("    nonlocal x\n", "no binding for nonlocal 'x' found"),
])
def test_an_error_only_the_compiler_sees_is_a_syntax_error_not_a_sandbox_failure(body, said):
    # The demo's "while became if" student hit this: the child could not even start.
    result = grade_source("on_bytes", f"buffer = bytearray()\n\ndef on_bytes(chunk):\n{body}")
    (failure,) = result.failures
    assert result.score == 0 and "syntax error on line" in failure.message
    assert said in failure.message


def test_a_syntax_error_shows_the_line_and_a_hint_about_fixing_it():
    result = grade_source("on_bytes", "buffer = bytearray()\n\ndef on_bytes(chunk)\n    pass\n")
    (failure,) = result.failures
    assert "on line 3 (`def on_bytes(chunk)`): expected ':'" in failure.message
    assert "Python cannot read the answer cell" in failure.hint
    assert "Define `on_bytes`" not in failure.hint
