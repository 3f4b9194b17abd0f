"""Lesson 6's visible tests for the socket side and the decoder, run against the answer corpus:
every correct answer passes, every broken one fails with an assertion that says what was tried
(never a bare error from the learner's code)."""

from __future__ import annotations

import contextlib
import io

import pytest
from answers import answer_files, answer_source
from support.notebook_support import cells_by_grade_id, read, source_path

LESSON = "06-complete-decoder"


def visible(task: str) -> str:
    return cells_by_grade_id(read(source_path(LESSON)))[f"{task}-visible"].source


def run_visible(task: str, answer: str) -> None:
    namespace: dict[str, object] = {}
    exec(answer, namespace)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(visible(task), namespace)


@pytest.mark.parametrize("path", answer_files("recv_frame", "correct"), ids=lambda p: p.stem)
def test_correct_socket_answers_pass_the_visible_tests(path) -> None:
    run_visible("recv_frame", path.read_text())


@pytest.mark.parametrize("path", answer_files("recv_frame", "broken"), ids=lambda p: p.stem)
def test_broken_socket_answers_fail_the_visible_tests_with_a_message(path) -> None:
    with pytest.raises(AssertionError) as failed:
        run_visible("recv_frame", path.read_text())
    assert len(str(failed.value)) > 40, str(failed.value)


def test_lesson_5s_decoder_pasted_in_fails_on_the_lost_frames() -> None:
    pasted = answer_source("FrameDecoder", "broken", "safe_decoder_pasted")
    with pytest.raises(AssertionError, match="error.frames"):
        run_visible("FrameDecoder", pasted)


def test_the_reference_decoder_copies_each_frame_once() -> None:
    answer = cells_by_grade_id(read(source_path(LESSON)))["FrameDecoder-answer"].source
    assert "bytes(held)" not in answer and ".tobytes()" in answer
