# expect-fail: header_range, linear_time | diagnosis: length_limit
# Bug: ported from Twisted's IntNStringReceiver, MAX_LENGTH and all: a frame over 99,999
# bytes wipes the buffer (Twisted disconnects), though on_bytes has no length limit.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()
MAX_LENGTH = 99_999


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[:4], "big")
        if length > MAX_LENGTH:
            buffer.clear()  # lengthLimitExceeded
            return
        if len(buffer) < 4 + length:
            break
        frame = bytes(buffer[4 : 4 + length])
        del buffer[: 4 + length]
        handle(frame)
