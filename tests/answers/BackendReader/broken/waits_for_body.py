# expect-fail: message_limit | diagnosis: waits_for_body
class BackendReader:
    """Broken on purpose: checks the limit only once the whole body has arrived."""

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
            if len(buffer) < 1 + length:
                break
            if length - 4 > self.max_message_size:
                raise ValueError(f"a {length - 4}-byte body is over the limit")
            messages.append((bytes(buffer[:1]), bytes(buffer[5 : 1 + length])))
            del buffer[: 1 + length]
        return messages

    def close(self):
        if self._buffer:
            raise EOFError(f"stream ended inside a message ({len(self._buffer)} bytes held)")
