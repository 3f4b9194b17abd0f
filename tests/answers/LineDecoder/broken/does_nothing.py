# expect-fail: all except returns_bytes | diagnosis: does_nothing
class LineDecoder:
    """Runs, and never returns a frame."""

    def __init__(self, max_length=1024):
        self.buffered = 0

    def feed(self, data):
        return []

    def close(self):
        return None
