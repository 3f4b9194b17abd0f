# expect-fail: all
def encode_frame(payload):
    return bytes([len(payload) % 256]) + payload
