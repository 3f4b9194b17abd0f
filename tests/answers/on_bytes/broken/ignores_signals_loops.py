# expect-fail: all | diagnosis: none
# Trick: ignores every catchable signal, freezes the clock, then loops forever.
import signal
import time

for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
    signal.signal(number, signal.SIG_IGN)
time.time = lambda: 0.0
time.monotonic = lambda: 0.0
buffer = bytearray()


def on_bytes(chunk):
    while True:
        pass
