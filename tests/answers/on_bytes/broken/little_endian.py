# expect-fail: all | diagnosis: little_endian
# Bug: reads the header little-endian.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[:4], "little")
        if len(buffer) < 4 + length:
            break
        frame = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        handle(frame)
