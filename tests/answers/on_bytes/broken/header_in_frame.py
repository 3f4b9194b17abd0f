# expect-fail: all except frame_type, buffer_trimmed | diagnosis: header_in_frame
# Bug: cuts the frame from the start of the buffer, so the header goes to handle too.
# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
buffer = bytearray()


def on_bytes(chunk):
    buffer.extend(chunk)
    while len(buffer) >= 4:
        end = 4 + int.from_bytes(buffer[:4], "big")
        if len(buffer) < end:
            break
        frame = bytes(buffer[:end])
        del buffer[:end]
        handle(frame)
