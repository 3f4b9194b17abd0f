"""Shared test settings: kept minimal on purpose.

The tree mirrors the packages (framinglib/, grader/<package>/, lessons/); test files have
unique basenames and test folders no __init__.py (test_layout.py says why and checks it).
"""

import os

import pytest
from hypothesis import settings

# The suite shares two cores with other work; a per-example deadline would turn a busy
# machine into flaky failures. Hypothesis's own health checks still catch slow strategies.
settings.register_profile("course", deadline=None)
settings.load_profile("course")


@pytest.fixture(autouse=True)
def _keep_umask():
    """Instructor commands set a private umask for their process; run in-process by a test,
    they must not change the umask of the tests that follow."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)
