# expect-fail: returns_bytes | diagnosis: returns_bytearray
def encode_frame(payload):
    return bytearray(len(payload).to_bytes(4, "big")) + payload
