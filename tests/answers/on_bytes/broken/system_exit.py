# expect-fail: all | diagnosis: none
# Trick: raises SystemExit, and KeyboardInterrupt for empty chunks.
buffer = bytearray()


def on_bytes(chunk):
    if not chunk:
        raise KeyboardInterrupt
    raise SystemExit(0)
