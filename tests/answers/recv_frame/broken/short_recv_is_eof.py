# expect-fail: recv_exactly_pieces, recv_frame_frames, asks_only_what_it_needs, recv_linear | diagnosis: short_recv_is_eof
"""One recv() per read: a short piece is taken for the end of the stream."""
import struct


def send_all(sock, data):
    view = memoryview(data)
    while view:
        view = view[sock.send(view):]


def recv_exactly(sock, n):
    if n == 0:
        return b""
    piece = sock.recv(n)
    if not piece:
        return b""
    if len(piece) < n:
        raise EOFError(f"the stream ended after {len(piece)} of {n} bytes")
    return piece


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
