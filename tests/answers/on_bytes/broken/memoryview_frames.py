# expect-fail: frame_type | diagnosis: memoryview_frames
# Bug: "zero-copy" frames: hands handle a memoryview over a copy of the payload, not bytes.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        end = 4 + int.from_bytes(buffer[:4], "big")
        if len(buffer) < end:
            break
        frame = memoryview(bytes(buffer[4:end]))
        del buffer[:end]
        handle(frame)
