"""Lesson 6's hidden checks against the answer corpus: the socket side (``recv_frame``) and
the decoder's frames-before-a-bad-header check, graded in the sandbox like a submission."""

from __future__ import annotations

import pytest
from answers import answer_files, answer_source, expected_diagnosis, expected_failures

from grader.grading import grade_source
from grader.lessons import TASKS

SEED = "student-7"


def corpus(task: str, kind: str) -> list:
    return answer_files(task, kind)


@pytest.mark.slow
@pytest.mark.parametrize("path", corpus("recv_frame", "correct"), ids=lambda p: p.stem)
def test_correct_socket_answers_earn_full_marks(path) -> None:
    result = grade_source("recv_frame", path.read_text(), SEED)
    assert [f.message for f in result.failures] == []
    assert result.score == result.max_score == TASKS["recv_frame"].max_score
    assert result.diagnosis is None


@pytest.mark.slow
@pytest.mark.parametrize("path", corpus("recv_frame", "broken"), ids=lambda p: p.stem)
def test_broken_socket_answers_fail_exactly_the_expected_checks(path) -> None:
    result = grade_source("recv_frame", path.read_text(), SEED)
    checks = [check.name for check in TASKS["recv_frame"].checks]
    failed = {f.check: f.message for f in result.failures}
    assert set(failed) == expected_failures(path, checks), failed
    assert all(f.message and f.hint for f in result.failures)
    wanted, found = expected_diagnosis(path), result.diagnosis
    assert found is not None
    if wanted == "none":
        assert found.status == "none", found.sentence
    else:
        assert (found.status, found.id) == ("match", wanted), found.sentence
        assert set(found.explains) <= set(failed) and found.explains


@pytest.mark.slow
def test_lesson_5s_safe_decoder_pasted_in_does_not_earn_full_marks() -> None:
    pasted = answer_source("FrameDecoder", "broken", "safe_decoder_pasted")
    result = grade_source("FrameDecoder", pasted, SEED)
    assert [f.check for f in result.failures] == ["keeps_frames_on_error"]
    assert result.score < result.max_score
    assert "error.frames" in result.failures[0].message


@pytest.mark.slow
def test_a_failing_socket_case_names_the_pieces_the_peer_sent() -> None:
    result = grade_source("recv_frame", answer_source("recv_frame", "broken", "over_read"), SEED)
    asks = next(f for f in result.failures if f.check == "asks_only_what_it_needs")
    assert "The peer sent" in asks.message and asks.chunks, asks.message


def test_the_socket_side_is_worth_what_lesson_6_says() -> None:
    task = TASKS["recv_frame"]
    assert task.lesson == "06-complete-decoder"
    assert task.max_score == sum(check.points for check in task.checks)
    assert {"send_all_partial", "recv_exactly_pieces", "clean_close_vs_cut", "recv_linear",
            "send_all_linear"} <= {check.name for check in task.checks}
