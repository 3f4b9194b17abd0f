# expect-fail: clean_close_vs_cut | diagnosis: eof_after_header_is_clean
"""Forgets that recv_exactly's b"" after a complete header means a frame cut short."""
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
    return bytes(received)


def recv_frame(sock, max_frame_size=65536):
    header = recv_exactly(sock, 4)
    if not header:
        return None
    (length,) = struct.unpack(">I", header)
    if length > max_frame_size:
        raise ValueError(f"header announces {length} bytes")
    return recv_exactly(sock, length)
