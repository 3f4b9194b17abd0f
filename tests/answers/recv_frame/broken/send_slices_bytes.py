# expect-fail: send_all_linear | diagnosis: send_copies_the_rest
"""Right, but send_all slices bytes (data = data[sent:]): a copy of the rest per send()."""
import struct


def send_all(sock, data):
    data = bytes(data)
    while data:
        data = data[sock.send(data):]


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
    payload = recv_exactly(sock, length)
    if len(payload) < length:
        raise EOFError("the stream ended after a header")
    return payload
