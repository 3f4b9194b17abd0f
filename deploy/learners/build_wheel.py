"""Build the learners' wheel: framinglib plus the part of grader a learner's kernel runs.

    python deploy/learners/build_wheel.py [--out DIR]    # prints the wheel's path

A learner's server needs `framinglib` (the lessons' pictures, player and explorer) and the
self-checks (`from grader.notebook import check`). It must not carry the
lessons' source notebooks (solutions, hidden tests), the demo class, the instructor's workflow or
the test corpus. So the wheel is not the repository's package list with files taken out (a new
instructor module would then leak by default): it holds exactly the modules that the learner's
entry points import, found by reading their import statements (lazy ones in functions too), and
nothing else. The version and the dependency pins come from the repository's pyproject.toml, so
they cannot drift apart.
"""

from __future__ import annotations

import argparse
import ast
import base64
import hashlib
import sys
import tomllib
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DIST_NAME = "framing-course-learners"
#: What a learner's kernel calls (`from grader.notebook import check`); all it imports comes along.
ENTRY_MODULES = ("grader.notebook",)
#: Read as source rather than imported, so the import walk cannot see them: the checks' child is
#: read by grader.sandbox.runner and run in the sandbox.
SOURCE_FILES = ("grader/sandbox/child_protocol.py", "grader/sandbox/child_sockets.py",
                "grader/sandbox/child.py")
#: Left out although the walk finds them: the misconception library's trusted mutants are
#: near-copies of the lessons' solutions. grader.grading grades without it (no diagnosis).
INSTRUCTOR_ONLY = ("grader.diagnosis",)
#: Data the self-checks read, copied to where the module looks first (wheel path: repo path).
DATA_FILES = {
    f"grader/lessons/lesson07_data/{name}.json": f"notebooks/07-in-the-wild/data/{name}.json"
    for name in ("postgres", "postgres-grading")
}
#: Shipped whole: the library and its visuals are what the lessons teach with.
WHOLE_PACKAGES = ("framinglib",)
#: What the learner's side imports from outside the standard library (pins from pyproject).
RUNTIME_DEPENDENCIES = ("ipywidgets", "matplotlib", "nbformat")


def module_file(name: str) -> Path | None:
    """The source file of a first-party module (a package's __init__.py), or None."""
    base = REPO_ROOT.joinpath(*name.split("."))
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


def _imported_names(name: str, path: Path) -> set[str]:
    """Every first-party module `path` (module `name`) imports, anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            # `from pkg import mod` imports a module when `mod` is one.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {item for item in found if module_file(item) is not None}


def learner_modules() -> dict[str, Path]:
    """module name -> source file, for everything the learners' wheel holds."""
    missing = [name for name in ENTRY_MODULES if module_file(name) is None]
    if missing:
        raise SystemExit(f"build_wheel.py: entry module(s) {missing} no longer exist: update "
                         "ENTRY_MODULES")
    todo = list(ENTRY_MODULES)
    for package in WHOLE_PACKAGES:
        todo += [".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)
                 .removesuffix(".__init__")
                 for path in sorted((REPO_ROOT / package).rglob("*.py"))]
    chosen: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        path = module_file(name)
        if name in chosen or path is None:
            continue
        if any(name == left or name.startswith(left + ".") for left in INSTRUCTOR_ONLY):
            continue
        chosen[name] = path
        todo += _imported_names(name, path)
        # A module is importable only with every package above it.
        parent = name.rpartition(".")[0]
        if parent:
            todo.append(parent)
    for relative in SOURCE_FILES:
        path = REPO_ROOT / relative
        if not path.is_file():
            raise SystemExit(f"build_wheel.py: {relative} no longer exists: update SOURCE_FILES")
        chosen[".".join(Path(relative).with_suffix("").parts)] = path
    return chosen


def _pins() -> dict[str, str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for requirement in project["dependencies"]:
        bare = requirement.split(";")[0].strip()
        name = bare
        for stop in "<>=!~[ ":
            name = name.split(stop)[0]
        pins[name.lower()] = bare
    pins["__version__"] = project["version"]
    pins["__python__"] = project["requires-python"]
    return pins


def _dist_info(pins: dict[str, str]) -> dict[str, str]:
    """The wheel's metadata files (PEP 427, core metadata 2.1), by name."""
    version = pins["__version__"]
    requires = "".join(f"Requires-Dist: {pins.get(name, name)}\n"
                       for name in RUNTIME_DEPENDENCIES)
    return {
        "METADATA": (f"Metadata-Version: 2.1\nName: {DIST_NAME}\nVersion: {version}\n"
                     "Summary: The framing course for learners: framinglib and the self-checks.\n"
                     f"Requires-Python: {pins['__python__']}\n{requires}"),
        "WHEEL": ("Wheel-Version: 1.0\nGenerator: framing-course build_wheel.py\n"
                  "Root-Is-Purelib: true\nTag: py3-none-any\n"),
        "top_level.txt": "".join(f"{name}\n" for name in sorted(
            {name.split(".")[0] for name in learner_modules()})),
    }


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}\n"


def build(out_dir: Path) -> Path:
    """Write the wheel into `out_dir`; return its path.

    The wheel is written here with the standard library (a zip with a dist-info folder and a
    RECORD of hashes), not by a build backend: the learners' venv need not download setuptools
    to build it, and the same sources always give the same files.
    """
    pins = _pins()
    version = pins["__version__"]
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{DIST_NAME.replace('-', '_')}-{version}-py3-none-any.whl"
    info = f"{DIST_NAME.replace('-', '_')}-{version}.dist-info"
    members = {str(path.relative_to(REPO_ROOT)): path.read_bytes()
               for path in sorted(learner_modules().values())}
    for name, relative in DATA_FILES.items():
        if not (REPO_ROOT / relative).is_file():
            raise SystemExit(f"build_wheel.py: {relative} no longer exists: update DATA_FILES")
        members[name] = (REPO_ROOT / relative).read_bytes()
    members.update({f"{info}/{name}": text.encode() for name, text in _dist_info(pins).items()})
    record = "".join(_record_line(name, data) for name, data in members.items())
    record += f"{info}/RECORD,,\n"
    partial = wheel.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*members.items(), (f"{info}/RECORD", record.encode())]:
            entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data, zipfile.ZIP_DEFLATED)
    partial.replace(wheel)
    return wheel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "dist",
                        help="folder for the wheel (default: dist/ at the repository root)")
    args = parser.parse_args()
    print(build(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
