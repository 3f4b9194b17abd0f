# expect-fail: wrong_length | diagnosis: no_length_check
def read_header(header):
    return int.from_bytes(header, "big")
