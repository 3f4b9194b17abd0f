"""Expected frames against received ones: the first difference found, described and marked.

``received`` may hold anything learner code produced; items that are not
bytes are described by type and repr, never trusted.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._drawing import LIST_LIMIT, drawn_ranges, esc, frame_text_html, plural


def as_frame(item: object) -> bytes | None:
    """``item`` as bytes when it is bytes-like, else ``None``."""
    if isinstance(item, bytes | bytearray | memoryview):
        return bytes(item)
    return None


def first_difference(expected: Sequence[bytes], received: Sequence[object]) -> int | None:
    """The index of the first row where the lists part, or ``None`` when they match."""
    for index in range(max(len(expected), len(received))):
        if index >= len(expected) or index >= len(received):
            return index
        if as_frame(received[index]) != expected[index]:
            return index
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


def describe_difference(
    expected: Sequence[bytes], received: Sequence[object], first: int | None
) -> str:
    """One sentence on the first difference (``first``, from ``first_difference``)."""
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


def comparison_html(expected: Sequence[bytes], received: Sequence[object]) -> str:
    """Expected frames against received ones, row by row, the first difference marked."""
    first = first_difference(expected, received)
    rows = max(len(expected), len(received))
    windows = drawn_ranges(rows, LIST_LIMIT, 3, 2, first, 3)
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
            got_frame = as_frame(got)
            mark = None
            if index == first and want is not None and got_frame is not None:
                mark = byte_difference(want, got_frame)
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
            want_html = ('<span class="fcv-txt">' + frame_text_html(want, mark) + "</span>"
                         if want is not None else '<span class="fcv-esc">(none)</span>')
            got_html = (received_html(got, mark) if index < len(received)
                        else '<span class="fcv-esc">(none)</span>')
            row_class = ' class="fcv-first"' if index == first else ""
            body.append(f"<tr{row_class}><td>{index + 1}</td><td>{want_html}</td>"
                        f"<td>{got_html}</td><td>{esc(status)}</td></tr>")
        previous_stop = stop
    verdict = describe_difference(expected, received, first)
    badge = "fcv-badge fcv-ok" if first is None else "fcv-badge fcv-bad"
    return (
        f'<div class="fcv-stack"><p class="fcv-why"><span class="{badge}">'
        f'{"same frames" if first is None else "differs"}</span>{esc(verdict)}</p>'
        '<table class="fcv-cmp"><thead><tr><th scope="col">#</th><th scope="col">expected</th>'
        '<th scope="col">received</th><th scope="col">verdict</th></tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table></div>'
    )
