"""One case, two ways: what the child reported the answer did, and what a trusted
implementation does with the same case, both as one comparable *observation*.

An observation is plain tuples: for each call or operation, the frames (type and
content) or value it gave, then how the case ended (normally, with an error of a
kind, or stopped). Error messages and the learner's own class names are left out,
since no two people word them alike; error *kinds* (ValueError, EOFError, ...) stay.
The socket cases (lesson 6) are replayed on scripted sockets (``scripted_sockets``) that
give the implementation what the child's peers give the answer; a ``send`` case is seen
as what the peer received. This is the only module that knows the child's report format;
it builds inputs with the child's own helpers (``grader.sandbox.child_protocol``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from .. import settings
from ..sandbox import child_protocol as protocol
from .misconception import Stall
from .scripted_sockets import ScriptedPeer, StingySocket

__all__ = ["FINISHED", "TIMEOUT", "answer_observation", "is_cost_case", "same", "simulate"]

TIMEOUT = ("timeout",)
FINISHED = ("finished",)
_FULL = settings.CHILD_FULL_FRAME_BYTES


#: A socket case moving more bytes than this measures cost (16 MiB in 1460-byte pieces).
_COSTLY_BYTES = 1 << 20


def is_late_case(payload: dict[str, Any]) -> bool:
    """A case with megabytes in it: compared last, when few misconceptions are left."""
    if is_cost_case(payload):
        return True
    return any(
        isinstance(part, list) and part[1] > 1 << 20
        for arg in payload.get("args", []) if isinstance(arg, list)
        for part in arg
    )


def is_cost_case(payload: dict[str, Any]) -> bool:
    """A case that measures cost (one giant frame in small chunks), not frames."""
    if "every" in payload:
        return True
    driver = payload.get("driver")
    if driver == "recv":
        return sum(_spec_size(piece) for piece in payload["pieces"]) > _COSTLY_BYTES
    if driver == "send":
        return _spec_size(payload["data"]) > _COSTLY_BYTES
    return any(op and op[0] == "feed_every" for op in payload.get("ops", []))


def _spec_size(spec: Any) -> int:
    """The bytes a part list stands for, without building them (hex text, ``[byte, count]``)."""
    if isinstance(spec, str):
        return len(spec) // 2
    return sum(len(part) // 2 if isinstance(part, str) else part[1] for part in spec)


def slow_on(slow: bool | frozenset[str], payload: dict[str, Any]) -> bool:
    """Whether a misconception marked ``slow`` runs out of time on the cost case ``payload``."""
    if isinstance(slow, frozenset):
        return payload.get("driver") in slow
    return slow


# ---------------------------------------------------------------- the answer's side


def _frame_of_report(item: dict[str, Any]) -> tuple[Any, ...]:
    if item.get("foreign") or item.get("unreadable"):
        return ("foreign",)
    if "hex" in item:
        return (item.get("type"), bytes.fromhex(item["hex"]))
    return (item.get("type"), item.get("len"), item.get("sha256"))


def _item_of_report(item: dict[str, Any]) -> tuple[Any, ...]:
    """An item of a returned list: a frame, or a tuple of parts (lesson 7's messages)."""
    if item.get("type") == "tuple" and "items" in item and not item.get("foreign"):
        return ("tuple", item.get("len"), tuple(_frame_of_report(p) for p in item["items"]))
    return _frame_of_report(item)


def _value_of_report(value: dict[str, Any] | None) -> tuple[Any, ...]:
    value = value or {}
    kind = value.get("type")
    if value.get("foreign"):
        return ("foreign", kind)
    if kind == "NoneType":
        return ("none",)
    if kind == "int":
        return ("int", value.get("int"))
    if "items" in value:
        return (kind, tuple(_item_of_report(item) for item in value["items"]))
    return _frame_of_report(value)


def _error_of_report(error: dict[str, Any] | None) -> tuple[Any, ...]:
    return ("error", (error or {}).get("kind"))


def _socket_error_of_report(error: dict[str, Any] | None) -> tuple[Any, ...]:
    """As ``_error_of_report``, but a socket that timed out (the peer held the connection
    open and the answer waited) is told apart from other errors of no known kind."""
    error = error or {}
    if error.get("kind") is None and error.get("name") == "TimeoutError":
        return ("error", "TimeoutError")
    return ("error", error.get("kind"))


def _outcome_of_report(outcome: dict[str, Any]) -> tuple[Any, ...]:
    """One call of a socket case: its value, or the kind of error it raised."""
    if "error" in outcome:
        return _socket_error_of_report(outcome["error"])
    return ("value", _value_of_report(outcome.get("value")))


def answer_observation(
    payload: dict[str, Any], status: str, report: dict[str, Any] | None
) -> tuple[Any, ...] | None:
    """What the answer did on one case, or ``None`` when the case says nothing comparable
    (skipped, not run, a broken report, or the answer's cell failing to load)."""
    if status == "timeout":
        return TIMEOUT
    if status == "crashed":
        return ("crashed",)
    if status != "ok" or report is None:
        return None
    if is_cost_case(payload):
        return FINISHED
    if report.get("stage") == "load" and payload["driver"] != "object":
        return None
    driver = payload["driver"]
    if driver == "stream":
        calls = tuple(
            (
                tuple(_frame_of_report(f) for f in call["frames"]),
                call.get("buffer", {}).get("len") if "buffer" in call else None,
            )
            for call in report.get("calls", [])
        )
        if report.get("overflow"):
            end: tuple[Any, ...] = ("overflow",)
        elif report.get("error"):
            end = _error_of_report(report["error"])
        else:
            end = ("ok",)
        return ("stream", calls, end)
    if driver == "object":
        if report.get("stage") == "load":
            return ("object", (), ("construct", _error_of_report(report.get("error"))))
        ops = tuple(_value_of_report(value) for value in report.get("ops", []))
        end = _error_of_report(report["error"]) if report.get("error") else ("ok",)
        return ("object", ops, end)
    if driver == "call":
        if report.get("error"):
            return ("call", _error_of_report(report["error"]))
        return ("call", _value_of_report(report.get("value")))
    if driver == "recv":
        return ("recv", tuple(_outcome_of_report(call) for call in report["calls"]))
    if driver == "send":
        if report.get("error"):
            end = _socket_error_of_report(report["error"])
        else:
            end = ("value", _value_of_report(report.get("value")))
        return ("send", end, _frame_of_report(report["received"]))
    return None


# ---------------------------------------------------------------- the implementation's side


def _frame(value: Any) -> tuple[Any, ...]:
    kind = type(value)
    if kind not in (bytes, bytearray, memoryview):
        return ("foreign",)
    data = bytes(value)
    if len(data) <= _FULL:
        return (kind.__name__, data)
    return (kind.__name__, len(data), hashlib.sha256(data).hexdigest())


def _item(value: Any) -> tuple[Any, ...]:
    if type(value) is tuple:
        return ("tuple", len(value), tuple(_frame(part) for part in value[:8]))
    return _frame(value)


def _value(value: Any) -> tuple[Any, ...]:
    kind = type(value)
    if value is None:
        return ("none",)
    if kind is int:
        return ("int", repr(value))
    if kind in (list, tuple):
        return (kind.__name__, tuple(_item(item) for item in value))
    if kind in (bytes, bytearray, memoryview):
        return _frame(value)
    return ("foreign", kind.__name__)


def _error_kind(error: BaseException) -> tuple[Any, ...]:
    for name, cls in protocol.KNOWN_ERRORS:
        if isinstance(error, cls):
            return ("error", name)
    return ("error", None)


def _socket_error_kind(error: BaseException) -> tuple[Any, ...]:
    found = _error_kind(error)
    if found == ("error", None) and isinstance(error, TimeoutError):
        return ("error", "TimeoutError")
    return found


def simulate(
    implementation: Any, payload: dict[str, Any], slow: bool | frozenset[str] = False
) -> tuple[Any, ...]:
    """What ``implementation`` does on the case ``payload``, as an observation."""
    if is_cost_case(payload):
        return TIMEOUT if slow_on(slow, payload) else FINISHED
    driver = payload["driver"]
    try:
        if driver == "stream":
            return _simulate_stream(implementation, payload)
        if driver == "object":
            return _simulate_object(implementation, payload)
        if driver == "call":
            return _simulate_call(implementation, payload)
        if driver == "recv":
            return _simulate_recv(implementation, payload)
        if driver == "send":
            return _simulate_send(implementation, payload)
    except Stall:
        return TIMEOUT
    raise ValueError(f"no simulation for driver {driver!r}")


def _simulate_recv(sockets: Any, payload: dict[str, Any]) -> tuple[Any, ...]:
    """Call the implementation's function on a scripted peer, once per entry of ``calls``."""
    pieces = [protocol.materialise(piece) for piece in payload["pieces"]]
    sock = ScriptedPeer(pieces, payload.get("most"), payload.get("hold", False))
    function = getattr(sockets(), payload["function"])
    outcomes = []
    for args in payload["calls"]:
        try:
            outcomes.append(("value", _value(function(sock, *args))))
        except Stall:
            raise
        except Exception as error:
            outcomes.append(_socket_error_kind(error))
            break
    return ("recv", tuple(outcomes))


def _simulate_send(sockets: Any, payload: dict[str, Any]) -> tuple[Any, ...]:
    """``send_all`` through a stingy socket: how it ended, and what the peer received."""
    data = protocol.materialise(payload["data"])
    sock = StingySocket(payload["sizes"], len(data))
    try:
        end = ("value", _value(getattr(sockets(), payload["function"])(sock, data)))
    except Stall:
        raise
    except Exception as error:
        end = _socket_error_kind(error)
    return ("send", end, _frame(bytes(sock.received)))


def _simulate_call(function: Callable[..., Any], payload: dict[str, Any]) -> tuple[Any, ...]:
    args = [protocol.convert(protocol.materialise(a), payload.get("as", "bytes"))
            for a in payload["args"]]
    try:
        value = function(*args)
    except Stall:
        raise
    except Exception as error:
        return ("call", _error_kind(error))
    return ("call", _value(value))


class _Overflow(Exception):
    """handle was called more often than the stream has room for frames."""


def _simulate_stream(receiver: Any, payload: dict[str, Any]) -> tuple[Any, ...]:
    chunks = _chunks(payload)
    watch_buffer = bool(payload.get("buffer"))
    handed: list[Any] = []
    # The child stops a handle called more often than the stream has room for frames;
    # so does the simulation (an implementation can loop, as a signed-header reader does).
    room = protocol.frame_room(payload, chunks)
    count = [0]

    def handle(frame: Any) -> None:
        count[0] += 1
        if count[0] > room:
            raise _Overflow()
        handed.append(frame)

    instance = receiver(handle)
    calls = []
    end: tuple[Any, ...] = ("ok",)
    on_bytes = instance.on_bytes
    for chunk in chunks:
        try:
            on_bytes(chunk)
        except Stall:
            raise
        except _Overflow:
            calls.append((tuple(map(_frame, handed)), None))
            end = ("overflow",)
            break
        except Exception as error:
            calls.append((tuple(map(_frame, handed)), None))
            end = _error_kind(error)
            break
        calls.append((tuple(map(_frame, handed)), len(instance.buffer) if watch_buffer else None))
        handed.clear()
    return ("stream", tuple(calls), end)


def _chunks(payload: dict[str, Any]) -> list[Any]:
    """The chunks of a stream case, decoded once per case (every misconception gets them)."""
    cached = payload.get(_DECODED)
    if cached is None:
        as_type = payload.get("as", "bytes")
        cached = [protocol.convert(c, as_type) for c in protocol.chunks_of(payload)]
        if as_type == "bytes":
            payload[_DECODED] = cached
    return cached


#: Where a case remembers its decoded chunks (the child never sees this key: the case was
#: sent before the diagnosis runs).
_DECODED = "_diagnosis_chunks"


def _simulate_object(cls: Any, payload: dict[str, Any]) -> tuple[Any, ...]:
    try:
        instance = cls(**payload.get("kwargs", {}))
    except Stall:
        raise
    except Exception as error:
        return ("object", (), ("construct", _error_kind(error)))
    results = []
    for op in payload["ops"]:
        try:
            results.append(_value(_apply(instance, op)))
        except Stall:
            raise
        except Exception as error:
            return ("object", tuple(results), _error_kind(error))
    return ("object", tuple(results), ("ok",))


def _apply(instance: Any, op: Sequence[Any]) -> Any:
    action = op[0]
    if action == "feed":
        chunk = protocol.convert(protocol.materialise(op[1]), op[2])
        value = instance.feed(chunk)
        protocol.reuse(chunk, op[2])
        return value
    if action == "close":
        return instance.close()
    if action == "attr":
        return getattr(instance, op[1])
    raise ValueError(f"no simulation for operation {action!r}")


# ---------------------------------------------------------------- comparing


def _settled(observation: tuple[Any, ...]) -> tuple[Any, ...]:
    """Leave out the frames of a call that ran out of stack or of room for frames: how deep
    a recursion gets depends on the stack it started from, not on the mistake."""
    if observation[0] != "stream" or observation[2] not in (
        ("error", "RecursionError"), ("overflow",)
    ):
        return observation
    calls = observation[1]
    if not calls:
        return observation
    return ("stream", (*calls[:-1], (("deep",), None)), observation[2])


def same(answer: tuple[Any, ...], model: tuple[Any, ...]) -> bool:
    """Whether the answer did what the model did.

    Exact, except for the bytes a receiver holds: an answer may have read a whole
    header and keep only the payload's bytes (as the checks allow), so 4 fewer is the same.
    """
    answer, model = _settled(answer), _settled(model)
    if answer == model:
        return True
    if answer[0] != "stream" or model[0] != "stream" or answer[2] != model[2]:
        return False
    if len(answer[1]) != len(model[1]):
        return False
    for (frames, held), (want_frames, want_held) in zip(answer[1], model[1], strict=True):
        if frames != want_frames:
            return False
        if held != want_held and not (
            held is not None and want_held is not None and want_held >= 4
            and held == want_held - 4
        ):
            return False
    return True
