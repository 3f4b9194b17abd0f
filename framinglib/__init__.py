"""framinglib: get discrete messages back out of a byte stream.

What it owns: decoders for the framings real protocols use, the encoders that
go with them, the decision trace the course's pictures draw, and ways to cut a
stream into chunks as TCP may deliver it. The course's grader compares learners'
code with these decoders; nothing here knows of notebooks or grading.

Strategy: the core is sans-I/O (h11's and wsproto's shape): a decoder is fed
bytes and returns every frame they complete, keeps only the unfinished tail,
remembers how many bytes its next decision needs (so a trickle is appended, not
re-parsed), refuses an impossible or oversized length as soon as it is read,
and tells a clean end from a stream cut mid-frame in ``close``. Only
``framinglib.sockets`` and ``framinglib.aio`` do I/O, as thin adapters over the
core; ``framinglib.visual`` (the only part that imports ipywidgets) draws traces.

Where to change what:

- a framing: ``length_prefix`` (a header that is the length), ``length_field``
  (a length anywhere in a header, Netty's four numbers), ``varint`` (protobuf's
  delimited format), ``delimiter`` (a marker such as ``b"\\n"``), ``fixed``;
- what the length-based decoders share (copying held bytes, gathering a large
  frame as pieces joined once): ``_held``; header structs and byte order:
  ``_header``; what ``feed`` accepts: ``_bytes``; the exceptions: ``errors``;
- the decision trace behind the player and explorer: ``trace``;
- chunkings (every split, seeded random cuts): ``chunking``; the worked
  example: ``examples``;
- blocking sockets: ``sockets``; asyncio streams: ``aio``; pictures: ``visual``.
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
