# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
# Correct, but patches modules the grader's child might use: reporting must not care.
import builtins
import hashlib
import json
import os

json.dumps = lambda *args, **kwargs: "{}"
os.write = lambda fd, data: len(data)
hashlib.sha256 = None
builtins.type = lambda obj: bytearray
builtins.sum = lambda values: 0
builtins.issubclass = lambda cls, base: False

buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        end = 4 + int.from_bytes(buffer[:4], "big")
        if len(buffer) < end:
            break
        frame = bytes(buffer[4:end])
        del buffer[:end]
        handle(frame)
