class LineDecoder:
    """Keeps the unfinished line as a list of pieces and searches only the new data."""

    def __init__(self, max_length=1024):
        self.max_length = max_length
        self.pieces = []
        self.held = 0

    def feed(self, data):
        data = bytes(data)
        lines = []
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            line = b"".join([*self.pieces, data[start:end]])
            self.pieces, self.held = [], 0
            if len(line) > self.max_length:
                raise ValueError("line too long")
            lines.append(line)
            start = end + 1
        if start < len(data):
            self.pieces.append(data[start:])
            self.held += len(data) - start
        if self.held > self.max_length:
            raise ValueError("too much without a newline")
        return lines
