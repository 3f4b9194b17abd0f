"""Every lesson section a misconception points to, once (titles are the notebooks' headings;
tests/grader/diagnosis/test_diagnosis.py checks each against its notebook)."""

from __future__ import annotations

from ..misconception import Section

IDEA = Section('Lesson 2', 'The idea')
ONE_BYTE_HEADER = Section('Lesson 2', 'A one-byte header: the worked example')
BYTE_ORDER = Section('Lesson 2', 'Bigger numbers need several bytes — in some order')
STRUCT = Section('Lesson 2', '`struct`: packing numbers into bytes')
STANDARD_HEADER = Section('Lesson 2', 'The standard choice: 4 bytes, unsigned')
ENCODE_EXERCISE = Section('Lesson 2', 'Exercise 1: `encode_frame` (graded)')
READ_EXERCISE = Section('Lesson 2', 'Exercise 2: `read_header` (graded)')
WHILE_LOOP = Section('Lesson 3', 'Why the `while` loop matters')
TWO_REASONS_TO_WAIT = Section('Lesson 3', 'Two reasons to wait')
ONE_BUFFER = Section('Lesson 3', 'One buffer that outlives every call')
DECISIONS = Section('Lesson 3', 'The worked example, decision by decision')
TWELVE_BYTES = Section('Lesson 3', 'Twelve bytes, four pieces')
DELIMITERS = Section('Lesson 4', 'Delimiters: a marker after every message')
SCHEME_COSTS = Section('Lesson 4', 'What each scheme costs')
LINE_EXERCISE = Section('Lesson 4', 'Exercise: `LineDecoder` (graded)')
LYING_HEADER = Section('Lesson 5', 'Trap 1: a header that lies')
PARTIAL_SEND = Section('Lesson 5', 'Trap 2: `send()` may send only part of your data')
HEADER_FORMAT = Section('Lesson 5', "Trap 3: the header's format: order, size and sign")
CUT_MID_FRAME = Section('Lesson 5', 'Trap 4: the peer closes in the middle of a frame')
ZERO_LENGTH = Section('Lesson 5', 'Trap 5: zero-length frames')
SAFE_EXERCISE = Section('Lesson 5', 'Exercise: `SafeDecoder` (graded)')
DECODER_SHAPE = Section('Lesson 6', 'The shape of a reusable decoder')
SLOW_COPY = Section('Lesson 6', 'The copy that makes a decoder slow')
BYTE_TYPES = Section('Lesson 6', 'Bytes, bytearray, memoryview')
SOCKET_EXERCISE = Section('Lesson 6', 'Exercise: the socket side (graded)')
POSTGRES = Section('Lesson 7', 'PostgreSQL: a type byte, then a length that counts itself')
FOUR_NUMBERS = Section('Lesson 7', 'Four numbers describe most headers')
BACKEND_EXERCISE = Section('Lesson 7', 'Exercise: `BackendReader` (graded)')
