"""Probes for answers that are classes (decoders) or plain functions, and how to judge them.

An object probe builds one instance of the learner's class and applies a list of
operations (``feed``, ``close``, reading ``buffered``); a call probe calls a
function once. What each operation must give (``Expect``) stays here, in the
grader's process: the child is sent only the operations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .base import CASE_TIMEOUT, Failure, Probe, describe_error
from .streams import escape, frame_content, frame_matches, is_bytes, type_label

__all__ = ["Expect", "Op", "call_probe", "chunk_shrinker", "object_probe"]


@dataclass(frozen=True)
class Expect:
    """What one operation must give: frames, ``None``, an int, or an exception of a kind."""

    frames: tuple[bytes, ...] | None = None
    none: bool = False
    integer: int | None = None
    #: Another integer that is right too (``buffered`` without a header already read).
    integer_or: int | None = None
    raises: str | None = None

    @staticmethod
    def of_frames(frames: Sequence[bytes]) -> Expect:
        return Expect(frames=tuple(frames))


@dataclass(frozen=True)
class Op:
    """One operation on the instance: ``feed`` (with the chunk's type), ``close`` or ``attr``."""

    action: str
    data: bytes = b""
    as_type: str = "bytes"
    name: str = ""

    def payload(self) -> list[Any]:
        if self.action == "feed":
            return ["feed", self.data.hex(), self.as_type]
        if self.action == "attr":
            return ["attr", self.name]
        return [self.action]

    def describe(self) -> str:
        if self.action == "feed":
            shown = f"b'{escape(self.data, 24)}'"
            return f"feed({shown})" if self.as_type == "bytes" else f"feed({self.as_type}({shown}))"
        if self.action == "attr":
            return f".{self.name}"
        return f"{self.action}()"


def _show_value(value: dict[str, Any]) -> str:
    kind = value.get("type", "?")
    if value.get("foreign"):
        return f"an object of class {kind!r}"
    if kind in ("list", "tuple"):
        items = ", ".join(_show_item(item) for item in value.get("items", [])[:8])
        more = ", ..." if len(value.get("items", [])) > 8 else ""
        return f"[{items}{more}]" if kind == "list" else f"({items}{more})"
    if kind == "int":
        return value.get("int", "?")
    if kind == "NoneType":
        return "None"
    return _show_item(value)


def _show_item(item: dict[str, Any]) -> str:
    if item.get("foreign"):
        return f"<{item.get('type', '?')} object>"
    content = frame_content(item)
    if content is None:
        return f"<{item.get('len', '?')}-byte {item.get('type', '?')}>"
    shown = f"b'{escape(content, 32)}'"
    return shown if item.get("type") == "bytes" else f"{item.get('type')}({shown})"


def _show_expected(want: Expect) -> str:
    if want.raises:
        return f"raise {want.raises}"
    if want.none:
        return "return None"
    if want.integer is not None:
        return f"be {want.integer}"
    frames = want.frames or ()
    shown = ", ".join(f"b'{escape(f, 32)}'" for f in frames[:8])
    return f"return [{shown}{', ...' if len(frames) > 8 else ''}]"


def _items(value: dict[str, Any]) -> list[dict[str, Any]] | None:
    if value.get("foreign") or value.get("type") not in ("list", "tuple"):
        return None
    return value.get("items", [])


def _check_value(want: Expect, got: dict[str, Any], aspect: str) -> bool:
    if want.none:
        return got.get("type") == "NoneType" and not got.get("foreign")
    if want.integer is not None:
        allowed = {str(want.integer), str(want.integer_or)}
        return got.get("type") == "int" and not got.get("foreign") and got.get("int") in allowed
    items = _items(got)
    if items is None or want.frames is None:
        return False
    if aspect == "types":
        return got.get("type") == "list" and all(is_bytes(item) for item in items)
    return len(items) == len(want.frames) and all(map(frame_matches, items, want.frames))


def object_probe(
    class_name: str,
    ops: Sequence[Op],
    expected: Sequence[Expect],
    *,
    check: str,
    hint: str,
    kwargs: dict[str, Any] | None = None,
    aspect: str = "values",
    header_size: int = 4,
    timeout: float = CASE_TIMEOUT,
    shrink: Callable[[], list[Probe]] | None = None,
    size: tuple[int, ...] | None = None,
) -> Probe:
    """Build ``class_name(**kwargs)``, apply ``ops``, and compare each result with ``expected``.

    ``aspect`` ``"values"`` compares frames by value; ``"types"`` only requires every
    returned frame list to be a ``list`` of exactly ``bytes``. ``expected`` may be
    shorter than ``ops``: the rest are run but not judged.
    """
    ops = list(ops)
    expected = list(expected)
    kwargs = kwargs or {}
    construct = f"{class_name}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
    chunks = [op.data for op in ops if op.action == "feed"]

    def judge(report: dict[str, Any]) -> Failure | None:
        message, error = _judge_ops(report, ops, expected, construct, aspect)
        if message is None:
            return None
        received = [
            frame_content(item) or b""
            for value in report.get("ops", [])
            for item in (_items(value) or [])
        ]
        return Failure(
            check,
            message,
            hint,
            chunks=chunks,
            expected=[f for want in expected for f in (want.frames or ())],
            received=received,
            received_types=[
                type_label(item)
                for value in report.get("ops", [])
                for item in (_items(value) or [])
            ],
            header_size=header_size,
            error=error,
        )

    payload = {
        "driver": "object",
        "class": class_name,
        "kwargs": kwargs,
        "ops": [op.payload() for op in ops],
    }
    measure = size if size is not None else (len(ops), sum(len(c) for c in chunks))
    return Probe(payload, judge, measure, timeout, shrink)


def _judge_ops(
    report: dict[str, Any], ops: list[Op], expected: list[Expect], construct: str, aspect: str
) -> tuple[str | None, dict[str, Any] | None]:
    error = report.get("error")
    results = report.get("ops", [])
    if report.get("stage") == "load":
        return f"{construct} raised {describe_error(error or {})}", error
    steps = f"after {construct}" if not ops else ""
    for index, want in enumerate(expected):
        so_far = " then ".join(op.describe() for op in ops[: index + 1])
        steps = f"{construct} then {so_far}"
        if index < len(results):
            got = results[index]
            if want.raises:
                return f"{steps}: should {_show_expected(want)}, but gave {_show_value(got)}", None
            if not _check_value(want, got, aspect):
                if aspect == "types":
                    return (
                        f"{steps}: should return a list of bytes, but gave {_show_value(got)}",
                        None,
                    )
                return (
                    f"{steps}: should {_show_expected(want)}, but gave {_show_value(got)}",
                    None,
                )
            continue
        if error is None:
            return f"{steps}: no result was reported", None
        if want.raises and error.get("kind") == want.raises:
            return None, None
        return f"{steps}: should {_show_expected(want)}, but raised {describe_error(error)}", error
    return None, None


def call_probe(
    function: str,
    args: Sequence[bytes],
    check_value: Callable[[dict[str, Any] | None, dict[str, Any] | None], str | None],
    *,
    check: str,
    hint: str,
    timeout: float = CASE_TIMEOUT,
) -> Probe:
    """Call ``function(*args)`` once; ``check_value(value, error)`` says what is wrong, or None."""
    shown = ", ".join(f"b'{escape(a, 24)}'" for a in args)

    def judge(report: dict[str, Any]) -> Failure | None:
        error = report.get("error")
        if report.get("stage") == "load":
            return Failure(
                check,
                f"Running your cell raised {describe_error(error or {})}",
                hint,
                error=error,
                header_size=0,
            )
        problem = check_value(report.get("value"), error)
        if problem is None:
            return None
        return Failure(
            check,
            f"{function}({shown}) {problem}",
            hint,
            header_size=0,
            error=error if problem.startswith("raised") else None,
        )

    payload = {"driver": "call", "function": function, "args": [a.hex() for a in args]}
    return Probe(payload, judge, (sum(map(len, args)),), timeout)


def chunk_shrinker(
    chunks: Sequence[bytes], make: Callable[[list[bytes]], Probe]
) -> Callable[[], list[Probe]]:
    """Simpler variants of a chunk list: a chunk dropped, two merged, a chunk cut shorter."""

    def shrink() -> list[Probe]:
        variants: list[list[bytes]] = []
        items = list(chunks)
        for index in range(len(items)):
            variants.append(items[:index] + items[index + 1 :])
        for index in range(len(items) - 1):
            variants.append(items[:index] + [items[index] + items[index + 1]] + items[index + 2 :])
        for index, chunk in enumerate(items):
            step = len(chunk) // 2
            while step:
                variants.append(items[:index] + [chunk[: len(chunk) - step]] + items[index + 1 :])
                step //= 2
        return [make([c for c in variant if c]) for variant in variants if any(variant)]

    return shrink
