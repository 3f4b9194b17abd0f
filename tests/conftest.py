"""Shared test settings: kept minimal on purpose.

The tree mirrors the packages (framinglib/, grader/<package>/, lessons/); test files have
unique basenames and test folders no __init__.py (test_layout.py says why and checks it).
"""

from hypothesis import settings

# The suite shares two cores with other work; a per-example deadline would turn a busy
# machine into flaky failures. Hypothesis's own health checks still catch slow strategies.
settings.register_profile("course", deadline=None)
settings.load_profile("course")
