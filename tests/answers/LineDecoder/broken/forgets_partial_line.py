# expect-fail: all except empty_lines, long_line, returns_bytes | diagnosis: forgets_partial_line
class LineDecoder:
    def __init__(self, max_length=1024):
        self.max_length = max_length

    def feed(self, data):
        *lines, rest = data.split(b"\n")
        if any(len(line) > self.max_length for line in lines) or len(rest) > self.max_length:
            raise ValueError("too long")
        return lines
