# Remembers the announced length in module state instead of re-reading the header.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()
expected_length = None
frames_seen = 0


def on_bytes(chunk):
    global expected_length, frames_seen
    buffer.extend(chunk)
    while True:
        if expected_length is None:
            if len(buffer) < 4:
                return
            expected_length = int.from_bytes(buffer[:4], "big")
        if len(buffer) < 4 + expected_length:
            return
        frame = bytes(buffer[4 : 4 + expected_length])
        del buffer[: 4 + expected_length]
        expected_length = None
        frames_seen += 1
        handle(frame)
