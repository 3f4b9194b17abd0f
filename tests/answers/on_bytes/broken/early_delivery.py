# expect-fail: all except header_splits, coalesced, frame_type, full_chunk | diagnosis: early_delivery
# Bug: hands over a frame as soon as its header is in, before all of its payload arrived.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[:4], "big")
        frame = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        handle(frame)
