# expect-fail: big_endian, header_range | diagnosis: length_16_bits
def encode_frame(payload):
    return b"\x00\x00" + (len(payload) % 65536).to_bytes(2, "big") + payload[:65535]
