class FrameDecoder:
    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self._buffer = bytearray()

    def feed(self, data):
        self._buffer += data
        frames = []
        while len(self._buffer) >= 4:
            length = int.from_bytes(self._buffer[:4], "big")
            if length > self.max_frame_size:
                error = ValueError(f"frame of {length} bytes is over the limit")
                error.frames = frames  # the frames completed before it
                raise error
            if len(self._buffer) < 4 + length:
                break
            frames.append(bytes(self._buffer[4 : 4 + length]))
            del self._buffer[: 4 + length]
        return frames

    def close(self):
        if self._buffer:
            raise EOFError(f"{len(self._buffer)} bytes left")

    @property
    def buffered(self):
        return len(self._buffer)
