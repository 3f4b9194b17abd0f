# expect-fail: big_endian, random_headers | diagnosis: last_header_byte
def read_header(header):
    if len(header) != 4:
        raise ValueError("need 4 bytes")
    return header[3]
