# expect-fail: oversized_header, empty_feed | diagnosis: empty_feed_returns_none
# Bug: treats feed(b"") (what recv returns at the end) as nothing to answer: returns None.
class SafeDecoder:
    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self.buffer = bytearray()

    def feed(self, data):
        if not data:
            return None
        self.buffer += data
        frames = []
        while len(self.buffer) >= 4:
            length = int.from_bytes(self.buffer[:4], "big")
            if length > self.max_frame_size:
                raise ValueError("frame too large")
            if len(self.buffer) < 4 + length:
                break
            frames.append(bytes(self.buffer[4 : 4 + length]))
            del self.buffer[: 4 + length]
        return frames

    def close(self):
        if self.buffer:
            raise EOFError("unfinished frame")
