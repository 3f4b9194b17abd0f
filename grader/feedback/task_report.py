"""Turn a graded task into feedback: the diagnosis first, then each failed check's message,
its picture and a hint.

When the diagnosis names a misconception, the report opens with its sentence and the one
fix; the checks it explains follow folded under it, without their own hints (several of
them would point the wrong way for this cause). Otherwise the diagnosis's sentence names
the first failing check, or says that no diagnosis was possible, and each failure keeps
its hint.

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
    ".grader-report pre{white-space:pre-wrap;background:#f8f8f8;padding:.4em}"
    ".grader-diagnosis{border:2px solid #b42318;border-radius:6px;padding:.3em .8em;"
    "margin:.6em 0}</style>"
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
    explained = set(_explained(result))
    if result.diagnosis is not None and result.diagnosis.sentence:
        parts.append(_diagnosis_html(result, explained))
    if result.passed:
        names = ", ".join(f"<code>{esc(name)}</code>" for name in result.passed)
        parts.append(f"<p>Passed: {names}</p>")
    if result.withheld:
        names = ", ".join(f"<code>{esc(name)}</code>" for name in result.withheld)
        parts.append(f"<p>Passed, but scored only once the frames are right: {names}</p>")
    others = [f for f in result.failures if f.check not in explained]
    for index, failure in enumerate(others):
        parts.append(_failure_html(failure, folded=index >= OPEN_FAILURES))
    parts.append("</div>")
    return "".join(parts)


def _explained(result: TaskResult) -> list[str]:
    """The failed checks the diagnosis explains (none unless a misconception matched)."""
    found = result.diagnosis
    return list(found.explains) if found is not None and found.status == "match" else []


def _diagnosis_html(result: TaskResult, explained: set[str]) -> str:
    esc = html.escape
    found = result.diagnosis
    assert found is not None
    body = [f'<div class="grader-diagnosis" data-status="{esc(found.status)}">',
            f"<p><strong>{esc(found.sentence)}</strong></p>"]
    if found.misconception is not None:
        body.append(f'<p class="grader-hint">{esc(found.misconception.fix)}</p>')
        body.append(f"<p>The checks that fail for this reason ({len(explained)}):</p>")
        for failure in result.failures:
            if failure.check in explained:
                body.append(_failure_html(failure, folded=True, hint=False))
    body.append("</div>")
    return "".join(body)


def _failure_html(failure: Failure, *, folded: bool = False, hint: bool = True) -> str:
    esc = html.escape
    body = [
        '<div class="grader-failure">',
        f"<p><strong>{esc(failure.check)}</strong>: {esc(failure.message)}</p>",
    ]
    if folded:
        shown = "Show the failing case and a hint" if hint else "Show the failing case"
        body.append(f"<details><summary>{shown}</summary>")
    if failure.chunks and failure.picture_framing() is not None:
        body.append(_picture(failure))
    elif failure.chunks:
        shown = ", ".join(f"b'{escape(c)}'" for c in failure.chunks[:20])
        body.append(f"<p>Input: <code>{esc(shown)}</code></p>")
    if failure.traceback:
        body.append(f"<p>Where your code raised it:</p><pre>{esc(failure.traceback)}</pre>")
    if failure.hint and hint:
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


def _received_item(frame: bytes, kind: str, parts: list[tuple[str, bytes]] | None) -> object:
    """A received item as the picture compares it: bytes, a tuple of parts, or a stand-in.

    Only type names and bytes crossed over from the learner's process: a tuple is rebuilt
    from its parts, each part that was not bytes (and any other item) is a stand-in.
    """
    if parts is not None:
        return tuple(content if name == "bytes" else _NotBytes(name, content)
                     for name, content in parts)
    return frame if kind == "bytes" else _NotBytes(kind, frame)


def _picture(failure: Failure) -> str:
    types = failure.received_types or ["bytes"] * len(failure.received)
    as_pairs = bool(failure.expected_parts or failure.received_parts)
    all_parts = failure.received_parts or [None] * len(failure.received)
    received = [_received_item(frame, kind, parts) for frame, kind, parts in
                zip(failure.received, types, all_parts, strict=False)]
    expected: list[object] = (
        [tuple(parts) for parts in failure.expected_parts] if as_pairs else
        list(failure.expected))
    from framinglib.visual.html import render_failure_html

    title = failure.check
    if as_pairs:
        right = all(parts is not None and all(name == "bytes" for name, _ in parts)
                    for parts in all_parts) and expected == [
            tuple(content for _, content in parts or ()) for parts in all_parts]
    else:
        right = failure.expected == failure.received and set(types) <= {"bytes"}
    if right:
        # e.g. a missing ValueError, a wrong `buffered`: the frames are not the problem.
        title += ": the frames are right; what went wrong is said above"
    return render_failure_html(
        failure.chunks, expected, received, title=title,  # type: ignore[arg-type]
        framing=failure.picture_framing(),
    )


def render_report_text(results: Mapping[str, TaskResult] | TaskResult) -> str:
    """A plain-text report (for terminals): per task, its score and each failure."""
    if isinstance(results, TaskResult):
        results = {results.task: results}
    lines = []
    for name, result in results.items():
        mark = "ok" if not result.failures else "FAILED"
        lines.append(f"{name}: {points(result.score)} / {points(result.max_score)}  {mark}")
        explained = set(_explained(result))
        found = result.diagnosis
        if found is not None and found.sentence:
            lines.append(f"  diagnosis: {found.sentence}")
            if found.misconception is not None:
                lines.append(f"  fix: {found.misconception.fix}")
                lines.append("  the checks that fail for this reason: " + ", ".join(
                    f.check for f in result.failures if f.check in explained))
        for failure in result.failures:
            lines.append(f"  x {failure.check}: {failure.message}")
            if failure.chunks:
                shown = ", ".join(f"b'{escape(c, 32)}'" for c in failure.chunks[:12])
                more = f" ... ({len(failure.chunks)} chunks)" if len(failure.chunks) > 12 else ""
                lines.append(f"      chunks:   {shown}{more}")
            if failure.expected_parts or failure.received_parts:
                lines.append("      expected: " + _messages_text(failure.expected_parts))
                lines.append("      received: " + _received_messages_text(failure))
            elif failure.expected or failure.received:
                lines.append("      expected: " + _frames_text(failure.expected))
                lines.append(
                    "      received: " + _frames_text(failure.received, failure.received_types)
                )
            if failure.traceback:
                lines.extend("      " + line for line in failure.traceback.splitlines())
            if failure.hint and failure.check not in explained:
                lines.append(f"      hint: {failure.hint}")
        if result.passed:
            lines.append("  passed: " + ", ".join(result.passed))
        if result.withheld:
            lines.append("  passed, but scored only once the frames are right: "
                         + ", ".join(result.withheld))
    return "\n".join(lines)


def _part_text(kind: str, content: bytes) -> str:
    if kind == "bytes":
        return f"b'{escape(content, 32)}'"
    # Only byte sequences (bytearray, memoryview) carry content across; anything else is
    # known by its type alone.
    return f"{kind}(b'{escape(content, 32)}')" if content else f"<{kind} object>"


def _listed(shown: list[str], total: int) -> str:
    more = f" ... ({total} messages)" if total > 12 else ""
    return f"[{', '.join(shown[:12])}{more}]"


def _messages_text(messages: list[list[bytes]]) -> str:
    """Messages returned as tuples of parts (lesson 7's ``(type, body)``), as Python shows them."""
    shown = ["(" + ", ".join(_part_text("bytes", part) for part in parts) + ")"
             for parts in messages[:12]]
    return _listed(shown, len(messages))


def _received_messages_text(failure: Failure) -> str:
    """What the learner returned, message by message: a tuple's parts, or the item itself."""
    types = failure.received_types or ["bytes"] * len(failure.received)
    parts_of = failure.received_parts or [None] * len(failure.received)
    shown = []
    for frame, kind, parts in zip(failure.received[:12], types, parts_of, strict=False):
        if parts is None:
            shown.append(_part_text(kind, frame))
        else:
            shown.append("(" + ", ".join(_part_text(name, part) for name, part in parts) + ")")
    return _listed(shown, len(failure.received))


def _frames_text(frames: list[bytes], types: list[str] | None = None) -> str:
    kinds = types or ["bytes"] * len(frames)
    shown = ", ".join(
        f"b'{escape(f, 32)}'" if kind == "bytes" else f"{kind}(b'{escape(f, 32)}')"
        for f, kind in zip(frames[:12], kinds, strict=False)
    )
    more = f" ... ({len(frames)} frames)" if len(frames) > 12 else ""
    return f"[{shown}{more}]"
