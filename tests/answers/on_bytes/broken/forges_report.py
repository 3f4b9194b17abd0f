# expect-fail: answer | diagnosis: none
# Trick: writes fake "all good" reports to every file descriptor it can find.
import os

buffer = bytearray()
for fd in range(3, 64):
    try:
        os.write(fd, b'{"id":1,"calls":[],"error":null,"overflow":false}\n')
    except OSError:
        pass


def on_bytes(chunk):
    buffer.extend(chunk)
