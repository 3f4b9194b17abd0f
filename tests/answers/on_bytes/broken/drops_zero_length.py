# Bug: treats an empty frame as nothing to report.
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
