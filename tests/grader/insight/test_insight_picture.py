"""The class picture's numbers and its page, from hand-made student records."""

from __future__ import annotations

import csv
import io
import re

from grader.insight import StudentRecord, TaskRecord, class_picture, render_csv, render_html

NO_LOOP = "Your on_bytes behaves exactly like a receiver without the while loop: ..."


def _class() -> list[StudentRecord]:
    return [
        StudentRecord("ada", 13, 13, (TaskRecord("on_bytes", 13, 13),), 1.0),
        StudentRecord("ben", 4, 13, (TaskRecord("on_bytes", 4, 13, ("coalesced", "boundaries"),
                                                "no_while_loop", NO_LOOP),), 2.0),
        StudentRecord("cy", 5, 13, (TaskRecord("on_bytes", 5, 13, ("coalesced",),
                                               "no_while_loop", NO_LOOP),), 3.0),
        StudentRecord("dee", 0, 13, (TaskRecord("on_bytes", 0, 13, ("coalesced", "answer")),)),
    ]


def test_picture_counts_students_per_misconception_and_share_per_check():
    picture = class_picture("03-reassembly", _class())
    assert picture.misconceptions == [("on_bytes", "no_while_loop", NO_LOOP, 2)]
    shares = {(task, check): share for task, check, share in picture.failed_checks}
    assert shares == {("on_bytes", "coalesced"): 0.75, ("on_bytes", "boundaries"): 0.25,
                      ("on_bytes", "answer"): 0.25}
    assert picture.failed_checks[0][1] == "coalesced"
    assert picture.mean_score == 22 / 4
    assert picture.grading_seconds == [1.0, 2.0, 3.0]


def test_page_shows_the_numbers_and_who_has_which_diagnosis():
    page = render_html(class_picture("03-reassembly", _class()))
    assert "4 students; mean score 5.50 of 13." in page
    assert re.search(r"<code>no_while_loop</code></td><td>2</td>", page)
    assert re.search(r"<code>coalesced</code></td><td>75%</td>", page)
    assert "6.0 s in all, 2.00 s per submission on average, 3.00 s at most" in page
    assert re.search(r"<td>ben</td><td>4 / 13</td><td>on_bytes: no_while_loop</td>", page)
    assert page.count("data:image/png;base64,") == 4


def test_csv_has_a_row_per_student_and_task():
    rows = list(csv.DictReader(io.StringIO(render_csv(class_picture("03", _class())))))
    assert [row["student"] for row in rows] == ["ada", "ben", "cy", "dee"]
    assert rows[1]["diagnosis"] == "no_while_loop"
    assert rows[1]["failed_checks"] == "coalesced boundaries"
    assert rows[3]["grading_seconds"] == ""


def test_an_empty_class_still_gets_a_page():
    page = render_html(class_picture("03", []))
    assert "0 students" in page
    assert "No misconception was diagnosed." in page
