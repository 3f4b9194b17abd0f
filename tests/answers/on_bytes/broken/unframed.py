# expect-fail: all except frame_type | diagnosis: no_framing
# Bug: no framing at all: every chunk goes to handle as it came.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    handle(chunk)
