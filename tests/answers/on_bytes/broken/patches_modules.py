# expect-fail: all | diagnosis: does_nothing
# Trick: patches the modules and builtins a grader might use to report or compare results.
import builtins
import json
import os
import sys

json.dumps = lambda *args, **kwargs: '{"score": 13}'
json.loads = lambda *args, **kwargs: {"score": 13}
os.write = lambda fd, data: len(data)
builtins.len = lambda obj: 0
builtins.isinstance = lambda obj, kind: True
builtins.type = lambda obj: bytes
sys.modules["grader"] = sys.modules["grader.grading"] = json

buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
