"""Expected frames against received ones: the first difference found, described and marked.

``received`` may hold anything learner code produced; items that are not
bytes are described by type and repr, never trusted. A task that hands back
messages as tuples of parts (lesson 7's ``(type, body)``) is compared part by
part: the expected messages are tuples, ``parts`` names their parts, and a
received item matches only as a tuple of as many bytes-like parts, equal.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._drawing import LIST_LIMIT, drawn_ranges, esc, frame_text_html, plural

#: An expected message: a frame, or a tuple of its parts.
Message = bytes | tuple[bytes, ...]


def as_frame(item: object) -> bytes | None:
    """``item`` as bytes when it is bytes-like, else ``None``."""
    if isinstance(item, bytes | bytearray | memoryview):
        return bytes(item)
    return None


def as_message(item: object) -> bytes | tuple[bytes, ...] | None:
    """``item`` as bytes, or as a tuple of bytes when it is a tuple of bytes-like parts."""
    if type(item) is tuple:
        parts = tuple(as_frame(part) for part in item)
        return None if any(part is None for part in parts) else parts  # type: ignore[return-value]
    return as_frame(item)


def first_difference(expected: Sequence[Message], received: Sequence[object]) -> int | None:
    """The index of the first row where the lists part, or ``None`` when they match."""
    for index in range(max(len(expected), len(received))):
        if index >= len(expected) or index >= len(received):
            return index
        if as_message(received[index]) != expected[index]:
            return index
    return None


def part_difference(want: tuple[bytes, ...], got: object) -> tuple[int, int] | None:
    """The first part of a received message that differs, and the byte in it; ``None``
    when the received item is not a tuple of as many parts (nothing to mark)."""
    if type(got) is not tuple or len(got) != len(want):
        return None
    for number, (part, item) in enumerate(zip(want, got, strict=True)):
        frame = as_frame(item)
        if frame is None:
            return number, -1
        if frame != part:
            return number, byte_difference(part, frame)
    return None


def byte_difference(want: bytes, got: bytes) -> int:
    """The first index where two frames differ (the shorter length when one is a prefix)."""
    for index, (a, b) in enumerate(zip(want, got, strict=False)):
        if a != b:
            return index
    return min(len(want), len(got))


def type_name(item: object) -> str:
    """The type a received item had; a stand-in may name it with a ``type_name`` attribute."""
    name = getattr(item, "type_name", None)
    return name if isinstance(name, str) else type(item).__name__


def _parts_html(parts: Sequence[object], marked: tuple[int, int] | None) -> str:
    """A message's parts in brackets, each drawn as ``received_html`` draws an item."""
    drawn = [received_html(part, marked[1] if marked and marked[0] == number and marked[1] >= 0
                           else None) for number, part in enumerate(parts)]
    return f'<span class="fcv-sub">(</span>{", ".join(drawn)}<span class="fcv-sub">)</span>'


def received_html(item: object, mark: int | None) -> str:
    """A received item: a frame's text, or a description of what it is instead."""
    frame = as_frame(item)
    if frame is not None:
        return f'<span class="fcv-txt">{frame_text_html(frame, mark)}</span>'
    text = repr(item)
    if len(text) > 80:
        text = text[:60] + "…"
    if not text.startswith(type_name(item)):
        text = f"{type_name(item)} {text}"
    return f'<span class="fcv-esc">not bytes: {esc(text)}</span>'


def _message_difference(number: int, want: tuple[bytes, ...], got: object,
                        parts: Sequence[str]) -> str:
    """One sentence on how received message ``number`` (from 1) differs from ``want``."""
    names = list(parts) if len(parts) == len(want) else [
        f"part {n + 1}" for n in range(len(want))]
    shape = f"({', '.join(names)})"
    if type(got) is not tuple:
        return f"Message {number} is not a {shape} tuple but {type_name(got)}."
    if len(got) != len(want):
        return (f"Message {number} is a tuple of {plural(len(got), 'part')}, not the "
                f"{len(want)} of {shape}.")
    where = part_difference(want, got)
    assert where is not None
    part, at = where
    if at < 0:
        return (f"Message {number}'s {names[part]} is not bytes but "
                f"{type_name(got[part])}.")
    wanted, frame = want[part], as_frame(got[part])
    assert frame is not None
    if at >= min(len(wanted), len(frame)):
        return (f"Message {number}'s {names[part]} should be "
                f"{plural(len(wanted), 'byte')} long but is {len(frame):,}.")
    return (f"Message {number}'s {names[part]} differs at byte {at}: expected "
            f"0x{wanted[at]:02x}, received 0x{frame[at]:02x}.")


