# expect-fail: all except returns_bytes | diagnosis: no_framing
class FrameDecoder:
    """Hands every chunk back as it came: no framing at all."""

    def __init__(self, max_frame_size=65536):
        self.buffered = 0

    def feed(self, data):
        return [bytes(data)]

    def close(self):
        return None
