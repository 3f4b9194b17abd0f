"""Shared test settings: kept minimal on purpose."""

from hypothesis import settings

# The suite shares two cores with other work; a per-example deadline would turn a busy
# machine into flaky failures. Hypothesis's own health checks still catch slow strategies.
settings.register_profile("course", deadline=None)
settings.load_profile("course")
