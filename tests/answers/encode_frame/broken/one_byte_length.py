# expect-fail: all | diagnosis: one_byte_header
def encode_frame(payload):
    return bytes([len(payload) % 256]) + payload
