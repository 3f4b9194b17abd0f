"""Feedback from the checks: pictures and hints, never grader code; and the kernel-side API."""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from answers import answer_files
from support.paths import GRADER

from grader.checks.base import Failure
from grader.feedback import render_report_text, render_task_html
from grader.grading import TaskResult, grade_source
from grader.notebook import answer_from_history, graded


def _grader_code_lines() -> set[str]:
    """Distinctive lines of the grader's own source (the checks a learner must never see)."""
    lines = set()
    for path in GRADER.rglob("*.py"):
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) > 30 and not line.startswith(("#", '"', "'", 'f"', "Check(")):
                lines.add(line)
    return lines


@pytest.fixture(scope="module")
def failing_results() -> list[TaskResult]:
    chosen = ["no_while_loop", "bytearray_frames", "system_exit", "never_trims"]
    paths = [p for p in answer_files("on_bytes", "broken") if p.stem in chosen]
    return [grade_source("on_bytes", p.read_text(), "feedback") for p in paths]


def test_html_names_each_failed_check_with_a_picture_and_a_hint(failing_results):
    for result in failing_results:
        page = render_task_html(result)
        for failure in result.failures:
            assert f"<strong>{failure.check}</strong>" in page
        # Back to the lesson: in the hints, or in the diagnosis's section when one matched.
        assert re.search(r"Lesson \d", page)
        assert 'class="fcv"' in page  # the lesson's lane picture, not a fallback


def test_only_the_first_failures_are_drawn_open(failing_results):
    from grader.feedback import OPEN_FAILURES

    many = max(failing_results, key=lambda result: len(result.failures))
    assert len(many.failures) > OPEN_FAILURES + 1
    page = render_task_html(many)
    # Every failure keeps its name in view; the pictures after the first few fold away.
    assert page.count("<details>") == len(many.failures) - OPEN_FAILURES
    first_fold = page.index("<details>")
    for failure in many.failures[:OPEN_FAILURES]:
        assert page.index(f"<strong>{failure.check}</strong>") < first_fold


def test_feedback_never_quotes_grader_code(failing_results):
    code = _grader_code_lines()
    for result in failing_results:
        text = render_task_html(result) + render_report_text(result) + repr(result.to_json())
        leaked = [line for line in code if line in text]
        assert leaked == []
        assert "Traceback (most recent call last)" not in text
        assert not re.search(r"grader/[\w/]+\.py", text)


def test_learner_tracebacks_show_only_the_learners_lines(failing_results):
    result = next(r for r in failing_results if any(f.traceback for f in r.failures))
    failure = next(f for f in result.failures if f.traceback)
    assert "line 9, in on_bytes(): raise SystemExit(0)" in failure.traceback


def test_html_escapes_what_the_learners_code_produced():
    failure = Failure(
        "frame_type",
        "got <script>alert(1)</script>",
        "hint & more",
        chunks=[b"\x00\x00\x00\x01<"],
        expected=[b"<"],
        received=[b"<"],
        received_types=["<b>evil</b>"],
    )
    page = render_task_html(TaskResult("on_bytes", 0.0, 13.0, [failure], []))
    assert "<script>" not in page and "<b>evil</b>" not in page
    assert "&lt;script&gt;" in page


def test_the_text_report_shows_scores_failures_and_hints(failing_results):
    by_status = {r.diagnosis.status: r for r in failing_results}
    text = render_report_text(by_status["none"])  # system_exit: no misconception matches
    assert text.startswith("on_bytes: ")
    assert "  x " in text and "hint: Lesson 3" in text
    text = render_report_text(by_status["match"])
    assert "  diagnosis: Your on_bytes behaves exactly like" in text and "  fix: " in text


def test_answer_from_history_takes_the_newest_defining_cell():
    history = [
        "",
        "def on_bytes(chunk):\n    return 1",
        "x = 3",
        "def on_bytes(chunk):\n    return 2",
        "graded('on_bytes')",
        "this is not python",
    ]
    assert answer_from_history("on_bytes", history).endswith("return 2")
    assert answer_from_history("LineDecoder", history) is None


def test_graded_prints_one_line_to_stdout_and_returns_the_points(monkeypatch):
    source = answer_files("on_bytes", "broken")[0].parent / "never_trims.py"
    monkeypatch.setattr("grader.notebook._history", lambda: [source.read_text()])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        earned = graded("on_bytes")
    # 15 of the checks' 16 points, scaled to the cell's 13.
    assert isinstance(earned, float) and earned == round(13 * 15 / 16, 4)
    assert err.getvalue() == ""
    assert out.getvalue().count("\n") == 1 and "failed: buffer_trimmed" in out.getvalue()


