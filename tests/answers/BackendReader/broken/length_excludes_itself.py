# expect-fail: all | diagnosis: length_excludes_itself
class BackendReader:
    """Broken on purpose: reads the length as the body's size, forgetting it counts itself."""

    def __init__(self, max_message_size=1 << 20):
        self.max_message_size = max_message_size
        self._buffer = bytearray()

    def feed(self, data):
        buffer = self._buffer
        buffer += data
        messages = []
        while len(buffer) >= 5:
            length = int.from_bytes(buffer[1:5], "big")
            if length < 4:
                raise ValueError(f"message length {length} is under 4")
            if length - 4 > self.max_message_size:
                raise ValueError(f"a {length - 4}-byte body is over the limit")
            if len(buffer) < 5 + length:
                break
            messages.append((bytes(buffer[:1]), bytes(buffer[5 : 5 + length])))
            del buffer[: 5 + length]
        return messages

    def close(self):
        if self._buffer:
            raise EOFError(f"stream ended inside a message ({len(self._buffer)} bytes held)")
