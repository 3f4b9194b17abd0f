import struct

_HEADER = struct.Struct(">cI")


class BackendReader:
    """Walk an offset through the held bytes; trim them once per feed."""

    def __init__(self, max_message_size=1 << 20):
        self.limit = max_message_size
        self.held = b""

    def feed(self, data):
        held = self.held + bytes(data)
        pos = 0
        out = []
        while len(held) - pos >= 5:
            kind, length = _HEADER.unpack_from(held, pos)
            if length < 4 or length - 4 > self.limit:
                raise ValueError("bad message length %d" % length)
            end = pos + 1 + length
            if end > len(held):
                break
            out.append((kind, held[pos + 5 : end]))
            pos = end
        self.held = held[pos:]
        return out

    def close(self):
        if self.held:
            raise EOFError("the stream stopped in the middle of a message")
