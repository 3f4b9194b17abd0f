"""Keeping the course directory the instructor's: a private umask, repaired modes, warnings.

Everything an instructor command writes (gradebook, reports, logs, preflight copies,
autograded notebooks, feedback, the course secret) is created under umask 077, so it is
readable by the instructor's user only, whatever the shell's umask was. Two exceptions are made
on purpose, each inside a directory only the instructor can enter: `release/` stays readable
because `nbgrader release_assignment` copies it into the exchange for everyone, and a feedback
page stays 0644 because `nbgrader release_feedback` copies its mode into the exchange, where the
learner (another user) must read it under a name only they can compute.

`nbgrader collect` copies submissions with the modes `nbgrader submit` gave them (the lesson
folder 0777): `repair_submitted` closes them before grading. A course directory or gradebook that
other users can read is not changed behind the instructor's back; every instructor command warns
about it, naming the path and the command that fixes it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
#: Mode bits that let another user (group or others) in.
OTHERS_BITS = 0o077


def use_private_umask() -> int:
    """From now on this process (and what it starts) creates files for its user only."""
    return os.umask(PRIVATE_UMASK)


def mode_of(path: Path) -> int:
    """The permission bits of ``path`` itself (a symlink is not followed)."""
    return stat.S_IMODE(path.lstat().st_mode)


def exposure_warnings(course_root: Path, gradebook: Path | None) -> list[str]:
    """One warning per place others can read: the course directory, the gradebook file."""
    warnings = []
    if course_root.is_dir() and mode_of(course_root) & OTHERS_BITS:
        warnings.append(
            f"warning: other users can enter the course directory {course_root} (mode "
            f"{mode_of(course_root):o}): run `chmod 700 {course_root}`")
    if gradebook is not None and gradebook.is_file() and mode_of(gradebook) & OTHERS_BITS:
        warnings.append(
            f"warning: other users can read the gradebook {gradebook} (mode "
            f"{mode_of(gradebook):o}): run `chmod 600 {gradebook}`")
    return warnings


def repair_submitted(submitted: Path) -> list[Path]:
    """Close every folder and file under `submitted/` to other users; return what changed.

    Folders become 0700 and files 0600 (their owner's bits are kept), so no student can
    replace another's submission between collect and grading. Symlinks are left alone: a
    submission holds none, and chmod would follow them.
    """
    changed = []
    if not submitted.is_dir():
        return changed
    for folder, dirs, files in os.walk(submitted):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink():
                continue
            mode = mode_of(path)
            if mode & OTHERS_BITS:
                path.chmod(mode & ~OTHERS_BITS)
                changed.append(path)
    if mode_of(submitted) & OTHERS_BITS:
        submitted.chmod(mode_of(submitted) & ~OTHERS_BITS)
        changed.append(submitted)
    return changed


def make_shareable(page: Path) -> None:
    """A feedback page readable by its learner once release_feedback copies it (see above)."""
    page.chmod(0o644)
