# expect-fail: full_chunk | diagnosis: recursive_drain
# Bug: hands over one frame and calls itself for the rest, so a chunk with thousands of
# frames (one full recv) runs out of stack.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    if len(buffer) < 4:
        return
    length = int.from_bytes(buffer[:4], "big")
    if len(buffer) < 4 + length:
        return
    frame = bytes(buffer[4 : 4 + length])
    del buffer[: 4 + length]
    handle(frame)
    on_bytes(b"")
