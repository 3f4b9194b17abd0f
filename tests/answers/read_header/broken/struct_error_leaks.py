# expect-fail: wrong_length
import struct


def read_header(header):
    return struct.unpack(">I", header)[0]
