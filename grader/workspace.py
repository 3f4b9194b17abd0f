"""`make lab`: a self-paced learner's working copies of every lesson, in work/.

The copies are the release versions (no solutions, no hidden tests), generated with nbgrader the
first time and again only when a lesson's source changes. A learner's file is never overwritten:
when a lesson changes after it was copied, the new version arrives beside the old copy as
`NAME-vHASH.ipynb`. `work/.workspace.json` remembers what was copied.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from grader.course import Course
from grader.settings import DEFAULT_SOURCE_DIR, DEFAULT_WORKSPACE

__all__ = ["DEFAULT_WORKSPACE", "create_workspace", "place_file"]

MANIFEST_NAME = ".workspace.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sources_fingerprint(source_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(source_dir.rglob("*")):
        if path.is_file() and ".ipynb_checkpoints" not in path.parts:
            digest.update(str(path.relative_to(source_dir)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _load_manifest(dest: Path) -> dict:
    path = dest / MANIFEST_NAME
    if path.exists():
        try:
            return json.loads(path.read_text())
        except json.JSONDecodeError:
            pass  # a damaged manifest only means files are compared afresh
    return {"fingerprint": "", "files": {}}


def _release_all(source_dir: Path, into: Path) -> Path:
    """Generate every lesson's release version in a throwaway course; return its release/."""
    from grader.autograde.release import release

    course = Course(root=into, source_dir=source_dir, sandbox_kernel=False)
    for lesson in course.lessons():
        release(course, lesson)
    return course.path("release")


def place_file(new: Path, target: Path, recorded: str | None) -> tuple[Path | None, str]:
    """Put release file `new` at `target` unless that would overwrite a learner's work.

    Returns (where it was written or None, what happened). `recorded` is the digest of the
    version copied last time (None if never copied).
    """
    new_digest = _digest(new)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(new, target)
        return target, "added"
    if recorded == new_digest or _digest(target) == new_digest:
        return None, "unchanged"
    beside = target.with_name(f"{target.stem}-v{new_digest[:8]}{target.suffix}")
    if beside.exists():
        return None, "unchanged"
    shutil.copy2(new, beside)
    return beside, "newer version beside your copy"


def create_workspace(dest: Path | None = None, source_dir: Path = DEFAULT_SOURCE_DIR) -> list[str]:
    """Bring `dest` (default work/) up to date with the lessons; return what changed."""
    dest = Path(dest or DEFAULT_WORKSPACE)
    dest.mkdir(parents=True, exist_ok=True)
    manifest = _load_manifest(dest)
    fingerprint = _sources_fingerprint(source_dir)
    changes: list[str] = []
    if manifest["fingerprint"] == fingerprint:
        print(f"{dest}: every lesson is up to date")
        return changes
    with tempfile.TemporaryDirectory(prefix="framing-release-") as scratch:
        release_dir = _release_all(source_dir, Path(scratch) / "course")
        for new in sorted(path for path in release_dir.rglob("*") if path.is_file()):
            relative = str(new.relative_to(release_dir))
            written, what = place_file(new, dest / relative, manifest["files"].get(relative))
            manifest["files"][relative] = _digest(new)
            if written is not None:
                changes.append(f"{written.relative_to(dest)}: {what}")
    manifest["fingerprint"] = fingerprint
    (dest / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1))
    for change in changes:
        print(change)
    print(f"{dest}: {len(changes)} file(s) added or updated")
    return changes
