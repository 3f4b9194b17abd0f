"""A list of pieces joined once, a view that shrinks as send() accepts, int.from_bytes."""


def send_all(sock, data):
    rest = memoryview(data)
    while rest:
        accepted = sock.send(rest)
        rest = rest[accepted:]


def recv_exactly(sock, n):
    pieces = []
    missing = n
    while missing:
        piece = sock.recv(missing)
        if piece == b"":
            if missing == n:
                return b""
            raise EOFError(f"only {n - missing} of {n} bytes before the end of the stream")
        pieces.append(piece)
        missing -= len(piece)
    return b"".join(pieces)


def recv_frame(sock, max_frame_size=65536):
    header = recv_exactly(sock, 4)
    if header == b"":
        return None
    length = int.from_bytes(header, "big")
    if length > max_frame_size:
        raise ValueError(f"{length}-byte frame announced, the limit is {max_frame_size}")
    if length == 0:
        return b""
    payload = recv_exactly(sock, length)
    if payload == b"":
        raise EOFError("the stream ended between a header and its payload")
    return payload
