"""The class picture: what an instructor re-teaches next lecture, from one lesson's grading.

What it owns: turning every student's graded reports for a lesson into a ``ClassPicture``
(``picture``: score distribution, misconceptions by number of students, checks failed by
share of the class, grading time, who has which diagnosis) and writing it as an HTML page
with matplotlib plots and a CSV (``page``). ``python -m grader insight LESSON`` is the
command.

Strategy: the numbers come only from what grading already stored (the gradebook's scores,
the per-student reports with their diagnoses and timings), so the page costs no grading
and reads the same on SQLite and on a PostgreSQL gradebook shared by several hosts.
Plots are PNGs embedded in the page, so it is one file to mail or open anywhere.
"""

from .page import render_csv, render_html
from .picture import ClassPicture, StudentRecord, TaskRecord, class_picture

__all__ = ["ClassPicture", "StudentRecord", "TaskRecord", "class_picture", "render_csv",
           "render_html"]
