"""`python -m grader COMMAND`: the course's command line (see ``grader.cli``)."""

import sys

from grader.cli import main

if __name__ == "__main__":
    sys.exit(main())
