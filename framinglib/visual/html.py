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

import html
import re
from collections.abc import Sequence
from itertools import groupby

from framinglib.errors import FramingError
from framinglib.trace import Decision, Step, trace_length_prefixed

from ._layout import ByteOrder, FrameLayout, Role, emitted_frame_starts

__all__ = [
    "LANE_LIMIT",
    "STYLE",
    "render_failure_html",
    "render_replay_html",
    "render_step_html",
    "render_step_text",
]

#: A lane holding more bytes than this is drawn as its head and tail with a count between.
LANE_LIMIT = 64
_LANE_HEAD = _LANE_TAIL = LANE_LIMIT * 3 // 8
#: The replay draws one small buffer per recv(): each gets this many cells at most.
_ROW_LIMIT = 16
#: ... and lists at most this many of the frames each recv() released.
_RELEASED_SHOWN = 6
#: Frames longer than this are shown as text windows with the skipped count between.
_FRAME_TEXT_LIMIT = 48
#: Lists of frames (or chunks, or comparison rows) longer than this are shortened.
_LIST_LIMIT = 12
#: A failing case longer than this is not traced again to show the reference decoder's step.
_REFERENCE_LIMIT = 16 * 1024
#: At most this many "still missing" placeholders are drawn after a partial frame.
_MISSING_SHOWN = 8

#: Decisions after which the decoder is done with the chunk and waits for the next recv().
_AT_REST = frozenset(
    {Decision.WAIT_HEADER, Decision.WAIT_PAYLOAD, Decision.BUFFER_EMPTY, Decision.LEFTOVER_KEPT}
)

