"""`python -m grader check`: grading .py files and notebooks, exit codes, JSON and text output."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from answers import answer_files
from support.paths import REPO as PROJECT

from grader.cli import main

CORRECT = answer_files("on_bytes", "correct")[0]
NO_WHILE = next(p for p in answer_files("on_bytes", "broken") if p.stem == "no_while_loop")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def lesson_notebook(answer: str, *, metadata: bool = True) -> nbformat.NotebookNode:
    answer_cell = nbformat.v4.new_code_cell(answer)
    if metadata:
        answer_cell.metadata["nbgrader"] = {
            "grade_id": "on_bytes-answer",
            "solution": True,
            "grade": False,
            "locked": False,
        }
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Lesson 3"),
            nbformat.v4.new_code_cell("def handle(frame):\n    print(frame)"),
            answer_cell,
            nbformat.v4.new_code_cell('from grader.notebook import graded\ngraded("on_bytes")'),
        ]
    )


def test_a_correct_file_exits_0_with_full_marks_in_json(capsys):
    code, out, err = run(capsys, str(CORRECT), "--json")
    report = json.loads(out)
    assert code == 0 and err == ""
    assert report["score"] == report["max_score"] == report["tasks"]["on_bytes"]["max_score"]
    assert report["tasks"]["on_bytes"]["failures"] == []


def test_a_broken_file_exits_1_and_names_each_failed_check(capsys):
    code, out, _ = run(capsys, str(NO_WHILE), "--json", "--seed", "s1")
    task = json.loads(out)["tasks"]["on_bytes"]
    assert code == 1
    assert task["score"] < task["max_score"]
    failure = next(f for f in task["failures"] if f["check"] == "coalesced")
    assert set(failure) >= {"check", "message", "hint", "chunks", "expected", "received"}
    # Bytes travel as escaped text.
    assert failure["chunks"][0].startswith("\\x00\\x00\\x00")
    assert len(failure["received"]) < len(failure["expected"])


def test_the_readable_report_lists_failures_and_hints(capsys):
    code, out, _ = run(capsys, str(NO_WHILE))
    assert code == 1
    assert "x coalesced:" in out and "hint: Lesson 3" in out


def test_a_notebook_is_graded_from_its_answer_cell(tmp_path, capsys):
    path = tmp_path / "03-reassembly.ipynb"
    nbformat.write(lesson_notebook(CORRECT.read_text()), path)
    code, out, _ = run(capsys, str(path), "--json")
    assert code == 0 and json.loads(out)["tasks"]["on_bytes"]["failures"] == []


def test_a_notebook_without_nbgrader_metadata_still_finds_the_answer(tmp_path, capsys):
    path = tmp_path / "stripped.ipynb"
    nbformat.write(lesson_notebook(NO_WHILE.read_text(), metadata=False), path)
    code, out, _ = run(capsys, str(path), "--json")
    assert code == 1 and json.loads(out)["tasks"]["on_bytes"]["failures"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.ipynb", "{not json", "not a valid notebook"),
        ("nothing.py", "x = 1\n", "defines no graded task"),
        ("syntax.py", "def on_bytes(chunk)\n    pass\n", "syntax error on line 1"),
    ],
)
def test_files_that_cannot_be_graded_exit_2_with_the_reason(
    tmp_path, capsys, name, content, reason
):
    path = tmp_path / name
    path.write_text(content)
    code, out, err = run(capsys, str(path), "--json")
    assert code == 2 and out == ""
    assert reason in err


def test_a_missing_file_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, str(tmp_path / "absent.py"))
    assert code == 2 and "cannot read" in err


def test_the_module_runs_as_a_command():
    completed = subprocess.run(
        [sys.executable, "-m", "grader", "check", str(CORRECT), "--json"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["tasks"]["on_bytes"]["failures"] == []


def test_a_sandbox_that_cannot_start_exits_2(monkeypatch, capsys):
    from grader.sandbox import runner
    from grader.sandbox.bwrap import SandboxPlan

    monkeypatch.setattr(
        runner, "child_plan", lambda limits, isolate: SandboxPlan(["/bin/false"], None, True)
    )
    code, out, err = run(capsys, str(CORRECT), "--json")
    assert code == 2 and out == "" and "could not start" in err
