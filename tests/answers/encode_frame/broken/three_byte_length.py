# expect-fail: header_range | diagnosis: length_24_bits
# Bug: a 3-byte length (as MySQL's packets have) padded to 4: fine up to 16 MiB - 1.
def encode_frame(payload):
    return b"\x00" + len(payload).to_bytes(3, "big") + payload
