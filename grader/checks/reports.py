"""Reading the child's plain reports: the frames it saw, the errors it raised, for people.

The child describes what the learner's code did (``grader.sandbox.child``): a
frame's type and its bytes (or their length and SHA-256), an exception's kind,
text and the learner's own frames. These helpers turn that into values to
compare and phrases to show, without trusting anything the learner's code made.
"""

from __future__ import annotations

import hashlib
from typing import Any

from grader.formatting import escape

__all__ = [
    "describe_error",
    "frame_content",
    "frame_matches",
    "is_bytes",
    "learner_traceback",
    "received_value",
    "show_frame",
    "type_label",
]


def frame_content(frame: dict[str, Any]) -> bytes | None:
    """The bytes of a reported frame, when the child could read them (bytes-like types only)."""
    if "hex" in frame and not frame.get("foreign"):
        return bytes.fromhex(frame["hex"])
    return None


def frame_matches(frame: dict[str, Any], expected: bytes) -> bool:
    """Equal in value (bytes-like types only; the type is judged by its own check)."""
    if frame.get("foreign"):
        return False
    if "hex" in frame:
        return bytes.fromhex(frame["hex"]) == expected
    if "sha256" in frame:
        digest = hashlib.sha256(expected).hexdigest()
        return frame["len"] == len(expected) and frame["sha256"] == digest
    return False


def type_label(frame: dict[str, Any]) -> str:
    """The reported type's name, marked when it is a class of the learner's own."""
    name = str(frame.get("type", "?"))
    own = frame.get("foreign") and not frame.get("builtin")
    return f"{name} (your own class, not the built-in)" if own else name


def is_bytes(frame: dict[str, Any]) -> bool:
    """Whether a reported item was exactly the built-in ``bytes``."""
    return frame.get("type") == "bytes" and not frame.get("foreign")


def show_frame(frame: dict[str, Any]) -> str:
    if frame.get("foreign") and frame.get("builtin"):
        return f"a value of type {frame.get('type', '?')} (not bytes)"
    if frame.get("foreign"):
        return f"an object of class {frame.get('type', '?')!r} (not the built-in bytes)"
    kind = frame.get("type", "?")
    content = frame_content(frame)
    if content is None:
        if "sha256" in frame:
            return f"a {frame['len']}-byte {kind}"
        return f"a {kind} object"
    shown = f"b'{escape(content)}'"
    return shown if kind == "bytes" else f"{kind}({shown})"


def received_value(frame: dict[str, Any]) -> bytes:
    content = frame_content(frame)
    return content if content is not None else b""


def learner_traceback(error: dict[str, Any], source: str) -> str:
    """Render the learner's own frames of a reported error, quoting only the learner's source."""
    lines = source.splitlines()
    out = []
    for lineno, function in error.get("frames", []):
        if not isinstance(lineno, int):
            continue
        text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
        where = "your cell" if function == "<module>" else f"{function}()"
        out.append(f"  line {lineno}, in {where}: {text}")
    name = error.get("name", "error")
    message = error.get("message", "")
    out.append(f"{name}: {message}" if message else str(name))
    return "\n".join(out)


def describe_error(error: dict[str, Any]) -> str:
    """A short phrase for a reported exception: ``ValueError('bad header')``."""
    name = error.get("name", "an exception")
    message = error.get("message", "")
    return f"{name}({message!r})" if message else f"{name}"
