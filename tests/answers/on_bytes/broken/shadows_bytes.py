# expect-fail: all | diagnosis: none
# Trick: shadows the builtin bytes (here and in builtins) with an always-equal class.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
import builtins


class bytes(builtins.bytearray):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = None


builtins.bytes = bytes
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    handle(bytes(b"?"))
