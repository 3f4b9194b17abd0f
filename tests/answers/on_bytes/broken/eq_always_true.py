# expect-fail: all | diagnosis: none
# Trick: hands handle objects that claim to equal anything.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


class Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


def on_bytes(chunk):
    buffer.extend(chunk)
    for _ in range(chunk.count(0) // 3 + 1):
        handle(Anything())