def describe_difference(
    expected: Sequence[Message], received: Sequence[object], first: int | None,
    parts: Sequence[str] = (),
) -> str:
    """One sentence on the first difference (``first``, from ``first_difference``).

    With messages as tuples, ``parts`` names their parts in the sentence.
    """
    if expected and isinstance(expected[0], tuple):
        return _messages_difference(expected, received, first, parts)
    if first is None:
        return f"All {plural(len(expected), 'frame')} match."
    if first >= len(received):
        return (f"Expected {plural(len(expected), 'frame')}, received {len(received):,}: "
                f"frame {first + 1} never came out.")
    if first >= len(expected):
        return (f"Expected {plural(len(expected), 'frame')}, received {len(received):,}: "
                f"frame {first + 1} is extra.")
    got = as_frame(received[first])
    if got is None:
        return f"Frame {first + 1} is not bytes but {type_name(received[first])}."
    want = expected[first]
    at = byte_difference(want, got)
    if at >= min(len(want), len(got)):
        return (f"Frame {first + 1} should be {plural(len(want), 'byte')} long but is "
                f"{len(got):,}.")
    return (f"Frame {first + 1} differs at byte {at}: expected 0x{want[at]:02x}, "
            f"received 0x{got[at]:02x}.")


def _messages_difference(expected: Sequence[Message], received: Sequence[object],
                         first: int | None, parts: Sequence[str]) -> str:
    if first is None:
        return f"All {plural(len(expected), 'message')} match."
    if first >= len(received):
        return (f"Expected {plural(len(expected), 'message')}, received {len(received):,}: "
                f"message {first + 1} never came out.")
    if first >= len(expected):
        return (f"Expected {plural(len(expected), 'message')}, received {len(received):,}: "
                f"message {first + 1} is extra.")
    want = expected[first]
    assert isinstance(want, tuple)
    return _message_difference(first + 1, want, received[first], parts)


#: What an empty cell of the table says.
_NONE = '<span class="fcv-esc">(none)</span>'


def _message_html(item: object, marked: tuple[int, int] | None) -> str:
    """A received message: its parts when it is a tuple, else what it is instead."""
    if type(item) is tuple:
        return _parts_html(item, marked)
    return received_html(item, None)


def comparison_html(
    expected: Sequence[Message], received: Sequence[object], parts: Sequence[str] = ()
) -> str:
    """Expected frames against received ones, row by row, the first difference marked.

    Expected messages that are tuples are drawn part by part (``parts`` names
    them in the verdict), and so is each received tuple.
    """
    first = first_difference(expected, received)
    if expected and isinstance(expected[0], tuple):
        noun = "messages"

        def cells(index: int, want: Message | None, got: object) -> tuple[bool, str, str]:
            marked = None
            if index == first and isinstance(want, tuple):
                marked = part_difference(want, got)
            want_html = (_parts_html(want, marked) if isinstance(want, tuple) else _NONE)
            return as_message(got) == want, want_html, _message_html(got, marked)
    else:
        noun = "frames"

        def cells(index: int, want: Message | None, got: object) -> tuple[bool, str, str]:
            got_frame = as_frame(got)
            mark = None
            if index == first and want is not None and got_frame is not None:
                mark = byte_difference(want, got_frame)  # type: ignore[arg-type]
            want_html = ('<span class="fcv-txt">' + frame_text_html(want, mark) + "</span>"
                         if want is not None else _NONE)
            return got_frame == want, want_html, received_html(got, mark)

    rows = max(len(expected), len(received))
    body = []
    previous_stop = 0
    for start, stop in drawn_ranges(rows, LIST_LIMIT, 3, 2, first, 3):
        if start > previous_stop:
            skipped = start - previous_stop
            what = "matching " if first is None or start <= first else ""
            body.append(f'<tr><td colspan="4" class="fcv-gap">… {skipped:,} {what}'
                        f'row{"s" if skipped != 1 else ""} not shown …</td></tr>')
        for index in range(start, stop):
            want = expected[index] if index < len(expected) else None
            got = received[index] if index < len(received) else None
            same, want_html, got_html = cells(index, want, got)
            if index >= len(received):
                got_html = _NONE
            if index < len(received) and want is not None and same:
                status = "same"
            elif want is None:
                status = "extra"
            elif index >= len(received):
                status = "missing"
            else:
                status = "differs"
            if index == first:
                status += " ← first difference"
            row_class = ' class="fcv-first"' if index == first else ""
            body.append(f"<tr{row_class}><td>{index + 1}</td><td>{want_html}</td>"
                        f"<td>{got_html}</td><td>{esc(status)}</td></tr>")
        previous_stop = stop
    verdict = describe_difference(expected, received, first, parts)
    badge = "fcv-badge fcv-ok" if first is None else "fcv-badge fcv-bad"
    return (
        f'<div class="fcv-stack"><p class="fcv-why"><span class="{badge}">'
        f'{"same " + noun if first is None else "differs"}</span>{esc(verdict)}</p>'
        '<table class="fcv-cmp"><thead><tr><th scope="col">#</th><th scope="col">expected</th>'
        '<th scope="col">received</th><th scope="col">verdict</th></tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table></div>'
    )
