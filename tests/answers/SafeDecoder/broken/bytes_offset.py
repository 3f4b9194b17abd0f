# expect-fail: linear_time | diagnosis: quadratic_copying
class SafeDecoder:
    """Parses with an offset into a bytes buffer and trims once per feed."""

    def __init__(self, max_frame_size=65536):
        self.limit = max_frame_size
        self.data = b""

    def feed(self, data):
        self.data += bytes(data)
        frames, pos = [], 0
        while len(self.data) - pos >= 4:
            size = int.from_bytes(self.data[pos : pos + 4], "big")
            if size > self.limit:
                self.data = self.data[pos:]
                raise ValueError(f"announced {size} bytes, limit {self.limit}")
            if len(self.data) - pos - 4 < size:
                break
            frames.append(self.data[pos + 4 : pos + 4 + size])
            pos += 4 + size
        self.data = self.data[pos:]
        return frames

    def close(self):
        if self.data:
            raise EOFError("stream ended inside a frame")
        return None
