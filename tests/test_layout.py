"""The test tree's one naming rule: test files have unique basenames, test folders no __init__.

pytest imports each test file by its basename with its folder on sys.path ("rootdir-less"
prepend mode), so two `test_x.py` in different folders would collide; an `__init__.py` in
`tests/grader/` would instead make pytest import `grader.*` from the test tree and shadow the
real package. Support modules live in `tests/support/` (a package) and data in
`tests/answers/` and `tests/submissions/`.
"""

from __future__ import annotations

from collections import Counter

from support.paths import TESTS

DATA_PACKAGES = {"answers", "submissions", "support"}


def test_test_files_have_unique_basenames():
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []


def test_test_folders_are_not_packages():
    inits = [path.relative_to(TESTS) for path in TESTS.rglob("__init__.py")
             if path.relative_to(TESTS).parts[0] not in DATA_PACKAGES]
    assert inits == []
