# expect-fail: linear_time | diagnosis: quadratic_work
class LineDecoder:
    """Keeps the unfinished line as bytes and splits on every feed."""

    def __init__(self, max_length=1024):
        self.max_length = max_length
        self.pending = b""

    def feed(self, data):
        *lines, self.pending = (self.pending + bytes(data)).split(b"\n")
        for line in lines:
            if len(line) > self.max_length:
                raise ValueError(f"line of {len(line)} bytes")
        if len(self.pending) > self.max_length:
            raise ValueError(f"{len(self.pending)} bytes without a newline")
        return lines
