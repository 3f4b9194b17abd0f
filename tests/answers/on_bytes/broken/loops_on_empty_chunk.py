# expect-fail: empty_chunk | diagnosis: waits_for_data
# Bug: waits for data inside on_bytes, so an empty chunk loops forever.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    while not chunk:
        pass
    buffer.extend(chunk)
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[:4], "big")
        if len(buffer) < 4 + length:
            break
        frame = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        handle(frame)
