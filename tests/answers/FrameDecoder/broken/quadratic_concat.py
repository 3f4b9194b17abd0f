# expect-fail: linear_time | diagnosis: quadratic_copying
class FrameDecoder:
    """Correct, but copies the whole buffer on every feed: quadratic in the frame size."""

    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self._data = b""

    @property
    def buffered(self):
        return len(self._data)

    def feed(self, data):
        self._data = self._data + bytes(data)
        frames = []
        while len(self._data) >= 4:
            length = int.from_bytes(self._data[:4], "big")
            if length > self.max_frame_size:
                error = ValueError("too large")
                error.frames = frames  # the frames completed before it
                raise error
            if len(self._data) < 4 + length:
                break
            frames.append(self._data[4 : 4 + length])
            self._data = self._data[4 + length :]
        return frames

    def close(self):
        if self._data:
            raise EOFError("partial frame")
