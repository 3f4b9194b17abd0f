# expect-fail: header_splits, byte_at_a_time, large_payloads, buffer_trimmed, random_streams, header_range, linear_time | diagnosis: last_header_byte
# Bug: reads only the last header byte, so lengths of 256 and more come out wrong.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        length = buffer[3]
        if len(buffer) < 4 + length:
            break
        frame = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        handle(frame)