STYLE = """<style>
.fcv{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:13px;
 color:#1b1b1b;background:#fff;border:1px solid #b9b9b9;border-radius:6px;padding:8px 10px;
 line-height:1.3;overflow-x:auto;box-sizing:border-box;max-width:100%}
.fcv *{box-sizing:border-box}
.fcv-title{font-weight:700;font-size:14px;margin:0 0 4px}
.fcv-why{margin:0 0 6px;font-size:13.5px}
.fcv-badge{display:inline-block;padding:0 7px;margin-right:6px;border:1px solid #444;
 border-radius:9px;background:#f3f3f3;font-size:11px;font-weight:700;letter-spacing:.02em}
.fcv-badge.fcv-ok{background:#e4f4e4;border-color:#1f5f1f;color:#113d11}
.fcv-badge.fcv-bad{background:#fde8e8;border-color:#9b1c1c;color:#6b0f0f}
.fcv-lane{display:grid;grid-template-columns:9.5em minmax(0,1fr);gap:8px;align-items:start;
 padding:6px 0;border-top:1px solid #e0e0e0}
.fcv-lname{font-weight:700;color:#1b1b1b}
.fcv-lname small{display:block;font-weight:400;color:#444;font-size:11.5px}
.fcv-lbody{display:flex;flex-wrap:wrap;gap:6px;align-items:flex-end;min-height:2.4em}
.fcv-stack{display:block;width:100%}
.fcv-fs{margin-left:5px}
.fcv-empty{color:#555;font-style:italic;align-self:center}
.fcv-frame,.fcv-chunk{display:inline-flex;flex-direction:column;border:1px solid #666;
 border-radius:4px;padding:1px 4px 3px;background:#fafafa}
.fcv-chunk{border-style:solid;border-color:#333;background:#fff}
.fcv-frame.fcv-alt{background:#eef2f8}
.fcv-frame.fcv-stuck{border:2px dashed #9b1c1c;background:#fdf0f0}
.fcv-cap{font-size:11px;color:#2a2a2a;white-space:nowrap}
.fcv-stuck>.fcv-cap{color:#7a1010;font-weight:700}
.fcv-row{display:flex;gap:4px;align-items:flex-start}
.fcv-run{display:inline-flex;flex-direction:column;align-items:flex-start}
.fcv-cells{display:flex;gap:1px}
.fcv-sub{font-size:10.5px;color:#3a3a3a;white-space:nowrap}
.fcv-b{display:inline-block;min-width:2em;height:2.1em;line-height:1.95em;padding:0 2px;
 text-align:center;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
 font-size:14px;border:1px solid #888;border-radius:2px;white-space:pre}
.fcv-h{background:repeating-linear-gradient(135deg,#f3bd4a 0 2px,#fff3d1 2px 6px);
 border-color:#8a5a00;color:#2b1c00;font-size:12.5px;font-weight:700}
.fcv-p{background:#dce9ff;border-color:#2f5fa8;color:#0a214d;font-weight:700}
.fcv-np{font-weight:400;font-style:italic;font-size:11.5px}
.fcv-u{background:#ececec;color:#333}
.fcv-new{border-bottom:4px solid #1b1b1b}
.fcv-miss{border:1px dashed #6d6d6d;background:transparent;color:#555}
.fcv-i{display:block;font-size:9.5px;color:#555;text-align:center;line-height:1.1}
.fcv-cut{align-self:center;font-size:15px;color:#1b1b1b;padding:0 1px}
.fcv-gap{align-self:center;color:#3a3a3a;font-style:italic;white-space:nowrap;font-size:12px}
.fcv-done{display:inline-flex;flex-direction:column;border:1px solid #2d6a2d;border-radius:4px;
 padding:1px 6px 3px;background:#e9f6e9}
.fcv-done.fcv-just{border-width:2px;border-color:#124512}
.fcv-done.fcv-wrong{border:2px solid #9b1c1c;background:#fdf0f0}
.fcv-txt{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;
 color:#0d2b0d;white-space:pre}
.fcv-esc{font-style:italic;color:#4b4b4b}
.fcv-mark{background:#ffd24d;color:#000;outline:2px solid #9b1c1c;font-weight:700}
.fcv .fcv-cmp{border-collapse:collapse;margin:2px 0;font-size:12.5px;table-layout:auto}
.fcv .fcv-cmp th,.fcv .fcv-cmp td{border:1px solid #cfcfcf;padding:2px 6px;text-align:left;
 vertical-align:top;background:#fff;color:#1b1b1b}
.fcv .fcv-cmp th{background:#f2f2f2}
.fcv .fcv-cmp tr.fcv-first td{background:#fff3c4;border-top:2px solid #9b1c1c;
 border-bottom:2px solid #9b1c1c}
.fcv-legend{font-size:11px;color:#3a3a3a;border-top:1px solid #e0e0e0;padding-top:4px;
 display:flex;flex-wrap:wrap;gap:12px;align-items:center}
.fcv-legend .fcv-b{height:1.6em;line-height:1.45em;min-width:1.7em;font-size:10.5px}
.fcv .fcv-film{border-collapse:collapse;font-size:12px;margin-top:4px;table-layout:auto}
.fcv .fcv-film th,.fcv .fcv-film td{border:0;border-top:1px solid #e0e0e0;padding:3px 6px;
 text-align:left;vertical-align:middle;background:#fff;color:#1b1b1b}
</style>"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


# --- bytes and frames as text ---------------------------------------------------------------

def _glyph(value: int) -> tuple[str, bool]:
    """How one payload byte is shown: its character when printable, else its hex value."""
    if 0x21 <= value <= 0x7E:
        return chr(value), True
    if value == 0x20:
        return "\u2423", True  # an open box, so a space is visible
    return f"{value:02x}", False


def _windows(
    size: int, limit: int, head: int, tail: int, focus: int | None = None, radius: int = 8
) -> list[tuple[int, int]]:
    """The index ranges to draw of ``size`` items: everything, or a head, a tail and a focus."""
    if size <= limit:
        return [(0, size)]
    wanted = [(0, head), (size - tail, size)]
    if focus is not None:
        wanted.append((max(0, focus - radius), min(size, focus + radius + 1)))
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(wanted):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


def _escaped_text(data: bytes) -> str:
    """Bytes as escaped text: printable ASCII as itself, every other byte as ``\\xNN``."""
    text = html.escape(data.decode("latin-1"), quote=True)  # escaping adds no unprintables
    return _UNPRINTABLE.sub(lambda m: f'<span class="fcv-esc">\\x{ord(m[0]):02x}</span>', text)


def _frame_text_html(frame: bytes, mark: int | None = None) -> str:
    """A frame as escaped text: characters, ``\\xNN`` for the rest, long frames windowed."""
    parts = []
    previous_stop = 0
    for start, stop in _windows(len(frame), _FRAME_TEXT_LIMIT, 20, 12, mark):
        if start > previous_stop:
            parts.append(f'<span class="fcv-gap"> …{start - previous_stop:,} bytes… </span>')
        if mark is not None and start <= mark < stop:
            parts.append(_escaped_text(frame[start:mark]))
            parts.append('<mark class="fcv-mark" title="first byte that differs">'
                         f"{_escaped_text(frame[mark : mark + 1])}</mark>")
            parts.append(_escaped_text(frame[mark + 1 : stop]))
        else:
            parts.append(_escaped_text(frame[start:stop]))
        previous_stop = stop
    if len(frame) > previous_stop:
        parts.append(f'<span class="fcv-gap"> …{len(frame) - previous_stop:,} bytes…</span>')
    return "".join(parts) or '<span class="fcv-esc">(empty)</span>'


def _frame_text_plain(frame: bytes, limit: int = _FRAME_TEXT_LIMIT) -> str:
    if len(frame) <= limit:
        return repr(frame)
    return f"{frame[:20]!r}…({len(frame) - 32:,} bytes)…{frame[-12:]!r}"


# --- one lane of bytes ------------------------------------------------------------------------

def _cell(value: int, role: Role, frame: int, position: int, new: bool, index: bool) -> str:
    if role == "header":
        text, css, what = f"{value:02x}", "fcv-b fcv-h", f"length header of frame {frame + 1}"
    elif role == "payload":
        text, printable = _glyph(value)
        css = "fcv-b fcv-p" if printable else "fcv-b fcv-p fcv-np"
        what = f"payload of frame {frame + 1}"
    else:
        text, css, what = f"{value:02x}", "fcv-b fcv-u", "byte"
    if new:
        css += " fcv-new"
    title = f"byte {position} of the stream: {what}, value 0x{value:02x}"
    if new:
        title += ", arrived in this recv()"
    cell = f'<span class="{css}" title="{_esc(title)}">{_esc(text)}</span>'
    if index:
        cell = f'<span class="fcv-run">{cell}<span class="fcv-i">{position}</span></span>'
    return cell


def _run_html(cells: list[str], caption: str) -> str:
    return (f'<span class="fcv-run"><span class="fcv-cells">{"".join(cells)}</span>'
            f'<span class="fcv-sub">{_esc(caption)}</span></span>')


class _Lane:
    """Draws a stretch of the stream (``data`` starting at stream offset ``origin``)."""

    def __init__(
        self,
        data: bytes,
        origin: int,
        layout: FrameLayout,
        *,
        new_from: int | None = None,
        notes: dict[int, str] | None = None,
        stuck: frozenset[int] = frozenset(),
        missing: int = 0,
        byteorder: ByteOrder = "big",
        limit: int = LANE_LIMIT,
    ) -> None:
        self.data = data
        self.byteorder = byteorder
        self.limit = limit
        self.origin = origin
        self.layout = layout
        self.new_from = new_from
        self.notes = notes or {}
        self.stuck = stuck
        self.missing = missing

    def html(self) -> str:
        if not self.data and not self.missing:
            return '<span class="fcv-empty">empty</span>'
        parts = []
        edge = self.limit * 3 // 8  # head and tail leave room for the gap's label
        windows = _windows(len(self.data), self.limit, edge, edge)
        previous_stop = 0
        for number, (start, stop) in enumerate(windows):
            if start > previous_stop:
                parts.append(f'<span class="fcv-gap">… {_plural(start - previous_stop, "byte")}'
                             " not drawn …</span>")
            last = number == len(windows) - 1
            parts.append(self._frames_html(start, stop, self.missing if last else 0))
            previous_stop = stop
        return "".join(parts)

    def _frames_html(self, start: int, stop: int, missing: int) -> str:
        layout, origin = self.layout, self.origin
        groups = []
        positions = list(range(origin + start, origin + stop))
        by_frame = [(frame, list(run)) for frame, run in
                    groupby(positions, key=lambda pos: layout.role(pos)[0])]
        if not by_frame:  # nothing drawn, only the placeholders of a header still to come
            by_frame = [(len(layout.starts) - 1, [])]
        for number, (frame, run) in enumerate(by_frame):
            runs = []
            for role, run_positions in groupby(run, key=lambda pos: layout.role(pos)[1]):
                members = list(run_positions)
                cells = [_cell(self.data[pos - origin], role, frame, pos,
                               self.new_from is not None and pos >= self.new_from, False)
                         for pos in members]
                runs.append(_run_html(cells, self._caption(role, frame, members)))
            if missing and number == len(by_frame) - 1:
                slots = ['<span class="fcv-b fcv-miss" title="a byte still to come">·</span>'
                         ] * min(missing, _MISSING_SHOWN)
                more = f"+{missing - _MISSING_SHOWN:,} " if missing > _MISSING_SHOWN else ""
                runs.append(_run_html(slots, f"{more}still to come"))
            css = "fcv-frame fcv-alt" if frame % 2 else "fcv-frame"
            caption = f"frame {frame + 1}" if frame >= 0 else "bytes"
            if frame in self.notes:
                caption += f" · {self.notes[frame]}"
            if frame in self.stuck:
                css += " fcv-stuck"
            groups.append(
                f'<span class="{css}" role="group" aria-label="{_esc(caption)}">'
                f'<span class="fcv-cap">{_esc(caption)}</span>'
                f'<span class="fcv-row">{"".join(runs)}</span></span>'
            )
        return "".join(groups)

    def _caption(self, role: Role, frame: int, members: list[int]) -> str:
        if role != "header":
            return "payload" if role == "payload" else ""
        header_size = self.layout.header_size
        first = members[0] - self.origin
        if len(members) == header_size and members[0] == self.layout.starts[frame]:
            header = self.data[first : first + header_size]
            return f"len = {int.from_bytes(header, self.byteorder)}"
        return f"len ({len(members)} of {header_size} bytes)"


def _lane(name: str, detail: str, body: str) -> str:
    label = f"{name}: {detail}" if detail else name
    return (f'<div class="fcv-lane" role="group" aria-label="{_esc(label)}">'
            f'<div class="fcv-lname">{_esc(name)}<small>{_esc(detail)}</small></div>'
            f'<div class="fcv-lbody">{body}</div></div>')


def _frames_body(frames: Sequence[bytes], just_emitted: bool) -> str:
    if not frames:
        return '<span class="fcv-empty">none yet</span>'
    chips = []
    previous_stop = 0
    for start, stop in _windows(len(frames), _LIST_LIMIT, 2, _LIST_LIMIT - 3):
        if start > previous_stop:
            chips.append(f'<span class="fcv-gap">… {_plural(start - previous_stop, "frame")} …'
                         "</span>")
        for index in range(start, stop):
            new = just_emitted and index == len(frames) - 1
            caption = f"frame {index + 1} · {_plural(len(frames[index]), 'byte')}"
            if new:
                caption += " · just emitted"
            chips.append(
                f'<span class="fcv-done{" fcv-just" if new else ""}" role="group" '
                f'aria-label="{_esc(caption)}"><span class="fcv-cap">{_esc(caption)}</span>'
                f'<span class="fcv-txt">{_frame_text_html(frames[index])}</span></span>'
            )
        previous_stop = stop
    return "".join(chips)


def _legend(extra: str = "") -> str:
    return (
        '<div class="fcv-legend" aria-label="legend">'
        '<span><span class="fcv-b fcv-h">03</span> length header (hex, hatched, "len")</span>'
        '<span><span class="fcv-b fcv-p">a</span> payload byte (character)</span>'
        '<span><span class="fcv-b fcv-p fcv-np">0a</span> unprintable payload byte (hex, italic)'
        "</span>"
        f"{extra}</div>"
    )


_STEP_LEGEND = (
    '<span><span class="fcv-b fcv-p fcv-new">b</span> underlined: arrived in this recv()</span>'
    '<span><span class="fcv-b fcv-miss">·</span> dashed: still to come</span>'
)


# --- one trace step ---------------------------------------------------------------------------

def _step_layout(step: Step, byteorder: ByteOrder) -> FrameLayout:
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
    chunk = _Lane(step.chunk, step.chunk_start, layout, byteorder=byteorder)
    buffer = _Lane(step.buffer, step.buffer_start, layout, new_from=step.chunk_start,
                   notes=notes, stuck=stuck, missing=missing, byteorder=byteorder)
    just_emitted = step.decision is Decision.FRAME_EMITTED
    frames_detail = _plural(len(step.frames), "frame")
    if stuck:
        frames_detail += f"; {_plural(len(stuck), 'whole frame')} stuck in the buffer"
    badge = "fcv-badge fcv-bad" if stuck or step.decision is Decision.FRAME_TOO_LARGE else (
        "fcv-badge fcv-ok" if just_emitted else "fcv-badge")
    label = f"Reassembly, recv() {step.chunk_index + 1}: {step.decision.value}"
    live = "" if nested else ' aria-live="polite"'
    return (
        f'<div class="fcv" role="figure" aria-label="{_esc(label)}">'
        f'<p class="fcv-why"{live}><span class="{badge}">{_esc(step.decision.value)}'
        f"</span>{_esc(step.explanation)}</p>"
        + _lane("Incoming chunk",
                f"recv() {step.chunk_index + 1} · {_plural(len(step.chunk), 'byte')}",
                chunk.html())
        + _lane("Reassembly buffer", _plural(len(step.buffer), "byte"), buffer.html())
        + _lane("Completed frames", frames_detail, _frames_body(step.frames, just_emitted))
        + ("" if nested else _legend(_STEP_LEGEND))
        + "</div>"
    )


def _bytes_plain(data: bytes, origin: int, layout: FrameLayout) -> str:
    """One lane as text: header bytes in brackets as hex, frames separated by bars."""
    pieces = []
    previous_stop = 0
    for start, stop in _windows(len(data), LANE_LIMIT, _LANE_HEAD, _LANE_TAIL):
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
                text, printable = _glyph(value)
                pieces.append(text if printable else f"\\x{text}")
            else:
                pieces.append(f"[{value:02x}]")
        previous_stop = stop
    return "".join(pieces) or "(empty)"


def render_step_text(step: Step, *, byteorder: ByteOrder = "big") -> str:
    """Draw one trace step as plain text, for terminals (header bytes as ``[hex]``)."""
    layout = _step_layout(step, byteorder)
    notes, stuck, missing = _buffer_state(step, layout, byteorder)
    shown = step.frames[-_LIST_LIMIT:]
    skipped = len(step.frames) - len(shown)
    frames = ", ".join(f"{skipped + number + 1}:{_frame_text_plain(frame, 24)}"
                       for number, frame in enumerate(shown))
    if skipped:
        frames = f"({skipped:,} earlier) " + frames
    state = "; ".join(f"frame {frame + 1}: {note}" for frame, note in notes.items())
    lines = [
        f"[{step.decision.value}] {step.explanation}",
        f"  incoming chunk  recv() {step.chunk_index + 1}: "
        f"{_bytes_plain(step.chunk, step.chunk_start, layout)}",
        f"  buffer ({len(step.buffer):,} B)  {_bytes_plain(step.buffer, step.buffer_start, layout)}"
        + (f"   ({state})" if state else ""),
        f"  completed ({len(step.frames):,})  {frames or '(none yet)'}",
    ]
    return "\n".join(lines)


# --- a whole replay (the chunk explorer) ------------------------------------------------------

def _chunks_body(chunks: Sequence[bytes], layout: FrameLayout, *, numbered: bool) -> str:
    """Each chunk boxed as one recv(), its bytes styled by role, with scissors between."""
    if not chunks:
        return '<span class="fcv-empty">no bytes</span>'
    offsets = []
    total = 0
    for chunk in chunks:
        offsets.append(total)
        total += len(chunk)
    shown = _windows(len(chunks), _LIST_LIMIT, 6, 5)
    # Share one lane's worth of cells among the chunks drawn, with a few for each at least.
    budget = max(LANE_LIMIT // sum(stop - start for start, stop in shown), 8)
    parts = []
    previous_stop = 0
    for start, stop in shown:
        if start > previous_stop:
            parts.append(f'<span class="fcv-gap">… {_plural(start - previous_stop, "chunk")} …'
                         "</span>")
        for index in range(start, stop):
            chunk, origin = chunks[index], offsets[index]
            if index:
                parts.append(f'<span class="fcv-cut" title="cut at byte {origin}: '
                             f'recv() {index + 1} starts here" aria-hidden="true">\u2702</span>')
            cells = []
            drawn_stop = 0
            for w_start, w_stop in _windows(len(chunk), budget, budget // 2 - 2, budget // 2 - 2):
                if w_start > drawn_stop:
                    cells.append(f'<span class="fcv-gap">…{w_start - drawn_stop:,}…</span>')
                for offset in range(w_start, w_stop):
                    frame, role = layout.role(origin + offset)
                    cell = _cell(chunk[offset], role, frame, origin + offset, False, numbered)
                    if offset and frame >= 0 and layout.starts[frame] == origin + offset:
                        cell = f'<span class="fcv-fs"></span>{cell}'  # a gap between frames
                    cells.append(cell)
                drawn_stop = w_stop
            caption = f"recv() {index + 1} · {_plural(len(chunk), 'byte')}"
            parts.append(f'<span class="fcv-chunk" role="group" aria-label="{_esc(caption)}">'
                         f'<span class="fcv-cap">{_esc(caption)}</span>'
                         f'<span class="fcv-cells">{"".join(cells)}</span></span>')
        previous_stop = stop
    return "".join(parts)


def _as_frame(item: object) -> bytes | None:
    if isinstance(item, bytes | bytearray | memoryview):
        return bytes(item)
    return None


def _first_difference(expected: Sequence[bytes], received: Sequence[object]) -> int | None:
    for index in range(max(len(expected), len(received))):
        if index >= len(expected) or index >= len(received):
            return index
        if _as_frame(received[index]) != expected[index]:
            return index
    return None


def _byte_difference(want: bytes, got: bytes) -> int:
    for index, (a, b) in enumerate(zip(want, got, strict=False)):
        if a != b:
            return index
    return min(len(want), len(got))


def _type_name(item: object) -> str:
    """The type a received item had; a stand-in may name it with a ``type_name`` attribute."""
    name = getattr(item, "type_name", None)
    return name if isinstance(name, str) else type(item).__name__


def _received_html(item: object, mark: int | None) -> str:
    frame = _as_frame(item)
    if frame is not None:
        return f'<span class="fcv-txt">{_frame_text_html(frame, mark)}</span>'
    text = repr(item)
    if len(text) > 80:
        text = text[:60] + "…"
    if not text.startswith(_type_name(item)):
        text = f"{_type_name(item)} {text}"
    return f'<span class="fcv-esc">not bytes: {_esc(text)}</span>'


def _verdict(expected: Sequence[bytes], received: Sequence[object], first: int | None) -> str:
    if first is None:
        return f"All {_plural(len(expected), 'frame')} match."
    if first >= len(received):
        return (f"Expected {_plural(len(expected), 'frame')}, received {len(received):,}: "
                f"frame {first + 1} never came out.")
    if first >= len(expected):
        return (f"Expected {_plural(len(expected), 'frame')}, received {len(received):,}: "
                f"frame {first + 1} is extra.")
    got = _as_frame(received[first])
    if got is None:
        return f"Frame {first + 1} is not bytes but {_type_name(received[first])}."
    want = expected[first]
    at = _byte_difference(want, got)
    if at >= min(len(want), len(got)):
        return (f"Frame {first + 1} should be {_plural(len(want), 'byte')} long but is "
                f"{len(got):,}.")
    return (f"Frame {first + 1} differs at byte {at}: expected 0x{want[at]:02x}, "
            f"received 0x{got[at]:02x}.")


def _comparison_html(expected: Sequence[bytes], received: Sequence[object]) -> str:
    """Expected frames against received ones, row by row, the first difference marked."""
    first = _first_difference(expected, received)
    rows = max(len(expected), len(received))
    windows = _windows(rows, _LIST_LIMIT, 3, 2, first, 3)
    body = []
    previous_stop = 0
    for start, stop in windows:
        if start > previous_stop:
            skipped = start - previous_stop
            what = "matching " if first is None or start <= first else ""
            body.append(f'<tr><td colspan="4" class="fcv-gap">… {skipped:,} {what}'
                        f'row{"s" if skipped != 1 else ""} not shown …</td></tr>')
        for index in range(start, stop):
            want = expected[index] if index < len(expected) else None
            got = received[index] if index < len(received) else None
            got_frame = _as_frame(got)
            mark = None
            if index == first and want is not None and got_frame is not None:
                mark = _byte_difference(want, got_frame)
            if index < len(received) and want is not None and got_frame == want:
                status = "same"
            elif want is None:
                status = "extra"
            elif index >= len(received):
                status = "missing"
            else:
                status = "differs"
            if index == first:
                status += " ← first difference"
            want_html = ('<span class="fcv-txt">' + _frame_text_html(want, mark) + "</span>"
                         if want is not None else '<span class="fcv-esc">(none)</span>')
            got_html = (_received_html(got, mark) if index < len(received)
                        else '<span class="fcv-esc">(none)</span>')
            row_class = ' class="fcv-first"' if index == first else ""
            body.append(f"<tr{row_class}><td>{index + 1}</td><td>{want_html}</td>"
                        f"<td>{got_html}</td><td>{_esc(status)}</td></tr>")
        previous_stop = stop
    verdict = _verdict(expected, received, first)
    badge = "fcv-badge fcv-ok" if first is None else "fcv-badge fcv-bad"
    return (
        f'<div class="fcv-stack"><p class="fcv-why"><span class="{badge}">'
        f'{"same frames" if first is None else "differs"}</span>{_esc(verdict)}</p>'
        '<table class="fcv-cmp"><thead><tr><th scope="col">#</th><th scope="col">expected</th>'
        '<th scope="col">received</th><th scope="col">verdict</th></tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table></div>'
    )


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
    heading = f'<p class="fcv-title">{_esc(title)}</p>' if title else ""
    label = title or "A failing case"
    reference = _reference_step(chunks, expected, _first_difference(expected, received),
                                header_size)
    shown_reference = ""
    if reference is not None:
        shown_reference = _lane("A correct decoder", "at the first difference",
                                _step_figure(reference, "big", nested=True))
    return (
        f'{STYLE}<div class="fcv" role="figure" aria-label="{_esc(label)}">{heading}'
        + _lane("Chunks as delivered",
                f"{_plural(len(chunks), 'recv() call')} · {_plural(total, 'byte')} · "
                f"{header_size}-byte headers",
                _chunks_body(chunks, layout, numbered=False))
        + _lane("Frames", f"{len(expected):,} expected · {len(received):,} received",
                _comparison_html(expected, received))
        + shown_reference
        + _legend(_STEP_LEGEND if reference is not None else "")
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
    shown = {indexes[i] for start, stop in _windows(len(indexes), _LIST_LIMIT, 6, 5)
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
            rows.append(f'<tr><td colspan="4" class="fcv-gap">… {_plural(hidden, "recv() call")} '
                        "not shown …</td></tr>")
            hidden = 0
        step_layout = _step_layout(step, byteorder)
        notes, stuck, missing = _buffer_state(step, step_layout, byteorder)
        buffer = _Lane(step.buffer, step.buffer_start, step_layout, notes=notes, stuck=stuck,
                       missing=missing, byteorder=byteorder, limit=_ROW_LIMIT)
        out = ", ".join(f'<span class="fcv-txt">{_frame_text_html(frame)}</span>'
                        for frame in released[:_RELEASED_SHOWN]) or (
            '<span class="fcv-empty">nothing</span>')
        if len(released) > _RELEASED_SHOWN:
            out += (f'<span class="fcv-gap"> and {len(released) - _RELEASED_SHOWN:,} more'
                    "</span>")
        rows.append(
            f"<tr><th scope=\"row\">recv() {index + 1}</th>"
            f"<td>{_plural(len(step.chunk), 'byte')}</td>"
            f'<td><span class="fcv-lbody">{buffer.html()}</span></td><td>{out}</td></tr>'
        )
    if hidden:
        rows.append(f'<tr><td colspan="4" class="fcv-gap">… {_plural(hidden, "recv() call")} '
                    "not shown …</td></tr>")
    final = steps[-1] if steps else None
    received = list(final.frames) if final else []
    heading = f'<p class="fcv-title">{_esc(note)}</p>' if note else ""
    return (
        f'{STYLE}<div class="fcv" role="figure" aria-label="Replay of one cutting">{heading}'
        + _lane("Stream as sent",
                f"{_plural(sum(map(len, chunks)), 'byte')} cut into "
                f"{_plural(len(chunks), 'recv() call')} (\u2702 = cut)",
                _chunks_body(chunks, layout, numbered=True))
        + _lane("After each recv()", "buffer left, frames released",
                '<table class="fcv-film"><thead><tr><th scope="col">call</th>'
                '<th scope="col">got</th><th scope="col">buffer afterwards</th>'
                f'<th scope="col">frames out</th></tr></thead><tbody>{"".join(rows)}</tbody>'
                "</table>")
        + _lane("Frames out", "compared with the messages sent",
                _comparison_html(list(expected), received))
        + _legend('<span>\u2702 a cut: the next recv() starts there</span>')
        + "</div>"
    )