def test_graded_scales_to_the_cells_points_and_survives_no_answer(monkeypatch):
    source = answer_files("on_bytes", "correct")[0].read_text()
    monkeypatch.setattr("grader.notebook._history", lambda: [source])
    with contextlib.redirect_stdout(io.StringIO()):
        assert graded("on_bytes", points=5) == 5.0
    monkeypatch.setattr("grader.notebook._history", lambda: ["x = 1"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert graded("on_bytes") == 0.0
    assert "run your answer cell first" in out.getvalue()


def test_check_displays_the_html_report_and_returns_the_result(monkeypatch):
    import IPython.display

    from grader.notebook import check

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    source = answer_files("on_bytes", "broken")[0].parent / "bytearray_frames.py"
    monkeypatch.setattr("grader.notebook._history", lambda: [source.read_text()])
    result = check("on_bytes")
    assert [f.check for f in result.failures] == ["frame_type"]
    [html] = shown
    assert "<strong>frame_type</strong>" in html.data and "15 / 16 points" in html.data
    assert repr(result) == "<TaskResult on_bytes: 15/16, failed: frame_type>"
    # The self-check opens with the diagnosis, as the feedback page does.
    sentence = "Your on_bytes behaves exactly like a receiver that hands over bytearray slices"
    assert html.data.index(sentence) < html.data.index("<strong>frame_type</strong>")


def test_a_failed_line_decoder_report_draws_its_delimited_stream():
    [path] = [p for p in answer_files("LineDecoder", "broken") if p.stem == "forgets_partial_line"]
    result = grade_source("LineDecoder", path.read_text(), "feedback")
    drawn = [f for f in result.failures if f.chunks]
    assert drawn, f"{path.stem} fails no check with an input"
    assert all(f.delimiter == b"\n" and f.header_size == 0 for f in drawn)
    page = render_task_html(result)
    assert 'class="fcv"' in page  # the lane picture, not the bare list of inputs
    assert "fcv-d" in page  # with the newline drawn as the delimiter that ends a frame


# --- lesson 7: a failure drawn in the framing of its PostgreSQL stream ------------------------

def _byte_titles(markup: str) -> dict[int, str]:
    """What each byte of the first "Chunks as delivered" lane says it is, by stream offset."""
    lane = markup.split('aria-label="Chunks as delivered', 1)[1].split('class="fcv-lane"', 1)[0]
    return {int(m[1]): m[2] for m in re.finditer(
        r'title="byte (\d+) of the stream: ([^,"]*), value', lane)}


@pytest.fixture(scope="module")
def type_as_int() -> TaskResult:
    path = next(p for p in answer_files("BackendReader", "broken") if p.stem == "type_as_int")
    return grade_source("BackendReader", path.read_text(), "feedback", diagnose=False)


def test_a_backend_reader_failure_is_drawn_as_postgresql_messages(type_as_int):
    failure = next(f for f in type_as_int.failures if f.check == "real_stream_every_cut")
    assert failure.picture_framing()["kind"] == "length_field"
    page = render_task_html(TaskResult("BackendReader", 0, 10, [failure]))
    titles = _byte_titles(page)
    # The recorded stream opens with AuthenticationOk: 'R', length 8 (it counts itself), 0.
    assert titles[0] == "type of frame 1"
    assert [titles[i] for i in range(1, 5)] == ["length field of frame 1"] * 4
    assert [titles[i] for i in range(5, 9)] == ["payload of frame 1"] * 4
    assert titles[9] == "type of frame 2"
    assert "1-byte type, then a 4-byte big-endian length that counts itself" in page
    # Expected vs received as (type, body) messages; the learner's int type named by its type.
    assert "Message 1&#x27;s type is not bytes but int" in page
    assert "A correct decoder" in page and "len = 8: frame of 9" in page


def test_the_text_report_shows_backend_messages_as_type_and_body_pairs(type_as_int):
    text = render_report_text(type_as_int)
    expected = next(line for line in text.splitlines() if line.startswith("      expected:"))
    received = next(line for line in text.splitlines() if line.startswith("      received:"))
    # The recorded stream's first message is AuthenticationOk: type 'R', a 4-byte zero body.
    assert expected.startswith("      expected: [(b'R', b'\\x00\\x00\\x00\\x00'), (b'S', ")
    # The learner's type is an int: known by its type alone, its body shown as bytes.
    # (Python's own int: not called a class of the learner's own.)
    assert received.startswith("      received: [(<int object>, b'\\x00\\x00\\x00\\x00'), ")
    assert "(b'')" not in received


def test_a_pair_of_the_right_bytes_is_drawn_as_right():
    failure = Failure("close", "close() should raise EOFError", "", [b"Z\x00\x00\x00\x05I"],
                      [b"ZI"], [b"ZI"], ["tuple"], header_size=0,
                      framing={"kind": "length_field", "length_field_offset": 1,
                               "length_adjustment": -4, "leading": "type",
                               "message_parts": ["type", "body"]},
                      expected_parts=[[b"Z", b"I"]], received_parts=[[("bytes", b"Z"),
                                                                      ("bytes", b"I")]])
    page = render_task_html(TaskResult("BackendReader", 0, 1, [failure]))
    assert "the frames are right" in page and "All 1 message match." in page
    failure.received_parts = [[("bytes (your own class, not the built-in)", b""),
                               ("bytes", b"I")]]
    page = render_task_html(TaskResult("BackendReader", 0, 1, [failure]))
    assert "the frames are right" not in page
    assert "Message 1&#x27;s type is not bytes but bytes (your own class" in page


def test_failures_without_a_framing_keep_their_header_size_or_delimiter():
    assert Failure("c", "m").picture_framing() == {"kind": "length_prefix", "header_size": 4,
                                                   "byteorder": "big"}
    assert Failure("c", "m", delimiter=b"\r\n").picture_framing() == {
        "kind": "delimited", "delimiter": "0d0a"}
    assert Failure("c", "m", header_size=0).picture_framing() is None
    page = render_task_html(TaskResult("T", 0, 1, [Failure("c", "m", chunks=[b"ab"],
                                                           header_size=0)]))
    assert "Input: <code>b&#x27;ab&#x27;</code>" in page


def test_stored_failures_say_their_framing_and_old_ones_still_load(type_as_int):
    import json

    from framinglib.visual._framing import LengthField, framing_from_description
    from grader.insight.collect import _task_record

    stored = json.loads(json.dumps(type_as_int.to_json()))
    framing = framing_from_description(stored["failures"][0]["framing"])
    assert isinstance(framing, LengthField) and framing.leading == "type"
    # A report written before failures carried a framing has no such key.
    for failure in stored["failures"]:
        del failure["framing"]
    record = _task_record("BackendReader", {"earned": 0, "points": 10, "result": stored})
    assert "real_stream_every_cut" in record.failed
