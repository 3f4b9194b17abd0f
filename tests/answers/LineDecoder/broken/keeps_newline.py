# expect-fail: all except long_line, too_much_held, returns_bytes | diagnosis: keeps_newline
class LineDecoder:
    """Reads lines the way file.readline() returns them: with their newline."""

    def __init__(self, max_length=1024):
        self.max_length = max_length
        self.buffer = bytearray()

    def feed(self, data):
        self.buffer += data
        lines = []
        while (end := self.buffer.find(b"\n")) >= 0:
            if end > self.max_length:
                raise ValueError("line too long")
            lines.append(bytes(self.buffer[: end + 1]))
            del self.buffer[: end + 1]
        if len(self.buffer) > self.max_length:
            raise ValueError("too much without a newline")
        return lines
