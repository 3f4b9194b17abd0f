# expect-fail: all | diagnosis: header_counts_itself
def encode_frame(payload):
    return (4 + len(payload)).to_bytes(4, "big") + payload
