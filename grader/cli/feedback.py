"""`feedback LESSON`: the course's feedback HTML into COURSE/feedback/STUDENT/LESSON."""

from __future__ import annotations

import argparse
import sys

from .options import add_lesson_options, course_from

HELP = "write the course's feedback HTML for a lesson"
DESCRIPTION = __doc__
add_arguments = add_lesson_options


def run(args: argparse.Namespace) -> int:
    from grader.feedback.pages import write_feedback

    course = course_from(args)
    written = write_feedback(course, args.lesson)
    for path in written:
        print(path)
    if not written:
        print(f"no graded submissions of {args.lesson} in {course.root}: run "
              f"`python -m grader autograde {args.lesson}` first", file=sys.stderr)
    return 0
