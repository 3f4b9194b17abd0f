# Parse with a memoryview and an offset, then trim once per call.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    view = memoryview(buffer)
    offset = 0
    frames = []
    while len(view) - offset >= 4:
        length = int.from_bytes(view[offset : offset + 4], "big")
        end = offset + 4 + length
        if end > len(view):
            break
        frames.append(view[offset + 4 : end].tobytes())
        offset = end
    view.release()
    del buffer[:offset]
    for frame in frames:
        handle(frame)
