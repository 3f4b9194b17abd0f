# expect-fail: linear_time | diagnosis: quadratic_work
class LineDecoder:
    def __init__(self, max_length=1024):
        self.max_length = max_length
        self._buffer = bytearray()

    def feed(self, data):
        self._buffer += data
        lines = []
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                break
            if end > self.max_length:
                raise ValueError("line too long")
            lines.append(bytes(self._buffer[:end]))
            del self._buffer[: end + 1]
        if len(self._buffer) > self.max_length:
            raise ValueError("too much without a newline")
        return lines
