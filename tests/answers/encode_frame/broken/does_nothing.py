# expect-fail: all | diagnosis: does_nothing
def encode_frame(payload):
    return b""
