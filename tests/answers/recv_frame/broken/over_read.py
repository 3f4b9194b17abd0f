# expect-fail: recv_frame_frames, asks_only_what_it_needs | diagnosis: over_read
"""Asks recv() for all n bytes every time, and drops whatever came beyond n."""
import struct


def send_all(sock, data):
    view = memoryview(data)
    while view:
        view = view[sock.send(view):]


def recv_exactly(sock, n):
    received = bytearray()
    while len(received) < n:
        piece = sock.recv(n)
        if not piece:
            if not received:
                return b""
            raise EOFError(f"the stream ended after {len(received)} of {n} bytes")
        received += piece
    return bytes(received[:n])


def recv_frame(sock, max_frame_size=65536):
    header = recv_exactly(sock, 4)
    if not header:
        return None
    (length,) = struct.unpack(">I", header)
    if length > max_frame_size:
        raise ValueError(f"header announces {length} bytes")
    payload = recv_exactly(sock, length)
    if len(payload) < length:
        raise EOFError("the stream ended after a header")
    return payload
