"""Pictures of reassembly as HTML (and plain text): one trace step, a replay, a failing case.

Every picture is drawn in the same three lanes: the incoming chunk (what one
``recv()`` returned), the reassembly buffer, and the completed frames. Header
bytes are drawn as hexadecimal on a hatched background and captioned ``len``;
payload bytes as characters on a plain one; bytes are boxed by the frame they
belong to, so nothing depends on colour alone.

This module imports no ipywidgets: the grader's feedback uses it outside any
notebook. All text that reaches the page is escaped, since received frames
come from learner code. The CSS is one ``<style>`` block whose selectors all
start with the ``fcv`` class prefix, so it renders the same in JupyterLab, in
nbconvert's HTML and in the feedback pages without touching anything else.
"""

from __future__ import annotations

from collections.abc import Sequence

from framinglib.errors import FramingError
from framinglib.trace import Decision, Step, trace_length_prefixed

from ._compare import comparison_html, first_difference
from ._drawing import (
    LANE_HEAD,
    LANE_LIMIT,
    LANE_TAIL,
    LIST_LIMIT,
    RELEASED_SHOWN,
    ROW_LIMIT,
    Lane,
    chunks_body,
    drawn_ranges,
    esc,
    frame_text_html,
    frame_text_plain,
    frames_body,
    glyph,
    lane,
    legend,
    plural,
)
from ._layout import ByteOrder, FrameLayout, emitted_frame_starts
from ._style import STYLE

__all__ = [
    "LANE_LIMIT",
    "STYLE",
    "render_failure_html",
    "render_replay_html",
    "render_step_html",
    "render_step_text",
]

#: A failing case longer than this is not traced again to show the reference decoder's step.
_REFERENCE_LIMIT = 16 * 1024

#: Decisions after which the decoder is done with the chunk and waits for the next recv().
_AT_REST = frozenset(
    {Decision.WAIT_HEADER, Decision.WAIT_PAYLOAD, Decision.BUFFER_EMPTY, Decision.LEFTOVER_KEPT}
)

_STEP_LEGEND = (
    '<span><span class="fcv-b fcv-p fcv-new">b</span> underlined: arrived in this recv()</span>'
    '<span><span class="fcv-b fcv-miss">·</span> dashed: still to come</span>'
)


# --- one trace step ---------------------------------------------------------------------------

def _step_layout(step: Step, byteorder: ByteOrder) -> FrameLayout:
    """Where the step's frames start: the emitted ones back to back, then the buffered ones."""
    starts = emitted_frame_starts(step.frames, step.header_size)
    layout = FrameLayout.of_stream(step.buffer, step.header_size, byteorder,
                                   origin=step.buffer_start, first_starts=starts)
    return layout


def _buffer_state(
    step: Step, layout: FrameLayout, byteorder: ByteOrder
) -> tuple[dict[int, str], frozenset[int], int]:
    """Notes per buffered frame, the whole frames stuck in it, and the bytes still missing."""
    notes: dict[int, str] = {}
    stuck = set()
    missing = 0
    size = step.header_size
    end = step.buffer_start + len(step.buffer)
    at_rest = step.decision in _AT_REST
    for frame in range(len(step.frames), len(layout.starts)):
        if layout.known_until is not None and layout.starts[frame] >= layout.known_until:
            break
        offset = layout.starts[frame] - step.buffer_start
        header = step.buffer[offset : offset + size]
        if len(header) < size:
            notes[frame] = f"header: {len(header)} of {size} bytes"
            missing = size - len(header)
            continue
        length = int.from_bytes(header, byteorder)
        if step.decision is Decision.FRAME_TOO_LARGE and frame == len(step.frames):
            notes[frame] = f"announces {length:,} bytes: too large"
            continue
        have = min(end - layout.starts[frame] - size, length)
        if have >= length:
            notes[frame] = "whole, stuck: not emitted" if at_rest else "whole"
            if at_rest:
                stuck.add(frame)
        else:
            notes[frame] = f"{have:,} of {length:,} payload bytes"
            missing = length - have
    return notes, frozenset(stuck), missing


def render_step_html(step: Step, *, byteorder: ByteOrder = "big") -> str:
    """Draw one trace step: explanation, incoming chunk, reassembly buffer, completed frames.

    ``byteorder`` must match the one the trace was made with (it is how header
    bytes are read back to caption them).
    """
    return STYLE + _step_figure(step, byteorder)


