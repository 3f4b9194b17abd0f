# Copies the lesson's default handle into the answer cell: the grader's handle still wins.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
received = []
buffer = bytearray()


def handle(frame):
    received.append(frame)


def on_bytes(chunk, *, _header=4):
    buffer.extend(chunk)
    while len(buffer) >= _header:
        length = int.from_bytes(bytes(buffer[:_header]), "big")
        if len(buffer) < _header + length:
            break
        frame = bytes(buffer[_header : _header + length])
        del buffer[: _header + length]
        handle(frame)
