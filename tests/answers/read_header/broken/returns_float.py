# expect-fail: all except wrong_length | diagnosis: returns_float
def read_header(header):
    if len(header) != 4:
        raise ValueError("need 4 bytes")
    return float(int.from_bytes(header, "big"))
