# expect-fail: linear_time | diagnosis: quadratic_copying
# Bug: right frames, but `self.data += data` on bytes copies everything held on every feed.
class SafeDecoder:
    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self.data = b""

    def feed(self, data):
        self.data += bytes(data)
        frames = []
        while len(self.data) >= 4:
            length = int.from_bytes(self.data[:4], "big")
            if length > self.max_frame_size:
                raise ValueError("frame too large")
            if len(self.data) < 4 + length:
                break
            frames.append(self.data[4 : 4 + length])
            self.data = self.data[4 + length :]
        return frames

    def close(self):
        if self.data:
            raise EOFError("unfinished frame")
