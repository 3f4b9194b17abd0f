# expect-fail: linear_time | diagnosis: quadratic_copying
# An immutable bytes buffer, rebound with global on every call.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = b""


def on_bytes(chunk):
    global buffer
    buffer = buffer + chunk
    while len(buffer) >= 4:
        size = int.from_bytes(buffer[0:4], byteorder="big")
        if len(buffer) - 4 < size:
            return
        payload, buffer = buffer[4 : 4 + size], buffer[4 + size :]
        handle(payload)
