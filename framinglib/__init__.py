"""framinglib: get discrete messages back out of a byte stream.

The core is sans-I/O: decoders take bytes and return frames, and never touch
a socket. ``framinglib.sockets`` and ``framinglib.aio`` adapt it to blocking
sockets and to asyncio streams.
"""

from .chunking import all_splits, cuts_of, random_split, split_at, split_every
from .delimiter import DelimiterDecoder
from .errors import FrameLengthError, FrameTooLargeError, FramingError, IncompleteFrameError
from .examples import WORKED_EXAMPLE_CHUNKS, WORKED_EXAMPLE_MESSAGES, worked_example_stream
from .fixed import FixedSizeDecoder
from .length_field import LengthFieldDecoder
from .length_prefix import (
    DEFAULT_MAX_FRAME_SIZE,
    LengthPrefixDecoder,
    encode_header,
    encode_length_prefixed,
)
from .trace import (
    Decision,
    Step,
    TraceableDecoder,
    byte_roles,
    trace_delimited,
    trace_length_prefixed,
)
from .varint import VarintDecoder, encode_varint, encode_varint_delimited

__all__ = [
    "DEFAULT_MAX_FRAME_SIZE",
    "Decision",
    "DelimiterDecoder",
    "FixedSizeDecoder",
    "FrameLengthError",
    "FrameTooLargeError",
    "FramingError",
    "IncompleteFrameError",
    "LengthFieldDecoder",
    "LengthPrefixDecoder",
    "Step",
    "TraceableDecoder",
    "VarintDecoder",
    "WORKED_EXAMPLE_CHUNKS",
    "WORKED_EXAMPLE_MESSAGES",
    "all_splits",
    "byte_roles",
    "cuts_of",
    "encode_header",
    "encode_length_prefixed",
    "encode_varint",
    "encode_varint_delimited",
    "random_split",
    "split_at",
    "split_every",
    "trace_delimited",
    "trace_length_prefixed",
    "worked_example_stream",
]
