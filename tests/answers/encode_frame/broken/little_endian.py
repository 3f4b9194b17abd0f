# expect-fail: all except empty_payload | diagnosis: little_endian
def encode_frame(payload):
    return len(payload).to_bytes(4, "little") + payload
