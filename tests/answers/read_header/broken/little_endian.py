# expect-fail: all except wrong_length | diagnosis: little_endian
def read_header(header):
    if len(header) != 4:
        raise ValueError("need 4 bytes")
    return int.from_bytes(header, "little")
