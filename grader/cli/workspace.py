"""`workspace`: a learner's working copies of every lesson in work/ (used by `make lab`)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "learner copies of every lesson in work/"
DESCRIPTION = __doc__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dest", type=Path, default=None,
                        help="folder for the learner's copies (default: work/ at the root)")


def run(args: argparse.Namespace) -> int:
    from grader.workspace import create_workspace

    create_workspace(args.dest)
    return 0
