def read_header(header: bytes) -> int:
    if len(header) != 4:
        raise ValueError(f"a header is 4 bytes, not {len(header)}")
    return int.from_bytes(header, "big")
