"""The class picture of the demo class, on a SQLite and on a PostgreSQL gradebook.

Lesson 3 is released, the demo class (ada right, ben never trims, cy one frame per call,
dee hands back the release) is autograded, and ``python -m grader insight`` writes the page
and the CSV, whose numbers are checked against what the class is known to have done.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from support import pg_server

from grader.autograde.demo import write_demo_class
from grader.autograde.release import release
from grader.autograde.run import autograde
from grader.course import Course
from grader.feedback.pages import write_feedback
from grader.gradebook.url import normalize_db_url

postgres_server = pg_server.postgres_server  # the fixture
LESSON = "03-reassembly"
VENV_BIN = str(Path(sys.executable).parent)


def _demo_picture(course_root: Path, db_url: str | None) -> tuple[str, list[dict], str]:
    os.environ["PATH"] = VENV_BIN + os.pathsep + os.environ.get("PATH", "")
    course = Course(root=course_root, db_url_override=db_url)
    release(course, LESSON)
    students = write_demo_class(course, LESSON)
    outcomes = autograde(course, LESSON, jobs=2, students=students, out=io.StringIO())
    assert all(outcome.ok for outcome in outcomes)
    # The feedback page a learner gets opens with the same diagnosis.
    write_feedback(course, LESSON)
    [cy_page] = course.path("feedback", "cy", LESSON).glob("*.html")
    no_loop = "Your on_bytes behaves exactly like a receiver without the while loop"
    assert no_loop in cy_page.read_text()
    command = [sys.executable, "-m", "grader", "insight", LESSON, "--course", str(course_root)]
    if db_url:
        command += ["--db-url", db_url]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    page = (course_root / "insight" / f"{LESSON}.html").read_text()
    table = (course_root / "insight" / f"{LESSON}.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(table)))
    return page, rows, run.stdout


def _check_numbers(page: str, rows: list[dict]) -> None:
    by_student = {row["student"]: row for row in rows}
    assert sorted(by_student) == ["ada", "ben", "cy", "dee"]
    assert by_student["ada"]["lesson_score"] == by_student["ada"]["lesson_max"] == "13"
    assert by_student["dee"]["lesson_score"] == "0"
    assert by_student["ben"]["diagnosis"] == "never_trims"
    assert by_student["cy"]["diagnosis"] == "no_while_loop"
    assert by_student["ada"]["diagnosis"] == by_student["dee"]["diagnosis"] == ""
    assert by_student["dee"]["failed_checks"] == "answer"
    assert all(float(row["grading_seconds"]) > 0 for row in rows)
    assert "4 students;" in page
    # One student each, in the table and the plot beside it.
    for misconception in ("never_trims", "no_while_loop"):
        assert re.search(rf"<code>{misconception}</code></td><td>1</td>", page)
    # ben and cy both fail buffer_trimmed: half the class; dee alone fails `answer`.
    assert re.search(r"<code>buffer_trimmed</code></td><td>50%</td>", page)
    assert re.search(r"<code>answer</code></td><td>25%</td>", page)
    assert re.search(r"<td>ben</td><td>[\d.]+ / 13</td><td>on_bytes: never_trims</td>", page)
    assert page.count("data:image/png;base64,") == 4


@pytest.mark.slow
def test_the_demo_class_picture_on_sqlite(tmp_path):
    page, rows, out = _demo_picture(tmp_path / "course", None)
    _check_numbers(page, rows)
    assert "class picture of 03-reassembly" in out


@pytest.mark.slow
@pytest.mark.postgres
def test_the_demo_class_picture_on_postgres(tmp_path, postgres_server):
    url = normalize_db_url(postgres_server.create_database(f"gb_{uuid.uuid4().hex[:10]}"))
    page, rows, _ = _demo_picture(tmp_path / "course", url)
    _check_numbers(page, rows)
