# Helper functions and struct, with the header length kept in a constant.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
import struct

HEADER = struct.Struct(">I")
buffer = bytearray()


def _complete_frame_end(data):
    if len(data) < HEADER.size:
        return None
    (length,) = HEADER.unpack_from(data)
    end = HEADER.size + length
    return end if len(data) >= end else None


def _take(end):
    frame = bytes(buffer[HEADER.size : end])
    del buffer[:end]
    return frame


def on_bytes(chunk):
    buffer.extend(chunk)
    end = _complete_frame_end(buffer)
    while end is not None:
        handle(_take(end))
        end = _complete_frame_end(buffer)
