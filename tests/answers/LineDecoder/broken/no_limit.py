# expect-fail: long_line, too_much_held, random_lines, linear_time | diagnosis: no_limit
class LineDecoder:
    def __init__(self, max_length=1024):
        self.buffer = b""

    def feed(self, data):
        *lines, self.buffer = (self.buffer + data).split(b"\n")
        return lines
