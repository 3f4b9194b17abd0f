# expect-fail: all | diagnosis: none
# Trick: allocates 3 GiB on every call.
buffer = bytearray()


def on_bytes(chunk):
    hog = bytearray(3 << 30)
    buffer.extend(chunk + bytes(len(hog) * 0))
