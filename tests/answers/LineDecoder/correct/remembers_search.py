class LineDecoder:
    """Remembers how far it has searched, so every byte is scanned once."""

    def __init__(self, max_length: int = 1024) -> None:
        self.max_length = max_length
        self.buffer = bytearray()
        self.searched = 0

    def feed(self, data: bytes) -> list[bytes]:
        self.buffer += data
        lines = []
        start = 0
        while (end := self.buffer.find(b"\n", self.searched)) != -1:
            if end - start > self.max_length:
                raise ValueError("line too long")
            lines.append(bytes(self.buffer[start:end]))
            start = self.searched = end + 1
        del self.buffer[:start]
        self.searched = len(self.buffer)
        if len(self.buffer) > self.max_length:
            raise ValueError("no newline in sight")
        return lines
