# expect-fail: all | diagnosis: refuses_everything
def read_header(header):
    raise ValueError("not a header")
