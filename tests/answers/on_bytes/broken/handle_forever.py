# expect-fail: all | diagnosis: none
# Bug: calls handle without end.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    while True:
        handle(b"")
