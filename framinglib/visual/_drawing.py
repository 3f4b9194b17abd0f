"""The drawing primitives the pictures share: byte cells, frame boxes, lanes, legends.

A byte is a cell: header bytes as hex on a hatched background, payload bytes
as characters (unprintable ones as italic hex). Cells are boxed by the frame
they belong to, with captions (``len = 3``, ``payload``, ``still to come``).
A lane is a labelled row of such boxes; anything longer than a lane's limit is
drawn as its head and tail with the number of bytes skipped between. Every
text that reaches the page goes through ``esc`` or ``escaped_text``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from itertools import groupby

from ._layout import ByteOrder, FrameLayout, Role

#: A lane holding more bytes than this is drawn as its head and tail with a count between.
LANE_LIMIT = 64
LANE_HEAD = LANE_TAIL = LANE_LIMIT * 3 // 8
#: The replay draws one small buffer per recv(): each gets this many cells at most.
ROW_LIMIT = 16
#: ... and lists at most this many of the frames each recv() released.
RELEASED_SHOWN = 6
#: Frames longer than this are shown as text windows with the skipped count between.
FRAME_TEXT_LIMIT = 48
#: Lists of frames (or chunks, or comparison rows) longer than this are shortened.
LIST_LIMIT = 12
#: At most this many "still missing" placeholders are drawn after a partial frame.
MISSING_SHOWN = 8



def esc(text: object) -> str:
    """Text made safe for HTML, quotes included (it also goes into attributes)."""
    return html.escape(str(text), quote=True)


def plural(count: int, word: str) -> str:
    """``count`` and ``word``, with an ``s`` unless the count is one."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


# --- bytes and frames as text ---------------------------------------------------------------

def glyph(value: int) -> tuple[str, bool]:
    """How one payload byte is shown: its character when printable, else its hex value."""
    if 0x21 <= value <= 0x7E:
        return chr(value), True
    if value == 0x20:
        return "\u2423", True  # an open box, so a space is visible
    return f"{value:02x}", False


