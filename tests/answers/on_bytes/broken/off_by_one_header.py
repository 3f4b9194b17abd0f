# expect-fail: all except frame_type, buffer_trimmed | diagnosis: payload_one_early
# Bug: the payload is taken from offset 3, so it starts with the header's last byte.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[:4], "big")
        if len(buffer) < 4 + length:
            break
        frame = bytes(buffer[3 : 3 + length])
        del buffer[: 4 + length]
        handle(frame)
