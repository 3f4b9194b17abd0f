# expect-fail: returns_bytes, linear_time | diagnosis: bytearray_lines
class LineDecoder:
    def __init__(self, max_length=1024):
        self.max_length = max_length
        self.buffer = bytearray()

    def feed(self, data):
        self.buffer += data
        lines = []
        while (end := self.buffer.find(b"\n")) >= 0:
            if end > self.max_length:
                raise ValueError("too long")
            lines.append(self.buffer[:end])
            del self.buffer[: end + 1]
        if len(self.buffer) > self.max_length:
            raise ValueError("too long")
        return lines
