# expect-fail: linear_time | diagnosis: quadratic_copying
# Bug: right frames, but rebuilds an immutable bytes buffer on every call: one 16 MiB
# frame in 1460-byte chunks copies about 96 GB.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = b""


def on_bytes(chunk):
    global buffer
    buffer += chunk
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[:4], "big")
        if len(buffer) < 4 + length:
            return
        handle(buffer[4 : 4 + length])
        buffer = buffer[4 + length :]
