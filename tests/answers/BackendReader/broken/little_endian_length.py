# expect-fail: all | diagnosis: misreads_length_field
import struct


class BackendReader:
    """Broken on purpose: unpacks the length little-endian ('<I')."""

    def __init__(self, max_message_size=1 << 20):
        self.limit = max_message_size
        self.held = bytearray()

    def feed(self, data):
        self.held.extend(data)
        found = []
        while len(self.held) >= 5:
            (length,) = struct.unpack("<I", self.held[1:5])
            if length < 4 or length - 4 > self.limit:
                raise ValueError(f"bad length {length}")
            if len(self.held) < length + 1:
                break
            found.append((bytes(self.held[0:1]), bytes(self.held[5 : length + 1])))
            del self.held[: length + 1]
        return found

    def close(self):
        if self.held:
            raise EOFError("stream ended inside a message")
