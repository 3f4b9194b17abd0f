# expect-fail: message_limit | diagnosis: limit_counts_header
class BackendReader:
    """Broken on purpose: compares the length field itself (body + 4) with the limit."""

    def __init__(self, max_message_size=1 << 20):
        self.max_message_size = max_message_size
        self.pending = bytearray()
        self.kind = None
        self.body_size = 0

    def feed(self, data):
        self.pending.extend(data)
        done = []
        while True:
            if self.kind is None:
                if len(self.pending) < 5:
                    return done
                length = int.from_bytes(self.pending[1:5], "big")
                if length < 4 or length > self.max_message_size:
                    raise ValueError(f"impossible or oversized length {length}")
                self.kind = bytes(self.pending[:1])
                self.body_size = length - 4
                del self.pending[:5]
            if len(self.pending) < self.body_size:
                return done
            done.append((self.kind, bytes(self.pending[: self.body_size])))
            del self.pending[: self.body_size]
            self.kind = None

    def close(self):
        if self.kind is not None or self.pending:
            raise EOFError("cut inside a message")
