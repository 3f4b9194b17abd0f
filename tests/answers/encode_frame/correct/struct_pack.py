import struct


def encode_frame(payload):
    return struct.pack(">I", len(payload)) + bytes(payload)
