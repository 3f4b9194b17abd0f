# expect-fail: buffer_trimmed | diagnosis: never_trims
# Bug: remembers how far it has parsed but never removes used bytes from the buffer.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()
position = 0


def on_bytes(chunk):
    global position
    buffer.extend(chunk)
    while len(buffer) - position >= 4:
        length = int.from_bytes(buffer[position : position + 4], "big")
        end = position + 4 + length
        if len(buffer) < end:
            break
        handle(bytes(buffer[position + 4 : end]))
        position = end
