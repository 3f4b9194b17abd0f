# expect-fail: too_much_held, random_lines | diagnosis: limit_only_on_lines
class LineDecoder:
    def __init__(self, max_length=1024):
        self.max_length = max_length
        self.buffer = bytearray()
        self.searched = 0

    def feed(self, data):
        self.buffer += data
        lines, start = [], 0
        while (end := self.buffer.find(b"\n", self.searched)) >= 0:
            if end - start > self.max_length:
                raise ValueError("line too long")
            lines.append(bytes(self.buffer[start:end]))
            start = self.searched = end + 1
        del self.buffer[:start]
        self.searched = len(self.buffer)
        return lines
