# expect-fail: full_chunk | diagnosis: recursive_feed
# Bug: returns one frame plus what feed(b"") returns for the rest: one stack frame per
# frame, so a feed full of small frames raises RecursionError.
class SafeDecoder:
    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self.buffer = bytearray()

    def feed(self, data):
        self.buffer += data
        if len(self.buffer) < 4:
            return []
        length = int.from_bytes(self.buffer[:4], "big")
        if length > self.max_frame_size:
            raise ValueError("frame too large")
        if len(self.buffer) < 4 + length:
            return []
        frame = bytes(self.buffer[4 : 4 + length])
        del self.buffer[: 4 + length]
        return [frame, *self.feed(b"")]

    def close(self):
        if self.buffer:
            raise EOFError("unfinished frame")
