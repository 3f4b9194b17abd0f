# expect-fail: close_partial, random_streams, header_range | diagnosis: close_never_raises
class SafeDecoder:
    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self.buffer = bytearray()

    def feed(self, data):
        self.buffer += data
        frames = []
        while len(self.buffer) >= 4:
            length = int.from_bytes(self.buffer[:4], "big")
            if length > self.max_frame_size:
                raise ValueError("too large")
            if len(self.buffer) < 4 + length:
                break
            frames.append(bytes(self.buffer[4 : 4 + length]))
            del self.buffer[: 4 + length]
        return frames

    def close(self):
        self.buffer.clear()
