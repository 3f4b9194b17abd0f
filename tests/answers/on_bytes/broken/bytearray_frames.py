# expect-fail: frame_type | diagnosis: bytearray_frames
# Bug: hands over bytearray slices instead of bytes.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[:4], "big")
        if len(buffer) < 4 + length:
            break
        frame = buffer[4 : 4 + length]
        del buffer[: 4 + length]
        handle(frame)
