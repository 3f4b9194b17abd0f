"""The command line's parsing and dispatch (no nbgrader runs here: those are in test_workflow)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from submissions import on_bytes as answers
from support.paths import REPO

from grader.autograde.selection import parse_shard, select_students
from grader.cli import main
from grader.course import Course, subprocess_env
from grader.errors import WorkflowError

STUDENTS = ["s05", "s01", "s04", "s02", "s03"]


def test_shards_split_the_sorted_students_without_overlap() -> None:
    shards = [select_students(STUDENTS, None, (index, 2)) for index in (1, 2)]
    assert shards == [["s01", "s03", "s05"], ["s02", "s04"]]
    three = [name for index in (1, 2, 3) for name in select_students(STUDENTS, None, (index, 3))]
    assert sorted(three) == sorted(STUDENTS) and len(three) == len(set(three))


def test_named_students_then_shard() -> None:
    assert select_students(STUDENTS, ["s04", "s01"], None) == ["s01", "s04"]
    assert select_students(STUDENTS, ["s04", "s01", "s02"], (2, 2)) == ["s02"]


def test_unknown_student_is_named() -> None:
    with pytest.raises(WorkflowError, match="no submission from: zed"):
        select_students(STUDENTS, ["s01", "zed"], None)


@pytest.mark.parametrize("text", ["0/2", "3/2", "1-2", "a/b", "1/0"])
def test_bad_shard_is_refused(text: str) -> None:
    with pytest.raises(WorkflowError, match="--shard"):
        parse_shard(text)


def test_good_shard() -> None:
    assert parse_shard("2/3") == (2, 3)


def test_unknown_lesson_is_a_clear_error(tmp_path: Path, capsys) -> None:
    status = main(["release", "99-nope", "--course", str(tmp_path / "c")])
    assert status == 2
    assert "no lesson '99-nope'" in capsys.readouterr().err


def test_bad_database_url_is_a_clear_error(tmp_path: Path, capsys) -> None:
    status = main(["scores", "03-reassembly", "--course", str(tmp_path), "--db-url", "mysql://x/y"])
    assert status == 2
    assert "mysql" in capsys.readouterr().err


def test_zero_jobs_is_refused(tmp_path: Path, capsys) -> None:
    status = main(["autograde", "03-reassembly", "--course", str(tmp_path), "--jobs", "0"])
    assert status == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err


def test_default_course_is_ignored_by_git() -> None:
    course = Course()
    root = REPO
    assert course.root == root / "course"
    assert "course/" in (root / ".gitignore").read_text().splitlines()


def test_check_is_delegated_with_its_exit_codes(tmp_path: Path) -> None:
    right, wrong = tmp_path / "right.py", tmp_path / "wrong.py"
    right.write_text(answers.CORRECT)
    wrong.write_text(answers.LITTLE_ENDIAN)
    runs = {path.name: subprocess.run(
        [sys.executable, "-m", "grader", "check", str(path), "--json"],
        capture_output=True, text=True, env=subprocess_env(), timeout=300)
        for path in (right, wrong)}
    assert runs["right.py"].returncode == 0, runs["right.py"].stderr
    assert runs["wrong.py"].returncode == 1, runs["wrong.py"].stderr
    report = json.loads(runs["wrong.py"].stdout)
    assert report["tasks"]["on_bytes"]["failures"]
    assert report["score"] < report["max_score"]
