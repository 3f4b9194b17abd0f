import struct


def read_header(header):
    try:
        (length,) = struct.unpack(">I", header)
    except struct.error as error:
        raise ValueError("not a 4-byte header") from error
    return length
