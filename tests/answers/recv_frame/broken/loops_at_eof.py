# expect-fail: all except send_all_partial, send_all_linear | diagnosis: never_sees_the_end
"""recv_exactly adds whatever recv() returns and never asks whether it was b""."""
import struct


def send_all(sock, data):
    view = memoryview(data)
    while view:
        view = view[sock.send(view):]


def recv_exactly(sock, n):
    received = bytearray()
    while len(received) < n:
        received.extend(sock.recv(n - len(received)))
    return bytes(received)


def recv_frame(sock, max_frame_size=65536):
    header = recv_exactly(sock, 4)
    if not header:
        return None
    (length,) = struct.unpack(">I", header)
    if length > max_frame_size:
        raise ValueError(f"header announces {length} bytes")
    return recv_exactly(sock, length)
