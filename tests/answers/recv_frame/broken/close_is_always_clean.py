# expect-fail: recv_exactly_pieces, clean_close_vs_cut | diagnosis: close_is_always_clean
"""At the end of the stream it returns what it has, so a cut frame looks like a clean end."""
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
            break
        received += piece
    return bytes(received)


def recv_frame(sock, max_frame_size=65536):
    header = recv_exactly(sock, 4)
    if len(header) < 4:
        return None
    (length,) = struct.unpack(">I", header)
    if length > max_frame_size:
        raise ValueError(f"header announces {length} bytes")
    payload = recv_exactly(sock, length)
    if len(payload) < length:
        return None
    return payload
