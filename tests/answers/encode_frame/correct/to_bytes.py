def encode_frame(payload: bytes) -> bytes:
    return len(payload).to_bytes(4, "big") + payload
