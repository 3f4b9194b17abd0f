# expect-fail: all except returns_pairs | diagnosis: does_nothing
class BackendReader:
    """Broken on purpose: the stub left as it was, keeping and returning nothing."""

    def __init__(self, max_message_size=1 << 20):
        self.max_message_size = max_message_size

    def feed(self, data):
        return []

    def close(self):
        pass
