class FrameDecoder:
    """Reads each header as soon as it is whole; `buffered` counts the payload bytes held."""

    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self.payload = bytearray()
        self.header = bytearray()
        self.length = None

    @property
    def buffered(self):
        return len(self.header) + len(self.payload)

    def feed(self, data):
        view = memoryview(data)
        frames = []
        while view:
            if self.length is None:
                take = 4 - len(self.header)
                self.header += view[:take]
                view = view[take:]
                if len(self.header) < 4:
                    break
                self.length = int.from_bytes(self.header, "big")
                self.header.clear()
                if self.length > self.max_frame_size:
                    error = ValueError(f"frame of {self.length} bytes announced")
                    error.frames = frames  # the frames completed before it
                    raise error
            take = self.length - len(self.payload)
            self.payload += view[:take]
            view = view[take:]
            if len(self.payload) == self.length:
                frames.append(bytes(self.payload))
                self.payload.clear()
                self.length = None
        return frames

    def close(self):
        if self.header or self.length is not None:
            raise EOFError("the stream ended inside a frame")
