# expect-fail: real_stream_every_cut, headers_in_pieces, empty_bodies, close, random_cuttings | diagnosis: reads_length_early
class BackendReader:
    """Broken on purpose: lesson 6's `while len(buffer) >= 4` kept, for a 5-byte header."""

    def __init__(self, max_message_size=1 << 20):
        self.max_message_size = max_message_size
        self.buffer = bytearray()

    def feed(self, data):
        self.buffer += data
        out = []
        while len(self.buffer) >= 4:
            length = int.from_bytes(self.buffer[1:5], "big")
            if length < 4:
                raise ValueError("length under 4")
            if length - 4 > self.max_message_size:
                raise ValueError("message too large")
            end = 1 + length
            if len(self.buffer) < end:
                break
            out.append((bytes(self.buffer[:1]), bytes(self.buffer[5:end])))
            del self.buffer[:end]
        return out

    def close(self):
        if self.buffer:
            raise EOFError(f"{len(self.buffer)} bytes of an unfinished message")
