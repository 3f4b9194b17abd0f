# expect-fail: recv_linear | diagnosis: recv_rebuilds_bytes
"""Right, but recv_exactly builds a new bytes per recv() (received = received + piece)."""


def send_all(sock, data):
    with memoryview(data) as view:
        sent = 0
        while sent < len(view):
            sent += sock.send(view[sent:])


def recv_exactly(sock, n):
    received = b""
    while len(received) < n:
        piece = sock.recv(n - len(received))
        if not piece:
            if not received:
                return b""
            raise EOFError(f"the stream ended after {len(received)} of {n} bytes")
        received = received + piece
    return received


def recv_frame(sock, max_frame_size=65536):
    header = recv_exactly(sock, 4)
    if not header:
        return None
    length = int.from_bytes(header, "big")
    if length > max_frame_size:
        raise ValueError(f"header announces {length} bytes")
    payload = recv_exactly(sock, length)
    if len(payload) < length:
        raise EOFError("the stream ended after a header")
    return payload
