"""Running the course on a shared machine (a JupyterHub host with real users).

What it owns: where an instructor command finds its course directory (`discovery`), keeping
what the grader writes there private to the instructor (`privacy`), the course secret that
makes each student's graded cases unpredictable from the check code (`secret`), and
`python -m grader doctor`, which checks a deployment and names the fix for each problem
(`doctor`). The strategy is nbgrader's own where it has one (the course directory is found
the way `nbgrader` finds it) and the operating system's where it does not: file modes and a
private umask rather than a permission layer of the grader's own.
"""
