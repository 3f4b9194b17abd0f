"""The wire formats the pictures can draw: length headers (lessons 2, 3, 5, 6), delimiters (4)
and length fields inside a real protocol's header (7).

A ``Framing`` knows how messages are written on the wire, which reference
decoder reads them, how to trace that decoder (``framinglib.trace``:
``trace_length_prefixed`` for length headers, ``trace_delimited`` for
delimiters, both read off the real decoder), and where frames sit in a
stretch of the stream (``FrameLayout``). The widgets and the HTML take one of
these, so the same player and explorer serve every lesson.

``LengthField`` is configured as ``LengthFieldDecoder`` is, and asks a real one
for everything: its trace, its frames' sizes, where frames sit. When a task
hands messages back as tuples (lesson 7's ``(type, body)``), ``message_parts``
names the two parts and ``message`` cuts a frame into them.

Every framing has a plain JSON ``description()`` and ``framing_from_description``
builds it back: the grader stores a failure's framing that way, so a failure's
picture is drawn in the framing of its own stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from framinglib._bytes import BytesLike, as_bytes
from framinglib.delimiter import DelimiterDecoder
from framinglib.length_field import LengthFieldDecoder
from framinglib.length_prefix import (
    DEFAULT_MAX_FRAME_SIZE,
    LengthPrefixDecoder,
    encode_length_prefixed,
)
from framinglib.trace import (
    Decision,
    Step,
    TraceableDecoder,
    trace_delimited,
    trace_length_prefixed,
)

from ._compare import Message
from ._layout import ByteOrder, FieldShape, FrameLayout, emitted_frame_starts

__all__ = [
    "Delimited",
    "Framing",
    "LengthField",
    "LengthPrefixed",
    "Message",
    "framing_from_description",
    "framing_of",
]



@dataclass(frozen=True)
class LengthPrefixed:
    """Frames behind a ``header_size``-byte length header in ``byteorder``.

    ``frame_size`` and ``strip`` describe a header that is more than the
    payload's length (a ``LengthFieldDecoder``'s, as its trace steps carry
    them): ``frame_size(header)`` is a frame's size on the wire and each
    emitted frame lacks its first ``strip`` bytes. Without them the header is
    the payload's length and is stripped.
    """

    header_size: int = 1
    byteorder: ByteOrder = "big"
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE
    frame_size: Callable[[bytes], int] | None = field(default=None, compare=False, repr=False)
    strip: int | None = None

    def __post_init__(self) -> None:
        # Any size can be drawn (the grader's pictures may show odd ones); the reference
        # decoder checks the sizes it supports when it is made.
        if isinstance(self.header_size, bool) or not isinstance(self.header_size, int) or (
                self.header_size < 1):
            raise ValueError(f"header_size must be a whole number of bytes >= 1, not "
                             f"{self.header_size!r}")
        if self.byteorder not in ("big", "little"):
            raise ValueError(f"byteorder must be 'big' or 'little', not {self.byteorder!r}")

    @property
    def overhead(self) -> int:
        """Bytes a frame costs beyond its payload."""
        return self.header_size

    def sized_as(self, step: Step) -> LengthPrefixed:
        """This framing with the frame sizing ``step`` carries, if it carries one."""
        if step.frame_size is None or self.frame_size is not None:
            return self
        return replace(self, header_size=step.header_size, frame_size=step.frame_size,
                       strip=step.header_size if step.strip is None else step.strip)

    def payload_length(self, header: bytes) -> int:
        """The bytes after a whole ``header`` that belong to its frame."""
        if self.frame_size is None:
            return int.from_bytes(header[: self.header_size], self.byteorder)
        return self.frame_size(header) - self.header_size

    def describe(self) -> str:
        order = "" if self.header_size == 1 else f" {self.byteorder}-endian"
        return f"{self.header_size}-byte{order} length headers"

    def encode(self, messages: Sequence[bytes]) -> bytes:
        return b"".join(encode_length_prefixed(m, self.header_size, self.byteorder)
                        for m in messages)

    def reference(self) -> LengthPrefixDecoder:
        return LengthPrefixDecoder(self.header_size, self.byteorder, self.max_frame_size)

    def trace(self, chunks: Iterable[BytesLike], decoder: TraceableDecoder | None = None
              ) -> list[Step]:
        return trace_length_prefixed(chunks, self.header_size, self.byteorder,
                                     self.max_frame_size, decoder=decoder)

    def message(self, frame: bytes) -> Message:
        """The message a task hands back for ``frame``: the frame itself."""
        return frame

    def description(self) -> dict[str, object]:
        """This framing as plain JSON (a decoder's own frame sizing is not kept)."""
        return {"kind": "length_prefix", "header_size": self.header_size,
                "byteorder": self.byteorder, "max_frame_size": self.max_frame_size}

    def layout(self, data: bytes, origin: int = 0, emitted: Sequence[bytes] = ()
               ) -> FrameLayout:
        """Where frames sit in ``data`` (stream offset ``origin``) after ``emitted`` frames."""
        lost = self.header_size if self.strip is None else self.strip
        return FrameLayout.of_stream(data, self.header_size, self.byteorder, origin=origin,
                                     first_starts=emitted_frame_starts(emitted, lost),
                                     frame_size=self.frame_size)


@dataclass(frozen=True)
class Delimited:
    """Frames that each end with ``delimiter`` (``max_frame_size`` bounds a frame without it)."""

    delimiter: bytes = b"\n"
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE

    def __post_init__(self) -> None:
        object.__setattr__(self, "delimiter", as_bytes(self.delimiter))
        DelimiterDecoder(self.delimiter, self.max_frame_size)  # validates

    @property
    def overhead(self) -> int:
        return len(self.delimiter)

    @property
    def header_size(self) -> int:
        """What a ``Step`` of this framing carries as ``header_size``: the delimiter's length."""
        return len(self.delimiter)

    @property
    def byteorder(self) -> ByteOrder:
        """Unused by delimiters; there so every framing answers the same questions."""
        return "big"

    def describe(self) -> str:
        return f"frames ending in {self.delimiter!r}"

    def encode(self, messages: Sequence[bytes]) -> bytes:
        for number, message in enumerate(messages, 1):
            if self.delimiter in message:
                raise ValueError(f"message {number} contains the delimiter {self.delimiter!r}")
        return b"".join(m + self.delimiter for m in messages)

    def reference(self) -> DelimiterDecoder:
        return DelimiterDecoder(self.delimiter, self.max_frame_size)

    def message(self, frame: bytes) -> Message:
        return frame

    def description(self) -> dict[str, object]:
        return {"kind": "delimited", "delimiter": self.delimiter.hex(),
                "max_frame_size": self.max_frame_size}

    def trace(self, chunks: Iterable[BytesLike], decoder: TraceableDecoder | None = None
              ) -> list[Step]:
        return trace_delimited(chunks, self.delimiter, self.max_frame_size, decoder=decoder)

    def layout(self, data: bytes, origin: int = 0, emitted: Sequence[bytes] = ()
               ) -> FrameLayout:
        return FrameLayout.of_delimited(data, self.delimiter, origin=origin,
                                        first_frames=emitted)


def _describe_length(size: int, byteorder: str, adjustment: int, offset: int) -> str:
    """What a length field of ``size`` bytes counts, in words."""
    order = "" if size == 1 else f" {byteorder}-endian"
    field = f"a {size}-byte{order} length"
    if adjustment == 0:
        return f"{field} of what follows it"
    if adjustment == -size:
        return f"{field} that counts itself"
    if adjustment == -(offset + size):
        return f"{field} that counts the whole frame"
    if adjustment > 0:
        return f"{field} of what follows it, less {adjustment:,}"
    return f"{field} that counts {-adjustment:,} bytes before its end too"


@dataclass(frozen=True)
class LengthField:
    """Frames with a length field inside their header, configured as ``LengthFieldDecoder``.

    The numbers are Netty's, as the decoder takes them. ``leading`` names the
    header bytes before the length field in the pictures (``"type"`` for
    PostgreSQL's type byte). ``message_parts`` (two names, e.g. ``("type",
    "body")``) says a task hands each frame back as a pair: the bytes before the
    length field, and those after it; it needs ``initial_bytes_to_strip=0``, so
    that frames keep what the first part is made of.
    """

    length_field_offset: int = 0
    length_field_size: int = 4
    length_adjustment: int = 0
    initial_bytes_to_strip: int = 0
    byteorder: ByteOrder = "big"
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE
    leading: str = "header"
    message_parts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "message_parts", tuple(self.message_parts))
        self.reference()  # the decoder's own checks, with its own messages
        if not isinstance(self.leading, str) or not self.leading:
            raise ValueError(f"leading must be a non-empty name, not {self.leading!r}")
        if self.message_parts:
            if len(self.message_parts) != 2 or not all(
                    isinstance(name, str) and name for name in self.message_parts):
                raise ValueError("message_parts must be two names (the bytes before the "
                                 f"length field, the bytes after it), not {self.message_parts!r}")
            if self.initial_bytes_to_strip:
                raise ValueError("message_parts needs initial_bytes_to_strip=0: a stripped "
                                 "frame has lost the bytes its first part is made of")

    @property
    def header_size(self) -> int:
        """The bytes a frame's size depends on: up to the end of the length field."""
        return self.length_field_offset + self.length_field_size

    @property
    def overhead(self) -> int:
        """The fewest bytes a frame takes on the wire (as a header's size is for a prefix)."""
        fixed = self.header_size + self.length_adjustment
        return fixed + max(0, -self.length_adjustment, self.initial_bytes_to_strip - fixed)

    def _shape(self) -> FieldShape:
        return FieldShape(self.length_field_offset, self.length_field_size,
                          self.length_adjustment, self.leading)

    def payload_length(self, header: bytes) -> int:
        """The bytes after a whole ``header`` (to the field's end) that belong to its frame."""
        return self.reference().frame_size(header) - self.header_size

    def describe(self) -> str:
        before = (f"{self.length_field_offset:,}-byte {self.leading}, then "
                  if self.length_field_offset else "")
        text = before + _describe_length(self.length_field_size, self.byteorder,
                                         self.length_adjustment, self.length_field_offset)
        if self.initial_bytes_to_strip:
            text += f"; the first {self.initial_bytes_to_strip:,} bytes stripped"
        return text

    def encode(self, messages: Sequence[bytes]) -> bytes:
        """Whole frames as they are on the wire (only a framing that strips nothing has them)."""
        if self.initial_bytes_to_strip:
            raise ValueError("frames stripped of their first bytes cannot be put back on the "
                             "wire: the stripped header is gone")
        decoder = self.reference()
        for number, frame in enumerate(messages, 1):
            frame = as_bytes(frame)
            if len(frame) < self.header_size or decoder.frame_size(frame) != len(frame):
                raise ValueError(f"frame {number} is not a whole frame: its length field "
                                 "does not give its own size")
        return b"".join(as_bytes(m) for m in messages)

    def reference(self) -> LengthFieldDecoder:
        return LengthFieldDecoder(self.length_field_offset, self.length_field_size,
                                  self.length_adjustment, self.initial_bytes_to_strip,
                                  self.byteorder, self.max_frame_size)

    def trace(self, chunks: Iterable[BytesLike], decoder: TraceableDecoder | None = None
              ) -> list[Step]:
        return trace_length_prefixed(chunks, self.header_size, self.byteorder,
                                     self.max_frame_size,
                                     decoder=self.reference() if decoder is None else decoder)

    def sized_as(self, step: Step) -> LengthField:
        """Already sized by its own decoder."""
        return self

    def message(self, frame: bytes) -> Message:
        """``frame`` as the task hands it back: a pair with ``message_parts``, else itself."""
        if not self.message_parts:
            return frame
        return (frame[: self.length_field_offset], frame[self.header_size :])

    def description(self) -> dict[str, object]:
        return {"kind": "length_field", "length_field_offset": self.length_field_offset,
                "length_field_size": self.length_field_size,
                "length_adjustment": self.length_adjustment,
                "initial_bytes_to_strip": self.initial_bytes_to_strip,
                "byteorder": self.byteorder, "max_frame_size": self.max_frame_size,
                "leading": self.leading, "message_parts": list(self.message_parts)}

    def layout(self, data: bytes, origin: int = 0, emitted: Sequence[bytes] = ()
               ) -> FrameLayout:
        """Where frames sit in ``data`` (stream offset ``origin``) after ``emitted`` frames."""
        return FrameLayout.of_stream(
            data, self.header_size, self.byteorder, origin=origin,
            first_starts=emitted_frame_starts(emitted, self.initial_bytes_to_strip),
            frame_size=self.reference().frame_size, field=self._shape())


