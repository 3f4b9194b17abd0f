# expect-fail: all except wrong_length | diagnosis: returns_tuple
import struct


def read_header(header):
    if len(header) != 4:
        raise ValueError("a header is 4 bytes")
    return struct.unpack(">I", header)
