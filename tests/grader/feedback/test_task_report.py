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
        assert "Lesson 3" in page
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
    text = render_report_text({r.task: r for r in failing_results[:1]})
    assert text.startswith("on_bytes: ")
    assert "  x " in text and "hint: Lesson 3" in text


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
    assert isinstance(earned, float) and earned == 12.0
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
    assert "<strong>frame_type</strong>" in html.data and "12 / 13 points" in html.data
    assert repr(result) == "<TaskResult on_bytes: 12/13, failed: frame_type>"
