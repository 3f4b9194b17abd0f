# The state lives in an object; the module-level buffer is the object's own bytearray.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
class Reassembler:
    def __init__(self):
        self.held = bytearray()
        self.needed = None

    def push(self, data):
        self.held += data
        out = []
        while True:
            if self.needed is None:
                if len(self.held) < 4:
                    return out
                self.needed = 4 + int.from_bytes(self.held[:4], "big")
            if len(self.held) < self.needed:
                return out
            out.append(bytes(self.held[4 : self.needed]))
            del self.held[: self.needed]
            self.needed = None


_reassembler = Reassembler()
buffer = _reassembler.held


def on_bytes(chunk):
    for frame in _reassembler.push(chunk):
        handle(frame)
