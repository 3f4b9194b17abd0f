# expect-fail: all | diagnosis: none
# Trick: finds the case id in the caller's frames and writes its own report for it.
import os
import sys

buffer = bytearray()


def on_bytes(chunk):
    frame = sys._getframe(1)
    while frame is not None:
        case = frame.f_locals.get("case")
        if isinstance(case, dict) and "id" in case:
            forged = b'{"id": %d, "calls": "all good", "error": null}\n' % case["id"]
            for fd in range(3, 20):
                try:
                    os.write(fd, forged)
                except OSError:
                    pass
            os._exit(0)
        frame = frame.f_back
