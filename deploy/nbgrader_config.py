# The system-wide nbgrader settings of a JupyterHub that runs the framing course.
#
# Install as /etc/jupyter/nbgrader_config.py on the hub host, so that every user's server (the
# learners' Assignments tab) and the instructor's `nbgrader` commands agree on the course and on
# the exchange. Course-specific settings (grading, preprocessors, the gradebook) are not here:
# `python -m grader` writes them into the course directory's own nbgrader_config.py.
c = get_config()  # noqa: F821 (nbgrader supplies get_config)

#: The course's id in the exchange: what learners see in the Assignments tab.
COURSE_ID = "framing-course"
#: nbgrader's exchange: created by root, world-writable with the sticky bit (see README).
EXCHANGE_ROOT = "/srv/nbgrader/exchange"

c.CourseDirectory.course_id = COURSE_ID
c.Exchange.root = EXCHANGE_ROOT
# A fetched lesson lands in ~/03-reassembly, not ~/framing-course/03-reassembly.
c.Exchange.path_includes_course = False
