class FrameDecoder:
    """Appends, and parses only when enough bytes for the next decision have arrived."""

    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self._held = bytearray()
        self._need = 4

    @property
    def buffered(self):
        return len(self._held)

    def feed(self, data):
        self._held += memoryview(data)
        if len(self._held) < self._need:
            return []
        frames = []
        start = 0
        view = memoryview(self._held)
        while len(view) - start >= 4:
            length = int.from_bytes(view[start : start + 4], "big")
            if length > self.max_frame_size:
                view.release()
                del self._held[:start]
                error = ValueError(f"{length} > {self.max_frame_size}")
                error.frames = frames  # the frames completed before it
                raise error
            end = start + 4 + length
            if end > len(view):
                break
            frames.append(view[start + 4 : end].tobytes())
            start = end
        view.release()
        del self._held[:start]
        self._need = 4 if len(self._held) < 4 else 4 + int.from_bytes(self._held[:4], "big")
        return frames

    def close(self):
        if self._held:
            raise EOFError("stream ended mid-frame")
