# expect-fail: coalesced, byte_at_a_time, zero_length, random_streams, full_chunk | diagnosis: drops_empty_frames
# Bug: treats an empty frame as nothing to report.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[:4], "big")
        if len(buffer) < 4 + length:
            break
        frame = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        if frame:
            handle(frame)
