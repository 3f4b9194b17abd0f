# expect-fail: returns_bytes
def encode_frame(payload):
    return bytearray(len(payload).to_bytes(4, "big")) + payload
