# expect-fail: big_endian, random_headers | diagnosis: signed_header
import struct


def read_header(header):
    if len(header) != 4:
        raise ValueError("a header is 4 bytes")
    return struct.unpack(">i", header)[0]
