"""Turn a graded task into feedback: each failed check's message, its picture and a hint.

Feedback shows only what the learner may see: the check's name and message,
the smallest failing input drawn in the lesson's lanes, the learner's own
traceback lines, and a hint back to the lesson. It never includes check code,
expected values beyond the failing case, or grader tracebacks.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from grader.checks.base import Failure
from grader.formatting import escape, points
from grader.grading import TaskResult
from grader.settings import OPEN_FAILURES

__all__ = ["OPEN_FAILURES", "render_report_text", "render_task_html"]

_STYLE = (
    "<style>.grader-report{font-family:system-ui,sans-serif;line-height:1.4}"
    ".grader-report h3{margin:.4em 0}.grader-pass{color:#1a7f37}.grader-fail{color:#b42318}"
    ".grader-failure{border-left:4px solid #b42318;padding:.2em .8em;margin:.6em 0}"
    ".grader-hint{background:#f1f5f9;padding:.3em .6em;border-radius:4px}"
    ".grader-report pre{white-space:pre-wrap;background:#f8f8f8;padding:.4em}</style>"
)


def render_task_html(result: TaskResult, *, heading: bool = True) -> str:
    """An HTML report for one task: score, passed checks, and each failure with its picture.

    `heading=False` leaves out the task's name and score, for a page that shows them itself
    (the course feedback heads each task with the gradebook's score).
    """
    esc = html.escape
    verdict = "grader-pass" if not result.failures else "grader-fail"
    parts = [_STYLE, '<div class="grader-report">']
    if heading:
        parts.append(f'<h3 class="{verdict}">{esc(result.task)}: {points(result.score)} / '
                     f"{points(result.max_score)} points</h3>")
    if result.passed:
        names = ", ".join(f"<code>{esc(name)}</code>" for name in result.passed)
        parts.append(f"<p>Passed: {names}</p>")
    for index, failure in enumerate(result.failures):
        parts.append(_failure_html(failure, folded=index >= OPEN_FAILURES))
    parts.append("</div>")
    return "".join(parts)


def _failure_html(failure: Failure, *, folded: bool = False) -> str:
    esc = html.escape
    body = [
        '<div class="grader-failure">',
        f"<p><strong>{esc(failure.check)}</strong>: {esc(failure.message)}</p>",
    ]
    if folded:
        body.append("<details><summary>Show the failing case and a hint</summary>")
    if failure.chunks and failure.header_size:
        body.append(_picture(failure))
    elif failure.chunks:
        shown = ", ".join(f"b'{escape(c)}'" for c in failure.chunks[:20])
        body.append(f"<p>Input: <code>{esc(shown)}</code></p>")
    if failure.traceback:
        body.append(f"<p>Where your code raised it:</p><pre>{esc(failure.traceback)}</pre>")
    if failure.hint:
        body.append(f'<p class="grader-hint">{esc(failure.hint)}</p>')
    if folded:
        body.append("</details>")
    body.append("</div>")
    return "".join(body)


class _NotBytes:
    """Stands for a received item that was not bytes; only its type name crossed over."""

    def __init__(self, type_name: str, content: bytes) -> None:
        self.type_name = type_name
        self.content = content

    def __repr__(self) -> str:
        return f"{self.type_name}(b'{escape(self.content)}')" if self.content else self.type_name


def _picture(failure: Failure) -> str:
    types = failure.received_types or ["bytes"] * len(failure.received)
    received: list[object] = [
        frame if kind == "bytes" else _NotBytes(kind, frame)
        for frame, kind in zip(failure.received, types, strict=False)
    ]
    from framinglib.visual.html import render_failure_html

    title = failure.check
    if failure.expected == failure.received and set(types) <= {"bytes"}:
        # e.g. a missing ValueError, a wrong `buffered`: the frames are not the problem.
        title += ": the frames are right; what went wrong is said above"
    return render_failure_html(
        failure.chunks, failure.expected, received, failure.header_size, title=title
    )


def render_report_text(results: Mapping[str, TaskResult] | TaskResult) -> str:
    """A plain-text report (for terminals): per task, its score and each failure."""
    if isinstance(results, TaskResult):
        results = {results.task: results}
    lines = []
    for name, result in results.items():
        mark = "ok" if not result.failures else "FAILED"
        lines.append(f"{name}: {points(result.score)} / {points(result.max_score)}  {mark}")
        for failure in result.failures:
            lines.append(f"  x {failure.check}: {failure.message}")
            if failure.chunks:
                shown = ", ".join(f"b'{escape(c, 32)}'" for c in failure.chunks[:12])
                more = f" ... ({len(failure.chunks)} chunks)" if len(failure.chunks) > 12 else ""
                lines.append(f"      chunks:   {shown}{more}")
            if failure.expected or failure.received:
                lines.append("      expected: " + _frames_text(failure.expected))
                lines.append(
                    "      received: " + _frames_text(failure.received, failure.received_types)
                )
            if failure.traceback:
                lines.extend("      " + line for line in failure.traceback.splitlines())
            if failure.hint:
                lines.append(f"      hint: {failure.hint}")
        if result.passed:
            lines.append("  passed: " + ", ".join(result.passed))
    return "\n".join(lines)


def _frames_text(frames: list[bytes], types: list[str] | None = None) -> str:
    kinds = types or ["bytes"] * len(frames)
    shown = ", ".join(
        f"b'{escape(f, 32)}'" if kind == "bytes" else f"{kind}(b'{escape(f, 32)}')"
        for f, kind in zip(frames[:12], kinds, strict=False)
    )
    more = f" ... ({len(frames)} frames)" if len(frames) > 12 else ""
    return f"[{shown}{more}]"
