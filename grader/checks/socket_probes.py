"""Probes for functions that do socket I/O: run against a real socket pair in the child.

- ``recv_probe``: the learner's function gets one end of a ``socket.socketpair()``; the
  child's peer thread sends ``pieces`` one at a time (each only once every earlier byte
  was read, so every ``recv()`` sees at most one piece), then closes the connection, or
  holds it open (``hold``). The function is called once per entry of ``calls`` (its
  arguments after the socket), and the outcomes are compared, in order, with
  ``expected``: ``bytes`` (a value of exactly that content), ``None``, or the name of
  the exception it must raise (``"EOFError"``). ``most`` caps each ``recv()``.
- ``send_probe``: ``send_all(sock, data)`` with a socket whose ``send()`` accepts at
  most the next of ``sizes`` bytes and that has no ``sendall``; the peer must receive
  ``data``, exactly.

Strategy: as with the other probe kinds, the child only reports (values, errors, what
the peer received); the verdicts here run in the grader's process, and the smallest
failing case is the one with the fewest bytes, then the fewest pieces.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from typing import Any

from grader.formatting import escape

from .base import Failure, Probe
from .reports import describe_error, frame_matches, is_bytes, received_value, show_frame

__all__ = ["Expected", "recv_probe", "send_probe", "show_pieces"]

#: What one call must give: its bytes, ``None``, or the name of the exception it raises.
Expected = bytes | None | str

#: Bytes shown of each piece in a message; the picture shows them all.
_SHOWN = 16
#: Cases up to this many bytes get a picture; bigger ones (the linear-time cases) are told.
_PICTURED = 4096


def show_pieces(pieces: Sequence[bytes]) -> str:
    """``b'\\x00\\x00' | b'\\x00\\x05he'``, long pieces by length."""
    if not pieces:
        return "nothing"
    shown = [
        f"b'{escape(piece)}'" if len(piece) <= _SHOWN else f"{len(piece):,} bytes"
        for piece in pieces
    ]
    return " | ".join(shown)


def _outcome_text(outcome: dict[str, Any] | None) -> str:
    if outcome is None:
        return "was not called (an earlier call failed)"
    if "error" in outcome:
        error = outcome["error"]
        if error.get("name") == "TimeoutError":
            return "waited for bytes the peer never sent, until the socket timed out"
        return f"raised {describe_error(error)}"
    value = outcome.get("value") or {}
    if value.get("type") == "NoneType":
        return "returned None"
    return f"returned {show_frame(value)}"


def _expected_text(want: Expected) -> str:
    if isinstance(want, str):
        return f"it should raise {want}"
    if want is None:
        return "it should return None"
    return f"it should return b'{escape(want, 24)}'" if len(want) <= 64 else (
        f"it should return the {len(want):,}-byte payload")


def _matches(want: Expected, outcome: dict[str, Any] | None, *, exact_type: bool) -> bool:
    if outcome is None:
        return False
    if isinstance(want, str):
        return outcome.get("error", {}).get("kind") == want
    if "error" in outcome:
        return False
    value = outcome.get("value") or {}
    if want is None:
        return value.get("type") == "NoneType"
    return frame_matches(value, want) and (is_bytes(value) or not exact_type)


def recv_probe(
    function: str,
    pieces: Sequence[bytes],
    calls: Sequence[Sequence[int]],
    expected: Sequence[Expected],
    *,
    check: str,
    hint: str,
    most: int | None = None,
    hold: bool = False,
    exact_type: bool = True,
    wire: list[Any] | None = None,
    timeout: float = 3.0,
) -> Probe:
    """Call ``function(sock, *args)`` for each ``args`` of ``calls``; judge against ``expected``.

    ``wire`` replaces the pieces sent to the child (part lists with ``[byte, count]``
    fills, for megabytes) while ``pieces`` still describe them in messages.
    """
    ending = "kept the connection open" if hold else "closed the connection"
    scene = f"The peer sent {show_pieces(pieces)} and then {ending}"
    if most is not None:
        scene += f"; each recv() returned at most {most} bytes"

    def judge(report: dict[str, Any]) -> Failure | None:
        if report.get("stage") == "load":
            return Failure(check, f"Running your cell raised {describe_error(report['error'])}",
                           hint, error=report.get("error"), header_size=0)
        outcomes = report["calls"]
        for index, (args, want) in enumerate(zip(calls, expected, strict=True)):
            outcome = outcomes[index] if index < len(outcomes) else None
            if _matches(want, outcome, exact_type=exact_type):
                continue
            shown_args = "".join(f", {arg}" for arg in args)
            nth = f"Call {index + 1}: " if len(calls) > 1 else ""
            message = (
                f"{scene}. {nth}{function}(sock{shown_args}) {_outcome_text(outcome)}; "
                f"{_expected_text(want)}."
            )
            error = (outcome or {}).get("error")
            handed = [o["value"] for o in outcomes if "hex" in (o.get("value") or {})]
            small = sum(map(len, pieces)) <= _PICTURED
            return Failure(check, message, hint,
                           chunks=list(pieces) if small else [],
                           expected=[w for w in expected if isinstance(w, bytes)] if small else [],
                           received=[received_value(value) for value in handed] if small else [],
                           received_types=[str(value.get("type")) for value in handed],
                           header_size=4 if function == "recv_frame" else 0,
                           error=error)
        return None

    payload = {
        "driver": "recv",
        "function": function,
        "pieces": wire if wire is not None else [piece.hex() for piece in pieces],
        "calls": [list(args) for args in calls],
        "most": most,
        "hold": hold,
    }
    return Probe(payload, judge, (sum(map(len, pieces)), len(pieces)), timeout)


def send_probe(
    data_spec: bytes | tuple[int, int],
    sizes: Sequence[int],
    *,
    check: str,
    hint: str,
    timeout: float = 3.0,
) -> Probe:
    """``send_all(stingy, data)``: the peer must receive ``data``; ``(byte, count)`` is a fill."""
    if isinstance(data_spec, bytes):
        data, spec = data_spec, data_spec.hex()
        shown = f"b'{escape(data, 24)}'" if len(data) <= 32 else f"{len(data):,} bytes"
    else:
        fill, count = data_spec
        data, spec = bytes([fill]) * count, [[fill, count]]
        shown = f"{count / 2**20:g} MiB" if count >= 2**20 else f"{count:,} bytes"
    cycle = ", ".join(map(str, itertools.islice(itertools.cycle(sizes), 3)))
    scene = f"send_all(sock, {shown}) through a socket whose send() accepted at most {cycle}"
    scene += " ... bytes per call" if len(sizes) > 1 else " bytes per call"
    digest = hashlib.sha256(data).hexdigest()

    def judge(report: dict[str, Any]) -> Failure | None:
        if report.get("stage") == "load":
            return Failure(check, f"Running your cell raised {describe_error(report['error'])}",
                           hint, error=report.get("error"), header_size=0)
        received = report.get("received") or {}
        error = report.get("error")
        got_all = received.get("len") == len(data) and (
            received.get("sha256") == digest or received.get("hex") == data.hex())
        if error is None and got_all:
            return None
        what = (
            f"raised {describe_error(error)}" if error
            else f"returned after {report.get('sends', 0)} send() calls"
        )
        return Failure(check, f"{scene} {what}, and the peer received {received.get('len', 0):,}"
                       f" of {len(data):,} bytes.", hint, header_size=0, error=error)

    payload = {"driver": "send", "function": "send_all", "data": spec, "sizes": list(sizes)}
    return Probe(payload, judge, (len(data), len(sizes)), timeout)
