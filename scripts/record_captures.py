"""Record lesson 7's real byte streams into notebooks/07-in-the-wild/data/.

    .venv/bin/python scripts/record_captures.py              # every protocol
    .venv/bin/python scripts/record_captures.py postgres     # only these

Each stream is made by a real implementation talking to itself (see
``wild_streams.py`` beside the lesson): Python's ssl over MemoryBIO, h2,
wsproto, a PostgreSQL server started on a free 127.0.0.1 port and stopped
again, and protobuf's ``serialize_length_prefixed``. The lesson makes them
live when it can; the recorded copies are for machines that cannot (the
PostgreSQL one is shipped) and for the grader's hidden checks, which must cut
the same bytes every time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

LESSON = Path(__file__).resolve().parent.parent / "notebooks" / "07-in-the-wild"
sys.path.insert(0, str(LESSON))

import wild_streams  # noqa: E402  (it lives beside the lesson, not in a package)

MAKERS = {
    "tls": wild_streams.make_tls,
    "h2": wild_streams.make_h2,
    "websocket": wild_streams.make_websocket,
    "postgres": wild_streams.make_postgres,
    # The grader's hidden checks cut this one: more kinds of message, and a 70 kB row.
    "postgres-grading": lambda: wild_streams.make_postgres(
        more=wild_streams.GRADING_QUERIES, protocol="postgres-grading"),
    "protobuf": wild_streams.make_protobuf,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("protocols", nargs="*", metavar="PROTOCOL",
                        help=f"which to record (default: all of {', '.join(MAKERS)})")
    parser.add_argument("--out", type=Path, default=wild_streams.DATA,
                        help="folder for the JSON files (default: the lesson's data/)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.protocols) - set(MAKERS))
    if unknown:
        parser.error(f"unknown protocol {', '.join(unknown)}; choose from {', '.join(MAKERS)}")
    failed = 0
    for protocol in args.protocols or MAKERS:
        try:
            capture = MAKERS[protocol]()
        except wild_streams.Unavailable as missing:
            print(f"{protocol}: not recorded: {missing}", file=sys.stderr)
            failed += 1
            continue
        path = wild_streams.save_capture(capture, args.out)
        print(f"{protocol}: {len(capture.stream):,} bytes in {len(capture.writes)} writes "
              f"({capture.recorded_with}) -> {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
