"""Probes for answers that are classes (decoders), and how to judge them.

An object probe builds one instance of the learner's class and applies a list of
operations (``feed``, ``close``, reading ``buffered``); ``DecoderClass`` makes
them from plain cases (``Feeds``) with the expected results of a reference
algorithm. What each operation must give (``Expect``) stays here, in the
grader's process: the child is sent only the operations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from grader import settings
from grader.formatting import escape

from .base import Check, Failure, Probe, case_check
from .cuttings import Delivery
from .reports import describe_error, frame_content, frame_matches, is_bytes, type_label

__all__ = [
    "DecoderClass",
    "Expect",
    "Feeds",
    "Op",
    "REUSED",
    "object_probe",
]


@dataclass(frozen=True)
class Expect:
    """What one operation must give: frames, ``None``, an int, or an exception of a kind."""

    #: Frames, or messages as tuples of parts (``(type, body)``) for a task returning those.
    frames: tuple[bytes | tuple[bytes, ...], ...] | None = None
    none: bool = False
    integer: int | None = None
    #: Another integer that is right too (``buffered`` without a header already read).
    integer_or: int | None = None
    raises: str | None = None

    @staticmethod
    def of_frames(frames: Sequence[bytes]) -> Expect:
        return Expect(frames=tuple(frames))

    @staticmethod
    def of_pairs(messages: Sequence[tuple[bytes, bytes]]) -> Expect:
        """Messages returned as ``(type, body)`` tuples of bytes (lesson 7)."""
        return Expect(frames=tuple(tuple(message) for message in messages))

    @property
    def as_pairs(self) -> bool:
        return bool(self.frames) and isinstance(self.frames[0], tuple)


def _flat(frame: bytes | tuple[bytes, ...]) -> bytes:
    """A frame as one byte string (a message's parts joined), for pictures and text."""
    return b"".join(frame) if isinstance(frame, tuple) else frame


def _parts(item: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The parts of a reported tuple item, or ``None`` when it is not a tuple."""
    if item.get("foreign") or item.get("type") != "tuple":
        return None
    return item.get("items", [])


def _item_matches(item: dict[str, Any], want: bytes | tuple[bytes, ...]) -> bool:
    if isinstance(want, tuple):
        parts = _parts(item)
        return (parts is not None and item.get("len") == len(want)
                and all(map(frame_matches, parts, want)))
    return frame_matches(item, want)


def _item_parts(item: dict[str, Any]) -> list[tuple[str, bytes]] | None:
    """A reported tuple's parts as (type name, bytes) for the picture; ``None`` if no tuple."""
    parts = _parts(item)
    if parts is None:
        return None
    return [(type_label(part), frame_content(part) or b"") for part in parts]


def _item_content(item: dict[str, Any]) -> bytes:
    parts = _parts(item)
    if parts is not None:
        return b"".join(frame_content(part) or b"" for part in parts)
    return frame_content(item) or b""


#: A chunk type for ``Op``: a bytearray the caller overwrites once ``feed`` returns (as a
#: socket's ``recv_into`` reuses its buffer), so a decoder must copy what it keeps.
REUSED = "reused"


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
            if self.as_type == REUSED:
                return f"feed(bytearray({shown})) (a buffer the caller then overwrites)"
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
    parts = _parts(item)
    if parts is not None:
        return "(" + ", ".join(_show_item(part) for part in parts) + ")"
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

    def show(frame: bytes | tuple[bytes, ...]) -> str:
        if isinstance(frame, tuple):
            return "(" + ", ".join(show(part) for part in frame) + ")"
        return f"b'{escape(frame, 32)}'"

    shown = ", ".join(show(f) for f in frames[:8])
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
        if want.as_pairs:
            return got.get("type") == "list" and all(
                (parts := _parts(item)) is not None and len(parts) == 2
                and all(map(is_bytes, parts)) for item in items)
        return got.get("type") == "list" and all(is_bytes(item) for item in items)
    return len(items) == len(want.frames) and all(map(_item_matches, items, want.frames))


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
    delimiter: bytes = b"",
    framing: dict[str, Any] | None = None,
    timeout: float = settings.CASE_TIMEOUT_S,
    shrink: Callable[[], list[Probe]] | None = None,
    size: tuple[int, ...] | None = None,
) -> Probe:
    """Build ``class_name(**kwargs)``, apply ``ops``, and compare each result with ``expected``.

    ``aspect`` ``"values"`` compares frames by value; ``"types"`` only requires every
    returned frame list to be a ``list`` of exactly ``bytes``. ``expected`` may be
    shorter than ``ops``: the rest are run but not judged. ``framing`` (or else
    ``header_size``/``delimiter``) is how the failure's picture draws the stream.
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
        items = [item for value in report.get("ops", []) for item in (_items(value) or [])]
        wanted = [f for want in expected for f in (want.frames or ())]
        as_pairs = any(isinstance(f, tuple) for f in wanted) or bool(
            (framing or {}).get("message_parts"))
        return Failure(
            check,
            message,
            hint,
            chunks=chunks,
            expected=[_flat(f) for f in wanted],
            received=[_item_content(item) for item in items],
            received_types=[type_label(item) for item in items],
            header_size=header_size,
            delimiter=delimiter,
            error=error,
            framing=framing,
            expected_parts=[list(f) for f in wanted if isinstance(f, tuple)] if as_pairs else [],
            received_parts=[_item_parts(item) for item in items] if as_pairs else [],
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
    for index, want in enumerate(expected):
        if index < len(results):
            got = results[index]
            if want.raises:
                return (f"{_steps(construct, ops, index)}: should {_show_expected(want)}, "
                        f"but gave {_show_value(got)}", None)
            if not _check_value(want, got, aspect):
                if aspect == "types":
                    wanted = "(bytes, bytes) tuples" if want.as_pairs else "bytes"
                    return (f"{_steps(construct, ops, index)}: should return a list of "
                            f"{wanted}, but gave {_show_value(got)}", None)
                return (f"{_steps(construct, ops, index)}: should {_show_expected(want)}, "
                        f"but gave {_show_value(got)}", None)
            continue
        if error is None:
            return f"{_steps(construct, ops, index)}: no result was reported", None
        if want.raises and error.get("kind") == want.raises:
            return None, None
        return (f"{_steps(construct, ops, index)}: should {_show_expected(want)}, "
                f"but raised {describe_error(error)}", error)
    return None, None


def _steps(construct: str, ops: list[Op], index: int) -> str:
    """``construct then op1 then ...`` up to operation ``index``.

    Built only for the step that fails: describing every step as the loop passes it
    costs time quadratic in the number of operations (thousands in the cost checks).
    """
    return f"{construct} then " + " then ".join(op.describe() for op in ops[: index + 1])


@dataclass(frozen=True)
class Feeds:
    """One decoder case: ``chunks`` fed one by one, then the operations in ``then``.

    ``limit`` is passed to the constructor (``None``: its default); ``as_type`` is the
    type each chunk is fed as; ``watch`` names an attribute read before and after every
    feed. Given ``delivery`` (the source of ``chunks``), a failing case shrinks.
    """

    chunks: tuple[bytes, ...]
    limit: int | None = None
    then: tuple[Op, ...] = ()
    as_type: str = "bytes"
    watch: str = ""
    delivery: Delivery | None = None

    @staticmethod
    def of(case: Feeds | Sequence[bytes]) -> Feeds:
        """A case as given: ``Feeds`` as is, a plain chunk list as its feeds alone."""
        return case if isinstance(case, Feeds) else Feeds(tuple(case))

    def ops(self) -> list[Op]:
        watch = [Op("attr", name=self.watch)] if self.watch else []
        ops = list(watch)
        for chunk in self.chunks:
            ops += [Op("feed", chunk, self.as_type), *watch]
        return [*ops, *self.then]

    def simpler(self) -> list[Feeds]:
        """The same case on each simpler delivery (none without ``delivery``)."""
        if self.delivery is None:
            return []
        return [
            replace(self, chunks=tuple(smaller.chunks), delivery=smaller)
            for smaller in self.delivery.smaller()
        ]


Reference = Callable[[Sequence[Op], int], list[Expect]]


@dataclass(frozen=True)
class DecoderClass:
    """The class a task asks for: its name, its limit parameter and the right behaviour.

    ``reference(ops, limit)`` says what each operation must give; ``header_size``
    is the frame header the failure picture draws (0 for delimited lines, which
    give their ``delimiter`` instead). ``framing(limit)``, when given, describes the
    stream's framing for a case's limit instead (framinglib.visual's plain JSON).
    """

    name: str
    limit_name: str
    default_limit: int
    reference: Reference
    header_size: int = 4
    delimiter: bytes = b""
    framing: Callable[[int], dict[str, Any]] | None = None

    def probe(
        self,
        case: Feeds | Sequence[bytes],
        check: str,
        hint: str,
        *,
        aspect: str = "values",
        timeout: float = settings.CASE_TIMEOUT_S,
    ) -> Probe:
        """``case`` run on a fresh instance, judged against ``reference`` on ``aspect``."""
        case = Feeds.of(case)
        limit = self.default_limit if case.limit is None else case.limit
        kwargs = {} if case.limit is None else {self.limit_name: case.limit}
        ops = case.ops()
        shrink = None
        if case.delivery is not None:

            def shrink() -> list[Probe]:
                return [
                    self.probe(smaller, check, hint, aspect=aspect, timeout=timeout)
                    for smaller in case.simpler()
                ]

        return object_probe(
            self.name,
            ops,
            self.reference(ops, limit),
            check=check,
            hint=hint,
            kwargs=kwargs,
            aspect=aspect,
            header_size=self.header_size,
            delimiter=self.delimiter,
            framing=self.framing(limit) if self.framing is not None else None,
            timeout=timeout,
            shrink=shrink,
            size=case.delivery.size() if case.delivery is not None else None,
        )

    def check(
        self,
        name: str,
        points: float,
        summary: str,
        hint: str,
        cases: Callable[[str], Iterable[Feeds | Sequence[bytes]]],
        *,
        aspect: str = "values",
        timeout: float = settings.CASE_TIMEOUT_S,
    ) -> Check:
        """A check running each of ``cases(seed)`` on this class (see ``probe``)."""

        def probe(case: Feeds | Sequence[bytes], check: str, hint: str) -> Probe:
            return self.probe(case, check, hint, aspect=aspect, timeout=timeout)

        return case_check(name, points, summary, hint, cases, probe)
