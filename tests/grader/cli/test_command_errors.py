"""Command-line QA findings: unknown lessons, unwritable export paths, null bytes in a file."""

from __future__ import annotations

import pytest

from grader.cli import main
from grader.errors import GradebookUnreachableError, GraderError, SandboxError


@pytest.mark.parametrize("command", ["feedback", "scores"])
def test_an_unknown_lesson_is_an_error_naming_the_lessons(tmp_path, capsys, command):
    (tmp_path / "course").mkdir()
    code = main([command, "no-such-lesson", "--course", str(tmp_path / "course")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no lesson 'no-such-lesson'" in err and "03-reassembly" in err


def test_feedback_with_nothing_graded_says_so(tmp_path, capsys):
    (tmp_path / "course").mkdir()
    code = main(["feedback", "03-reassembly", "--course", str(tmp_path / "course")])
    captured = capsys.readouterr()
    assert code == 0 and captured.out == ""
    assert "no graded submissions of 03-reassembly" in captured.err


def test_export_to_an_unwritable_path_is_a_clear_error(tmp_path, capsys):
    target = tmp_path / "missing-folder" / "scores.csv"
    (tmp_path / "course").mkdir()
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
    # Before the error, only the line naming the course directory the command used.
    *before, last = captured.err.splitlines()
    assert code == status and last == line and captured.out == ""
    assert [text.split(":")[0] for text in before] == ["course directory"]
    assert isinstance(error, GraderError)


@pytest.mark.parametrize("command", ["autograde", "feedback", "scores"])
def test_a_command_outside_any_course_directory_says_how_to_name_one(
    tmp_path, capsys, monkeypatch, command
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FRAMING_COURSE_DIR", raising=False)
    monkeypatch.setattr("grader.cli.options.DEFAULT_COURSE_DIR", tmp_path / "course")
    code = main([command, "03-reassembly"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"no course directory at {tmp_path / 'course'} (the default" in err
    assert "--course DIR" in err and "FRAMING_COURSE_DIR" in err


def test_every_instructor_command_names_its_course_directory(tmp_path, capsys, monkeypatch):
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    monkeypatch.chdir(course)
    monkeypatch.delenv("FRAMING_COURSE_DIR", raising=False)
    main(["feedback", "03-reassembly"])
    assert (f"course directory: {course} (the current directory: it holds nbgrader_config.py)"
            in capsys.readouterr().err)
    monkeypatch.setenv("FRAMING_COURSE_DIR", str(course))
    monkeypatch.chdir(tmp_path)
    main(["feedback", "03-reassembly"])
    assert f"course directory: {course} (from $FRAMING_COURSE_DIR)" in capsys.readouterr().err


def test_a_course_others_can_read_is_warned_about(tmp_path, capsys):
    course = tmp_path / "course"
    course.mkdir()
    course.chmod(0o755)
    main(["feedback", "03-reassembly", "--course", str(course)])
    err = capsys.readouterr().err
    assert f"other users can enter the course directory {course}" in err
    assert f"chmod 700 {course}" in err
    (course / "gradebook.db").chmod(0o644)
    main(["scores", "03-reassembly", "--course", str(course)])
    assert f"chmod 600 {course / 'gradebook.db'}" in capsys.readouterr().err


def test_an_unreadable_gradebook_is_named_not_a_traceback(tmp_path):
    from grader.cli.options import check_gradebook_access

    gradebook = tmp_path / "gradebook.db"
    gradebook.write_text("")
    check_gradebook_access(gradebook)  # readable: no error
    with pytest.raises(GraderError, match=r"cannot read and write the gradebook .*gradebook.db"):
        check_gradebook_access(gradebook, access=lambda path, mode: False)


def test_help_says_how_the_course_directory_is_found(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    said = " ".join(out.split())
    assert ("--course DIR, else $FRAMING_COURSE_DIR, else CourseDirectory.root from nbgrader's "
            "configuration, else the current directory when it holds nbgrader_config.py") in said
    with pytest.raises(SystemExit):
        main(["autograde", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "FRAMING_COURSE_DIR" in said and "CourseDirectory.root" in said


def test_a_sqlite_gradebook_elsewhere_is_the_one_checked(tmp_path, monkeypatch, capsys):
    """--db-url naming a SQLite file outside the course: that file's mode is the warning's."""
    import argparse

    from grader.cli.options import course_from

    course, elsewhere = tmp_path / "course", tmp_path / "gb" / "grades.db"
    course.mkdir(mode=0o700)
    elsewhere.parent.mkdir()
    elsewhere.write_text("")
    elsewhere.chmod(0o644)
    args = argparse.Namespace(course=str(course), db_url=f"sqlite:///{elsewhere}")
    found = course_from(args, must_exist=True)
    assert found.sqlite_path == elsewhere
    assert str(elsewhere) in capsys.readouterr().err
