# expect-fail: close | diagnosis: close_never_raises
class BackendReader:
    """Broken on purpose: close() returns quietly with half a message held."""

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
            if len(buffer) < 1 + length:
                break
            messages.append((bytes(buffer[:1]), bytes(buffer[5 : 1 + length])))
            del buffer[: 1 + length]
        return messages

    def close(self):
        return None