def _step_figure(step: Step, byteorder: ByteOrder, *, nested: bool = False) -> str:
    """The step's figure without the style block; ``nested`` leaves the legend to its host."""
    layout = _step_layout(step, byteorder)
    notes, stuck, missing = _buffer_state(step, layout, byteorder)
    if step.decision is Decision.FRAME_TOO_LARGE:
        missing = 0
    chunk = Lane(step.chunk, step.chunk_start, layout, byteorder=byteorder)
    buffer = Lane(step.buffer, step.buffer_start, layout, new_from=step.chunk_start,
                   notes=notes, stuck=stuck, missing=missing, byteorder=byteorder)
    just_emitted = step.decision is Decision.FRAME_EMITTED
    frames_detail = plural(len(step.frames), "frame")
    if stuck:
        frames_detail += f"; {plural(len(stuck), 'whole frame')} stuck in the buffer"
    badge = "fcv-badge fcv-bad" if stuck or step.decision is Decision.FRAME_TOO_LARGE else (
        "fcv-badge fcv-ok" if just_emitted else "fcv-badge")
    label = f"Reassembly, recv() {step.chunk_index + 1}: {step.decision.value}"
    live = "" if nested else ' aria-live="polite"'
    return (
        f'<div class="fcv" role="figure" aria-label="{esc(label)}">'
        f'<p class="fcv-why"{live}><span class="{badge}">{esc(step.decision.value)}'
        f"</span>{esc(step.explanation)}</p>"
        + lane("Incoming chunk",
                f"recv() {step.chunk_index + 1} · {plural(len(step.chunk), 'byte')}",
                chunk.html())
        + lane("Reassembly buffer", plural(len(step.buffer), "byte"), buffer.html())
        + lane("Completed frames", frames_detail, frames_body(step.frames, just_emitted))
        + ("" if nested else legend(_STEP_LEGEND))
        + "</div>"
    )


def _bytes_plain(data: bytes, origin: int, layout: FrameLayout) -> str:
    """One lane as text: header bytes in brackets as hex, frames separated by bars."""
    pieces = []
    previous_stop = 0
    for start, stop in drawn_ranges(len(data), LANE_LIMIT, LANE_HEAD, LANE_TAIL):
        if start > previous_stop:
            pieces.append(f" …({start - previous_stop:,} bytes)… ")
        previous_frame = None
        for index in range(start, stop):
            frame, role = layout.role(origin + index)
            if previous_frame is not None and frame != previous_frame:
                pieces.append(" | ")
            previous_frame = frame
            value = data[index]
            if role == "payload":
                text, printable = glyph(value)
                pieces.append(text if printable else f"\\x{text}")
            else:
                pieces.append(f"[{value:02x}]")
        previous_stop = stop
    return "".join(pieces) or "(empty)"


def render_step_text(step: Step, *, byteorder: ByteOrder = "big") -> str:
    """Draw one trace step as plain text, for terminals (header bytes as ``[hex]``)."""
    layout = _step_layout(step, byteorder)
    notes, stuck, missing = _buffer_state(step, layout, byteorder)
    shown = step.frames[-LIST_LIMIT:]
    skipped = len(step.frames) - len(shown)
    frames = ", ".join(f"{skipped + number + 1}:{frame_text_plain(frame, 24)}"
                       for number, frame in enumerate(shown))
    if skipped:
        frames = f"({skipped:,} earlier) " + frames
    described = [f"frame {frame + 1}: {note}" for frame, note in notes.items()]
    if len(described) > 3:  # the first two and the last, which is the one in progress
        described[2:-1] = [f"… {len(described) - 3:,} more"]
    state = "; ".join(described)
    lines = [
        f"[{step.decision.value}] {step.explanation}",
        f"  incoming chunk  recv() {step.chunk_index + 1}: "
        f"{_bytes_plain(step.chunk, step.chunk_start, layout)}",
        f"  buffer ({len(step.buffer):,} B)  {_bytes_plain(step.buffer, step.buffer_start, layout)}"
        + (f"   ({state})" if state else ""),
        f"  completed ({len(step.frames):,})  {frames or '(none yet)'}",
    ]
    return "\n".join(lines)


# --- a failing case and a whole replay ------------------------------------------------------

def render_failure_html(
    chunks: Sequence[bytes],
    expected: Sequence[bytes],
    received: Sequence[object],
    header_size: int = 4,
    title: str = "",
) -> str:
    """Draw a failing case: the chunks as delivered, expected frames vs frames received.

    The first row where they part is marked, and within it the first byte that
    differs. ``received`` may hold anything a learner's code produced: items
    that are not bytes are described by their type (or by a stand-in's
    ``type_name`` attribute) and repr, never trusted. Many or long chunks and
    frames are summarised, and all text is escaped. For a short stream the
    picture ends with the step a correct decoder takes at the first difference,
    drawn by the same code as ``render_step_html``.
    """
    if isinstance(header_size, bool) or not isinstance(header_size, int) or header_size < 1:
        raise ValueError(f"header_size must be a whole number of bytes >= 1, not {header_size!r}")
    chunks = [bytes(chunk) for chunk in chunks]
    expected = [bytes(frame) for frame in expected]
    received = list(received)
    layout = FrameLayout.of_stream(b"".join(chunks), header_size)
    total = sum(map(len, chunks))
    heading = f'<p class="fcv-title">{esc(title)}</p>' if title else ""
    label = title or "A failing case"
    reference = _reference_step(chunks, expected, first_difference(expected, received),
                                header_size)
    shown_reference = ""
    if reference is not None:
        shown_reference = lane("A correct decoder", "at the first difference",
                                _step_figure(reference, "big", nested=True))
    return (
        f'{STYLE}<div class="fcv" role="figure" aria-label="{esc(label)}">{heading}'
        + lane("Chunks as delivered",
                f"{plural(len(chunks), 'recv() call')} · {plural(total, 'byte')} · "
                f"{header_size}-byte headers",
                chunks_body(chunks, layout, numbered=False))
        + lane("Frames", f"{len(expected):,} expected · {len(received):,} received",
                comparison_html(expected, received))
        + shown_reference
        + legend(_STEP_LEGEND if reference is not None else "")
        + "</div>"
    )


