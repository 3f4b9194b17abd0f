# expect-fail: accepts_bytes_like | diagnosis: bytes_only
class FrameDecoder:
    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self._buffer = bytearray()

    @property
    def buffered(self):
        return len(self._buffer)

    def feed(self, data):
        if not isinstance(data, bytes):
            raise TypeError("feed takes bytes")
        self._buffer += data
        frames = []
        while len(self._buffer) >= 4:
            length = int.from_bytes(self._buffer[:4], "big")
            if length > self.max_frame_size:
                error = ValueError("too large")
                error.frames = frames  # the frames completed before it
                raise error
            if len(self._buffer) < 4 + length:
                break
            frames.append(bytes(self._buffer[4 : 4 + length]))
            del self._buffer[: 4 + length]
        return frames

    def close(self):
        if self._buffer:
            raise EOFError("partial frame")