def drawn_ranges(
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


UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


def escaped_text(data: bytes) -> str:
    """Bytes as escaped text: printable ASCII as itself, every other byte as ``\\xNN``."""
    text = html.escape(data.decode("latin-1"), quote=True)  # escaping adds no unprintables
    return UNPRINTABLE.sub(lambda m: f'<span class="fcv-esc">\\x{ord(m[0]):02x}</span>', text)


def frame_text_html(frame: bytes, mark: int | None = None) -> str:
    """A frame as escaped text: characters, ``\\xNN`` for the rest, long frames windowed."""
    parts = []
    previous_stop = 0
    for start, stop in drawn_ranges(len(frame), FRAME_TEXT_LIMIT, 20, 12, mark):
        if start > previous_stop:
            parts.append(f'<span class="fcv-gap"> …{start - previous_stop:,} bytes… </span>')
        if mark is not None and start <= mark < stop:
            parts.append(escaped_text(frame[start:mark]))
            parts.append('<mark class="fcv-mark" title="first byte that differs">'
                         f"{escaped_text(frame[mark : mark + 1])}</mark>")
            parts.append(escaped_text(frame[mark + 1 : stop]))
        else:
            parts.append(escaped_text(frame[start:stop]))
        previous_stop = stop
    if len(frame) > previous_stop:
        parts.append(f'<span class="fcv-gap"> …{len(frame) - previous_stop:,} bytes…</span>')
    return "".join(parts) or '<span class="fcv-esc">(empty)</span>'


def frame_text_plain(frame: bytes, limit: int = FRAME_TEXT_LIMIT) -> str:
    """A frame as ``repr`` text, long ones as head, skipped count and tail."""
    if len(frame) <= limit:
        return repr(frame)
    return f"{frame[:20]!r}…({len(frame) - 32:,} bytes)…{frame[-12:]!r}"


# --- one lane of bytes ------------------------------------------------------------------------

#: How the bytes of a delimiter are written in their cells (others as payload bytes are).
_MARKER_GLYPHS = {0x0A: "\\n", 0x0D: "\\r", 0x00: "\\0"}


def byte_cell(value: int, role: Role, frame: int, position: int, new: bool, index: bool,
              leading: str = "header") -> str:
    """One byte as a cell; ``new`` underlines it, ``index`` numbers it with its position.

    ``leading`` names the header bytes before a length field (role ``"leading"``).
    """
    if role == "header":
        text, css, what = f"{value:02x}", "fcv-b fcv-h", f"length header of frame {frame + 1}"
    elif role == "leading":
        text, css, what = f"{value:02x}", "fcv-b fcv-h fcv-lead", f"{leading} of frame {frame + 1}"
    elif role == "length":
        text, css, what = f"{value:02x}", "fcv-b fcv-h", f"length field of frame {frame + 1}"
    elif role == "delimiter":
        text = _MARKER_GLYPHS.get(value) or glyph(value)[0]
        css, what = "fcv-b fcv-d", f"delimiter ending frame {frame + 1}"
    elif role == "payload":
        text, printable = glyph(value)
        css = "fcv-b fcv-p" if printable else "fcv-b fcv-p fcv-np"
        what = f"payload of frame {frame + 1}"
    else:
        text, css, what = f"{value:02x}", "fcv-b fcv-u", "byte"
    if new:
        css += " fcv-new"
    title = f"byte {position} of the stream: {what}, value 0x{value:02x}"
    if new:
        title += ", arrived in this recv()"
    cell = f'<span class="{css}" title="{esc(title)}">{esc(text)}</span>'
    if index:
        cell = f'<span class="fcv-run">{cell}<span class="fcv-i">{position}</span></span>'
    return cell


def run_html(cells: list[str], caption: str) -> str:
    """A run of cells with a caption under it (``len = 3``, ``payload``)."""
    return (f'<span class="fcv-run"><span class="fcv-cells">{"".join(cells)}</span>'
            f'<span class="fcv-sub">{esc(caption)}</span></span>')


class Lane:
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
        """The lane's body: frame boxes, or its head and tail with the skipped count between."""
        if not self.data and not self.missing:
            return '<span class="fcv-empty">empty</span>'
        parts = []
        edge = self.limit * 3 // 8  # head and tail leave room for the gap's label
        windows = drawn_ranges(len(self.data), self.limit, edge, edge)
        previous_stop = 0
        for number, (start, stop) in enumerate(windows):
            if start > previous_stop:
                parts.append(f'<span class="fcv-gap">… {plural(start - previous_stop, "byte")}'
                             " not drawn …</span>")
            last = number == len(windows) - 1
            parts.append(self._frames_html(start, stop, self.missing if last else 0))
            previous_stop = stop
        return "".join(parts)

    def _frames_html(self, start: int, stop: int, missing: int) -> str:
        """Bytes ``start:stop`` of the lane boxed by frame, then ``missing`` placeholders."""
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
                cells = [byte_cell(self.data[pos - origin], role, frame, pos,
                                   self.new_from is not None and pos >= self.new_from, False,
                                   _leading(layout))
                         for pos in members]
                runs.append(run_html(cells, self._caption(role, frame, members)))
            if missing and number == len(by_frame) - 1:
                slots = ['<span class="fcv-b fcv-miss" title="a byte still to come">·</span>'
                         ] * min(missing, MISSING_SHOWN)
                more = f"+{missing - MISSING_SHOWN:,} " if missing > MISSING_SHOWN else ""
                runs.append(run_html(slots, f"{more}still to come"))
            css = "fcv-frame fcv-alt" if frame % 2 else "fcv-frame"
            caption = f"frame {frame + 1}" if frame >= 0 else "bytes"
            if frame in self.notes:
                caption += f" · {self.notes[frame]}"
            if frame in self.stuck:
                css += " fcv-stuck"
            groups.append(
                f'<span class="{css}" role="group" aria-label="{esc(caption)}">'
                f'<span class="fcv-cap">{esc(caption)}</span>'
                f'<span class="fcv-row">{"".join(runs)}</span></span>'
            )
        return "".join(groups)

    def _caption(self, role: Role, frame: int, members: list[int]) -> str:
        """The caption under a run: ``len = N`` once a whole header is in the run."""
        if role in ("leading", "length"):
            return self._field_caption(role, frame, members)
        if role == "delimiter":
            return "end" if len(members) == len(self.layout.delimiter) else "end (part)"
        if role != "header":
            return "payload" if role == "payload" else ""
        header_size = self.layout.header_size
        first = members[0] - self.origin
        if len(members) == header_size and members[0] == self.layout.starts[frame]:
            header = self.data[first : first + header_size]
            if self.layout.frame_size is None:
                return f"len = {int.from_bytes(header, self.byteorder)}"
            try:  # a length field inside the header: caption the frame's size on the wire
                return f"frame = {self.layout.frame_size(header)}"
            except (ValueError, ArithmeticError):
                return "impossible length"
        return f"len ({len(members)} of {header_size} bytes)"

    def _field_caption(self, role: Role, frame: int, members: list[int]) -> str:
        """A length field's value and its frame's size, or the name of the bytes before it."""
        field = self.layout.field
        assert field is not None
        start = self.layout.starts[frame]
        if role == "leading":
            whole = len(members) == field.offset and members[0] == start
            return field.leading if whole else f"{field.leading} ({len(members)} of {field.offset})"
        if len(members) != field.size or members[0] != start + field.offset:
            return f"len ({len(members)} of {field.size} bytes)"
        first = members[0] - self.origin
        value = int.from_bytes(self.data[first : first + field.size], self.byteorder)
        size = field.wire_size(value)
        if size < field.end:
            return f"len = {value}: impossible"
        return f"len = {value}: frame of {size}"


def _leading(layout: FrameLayout) -> str:
    return layout.field.leading if layout.field is not None else "header"


def lane(name: str, detail: str, body: str) -> str:
    """A labelled row of the picture; the label doubles as the row's aria-label."""
    label = f"{name}: {detail}" if detail else name
    return (f'<div class="fcv-lane" role="group" aria-label="{esc(label)}">'
            f'<div class="fcv-lname">{esc(name)}<small>{esc(detail)}</small></div>'
            f'<div class="fcv-lbody">{body}</div></div>')


def frames_body(frames: Sequence[bytes], just_emitted: bool) -> str:
    """The completed frames as captioned boxes of text (the middle of long lists skipped)."""
    if not frames:
        return '<span class="fcv-empty">none yet</span>'
    chips = []
    previous_stop = 0
    for start, stop in drawn_ranges(len(frames), LIST_LIMIT, 2, LIST_LIMIT - 3):
        if start > previous_stop:
            chips.append(f'<span class="fcv-gap">… {plural(start - previous_stop, "frame")} …'
                         "</span>")
        for index in range(start, stop):
            new = just_emitted and index == len(frames) - 1
            caption = f"frame {index + 1} · {plural(len(frames[index]), 'byte')}"
            if new:
                caption += " · just emitted"
            chips.append(
                f'<span class="fcv-done{" fcv-just" if new else ""}" role="group" '
                f'aria-label="{esc(caption)}"><span class="fcv-cap">{esc(caption)}</span>'
                f'<span class="fcv-txt">{frame_text_html(frames[index])}</span></span>'
            )
        previous_stop = stop
    return "".join(chips)


def legend(extra: str = "", *, delimited: bool = False) -> str:
    """What the cell styles mean, in words; ``extra`` adds more entries.

    ``delimited`` explains delimiter cells instead of length headers.
    """
    marker = ('<span><span class="fcv-b fcv-d">\\n</span> delimiter (hatched, "end")</span>'
              if delimited else
              '<span><span class="fcv-b fcv-h">03</span> length header (hex, hatched, "len")'
              "</span>")
    return (
        '<div class="fcv-legend" aria-label="legend">'
        f"{marker}"
        '<span><span class="fcv-b fcv-p">a</span> payload byte (character)</span>'
        '<span><span class="fcv-b fcv-p fcv-np">0a</span> unprintable payload byte (hex, italic)'
        "</span>"
        f"{extra}</div>"
    )


#: The legend entries of a picture of one step (new bytes, bytes still to come).
STEP_LEGEND = (
    '<span><span class="fcv-b fcv-p fcv-new">b</span> underlined: arrived in this recv()</span>'
    '<span><span class="fcv-b fcv-miss">·</span> dashed: still to come</span>'
)


def chunks_body(chunks: Sequence[bytes], layout: FrameLayout, *, numbered: bool) -> str:
    """Each chunk boxed as one recv(), its bytes styled by role, with scissors between."""
    if not chunks:
        return '<span class="fcv-empty">no bytes</span>'
    offsets = []
    total = 0
    for chunk in chunks:
        offsets.append(total)
        total += len(chunk)
    shown = drawn_ranges(len(chunks), LIST_LIMIT, 6, 5)
    # Share one lane's worth of cells among the chunks drawn, with a few for each at least.
    budget = max(LANE_LIMIT // sum(stop - start for start, stop in shown), 8)
    parts = []
    previous_stop = 0
    for start, stop in shown:
        if start > previous_stop:
            parts.append(f'<span class="fcv-gap">… {plural(start - previous_stop, "chunk")} …'
                         "</span>")
        for index in range(start, stop):
            chunk, origin = chunks[index], offsets[index]
            if index:
                parts.append(f'<span class="fcv-cut" title="cut at byte {origin}: '
                             f'recv() {index + 1} starts here" aria-hidden="true">\u2702</span>')
            cells = []
            drawn_stop = 0
            edge = budget // 2 - 2
            for w_start, w_stop in drawn_ranges(len(chunk), budget, edge, edge):
                if w_start > drawn_stop:
                    cells.append(f'<span class="fcv-gap">…{w_start - drawn_stop:,}…</span>')
                for offset in range(w_start, w_stop):
                    frame, role = layout.role(origin + offset)
                    cell = byte_cell(chunk[offset], role, frame, origin + offset, False, numbered,
                                     _leading(layout))
                    if offset and frame >= 0 and layout.starts[frame] == origin + offset:
                        cell = f'<span class="fcv-fs"></span>{cell}'  # a gap between frames
                    cells.append(cell)
                drawn_stop = w_stop
            caption = f"recv() {index + 1} · {plural(len(chunk), 'byte')}"
            parts.append(f'<span class="fcv-chunk" role="group" aria-label="{esc(caption)}">'
                         f'<span class="fcv-cap">{esc(caption)}</span>'
                         f'<span class="fcv-cells">{"".join(cells)}</span></span>')
        previous_stop = stop
    return "".join(parts)
