# expect-fail: recv_exactly_pieces, recv_frame_frames, asks_only_what_it_needs, clean_close_vs_cut, recv_linear | diagnosis: short_recv_is_eof
"""recv_exactly is one recv() call: whatever it returns is taken as the n bytes."""
import struct


def send_all(sock, data):
    view = memoryview(data)
    while view:
        view = view[sock.send(view):]


def recv_exactly(sock, n):
    return sock.recv(n)


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
