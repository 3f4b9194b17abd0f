"""The report opens with the diagnosis; the checks it explains fold under it without their
hints; without a match the first failing check is named and every hint stays."""

from __future__ import annotations

from grader.checks.base import Failure
from grader.diagnosis import MISCONCEPTIONS, Diagnosis
from grader.diagnosis.match import no_match, unavailable
from grader.feedback import render_report_text, render_task_html
from grader.grading import TaskResult

NO_LOOP = next(m for m in MISCONCEPTIONS["on_bytes"] if m.id == "no_while_loop")
WRONG_WAY = "wait until all 4 header bytes are in the buffer"


def _result(diagnosis: Diagnosis | None) -> TaskResult:
    failures = [
        Failure("coalesced", "2 frame(s) became complete, but handle received 1", WRONG_WAY),
        Failure("header_splits", "frame missing", "read big-endian"),
        Failure("frame_type", "not bytes", "wrap it in bytes(...)"),
    ]
    return TaskResult("on_bytes", 3, 16, failures, ["byte_at_a_time"], diagnosis=diagnosis)


def test_a_matched_misconception_comes_first_and_silences_the_hints_it_explains():
    found = Diagnosis("match", NO_LOOP.sentence(), NO_LOOP, ["coalesced", "header_splits"])
    page = render_task_html(_result(found))
    assert page.index(NO_LOOP.sentence()) < page.index("Passed:") < page.index("frame_type")
    assert "Why the `while` loop matters" in page and NO_LOOP.fix in page
    assert WRONG_WAY not in page and "read big-endian" not in page
    assert "wrap it in bytes(...)" in page  # not explained by it: its hint stays
    text = render_report_text(_result(found))
    assert text.splitlines()[1] == f"  diagnosis: {NO_LOOP.sentence()}"
    assert "the checks that fail for this reason: coalesced, header_splits" in text
    assert WRONG_WAY not in text and "hint: wrap it in bytes(...)" in text


def test_without_a_match_the_first_failing_check_is_named_and_hints_stay():
    result = _result(no_match("on_bytes", "coalesced", "2 frame(s) became complete"))
    page = render_task_html(result)
    assert "the first check that fails is coalesced" in page
    assert WRONG_WAY in page and "read big-endian" in page
    assert "Your on_bytes behaves exactly like" not in page


def test_a_diagnosis_that_was_not_possible_says_so():
    page = render_task_html(_result(unavailable("RecursionError while comparing")))
    assert "diagnosis was not possible" in page and WRONG_WAY in page


def test_the_json_carries_the_id_and_the_sentence():
    found = Diagnosis("match", NO_LOOP.sentence(), NO_LOOP, ["coalesced"])
    data = _result(found).to_json()["diagnosis"]
    assert data["id"] == "no_while_loop" and data["sentence"] == NO_LOOP.sentence()
    assert data["explains"] == ["coalesced"]
