# Bug: calls handle without end.
buffer = bytearray()


def on_bytes(chunk):
    while True:
        handle(b"")
