import struct

_HEADER = struct.Struct(">I")


def send_all(sock, data):
    with memoryview(data) as view:
        sent = 0
        while sent < len(view):
            sent += sock.send(view[sent:])


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
    (length,) = _HEADER.unpack(header)
    if length > max_frame_size:
        raise ValueError(f"header announces {length} bytes; max_frame_size is {max_frame_size}")
    payload = recv_exactly(sock, length)
    if len(payload) < length:
        raise EOFError(f"the stream ended after the header of a {length}-byte frame")
    return payload
