"""The exceptions a decoder raises.

Every error is a :class:`FramingError`, so a caller that only wants to drop a
bad connection can catch one class; the subclasses carry the numbers that
explain what went wrong.
"""

from __future__ import annotations

__all__ = ["FrameLengthError", "FramingError", "FrameTooLargeError", "IncompleteFrameError"]


class FramingError(Exception):
    """The byte stream cannot be split into frames."""


class FrameTooLargeError(FramingError):
    """A frame is longer than the decoder's ``max_frame_size``.

    ``size`` is the size announced by a header (or, for a delimiter decoder,
    the number of bytes seen without a delimiter); ``max_frame_size`` is the
    limit that was exceeded. ``frames`` holds the frames that the same
    ``feed`` call completed before it met the oversized one, so none is lost.
    """

    def __init__(
        self, message: str, *, size: int, max_frame_size: int, frames: list[bytes] | None = None
    ) -> None:
        super().__init__(message)
        self.size = size
        self.max_frame_size = max_frame_size
        self.frames = frames if frames is not None else []


class IncompleteFrameError(FramingError):
    """The stream ended with part of a frame still buffered.

    ``partial`` holds the bytes that were buffered, so nothing is lost;
    ``expected`` is the total number of bytes the unfinished frame needs
    (header included) when that is known, else ``None``.
    """

    def __init__(self, message: str, *, partial: bytes, expected: int | None) -> None:
        super().__init__(message)
        self.partial = partial
        self.expected = expected


class FrameLengthError(FramingError):
    """A length field holds a value no frame can have.

    For a ``LengthFieldDecoder``: the frame would end before its own length
    field does, or hold fewer bytes than ``initial_bytes_to_strip``; for a
    ``VarintDecoder``: the varint runs on past the longest one allowed.
    ``value`` is what was read (the varint read so far), ``frame_size`` the
    frame's size on the wire it implies (``None`` when there is none);
    ``frames`` holds the frames completed before it in the same ``feed`` call.
    """

    def __init__(
        self, message: str, *, value: int, frame_size: int | None,
        frames: list[bytes] | None = None,
    ) -> None:
        super().__init__(message)
        self.value = value
        self.frame_size = frame_size
        self.frames = frames if frames is not None else []
