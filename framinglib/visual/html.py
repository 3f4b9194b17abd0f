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

from collections.abc import Mapping, Sequence

from framinglib.errors import FramingError
from framinglib.trace import Decision, Step

from ._compare import as_frame, comparison_html, first_difference, received_html, type_name
from ._drawing import (
    LANE_HEAD,
    LANE_LIMIT,
    LANE_TAIL,
    LIST_LIMIT,
    RELEASED_SHOWN,
    ROW_LIMIT,
    STEP_LEGEND,
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
from ._framing import (
    Delimited,
    Framing,
    LengthField,
    LengthPrefixed,
    Message,
    decision_label,
    framing_from_description,
)
from ._layout import ByteOrder, FrameLayout
from ._learner import LearnerStep
from ._parting import Beside, Comparison
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

# --- one trace step ---------------------------------------------------------------------------

def _framing(step: Step, byteorder: ByteOrder, framing: Framing | None) -> Framing:
    """The framing a step is drawn in: the one given, else length headers of the step's size.

    A step that carries its decoder's frame sizing (``LengthFieldDecoder``) is
    drawn with it, so a real protocol's header is stepped over correctly.
    """
    if framing is None:
        framing = LengthPrefixed(step.header_size, byteorder)
    return framing.sized_as(step) if isinstance(framing, LengthPrefixed) else framing


def _step_layout(step: Step, framing: Framing) -> FrameLayout:
    """Where the step's frames start: the emitted ones back to back, then the buffered ones."""
    return framing.layout(step.buffer, step.buffer_start, step.frames)


def _buffer_state(
    step: Step, layout: FrameLayout, framing: Framing
) -> tuple[dict[int, str], frozenset[int], int]:
    """Notes per buffered frame, the whole frames stuck in it, and the bytes still missing."""
    notes: dict[int, str] = {}
    stuck = set()
    missing = 0
    end = step.buffer_start + len(step.buffer)
    at_rest = step.decision in _AT_REST
    refused = step.decision is Decision.FRAME_TOO_LARGE
    for frame in range(len(step.frames), len(layout.starts)):
        if layout.known_until is not None and layout.starts[frame] >= layout.known_until:
            break
        if isinstance(framing, Delimited):
            held = layout.frame_end(frame, end) - layout.starts[frame]
            if frame < len(layout.ends):
                notes[frame] = "whole, stuck: not emitted" if at_rest else "whole"
                if at_rest:
                    stuck.add(frame)
            elif refused:
                notes[frame] = f"{held:,} bytes, no end: too large"
            else:
                notes[frame] = f"{held:,} bytes, no end yet"
            continue
        size = framing.header_size
        offset = layout.starts[frame] - step.buffer_start
        header = step.buffer[offset : offset + size]
        if len(header) < size:
            notes[frame] = f"header: {len(header)} of {size} bytes"
            missing = size - len(header)
            continue
        try:
            length = framing.payload_length(header)
        except (ValueError, ArithmeticError):
            length = -1
        if length < 0:  # the frame would end inside its own header
            notes[frame] = "impossible length"
            continue
        if refused and frame == len(step.frames):
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


def render_step_html(
    step: Step,
    *,
    byteorder: ByteOrder = "big",
    framing: Framing | None = None,
    beside: Beside | None = None,
) -> str:
    """Draw one trace step: explanation, incoming chunk, reassembly buffer, completed frames.

    ``byteorder`` must match the one the trace was made with (it is how header
    bytes are read back to caption them); ``framing`` replaces it for other
    wire formats (a delimited stream). ``beside`` adds the learner's code at
    the same recv(): its buffer, the frames it handed over, and whether it has
    parted from the reference here. Every picture of a step is drawn here.
    """
    return STYLE + _step_figure(step, _framing(step, byteorder, framing), beside=beside)


def _step_figure(
    step: Step, framing: Framing, *, nested: bool = False, beside: Beside | None = None
) -> str:
    """The step's figure without the style block; ``nested`` leaves the legend to its host."""
    layout = _step_layout(step, framing)
    notes, stuck, missing = _buffer_state(step, layout, framing)
    if step.decision is Decision.FRAME_TOO_LARGE:
        missing = 0
    chunk = Lane(step.chunk, step.chunk_start, layout, byteorder=framing.byteorder)
    buffer = Lane(step.buffer, step.buffer_start, layout, new_from=step.chunk_start,
                  notes=notes, stuck=stuck, missing=missing, byteorder=framing.byteorder)
    just_emitted = step.decision is Decision.FRAME_EMITTED
    frames_detail = plural(len(step.frames), "frame")
    if stuck:
        frames_detail += f"; {plural(len(stuck), 'whole frame')} stuck in the buffer"
    refused = step.decision is Decision.FRAME_TOO_LARGE
    badge = "fcv-badge fcv-bad" if stuck or refused else (
        "fcv-badge fcv-ok" if just_emitted else "fcv-badge")
    decision = decision_label(step, framing)
    label = f"Reassembly, recv() {step.chunk_index + 1}: {decision}"
    live = "" if nested else ' aria-live="polite"'
    whose = " (reference)" if beside is not None else ""
    return (
        f'<div class="fcv" role="figure" aria-label="{esc(label)}">'
        f'<p class="fcv-why"{live}><span class="{badge}">{esc(decision)}'
        f"</span>{esc(step.explanation)}</p>"
        + (_verdict_html(beside) if beside is not None else "")
        + lane("Incoming chunk",
               f"recv() {step.chunk_index + 1} · {plural(len(step.chunk), 'byte')}",
               chunk.html())
        + lane("Reassembly buffer", plural(len(step.buffer), "byte") + whose, buffer.html())
        + (_beside_buffer_lane(beside, framing) if beside is not None else "")
        + lane("Completed frames", frames_detail + whose, frames_body(step.frames, just_emitted))
        + (_beside_frames_lane(beside) if beside is not None else "")
        + ("" if nested else legend(STEP_LEGEND + (_BESIDE_LEGEND if beside else ""),
                                    delimited=isinstance(framing, Delimited)))
        + "</div>"
    )


# --- the learner's code beside a step ---------------------------------------------------------

_BESIDE_LEGEND = (
    '<span><span class="fcv-done fcv-wrong fcv-chip">x</span> red: the frame where your code '
    "parts from the reference</span>"
)


def _verdict_html(beside: Beside) -> str:
    """The line saying whether the learner's code has parted from the reference yet."""
    state, parting = beside.state, beside.parting
    if beside.here and parting is not None:
        return (f'<p class="fcv-verdict fcv-parted" role="alert"><span class="fcv-badge '
                f'fcv-bad">✗ parted here</span>{esc(parting.reason)}</p>')
    if beside.parted_before and parting is not None:
        return (f'<p class="fcv-verdict fcv-after"><span class="fcv-badge fcv-bad">parted '
                f"earlier</span>{esc(beside.name)} parted from the reference at step "
                f"{parting.step_index + 1} (recv() {parting.chunk_index + 1}).</p>")
    if state.outcome == "refused":
        note = f" {beside.note}" if beside.note else ""
        return (f'<p class="fcv-verdict fcv-same"><span class="fcv-badge fcv-ok">✓ refused '
                f"too</span>{esc(beside.name)} raised {esc(state.error)} in the same recv()."
                f"{esc(note)}</p>")
    return (f'<p class="fcv-verdict fcv-same"><span class="fcv-badge fcv-ok">✓ same so far'
            f"</span>{esc(beside.name)} and the reference agree up to this step.</p>")


def _whole_frames(layout: FrameLayout, framing: Framing, data: bytes) -> set[int]:
    """The frames of ``layout`` (the stream so far, ``data``) all of whose bytes are in it."""
    whole = set(range(max(len(layout.starts) - 1, 0)))
    if layout.starts:
        last = len(layout.starts) - 1
        start = layout.starts[last]
        if isinstance(framing, Delimited):
            if last < len(layout.ends):
                whole.add(last)
        elif len(data) - start >= framing.header_size:
            try:
                length = framing.payload_length(data[start : start + framing.header_size])
            except (ValueError, ArithmeticError):
                return whole
            if len(data) - start >= framing.header_size + length:
                whole.add(last)
    return whole


def _beside_buffer_lane(beside: Beside, framing: Framing) -> str:
    state = beside.state
    call = f"{beside.call}(recv() {state.chunk_index + 1})"
    held = state.buffer
    name = beside.buffer_name or "its buffer"
    if state.outcome == "not run":
        return lane("Your buffer", "not run", '<span class="fcv-empty">not run: your code '
                    "stopped at an earlier recv()</span>")
    if held is None:
        return lane("Your buffer", "could not be seen",
                    '<span class="fcv-empty">your code keeps no bytes the picture could find '
                    "(a bytes or bytearray attribute, or <code>buffered</code>)</span>")
    detail = f"{name} after {call} · {plural(len(held), 'byte')}"
    seen = beside.seen
    if not seen.endswith(held):
        raw = FrameLayout([], 1, None)
        body = Lane(held, 0, raw).html()
        return lane("Your buffer", detail + " · not the last bytes received", body)
    layout = framing.layout(seen)
    origin = len(seen) - len(held)
    notes: dict[int, str] = {}
    stuck: set[int] = set()
    handed = len(state.frames)
    for frame in _whole_frames(layout, framing, seen):
        if layout.starts[frame] >= origin:
            if frame < handed:
                notes[frame] = "handed over, still held"
            else:
                notes[frame] = "whole, not handed over"
            stuck.add(frame)
    # Red boxes only once the two have parted: before that the reference's own steps are
    # still catching up with what the learner's call did in one go.
    shown_stuck = frozenset(stuck) if beside.here or beside.parted_before else frozenset()
    body = Lane(held, origin, layout, notes=notes, stuck=shown_stuck,
                byteorder=framing.byteorder).html()
    return lane("Your buffer", detail, body)


def _beside_frames_lane(beside: Beside) -> str:
    state, parting = beside.state, beside.parting
    wrong = parting.frame if parting is not None and (beside.here or beside.parted_before) \
        else None
    detail = f"handed over so far · {len(state.frames):,}"
    chips = []
    frames = state.frames
    previous_stop = 0
    for start, stop in drawn_ranges(len(frames), LIST_LIMIT, 2, LIST_LIMIT - 3, wrong, 1):
        if start > previous_stop:
            chips.append(f'<span class="fcv-gap">… {plural(start - previous_stop, "frame")} …'
                         "</span>")
        previous_stop = stop
        for index in range(start, stop):
            item = frames[index]
            frame = as_frame(item)
            caption = f"frame {index + 1}"
            caption += f" · {plural(len(frame), 'byte')}" if frame is not None else (
                f" · {type_name(item)}")
            css = "fcv-done"
            if index == wrong:
                css += " fcv-wrong"
                caption += " · parts here"
            chips.append(f'<span class="{css}" role="group" aria-label="{esc(caption)}">'
                         f'<span class="fcv-cap">{esc(caption)}</span>'
                         f"{received_html(item, None)}</span>")
    if wrong is not None and wrong >= len(frames):
        # The frame the reference has and the learner's code did not hand over.
        caption = f"frame {wrong + 1} · not handed over"
        chips.append(f'<span class="fcv-done fcv-wrong fcv-absent" role="group" '
                     f'aria-label="{esc(caption)}"><span class="fcv-cap">{esc(caption)}</span>'
                     '<span class="fcv-esc">missing</span></span>')
    body = "".join(chips) or '<span class="fcv-empty">none yet</span>'
    if state.failed:
        body += (f'<span class="fcv-error" role="alert">⚠ {esc(state.error)}</span>')
    elif state.outcome == "refused":
        body += f'<span class="fcv-refusal">refused: {esc(state.error)}</span>'
    return lane("Your frames", detail, body)


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


def render_step_text(
    step: Step,
    *,
    byteorder: ByteOrder = "big",
    framing: Framing | None = None,
    beside: Beside | None = None,
) -> str:
    """Draw one trace step as plain text, for terminals (header bytes as ``[hex]``)."""
    framing = _framing(step, byteorder, framing)
    layout = _step_layout(step, framing)
    notes, stuck, missing = _buffer_state(step, layout, framing)
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
        f"[{decision_label(step, framing)}] {step.explanation}",
        f"  incoming chunk  recv() {step.chunk_index + 1}: "
        f"{_bytes_plain(step.chunk, step.chunk_start, layout)}",
        f"  buffer ({len(step.buffer):,} B)  {_bytes_plain(step.buffer, step.buffer_start, layout)}"
        + (f"   ({state})" if state else ""),
        f"  completed ({len(step.frames):,})  {frames or '(none yet)'}",
    ]
    if beside is not None:
        lines.extend(_beside_text(beside))
    return "\n".join(lines)


