"""Where nbgrader's exchange keeps a student's submission, found the way nbgrader finds it.

`nbgrader submit` copies a learner's folder to ``EXCHANGE/COURSE_ID/inbound/`` under the name
``STUDENT+LESSON+TIMESTAMP`` (``+RANDOM`` when ``Exchange.add_random_string`` is set) and
writes the same TIMESTAMP into its ``timestamp.txt``; `nbgrader collect` copies the newest one
to ``submitted/STUDENT/LESSON``. So the inbound copy of a collected submission is the folder
whose name carries that student, that lesson and the timestamp the collected copy holds.

The exchange's root and the course id come from nbgrader's own configuration files, read in
nbgrader's order (Jupyter's config path from the system up to the user, then the current
directory, then the course directory), so the grader looks where `nbgrader collect` looked.
Nothing here writes to the exchange.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ExchangeInbound", "find_inbound", "nbgrader_default_exchange_root",
           "read_exchange_settings"]


def nbgrader_default_exchange_root() -> str:
    """``Exchange.root`` when no configuration sets it: the installed nbgrader's own default.

    Read from nbgrader itself (``/usr/local/share/nbgrader/exchange`` in 0.9), not restated,
    so the grader looks where this nbgrader looks.
    """
    from nbgrader.exchange.default.exchange import Exchange

    return str(Exchange.class_traits()["root"].default_value)


@dataclass(frozen=True)
class ExchangeInbound:
    """The exchange's inbound folder of this course, or why it cannot be read."""

    folder: Path | None
    #: Why `folder` is None (one phrase, for the instructor's log); empty when it is set.
    unreadable_because: str = ""

    def copies_of(self, student: str, lesson: str, timestamp: str | None) -> list[Path]:
        """The inbound folders holding `student`'s submission of `lesson` made at `timestamp`.

        A name is ``STUDENT+LESSON+TIMESTAMP``, perhaps followed by ``+RANDOM``; several
        folders match when nbgrader added random suffixes.
        """
        if self.folder is None or not timestamp:
            return []
        prefix = f"{student}+{lesson}+"
        return sorted(
            entry for entry in self.folder.glob(_glob_escape(prefix) + "*")
            if entry.name.startswith(prefix)
            and _names_timestamp(entry.name[len(prefix):], timestamp.strip())
            and entry.is_dir()
        )


def _names_timestamp(rest: str, timestamp: str) -> bool:
    return rest == timestamp or rest.startswith(timestamp + "+")


def _glob_escape(text: str) -> str:
    return "".join(f"[{char}]" if char in "*?[" else char for char in text)


def read_exchange_settings(
    course_root: Path, config_dirs: Sequence[Path] | None = None
) -> tuple[str, str]:
    """(exchange root, course id) from nbgrader's configuration files, nbgrader's defaults else.

    Read as `nbgrader collect` reads them when run in the course directory (as `python -m
    grader collect` runs it): Jupyter's config folders (``config_dirs``, highest priority
    first; default: Jupyter's own), then the course directory's own file. Raises whatever a
    broken config file raises (the caller reports it as a reason).
    """
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import (
        ConfigFileNotFound,
        JSONFileConfigLoader,
        PyFileConfigLoader,
    )

    # The config path lists the highest priority first; the lowest priority loads first.
    dirs = config_dirs if config_dirs is not None else jupyter_config_path()
    folders = [*(str(folder) for folder in reversed(list(dirs))), str(course_root)]
    merged = Config()
    seen: set[str] = set()
    for folder in folders:
        if folder in seen:
            continue
        seen.add(folder)
        for loader in (PyFileConfigLoader("nbgrader_config.py", path=folder),
                       JSONFileConfigLoader("nbgrader_config.json", path=folder)):
            try:
                merged.merge(loader.load_config())
            except ConfigFileNotFound:
                continue
    exchange = merged.get("Exchange", {})
    course_dir = merged.get("CourseDirectory", {})
    return (str(exchange.get("root") or nbgrader_default_exchange_root()),
            str(course_dir.get("course_id", "")))


def find_inbound(course_root: Path, config_dirs: Sequence[Path] | None = None) -> ExchangeInbound:
    """This course's inbound folder, if nbgrader's configuration names one this user can list."""
    try:
        root, course_id = read_exchange_settings(course_root, config_dirs)
    except Exception as error:  # a broken config file: say so, compare nothing
        return ExchangeInbound(None, f"nbgrader's configuration could not be read "
                                     f"({type(error).__name__}: {error})")
    if not course_id:
        return ExchangeInbound(None, "nbgrader's configuration names no "
                                     "CourseDirectory.course_id, so no exchange")
    inbound = Path(root) / course_id / "inbound"
    if not inbound.is_dir():
        return ExchangeInbound(None, f"there is no exchange inbound folder {inbound}")
    if not os.access(inbound, os.R_OK | os.X_OK):
        return ExchangeInbound(None, f"this user cannot list the exchange inbound folder "
                                     f"{inbound}")
    return ExchangeInbound(inbound)
