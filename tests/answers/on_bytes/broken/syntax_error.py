buffer = bytearray()


def on_bytes(chunk)
    buffer.extend(chunk)
