# expect-fail: wrong_length
def read_header(header):
    return int.from_bytes(header, "big")
