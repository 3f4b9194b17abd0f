"""Command-line QA findings: unknown lessons, unwritable export paths, null bytes in a file."""

from __future__ import annotations

import pytest

from grader.cli import main
from grader.errors import GradebookUnreachableError, GraderError, SandboxError


@pytest.mark.parametrize("command", ["feedback", "scores"])
def test_an_unknown_lesson_is_an_error_naming_the_lessons(tmp_path, capsys, command):
    code = main([command, "no-such-lesson", "--course", str(tmp_path / "course")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no lesson 'no-such-lesson'" in err and "03-reassembly" in err


def test_feedback_with_nothing_graded_says_so(tmp_path, capsys):
    code = main(["feedback", "03-reassembly", "--course", str(tmp_path / "course")])
    captured = capsys.readouterr()
    assert code == 0 and captured.out == ""
    assert "no graded submissions of 03-reassembly" in captured.err


def test_export_to_an_unwritable_path_is_a_clear_error(tmp_path, capsys):
    target = tmp_path / "missing-folder" / "scores.csv"
    code = main(["export", "--course", str(tmp_path / "course"), "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"cannot write {target}: No such file or directory" in err and "Traceback" not in err


def test_a_file_with_null_bytes_names_no_line_none(tmp_path, capsys):
    path = tmp_path / "answer.py"
    path.write_bytes(b"def on_bytes(chunk):\n    pass\x00\n")
    code = main(["check", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "cannot grade" in err and "line None" not in err


@pytest.mark.parametrize(
    ("error", "status", "line"),
    [
        (GradebookUnreachableError("cannot use the gradebook database x: refused"), 2,
         "error: cannot use the gradebook database x: refused"),
        (SandboxError("the grading process could not start"), 2,
         "error: the grading process could not start"),
    ],
)
def test_every_grader_error_is_one_line_and_an_exit_status(
    tmp_path, capsys, monkeypatch, error, status, line
):
    import grader.autograde.release

    def fails(course, lesson):
        raise error

    monkeypatch.setattr(grader.autograde.release, "release", fails)
    code = main(["release", "03-reassembly", "--course", str(tmp_path / "course")])
    captured = capsys.readouterr()
    assert code == status and captured.err == line + "\n" and captured.out == ""
    assert isinstance(error, GraderError)