def _beside_text(beside: Beside) -> list[str]:
    state, parting = beside.state, beside.parting
    held = "not seen" if state.buffer is None else f"{len(state.buffer):,} B {state.buffer!r}"
    handed = ", ".join(f"{n + 1}:{frame_text_plain(as_frame(item), 24)}"
                       if as_frame(item) is not None else f"{n + 1}:{type_name(item)}"
                       for n, item in enumerate(state.frames[-LIST_LIMIT:]))
    lines = [f"  {beside.name}: buffer {held}; handed over ({len(state.frames):,}) "
             f"{handed or '(none yet)'}"]
    if state.error:
        lines.append(f"  {beside.name}: {state.error}")
    if beside.here and parting is not None:
        lines.append(f"  >>> parted here: {parting.reason}")
    elif beside.parted_before and parting is not None:
        lines.append(f"  (parted earlier, at step {parting.step_index + 1})")
    elif state.outcome == "refused":
        lines.append("  refused too, in the same recv()" + (f" ({beside.note})"
                                                            if beside.note else ""))
    else:
        lines.append("  same as the reference so far")
    return lines


# --- a failing case and a whole replay ------------------------------------------------------

def render_failure_html(
    chunks: Sequence[bytes],
    expected: Sequence[Message],
    received: Sequence[object],
    header_size: int = 4,
    title: str = "",
    *,
    byteorder: ByteOrder = "big",
    delimiter: bytes | None = None,
    framing: Framing | Mapping[str, object] | None = None,
) -> str:
    """Draw a failing case: the chunks as delivered, expected frames vs frames received.

    The first row where they part is marked, and within it the first byte that
    differs. ``received`` may hold anything a learner's code produced: items
    that are not bytes are described by their type (or by a stand-in's
    ``type_name`` attribute) and repr, never trusted. Many or long chunks and
    frames are summarised, and all text is escaped. For a short stream the
    picture ends with the step a correct decoder takes at the first difference,
    drawn by the same code as ``render_step_html``. Headers are read in
    ``byteorder``; with ``delimiter`` the stream is a delimited one instead
    (``header_size`` is then ignored).

    ``framing`` (a framing, or its ``description()`` as the grader stores it)
    replaces ``header_size``, ``byteorder`` and ``delimiter``. A ``LengthField``
    with ``message_parts`` compares messages as tuples (``expected`` holds
    tuples of bytes; a received item matches only as a tuple of bytes-like
    parts) and draws each header's bytes by what they are (``leading``, length).
    """
    if isinstance(framing, Mapping):
        framing = framing_from_description(framing)
    if framing is None:
        if delimiter is not None:
            framing = Delimited(bytes(delimiter))
        else:
            if isinstance(header_size, bool) or not isinstance(header_size, int) or (
                    header_size < 1):
                raise ValueError(
                    f"header_size must be a whole number of bytes >= 1, not {header_size!r}")
            framing = LengthPrefixed(header_size, byteorder)
    chunks = [bytes(chunk) for chunk in chunks]
    parts = framing.message_parts if isinstance(framing, LengthField) else ()
    expected = [tuple(bytes(p) for p in item) if isinstance(item, tuple) else bytes(item)
                for item in expected]
    received = list(received)
    layout = framing.layout(b"".join(chunks))
    total = sum(map(len, chunks))
    heading = f'<p class="fcv-title">{esc(title)}</p>' if title else ""
    label = title or "A failing case"
    reference = _reference_step(chunks, expected, first_difference(expected, received),
                                framing)
    shown_reference = ""
    if reference is not None:
        shown_reference = lane("A correct decoder", "at the first difference",
                               _step_figure(reference, framing, nested=True))
    compared = "Messages" if parts else "Frames"
    return (
        f'{STYLE}<div class="fcv" role="figure" aria-label="{esc(label)}">{heading}'
        + lane("Chunks as delivered",
               f"{plural(len(chunks), 'recv() call')} · {plural(total, 'byte')} · "
               f"{framing.describe()}",
               chunks_body(chunks, layout, numbered=False))
        + lane(compared, f"{len(expected):,} expected · {len(received):,} received",
               comparison_html(expected, received, parts))
        + shown_reference
        + legend((STEP_LEGEND if reference is not None else "") + _field_legend(framing),
                 delimited=isinstance(framing, Delimited))
        + "</div>"
    )


