# expect-fail: header_range | diagnosis: signed_header
# Bug: unpacks the header with '>i' (signed), as C and Java ports do: a length with the top
# bit set comes out negative, so a 2 GiB announcement is "complete" at once.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
import struct

buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        (length,) = struct.unpack(">i", buffer[:4])
        if len(buffer) < 4 + length:
            break
        frame = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        handle(frame)
