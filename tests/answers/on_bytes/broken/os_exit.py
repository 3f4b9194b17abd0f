# expect-fail: all | diagnosis: none
# Trick: ends the process from inside on_bytes.
import os

buffer = bytearray()


def on_bytes(chunk):
    os._exit(0)
