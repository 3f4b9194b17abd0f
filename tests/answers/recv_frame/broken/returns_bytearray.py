# expect-fail: recv_exactly_pieces, recv_frame_frames | diagnosis: returns_bytearray
"""Right bytes, wrong type: hands back its bytearray instead of bytes."""
import struct


def send_all(sock, data):
    view = memoryview(data)
    while view:
        view = view[sock.send(view):]


def recv_exactly(sock, n):
    received = bytearray()
    while len(received) < n:
        piece = sock.recv(n - len(received))
        if not piece:
            if not received:
                return b""
            raise EOFError(f"the stream ended after {len(received)} of {n} bytes")
        received += piece
    return received


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
