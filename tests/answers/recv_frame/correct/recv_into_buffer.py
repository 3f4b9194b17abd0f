"""Reads into one preallocated buffer with recv_into; send_all tracks an offset."""
import struct


def send_all(sock, data):
    view = memoryview(data)
    offset = 0
    while offset < len(view):
        offset += sock.send(view[offset:])


def recv_exactly(sock, n):
    buffer = bytearray(n)
    view = memoryview(buffer)
    got = 0
    while got < n:
        count = sock.recv_into(view[got:], n - got)
        if count == 0:
            if got == 0:
                return b""
            raise EOFError(f"{got} of {n} bytes, then the end of the stream")
        got += count
    return bytes(buffer)


def recv_frame(sock, max_frame_size=65536):
    header = recv_exactly(sock, 4)
    if len(header) == 0:
        return None
    (length,) = struct.unpack(">I", header)
    if length > max_frame_size:
        raise ValueError(f"frame of {length} bytes refused (max {max_frame_size})")
    payload = recv_exactly(sock, length)
    if len(payload) != length:
        raise EOFError(f"the stream ended before the {length}-byte payload")
    return payload
