# expect-fail: answer
# Bug: the function has the wrong name.
buffer = bytearray()


def on_byte(chunk):
    buffer.extend(chunk)
