# expect-fail: accepts_bytes_like | diagnosis: keeps_callers_chunks
class FrameDecoder:
    """Linear and right for bytes, but keeps the caller's chunks instead of copying them:
    once the caller reuses its buffer (as a socket's recv_into does), the frames change."""

    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self._parts = []
        self._held = 0
        self._length = None

    @property
    def buffered(self):
        return self._held

    def _join(self):
        data = b"".join(self._parts)
        self._parts = [data]
        return data

    def feed(self, data):
        self._parts.append(memoryview(data))
        self._held += len(data)
        frames = []
        while True:
            if self._length is None:
                if self._held < 4:
                    break
                self._length = int.from_bytes(self._join()[:4], "big")
                if self._length > self.max_frame_size:
                    error = ValueError(f"frame of {self._length} bytes announced")
                    error.frames = frames  # the frames completed before it
                    raise error
            if self._held < 4 + self._length:
                break
            data = self._join()
            end = 4 + self._length
            frames.append(data[4:end])
            self._parts = [memoryview(data)[end:]] if len(data) > end else []
            self._held -= end
            self._length = None
        return frames

    def close(self):
        if self._held:
            raise EOFError(f"{self._held} bytes left")
