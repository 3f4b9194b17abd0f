"""A corpus of answers, correct and broken, with the outcome each must get.

Layout: ``answers/<task>/correct/*.py`` must earn full marks;
``answers/<task>/broken/*.py`` start with ``# expect-fail: ...`` naming exactly
the checks that must fail (``all``, ``all except a, b`` or a list; ``answer``
when the answer cannot be run at all), then `` | diagnosis: ID``: the id of the
misconception the diagnosis must name (``none`` when no known misconception
behaves like the answer, as for the tricks). A first line without a diagnosis
part still reads as before (``expected_diagnosis`` then says so).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parent

#: Broken answers that do no framing at all (every task has them): each must score 0.
NON_FRAMING = frozenset({"unframed", "does_nothing", "refuses_everything"})


def answer_files(task: str, kind: str) -> list[Path]:
    """The answer files of ``task`` in ``kind`` (``correct`` or ``broken``), sorted."""
    return sorted((ROOT / task / kind).glob("*.py"))


def answer_source(task: str, kind: str, name: str) -> str:
    """The source of one corpus answer: ``answer_source("on_bytes", "broken", "never_trims")``."""
    return (ROOT / task / kind / f"{name}.py").read_text(encoding="utf-8")


_PREFIX = "# expect-fail:"
_DIAGNOSIS = "diagnosis:"


def _first_line_parts(path: Path) -> tuple[str, str | None]:
    """The expect-fail part and the diagnosis part (``None`` if absent) of the first line."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    if not first.startswith(_PREFIX):
        raise ValueError(f"{path.name} does not start with {_PREFIX!r}")
    failing, _, rest = first[len(_PREFIX) :].partition("|")
    if not rest:
        return failing.strip(), None
    rest = rest.strip()
    if not rest.startswith(_DIAGNOSIS):
        raise ValueError(f"{path.name}: after '|' the first line must say {_DIAGNOSIS!r}")
    return failing.strip(), rest[len(_DIAGNOSIS) :].strip()


def expected_diagnosis(path: Path) -> str | None:
    """The misconception id the diagnosis must name ("none": no match), or ``None`` when
    the first line does not say."""
    return _first_line_parts(path)[1]


def expected_failures(path: Path, all_checks: list[str]) -> set[str]:
    """The checks an answer in the broken corpus must fail, from its first line."""
    spec = _first_line_parts(path)[0]
    if spec == "all":
        return set(all_checks)
    if spec.startswith("all except "):
        excluded = {name.strip() for name in spec[len("all except ") :].split(",")}
        unknown = excluded - set(all_checks)
        if unknown:
            raise ValueError(f"{path.name} names unknown checks {sorted(unknown)}")
        return set(all_checks) - excluded
    named = {name.strip() for name in spec.split(",")}
    unknown = named - set(all_checks) - {"answer"}
    if unknown:
        raise ValueError(f"{path.name} names unknown checks {sorted(unknown)}")
    return named
