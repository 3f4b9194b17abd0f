# expect-fail: many_lines, max_length_inclusive, random_lines, linear_time | diagnosis: checks_before_splitting
class LineDecoder:
    def __init__(self, max_length=1024):
        self.max_length = max_length
        self.buffer = b""

    def feed(self, data):
        self.buffer += data
        if len(self.buffer) > self.max_length:
            raise ValueError("too much data")
        *lines, self.buffer = self.buffer.split(b"\n")
        return lines
