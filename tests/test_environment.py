"""environment.yml (conda) and pyproject.toml (pip) must name the same dependencies.

conda cannot run here, so the check parses both files: every package with its
version specifiers, the ``pip:`` section's entries included; ``python``, ``pip``
and the project's own ``-e .`` are not dependencies of the course.
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOT_DEPENDENCIES = {"python", "pip"}
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$")

Dependencies = dict[str, frozenset[str]]


def parse_requirement(text: str) -> tuple[str, frozenset[str]]:
    """``"nbgrader>=0.9.6,<0.10"`` -> ``("nbgrader", {">=0.9.6", "<0.10"})``, name normalised."""
    match = REQUIREMENT.match(text)
    if not match:
        raise ValueError(f"cannot read requirement {text!r}")
    name, _, specifiers = match.groups()
    clauses = frozenset(c.replace(" ", "") for c in specifiers.split(",") if c.strip())
    return re.sub(r"[-_.]+", "-", name).lower(), clauses


def collect(entries: list[str], source: str) -> Dependencies:
    found: Dependencies = {}
    for entry in entries:
        name, clauses = parse_requirement(entry)
        if name in found:
            raise AssertionError(f"{source} names {name} twice")
        found[name] = clauses
    return found


def pyproject_dependencies(pyproject: dict) -> Dependencies:
    project = pyproject["project"]
    entries = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        entries += extra
    return collect(entries, "pyproject.toml")


def conda_dependencies(environment: dict) -> Dependencies:
    entries: list[str] = []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            assert set(entry) == {"pip"}, f"unexpected section in environment.yml: {entry}"
            entries += [e for e in entry["pip"] if not e.strip().startswith("-e ")]
        else:
            assert isinstance(entry, str), f"unexpected entry in environment.yml: {entry!r}"
            entries.append(entry)
    found = collect(entries, "environment.yml")
    return {name: clauses for name, clauses in found.items() if name not in NOT_DEPENDENCIES}


def differences(pip: Dependencies, conda: Dependencies) -> list[str]:
    problems = [f"{n} only in pyproject.toml" for n in sorted(pip.keys() - conda.keys())]
    problems += [f"{n} only in environment.yml" for n in sorted(conda.keys() - pip.keys())]
    problems += [
        f"{n}: pyproject.toml says {sorted(pip[n])}, environment.yml says {sorted(conda[n])}"
        for n in sorted(pip.keys() & conda.keys())
        if pip[n] != conda[n]
    ]
    return problems


@pytest.fixture(scope="module")
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_both_files_name_the_same_dependencies(pyproject, environment):
    pip, conda = pyproject_dependencies(pyproject), conda_dependencies(environment)
    assert pip, "pyproject.toml names no dependencies"
    assert differences(pip, conda) == []


def test_environment_installs_the_project_itself(environment):
    pip_section = [e for e in environment["dependencies"] if isinstance(e, dict)]
    assert any(e.strip() == "-e ." for section in pip_section for e in section["pip"])


def test_a_package_gained_on_either_side_is_caught(pyproject, environment):
    # The comparison itself must be able to fail: add a package to each side in turn.
    gained = copy.deepcopy(environment)
    gained["dependencies"].append("numpy>=2")
    assert differences(pyproject_dependencies(pyproject), conda_dependencies(gained)) == [
        "numpy only in environment.yml"
    ]
    in_pip = copy.deepcopy(environment)
    next(e for e in in_pip["dependencies"] if isinstance(e, dict))["pip"].append("rich")
    assert "rich only in environment.yml" in differences(
        pyproject_dependencies(pyproject), conda_dependencies(in_pip)
    )
    more = copy.deepcopy(pyproject)
    more["project"]["dependencies"].append("Some_Package>=1")
    assert differences(pyproject_dependencies(more), conda_dependencies(environment)) == [
        "some-package only in pyproject.toml"
    ]


def test_a_changed_specifier_is_caught(pyproject, environment):
    changed = copy.deepcopy(environment)
    entries = changed["dependencies"]
    pip = pyproject_dependencies(pyproject)
    index, name = next(
        (i, parse_requirement(e)[0]) for i, e in enumerate(entries)
        if isinstance(e, str) and pip.get(parse_requirement(e)[0])
    )
    entries[index] = name  # the same package, its version constraint dropped
    assert differences(pip, conda_dependencies(changed)) == [
        f"{name}: pyproject.toml says {sorted(pip[name])}, environment.yml says []"
    ]


def test_parse_requirement():
    assert parse_requirement("nbgrader >= 0.9.6, <0.10") == ("nbgrader", {">=0.9.6", "<0.10"})
    assert parse_requirement("Psycopg2_Binary") == ("psycopg2-binary", frozenset())
    assert parse_requirement("twisted[tls]>=24.3") == ("twisted", {">=24.3"})
    with pytest.raises(ValueError):
        parse_requirement(">=1.0")
