"""The misconception library, one module per lesson's tasks (see ``..misconception``)."""

from __future__ import annotations

from ..misconception import Misconception
from .backend_reader import BACKEND_READER
from .decoders import FRAME_DECODER, SAFE_DECODER
from .lesson02 import ENCODE, READ
from .line_decoder import LINE_DECODER
from .on_bytes import MISCONCEPTIONS as ON_BYTES
from .recv_frame import RECV_FRAME

__all__ = ["MISCONCEPTIONS", "misconceptions_for"]

#: Task name -> its misconceptions, most specific first (the first exact match wins).
MISCONCEPTIONS: dict[str, tuple[Misconception, ...]] = {
    "encode_frame": ENCODE,
    "read_header": READ,
    "on_bytes": ON_BYTES,
    "LineDecoder": LINE_DECODER,
    "SafeDecoder": SAFE_DECODER,
    "FrameDecoder": FRAME_DECODER,
    "recv_frame": RECV_FRAME,
    "BackendReader": BACKEND_READER,
}


def misconceptions_for(task: str) -> tuple[Misconception, ...]:
    """The misconceptions known for ``task`` (none for an unknown task)."""
    return MISCONCEPTIONS.get(task, ())
