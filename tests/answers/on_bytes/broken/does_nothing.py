# expect-fail: all | diagnosis: does_nothing
# Bug: a stub that runs: it hands nothing over.
buffer = bytearray()


def on_bytes(chunk):
    pass
