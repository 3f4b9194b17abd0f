# expect-fail: byte_at_a_time, zero_length, random_streams, full_chunk | diagnosis: waits_past_header
# Bug: waits for more than 4 bytes (> instead of >=), so a frame with an empty payload that
# ends the buffer is never handed over until more bytes arrive.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) > 4:
        length = int.from_bytes(buffer[:4], "big")
        if len(buffer) < 4 + length:
            break
        frame = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        handle(frame)
