# expect-fail: all | diagnosis: no_framing
def encode_frame(payload):
    return payload
