"""Build the learners' wheel: framinglib plus the part of grader a learner's kernel runs.

    python deploy/learners/build_wheel.py [--out DIR]    # prints the wheel's path

A learner's server needs `framinglib` (the lessons' pictures, player and explorer) and the
self-checks (`from grader.notebook import check`, `framing-check FILE`). It must not carry the
lessons' source notebooks (solutions, hidden tests), the demo class, the instructor's workflow or
the test corpus. So the wheel is not the repository's package list with files taken out (a new
instructor module would then leak by default): it holds exactly the modules that the learner's
entry points import, found by reading their import statements (lazy ones in functions too), and
nothing else. The modules are staged in a scratch folder with a pyproject of their own and built
with pip's ordinary wheel build; the version and the dependency pins come from the repository's
pyproject.toml, so they cannot drift apart.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DIST_NAME = "framing-course-learners"
#: What a learner's kernel and shell call; everything they import comes along.
ENTRY_MODULES = ("grader.notebook", "grader.check_cli")
#: Shipped whole: the library and its visuals are what the lessons teach with.
WHOLE_PACKAGES = ("framinglib",)
#: What the learner's side imports from outside the standard library (pins from pyproject).
RUNTIME_DEPENDENCIES = ("ipywidgets", "matplotlib", "nbformat")
CONSOLE_SCRIPT = "framing-check = grader.check_cli:main"


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
        chosen[name] = path
        todo += _imported_names(name, path)
        # A module is importable only with every package above it.
        parent = name.rpartition(".")[0]
        if parent:
            todo.append(parent)
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


def _stage(scratch: Path) -> None:
    pins = _pins()
    modules = learner_modules()
    packages = sorted({name if path.name == "__init__.py" else name.rpartition(".")[0]
                       for name, path in modules.items()})
    for path in modules.values():
        target = scratch / path.relative_to(REPO_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    dependencies = [pins.get(name, name) for name in RUNTIME_DEPENDENCIES]
    script_name, _, script_target = CONSOLE_SCRIPT.partition(" = ")
    (scratch / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{DIST_NAME}"\nversion = "{pins["__version__"]}"\n'
        'description = "The framing course for learners: framinglib and the self-checks."\n'
        f'requires-python = "{pins["__python__"]}"\n'
        f"dependencies = {dependencies!r}\n\n"
        f'[project.scripts]\n{script_name} = "{script_target}"\n\n'
        f"[tool.setuptools]\npackages = {packages!r}\n"
    )


def build(out_dir: Path) -> Path:
    """Build the wheel into `out_dir`; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="framing-learners-") as scratch:
        stage = Path(scratch) / "stage"
        _stage(stage)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                        "--wheel-dir", str(out_dir), str(stage)], check=True)
    version = _pins()["__version__"]
    wheel = out_dir / f"{DIST_NAME.replace('-', '_')}-{version}-py3-none-any.whl"
    if not wheel.is_file():
        raise SystemExit(f"pip reported success but {wheel} is missing")
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
