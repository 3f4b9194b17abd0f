# expect-fail: all | diagnosis: does_nothing
def read_header(header):
    return 0