Framing = LengthPrefixed | Delimited | LengthField

_KINDS = {"length_prefix": LengthPrefixed, "delimited": Delimited, "length_field": LengthField}
_FIELDS = {
    "length_prefix": {"header_size", "byteorder", "max_frame_size"},
    "delimited": {"delimiter", "max_frame_size"},
    "length_field": {"length_field_offset", "length_field_size", "length_adjustment",
                     "initial_bytes_to_strip", "byteorder", "max_frame_size", "leading",
                     "message_parts"},
}


def framing_from_description(description: Mapping[str, object]) -> Framing:
    """The framing a ``description()`` describes (plain JSON, as the grader stores it).

    Raises ``ValueError`` naming what is wrong: an unknown ``kind``, a key the
    kind does not take, a delimiter that is not hex, or a value the framing refuses.
    """
    if not isinstance(description, Mapping):
        raise ValueError(f"a framing description is a mapping, not {type(description).__name__}")
    kind = description.get("kind")
    if kind not in _KINDS:
        raise ValueError(f"unknown framing kind {kind!r}: expected one of "
                         f"{', '.join(sorted(_KINDS))}")
    settings = {key: value for key, value in description.items() if key != "kind"}
    unknown = sorted(set(settings) - _FIELDS[kind])
    if unknown:
        raise ValueError(f"a {kind} framing takes no {', '.join(map(str, unknown))}")
    if kind == "delimited":
        try:
            settings["delimiter"] = bytes.fromhex(str(settings.get("delimiter", "0a")))
        except ValueError:
            raise ValueError(f"a delimited framing's delimiter is hex text, not "
                             f"{settings.get('delimiter')!r}") from None
    if "message_parts" in settings:
        parts = settings["message_parts"]
        if not isinstance(parts, list | tuple):
            raise ValueError(f"message_parts is a list of two names, not {parts!r}")
        settings["message_parts"] = tuple(parts)
    try:
        return _KINDS[kind](**settings)  # type: ignore[arg-type]
    except TypeError as error:
        raise ValueError(f"a {kind} framing cannot be made from {dict(settings)!r}: {error}"
                         ) from None


def framing_of(
    header_size: int = 1,
    byteorder: ByteOrder = "big",
    delimiter: BytesLike | None = None,
    max_frame_size: int | None = None,
) -> Framing:
    """The framing the widgets' keyword arguments describe (a delimiter wins over headers)."""
    limit = DEFAULT_MAX_FRAME_SIZE if max_frame_size is None else max_frame_size
    if delimiter is not None:
        return Delimited(as_bytes(delimiter), limit)
    return LengthPrefixed(header_size, byteorder, limit)


def decision_label(step: Step, framing: Framing) -> str:
    """The badge a step's decision gets, in the words of its framing."""
    if isinstance(framing, Delimited) and step.decision is Decision.WAIT_PAYLOAD:
        return "waiting for a delimiter"
    return step.decision.value
