# expect-fail: frame_type | diagnosis: memoryview_frames
# Bug: zero-copy frames: hands handle a memoryview of an immutable copy, not bytes.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = b""


def on_bytes(chunk):
    global buffer
    buffer = bytes(buffer) + chunk
    start = 0
    while len(buffer) - start >= 4:
        end = start + 4 + int.from_bytes(buffer[start : start + 4], "big")
        if len(buffer) < end:
            break
        handle(memoryview(buffer)[start + 4 : end])
        start = end
    buffer = buffer[start:]
