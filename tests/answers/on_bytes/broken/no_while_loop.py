# expect-fail: all except byte_at_a_time, frame_type, linear_time | diagnosis: no_while_loop
# Bug: `if` instead of `while`, so at most one frame comes out per call.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    if len(buffer) >= 4:
        length = int.from_bytes(buffer[:4], "big")
        if len(buffer) >= 4 + length:
            frame = bytes(buffer[4 : 4 + length])
            del buffer[: 4 + length]
            handle(frame)
