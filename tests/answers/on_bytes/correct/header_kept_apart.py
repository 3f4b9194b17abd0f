# ruff: noqa: F821 -- `handle` is injected by whoever runs the answer
# Reads each header as soon as it is whole and keeps only the payload bytes in the buffer.
buffer = bytearray()
payload_length = None


def on_bytes(chunk):
    global payload_length
    buffer.extend(chunk)
    while True:
        if payload_length is None:
            if len(buffer) < 4:
                return
            payload_length = int.from_bytes(buffer[:4], "big")
            del buffer[:4]
        if len(buffer) < payload_length:
            return
        frame = bytes(buffer[:payload_length])
        del buffer[:payload_length]
        payload_length = None
        handle(frame)