def _reference_step(
    chunks: Sequence[bytes], expected: Sequence[bytes], first: int | None, header_size: int
) -> Step | None:
    """The reference decoder's decision where the learner's frames first part from it.

    That is the step emitting the first frame that differs (or, for an extra
    frame, the last step). ``None`` when there is no difference, when the
    stream is too long to trace cheaply, or when the reference decoder does not
    produce the expected frames itself (the case tests something else).
    """
    if first is None or sum(map(len, chunks)) > _REFERENCE_LIMIT:
        return None
    try:
        steps = trace_length_prefixed(chunks, header_size)
    except (ValueError, FramingError):
        return None
    for step in steps:
        if step.decision is Decision.FRAME_EMITTED and len(step.frames) == first + 1:
            return step if list(step.frames) == list(expected[: first + 1]) else None
    if steps and list(steps[-1].frames) == list(expected):
        return steps[-1]
    return None


def render_replay_html(
    chunks: Sequence[bytes],
    steps: Sequence[Step],
    expected: Sequence[bytes],
    *,
    byteorder: ByteOrder = "big",
    note: str = "",
) -> str:
    """Draw a whole replay: the stream with its cuts, one row per recv(), and the verdict.

    ``steps`` is the trace of ``chunks``; ``expected`` are the messages that
    were sent. Each row shows the buffer once the decoder is done with that
    chunk, and the frames that chunk released.
    """
    chunks = [bytes(chunk) for chunk in chunks]
    header_size = steps[0].header_size if steps else 1
    layout = FrameLayout.of_stream(b"".join(chunks), header_size, byteorder)
    last_of_chunk: dict[int, Step] = {}
    for step in steps:
        last_of_chunk[step.chunk_index] = step
    rows = []
    previous_frames = 0
    indexes = sorted(last_of_chunk)
    shown = {indexes[i] for start, stop in drawn_ranges(len(indexes), LIST_LIMIT, 6, 5)
             for i in range(start, stop)}
    hidden = 0
    for index in indexes:
        step = last_of_chunk[index]
        released = step.frames[previous_frames:]
        previous_frames = len(step.frames)
        if index not in shown:
            hidden += 1
            continue
        if hidden:
            rows.append(f'<tr><td colspan="4" class="fcv-gap">… {plural(hidden, "recv() call")} '
                        "not shown …</td></tr>")
            hidden = 0
        step_layout = _step_layout(step, byteorder)
        notes, stuck, missing = _buffer_state(step, step_layout, byteorder)
        buffer = Lane(step.buffer, step.buffer_start, step_layout, notes=notes, stuck=stuck,
                       missing=missing, byteorder=byteorder, limit=ROW_LIMIT)
        out = ", ".join(f'<span class="fcv-txt">{frame_text_html(frame)}</span>'
                        for frame in released[:RELEASED_SHOWN]) or (
            '<span class="fcv-empty">nothing</span>')
        if len(released) > RELEASED_SHOWN:
            out += (f'<span class="fcv-gap"> and {len(released) - RELEASED_SHOWN:,} more'
                    "</span>")
        rows.append(
            f"<tr><th scope=\"row\">recv() {index + 1}</th>"
            f"<td>{plural(len(step.chunk), 'byte')}</td>"
            f'<td><span class="fcv-lbody">{buffer.html()}</span></td><td>{out}</td></tr>'
        )
    if hidden:
        rows.append(f'<tr><td colspan="4" class="fcv-gap">… {plural(hidden, "recv() call")} '
                    "not shown …</td></tr>")
    final = steps[-1] if steps else None
    received = list(final.frames) if final else []
    heading = f'<p class="fcv-title">{esc(note)}</p>' if note else ""
    return (
        f'{STYLE}<div class="fcv" role="figure" aria-label="Replay of one cutting">{heading}'
        + lane("Stream as sent",
                f"{plural(sum(map(len, chunks)), 'byte')} cut into "
                f"{plural(len(chunks), 'recv() call')} (\u2702 = cut)",
                chunks_body(chunks, layout, numbered=True))
        + lane("After each recv()", "buffer left, frames released",
                '<table class="fcv-film"><thead><tr><th scope="col">call</th>'
                '<th scope="col">got</th><th scope="col">buffer afterwards</th>'
                f'<th scope="col">frames out</th></tr></thead><tbody>{"".join(rows)}</tbody>'
                "</table>")
        + lane("Frames out", "compared with the messages sent",
                comparison_html(list(expected), received))
        + legend('<span>\u2702 a cut: the next recv() starts there</span>')
        + "</div>"
    )
