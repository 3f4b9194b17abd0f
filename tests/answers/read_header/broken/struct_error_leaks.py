# expect-fail: wrong_length | diagnosis: struct_error_leaks
import struct


def read_header(header):
    return struct.unpack(">I", header)[0]
