# expect-fail: large_payloads, header_range, linear_time | diagnosis: three_byte_length
# Bug: reads the length from the last 3 header bytes only, so any frame of 16 MiB or more
# (a header whose first byte is not 0) is taken for a short one.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[1:4], "big")
        if len(buffer) < 4 + length:
            break
        frame = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        handle(frame)