def _field_legend(framing: Framing) -> str:
    """The legend's words for a header's bytes before its length field, if it has any."""
    if not isinstance(framing, LengthField) or not framing.length_field_offset:
        return ""
    return (f'<span><span class="fcv-b fcv-h fcv-lead">5a</span> {esc(framing.leading)}: '
            "header bytes before the length field (hex, hatched)</span>")


def _reference_step(
    chunks: Sequence[bytes], expected: Sequence[Message], first: int | None, framing: Framing
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
        steps = framing.trace(chunks)
    except (ValueError, FramingError):
        return None
    def messages(step: Step) -> list[Message]:
        return [framing.message(frame) for frame in step.frames]

    for step in steps:
        if step.decision is Decision.FRAME_EMITTED and len(step.frames) == first + 1:
            return step if messages(step) == list(expected[: first + 1]) else None
    if steps and messages(steps[-1]) == list(expected):
        return steps[-1]
    return None


def _yours_cell(state: LearnerStep, parted_here: bool) -> str:
    """The replay's "yours" cell for one recv(): what the learner's code handed over and held."""
    if state.outcome == "not run":
        return '<span class="fcv-empty">not run</span>'
    out = ", ".join(received_html(item, None) for item in state.handed[:RELEASED_SHOWN]) or (
        '<span class="fcv-empty">nothing</span>')
    if len(state.handed) > RELEASED_SHOWN:
        out += f'<span class="fcv-gap"> and {len(state.handed) - RELEASED_SHOWN:,} more</span>'
    if state.buffer is not None:
        out += f' <span class="fcv-sub">· holds {plural(len(state.buffer), "byte")}</span>'
    if state.failed:
        out += f'<br><span class="fcv-error">⚠ {esc(state.error)}</span>'
    elif state.outcome == "refused":
        out += f'<br><span class="fcv-refusal">refused: {esc(state.error)}</span>'
    if parted_here:
        out += ' <b class="fcv-partmark">← parts here</b>'
    return out


def render_replay_html(
    chunks: Sequence[bytes],
    steps: Sequence[Step],
    expected: Sequence[bytes],
    *,
    byteorder: ByteOrder = "big",
    note: str = "",
    framing: Framing | None = None,
    comparison: Comparison | None = None,
) -> str:
    """Draw a whole replay: the stream with its cuts, one row per recv(), and the verdict.

    ``steps`` is the trace of ``chunks``; ``expected`` are the messages that
    were sent. Each row shows the buffer once the decoder is done with that
    chunk, and the frames that chunk released. With ``comparison`` (the
    learner's code replayed on the same chunks) each row also shows what that
    code handed over, the row where it parts from the reference is marked,
    and the frames compared with the messages are the learner's.
    """
    chunks = [bytes(chunk) for chunk in chunks]
    if framing is None:
        framing = LengthPrefixed(steps[0].header_size if steps else 1, byteorder)
    if steps and isinstance(framing, LengthPrefixed):
        framing = framing.sized_as(steps[0])
    layout = framing.layout(b"".join(chunks))
    last_of_chunk: dict[int, Step] = {}
    for step in steps:
        last_of_chunk[step.chunk_index] = step
    parting = comparison.parting if comparison is not None else None
    rows = []
    previous_frames = 0
    indexes = sorted(last_of_chunk)
    focus = indexes.index(parting.chunk_index) if parting is not None else None
    shown = {indexes[i] for start, stop in drawn_ranges(len(indexes), LIST_LIMIT, 6, 5, focus, 1)
             for i in range(start, stop)}
    hidden = 0
    columns = 5 if comparison is not None else 4
    for index in indexes:
        step = last_of_chunk[index]
        released = step.frames[previous_frames:]
        previous_frames = len(step.frames)
        if index not in shown:
            hidden += 1
            continue
        if hidden:
            rows.append(f'<tr><td colspan="{columns}" class="fcv-gap">… '
                        f'{plural(hidden, "recv() call")} not shown …</td></tr>')
            hidden = 0
        step_layout = _step_layout(step, framing)
        notes, stuck, missing = _buffer_state(step, step_layout, framing)
        buffer = Lane(step.buffer, step.buffer_start, step_layout, notes=notes, stuck=stuck,
                      missing=missing, byteorder=framing.byteorder, limit=ROW_LIMIT)
        out = ", ".join(f'<span class="fcv-txt">{frame_text_html(frame)}</span>'
                        for frame in released[:RELEASED_SHOWN]) or (
            '<span class="fcv-empty">nothing</span>')
        if len(released) > RELEASED_SHOWN:
            out += (f'<span class="fcv-gap"> and {len(released) - RELEASED_SHOWN:,} more'
                    "</span>")
        if step.decision is Decision.FRAME_TOO_LARGE:
            out += ' <span class="fcv-refusal">refused: frame too large</span>'
        yours = ""
        row_class = ""
        if comparison is not None:
            here = parting is not None and parting.chunk_index == index
            row_class = ' class="fcv-first"' if here else ""
            yours = f"<td>{_yours_cell(comparison.run.at(index), here)}</td>"
        rows.append(
            f"<tr{row_class}><th scope=\"row\">recv() {index + 1}</th>"
            f"<td>{plural(len(step.chunk), 'byte')}</td>"
            f'<td><span class="fcv-lbody">{buffer.html()}</span></td><td>{out}</td>{yours}</tr>'
        )
    if hidden:
        rows.append(f'<tr><td colspan="{columns}" class="fcv-gap">… '
                    f'{plural(hidden, "recv() call")} not shown …</td></tr>')
    final = steps[-1] if steps else None
    received: list[object] = list(final.frames) if final else []
    heading = f'<p class="fcv-title">{esc(note)}</p>' if note else ""
    yours_head = ""
    verdict = ""
    frames_name, frames_detail = "Frames out", "compared with the messages sent"
    if comparison is not None:
        name = comparison.run.name
        yours_head = f'<th scope="col">{esc(name)}</th>'
        last = comparison.run.steps[-1] if comparison.run.steps else None
        received = list(last.frames) if last else []
        frames_detail = f"what {name} handed over, compared with the messages sent"
        badge = ("fcv-badge fcv-bad", "\u2717 parts") if comparison.parted else (
            "fcv-badge fcv-ok", "\u2713 agrees")
        css = "fcv-verdict fcv-parted" if comparison.parted else "fcv-verdict fcv-same"
        verdict = (f'<p class="{css}"><span class="{badge[0]}">{badge[1]}</span>'
                   f"{esc(comparison.verdict())}</p>")
    return (
        f'{STYLE}<div class="fcv" role="figure" aria-label="Replay of one cutting">{heading}'
        + verdict
        + lane("Stream as sent",
               f"{plural(sum(map(len, chunks)), 'byte')} cut into "
               f"{plural(len(chunks), 'recv() call')} (\u2702 = cut)",
               chunks_body(chunks, layout, numbered=True))
        + lane("After each recv()", "buffer left, frames released",
               '<table class="fcv-film"><thead><tr><th scope="col">call</th>'
               '<th scope="col">got</th><th scope="col">buffer afterwards</th>'
               f'<th scope="col">frames out</th>{yours_head}</tr></thead>'
               f'<tbody>{"".join(rows)}</tbody></table>')
        + lane(frames_name, frames_detail, comparison_html(list(expected), received))
        + legend('<span>\u2702 a cut: the next recv() starts there</span>',
                 delimited=isinstance(framing, Delimited))
        + "</div>"
    )
