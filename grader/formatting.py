"""Text for people: bytes shown readably, scores, and names padded for terminal columns.

One home for each way the grader writes a value, so that a learner's report, the
instructor's table and the CSV export never disagree on how a number or a byte
string looks. Each formatter's job is in its name.
"""

from __future__ import annotations

import unicodedata

__all__ = ["escape", "pad", "points", "score_cell", "score_result"]

_ESCAPES = {0x5C: "\\\\", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}


def escape(data: bytes, limit: int = 48) -> str:
    """Bytes as readable text: printable ASCII as is, ``\\n``-style and ``\\xNN`` escapes for
    the rest (as Python writes them); data longer than ``limit`` is cut with its length."""
    text = "".join(
        _ESCAPES.get(b) or (chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}") for b in data[:limit]
    )
    if len(data) > limit:
        text += f"... ({len(data)} bytes)"
    return text


def points(value: float | None) -> str:
    """Points in a learner's report or feedback page: ``2.5``, ``13``; ``-`` for none."""
    return "-" if value is None else f"{value:g}"


def score_cell(value: float | None) -> str:
    """A score in the instructor's table and the CSV export: ``13``, ``2.50``; ``-`` for none.

    Two decimals, always, for a fraction, so that a column of scores lines up.
    """
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def score_result(value: float) -> str:
    """A score as the ``execute_result`` nbgrader reads as partial credit: ``13``, ``2.3333``."""
    return str(int(value)) if float(value).is_integer() else repr(round(value, 4))


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (CJK ids take two columns a character)."""
    columns = sum(0 if unicodedata.combining(char)
                  else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - columns, 0)
