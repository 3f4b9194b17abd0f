# expect-fail: fail_fast_cap, recv_linear | diagnosis: cap_exclusive
"""Refuses a frame of exactly max_frame_size bytes (>= where > was meant)."""
import struct


def send_all(sock, data):
    view = memoryview(data)
    offset = 0
    while offset < len(view):
        offset += sock.send(view[offset:])


def recv_exactly(sock, n):
    received = bytearray()
    while len(received) < n:
        piece = sock.recv(n - len(received))
        if not piece:
            if not received:
                return b""
            raise EOFError(f"the stream ended after {len(received)} of {n} bytes")
        received += piece
    return bytes(received)


def recv_frame(sock, max_frame_size=65536):
    header = recv_exactly(sock, 4)
    if not header:
        return None
    (length,) = struct.unpack(">I", header)
    if length >= max_frame_size:
        raise ValueError(f"header announces {length} bytes")
    payload = recv_exactly(sock, length)
    if len(payload) < length:
        raise EOFError("the stream ended after a header")
    return payload
