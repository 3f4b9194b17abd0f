# expect-fail: all | diagnosis: looks_before_appending
# Bug: looks for frames before adding the new chunk, so each frame arrives one call late.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[:4], "big")
        if len(buffer) < 4 + length:
            break
        frame = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        handle(frame)
    buffer.extend(chunk)
