def encode_frame(payload):
    frame = bytearray(len(payload).to_bytes(4, byteorder="big"))
    frame.extend(payload)
    return bytes(frame)
