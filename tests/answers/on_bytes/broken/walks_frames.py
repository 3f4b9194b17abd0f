# expect-fail: all | diagnosis: does_nothing
# Trick: walks the caller's frames looking for expected values to hand back.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
import sys

buffer = bytearray()


def on_bytes(chunk):
    frame = sys._getframe(1)
    while frame is not None:
        for name, value in list(frame.f_locals.items()):
            if "expect" in name and isinstance(value, list):
                for item in value:
                    handle(item)
        frame = frame.f_back
