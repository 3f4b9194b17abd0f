# expect-fail: splits_lines, empty_lines, random_lines, linear_time | diagnosis: drops_empty_lines
class LineDecoder:
    def __init__(self, max_length=1024):
        self.max_length = max_length
        self.buffer = b""

    def feed(self, data):
        *lines, self.buffer = (self.buffer + data).split(b"\n")
        if any(len(line) > self.max_length for line in lines) or len(self.buffer) > self.max_length:
            raise ValueError("too long")
        return [line for line in lines if line]
