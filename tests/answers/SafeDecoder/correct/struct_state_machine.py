import struct


class SafeDecoder:
    """Remembers the announced length between feeds."""

    def __init__(self, max_frame_size: int = 65536) -> None:
        self.max_frame_size = max_frame_size
        self.buffer = bytearray()
        self.length: int | None = None

    def feed(self, data: bytes) -> list[bytes]:
        self.buffer.extend(data)
        out: list[bytes] = []
        while True:
            if self.length is None:
                if len(self.buffer) < 4:
                    return out
                (self.length,) = struct.unpack_from(">I", self.buffer)
                if self.length > self.max_frame_size:
                    raise ValueError("frame too large")
            if len(self.buffer) < 4 + self.length:
                return out
            out.append(bytes(self.buffer[4 : 4 + self.length]))
            del self.buffer[: 4 + self.length]
            self.length = None

    def close(self) -> None:
        if self.buffer:
            raise EOFError(f"{len(self.buffer)} bytes of an unfinished frame")
