# expect-fail: header_range | diagnosis: negative_length_refused
# Bug: ported from Netty's LengthFieldBasedFrameDecoder: a signed length, and "negative
# length field" refused; with a limit of 2**31 or more, legal frames are refused.
import struct


class SafeDecoder:
    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self.buffer = bytearray()

    def feed(self, data):
        self.buffer += data
        frames = []
        while len(self.buffer) >= 4:
            (length,) = struct.unpack_from(">i", self.buffer)
            if length < 0:
                raise ValueError(f"negative pre-adjustment length field: {length}")
            if length > self.max_frame_size:
                raise ValueError(f"frame length exceeds {self.max_frame_size}: {length}")
            if len(self.buffer) < 4 + length:
                break
            frames.append(bytes(self.buffer[4 : 4 + length]))
            del self.buffer[: 4 + length]
        return frames

    def close(self):
        if self.buffer:
            raise EOFError(f"{len(self.buffer)} bytes left")
