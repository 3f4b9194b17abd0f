# expect-fail: recv_frame_frames, asks_only_what_it_needs, clean_close_vs_cut, fail_fast_cap, recv_linear | diagnosis: clean_end_is_empty
"""At a clean end recv_frame passes on recv_exactly's b"" instead of returning None."""


def send_all(sock, data):
    rest = memoryview(data)
    while rest:
        rest = rest[sock.send(rest):]


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
        return header
    length = int.from_bytes(header, "big")
    if length > max_frame_size:
        raise ValueError(f"{length}-byte frame announced, the limit is {max_frame_size}")
    payload = recv_exactly(sock, length)
    if len(payload) < length:
        raise EOFError("the stream ended between a header and its payload")
    return payload
