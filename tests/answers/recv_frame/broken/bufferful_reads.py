# expect-fail: recv_frame_frames, asks_only_what_it_needs, clean_close_vs_cut, fail_fast_cap, recv_linear | diagnosis: over_read
"""Reads 4096 bytes at a time, as a server loop does, and keeps only the first n."""


def send_all(sock, data):
    view = memoryview(data)
    while view:
        view = view[sock.send(view):]


def recv_exactly(sock, n):
    received = b"".join(iter_pieces(sock, n))
    return received[:n]


def iter_pieces(sock, n):
    got = 0
    while got < n:
        piece = sock.recv(4096)
        if not piece:
            if got:
                raise EOFError(f"the stream ended after {got} of {n} bytes")
            return
        got += len(piece)
        yield piece


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
