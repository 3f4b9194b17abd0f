# expect-fail: keeps_frames_on_error | diagnosis: none
"""Lesson 5's SafeDecoder with a buffered property: raising loses the frames it completed."""
import struct


class FrameDecoder:
    def __init__(self, max_frame_size=65536):
        self.max_frame_size = max_frame_size
        self._buffer = bytearray()

    @property
    def buffered(self):
        return len(self._buffer)

    def feed(self, data):
        self._buffer.extend(data)
        frames = []
        while len(self._buffer) >= 4:
            (length,) = struct.unpack(">I", self._buffer[:4])
            if length > self.max_frame_size:
                raise ValueError(
                    f"header announces {length} bytes; max_frame_size is {self.max_frame_size}"
                )
            if len(self._buffer) < 4 + length:
                break
            frames.append(bytes(self._buffer[4 : 4 + length]))
            del self._buffer[: 4 + length]
        return frames

    def close(self):
        held = len(self._buffer)
        if held == 0:
            return None
        if held < 4:
            raise EOFError(f"stream ended inside a length header ({held} of 4 bytes)")
        (length,) = struct.unpack(">I", self._buffer[:4])
        raise EOFError(f"stream ended inside a frame: {held - 4} of {length} payload bytes")
