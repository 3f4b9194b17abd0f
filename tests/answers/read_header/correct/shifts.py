class HeaderLengthError(ValueError):
    pass


def read_header(header):
    if len(header) != 4:
        raise HeaderLengthError(len(header))
    value = 0
    for byte in header:
        value = value << 8 | byte
    return value
