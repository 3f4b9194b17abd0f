"""`python -m grader doctor`: check a deployment; print each problem with its fix; exit 1 if any.

Each check is a function returning `Finding`s, small enough to be tested on its own with a
temporary folder standing in for the machine:

- bubblewrap can start a sandbox (as the instructor, and as an unprivileged user when run as
  root: learners' self-checks run unprivileged);
- the course directory, the gradebook and what the grader wrote are the instructor's only, and
  `submitted/` is not writable by others;
- nbgrader's exchange root exists, is world-writable (learners submit into it) and sticky (no
  learner can rename or delete the course's folder in it);
- in the learners' environment nbgrader's instructor plug-ins are disabled and locked, the
  formgrader's server extension is off, and the course is not installed from a checkout
  (which would put the solutions in every learner's reach);
- no home directory can be read by other users;
- the gradebook's database answers.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from grader import settings
from grader.course import sqlite_file
from grader.deployment.privacy import OTHERS_BITS, mode_of
from grader.deployment.secret import SECRET_FILE
from grader.settings import ENV_LEARNERS_ENV

INSTRUCTOR_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list")
#: nbgrader's instructor-side server extensions, off in the learners' environment
#: (deploy/learners/install.sh turns both off).
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader",
                                "nbgrader.server_extensions.course_list")
#: Accounts of people (Debian's UID_MIN..UID_MAX); system accounts have no home to protect.
PERSON_UIDS = range(1000, 60000)
#: What the grader writes in a course directory (release/ is public on purpose).
PRIVATE_PARTS = ("submitted", "autograded", "feedback", "reports", "logs", "preflight",
                 "insight", settings.COLLECT_RECORDS_DIR, settings.SET_ASIDE_DIR, SECRET_FILE)
NOBODY = settings.NOBODY_UID


@dataclass(frozen=True)
class Finding:
    """One check's result: `ok` or a problem, what was seen, and the fix."""

    ok: bool
    what: str
    fix: str = ""

    def lines(self) -> list[str]:
        if self.ok:
            return [f"ok       {self.what}"]
        return [f"PROBLEM  {self.what}", f"         fix: {self.fix}"]


# --- bubblewrap ----------------------------------------------------------------------------------


def check_bubblewrap(bwrap: str = "bwrap") -> list[Finding]:
    found = shutil.which(bwrap)
    if found is None:
        return [Finding(False, "bubblewrap (bwrap) is not installed: learner code would run "
                        "unsandboxed", "apt-get install bubblewrap")]
    probe = [found, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
             "--unshare-all", "--die-with-parent", "true"]
    runs = [("the instructor", probe)]
    if os.geteuid() == 0:
        runs.append(("an unprivileged user (uid 65534)",
                     ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                      *probe]))
    findings = []
    for who, command in runs:
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=30)
            error = result.stderr.strip() if result.returncode else ""
        except (OSError, subprocess.TimeoutExpired) as failure:
            error = str(failure)
        if error or result.returncode:
            findings.append(Finding(
                False, f"bubblewrap cannot start a sandbox as {who}: {error or 'it failed'}",
                "allow unprivileged user namespaces (sysctl user.max_user_namespaces > 0; on "
                "Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0 or an "
                "AppArmor profile for bwrap)"))
        else:
            findings.append(Finding(True, f"bubblewrap starts a sandbox as {who}"))
    return findings


# --- the course directory ------------------------------------------------------------------------


def check_course_dir(course_root: Path, gradebook: Path | None) -> list[Finding]:
    if not course_root.is_dir():
        return [Finding(False, f"no course directory at {course_root}",
                        "pass --course DIR, run in the course directory, or create it with "
                        "`python -m grader release LESSON --course DIR`")]
    findings = []
    if mode_of(course_root) & OTHERS_BITS:
        findings.append(Finding(False, f"other users can enter the course directory "
                                f"{course_root} (mode {mode_of(course_root):o})",
                                f"chmod 700 {course_root}"))
    else:
        findings.append(Finding(True, f"the course directory {course_root} is the "
                                "instructor's only"))
    if gradebook is not None and gradebook.exists():
        if mode_of(gradebook) & OTHERS_BITS:
            findings.append(Finding(False, f"other users can read the gradebook {gradebook} "
                                    f"(mode {mode_of(gradebook):o})", f"chmod 600 {gradebook}"))
        else:
            findings.append(Finding(True, f"the gradebook {gradebook} is the instructor's only"))
    open_paths = []
    if mode_of(course_root) & 0o011:  # others can pass through the course directory
        for part in PRIVATE_PARTS:
            if (course_root / part).exists():
                open_paths += _reachable_open_paths(course_root / part)
    if open_paths:
        shown = ", ".join(f"{path} ({mode_of(path):o})" for path in sorted(open_paths)[:3])
        present = " ".join(str(course_root / part) for part in PRIVATE_PARTS
                           if (course_root / part).exists())
        findings.append(Finding(False, f"{len(open_paths)} path(s) in the course directory "
                                f"are open to other users: {shown}", f"chmod -R go-rwx {present}"))
    return findings


def _reachable_open_paths(top: Path) -> list[Path]:
    """Paths under `top` another user can reach and read or write.

    A folder others cannot pass through (no x for group or others) hides all it holds, so a
    0444 file nbgrader wrote inside a 0700 folder is not open; what collect leaves 0777 inside
    folders others can pass through is.
    """
    found = []
    pending = [top]
    while pending:
        path = pending.pop()
        if path.is_symlink():
            continue
        mode = mode_of(path)
        if mode & 0o066:
            found.append(path)
        if path.is_dir() and mode & 0o011:
            pending.extend(path.iterdir())
    return found


# --- the exchange --------------------------------------------------------------------------------


def check_exchange(root: Path) -> list[Finding]:
    if not root.is_dir():
        return [Finding(False, f"nbgrader's exchange {root} does not exist",
                        f"sudo mkdir -p {root} && sudo chmod 1777 {root} (and name it for every "
                        "user: c.Exchange.root in /etc/jupyter/nbgrader_config.py, as "
                        "deploy/nbgrader_config.py does)")]
    mode = mode_of(root)
    findings = []
    if mode & 0o777 != 0o777:
        findings.append(Finding(False, f"the exchange {root} is mode {mode:o}: learners cannot "
                                "fetch or submit", f"sudo chmod 1777 {root}"))
    if not mode & stat.S_ISVTX:
        findings.append(Finding(False, f"the exchange {root} has no sticky bit: any learner can "
                                "rename or delete the course's folder in it and put their own "
                                "in its place", f"sudo chmod +t {root}"))
    if not findings:
        findings.append(Finding(True, f"the exchange {root} is world-writable and sticky"))
    return findings


def check_configured_exchange(course_root: Path, config_dirs: Sequence[Path]) -> list[Finding]:
    """The exchange nbgrader's configuration names, read as `collect` reads it."""
    from grader.autograde.inbound import read_exchange_settings

    try:
        root, _ = read_exchange_settings(course_root, config_dirs)
    except Exception as error:  # a broken config file: a finding, not a traceback
        return [Finding(False, f"nbgrader's configuration cannot be read ({type(error).__name__}: "
                               f"{error})",
                        "mend that nbgrader_config.py (in one of Jupyter's config folders, "
                        "`jupyter --paths`, or the course directory)")]
    return check_exchange(Path(root))


# --- the learners' environment -------------------------------------------------------------------


def _json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def check_learners_env(prefix: Path, system_etc: Path = Path("/etc/jupyter")) -> list[Finding]:
    if not (prefix / "bin" / "python").exists():
        return [Finding(False, f"no learners' environment at {prefix}",
                        f"build it with `sudo bash deploy/learners/install.sh {prefix}` or "
                        f"name it with --learners-env (or ${ENV_LEARNERS_ENV})")]
    findings = []
    disabled: set[str] = set()
    locked: set[str] = set()
    for etc in (system_etc, prefix / "etc" / "jupyter"):
        page = _json(etc / "labconfig" / "page_config.json")
        disabled |= {name for name, on in page.get("disabledExtensions", {}).items() if on}
        locked |= {name for name, on in page.get("lockedExtensions", {}).items() if on}
    for plugin in INSTRUCTOR_PLUGINS:
        if plugin not in disabled or plugin not in locked:
            state = "enabled" if plugin not in disabled else "disabled but not locked"
            findings.append(Finding(
                False, f"{plugin} is {state} for learners",
                f"{prefix}/bin/jupyter labextension disable --level=sys_prefix {plugin} && "
                f"{prefix}/bin/jupyter labextension lock --level=sys_prefix {plugin}"))
    if all(plugin in disabled and plugin in locked for plugin in INSTRUCTOR_PLUGINS):
        findings.append(Finding(True, "nbgrader's instructor plug-ins are disabled and locked "
                                "for learners"))
    etc_dirs = [system_etc, prefix / "etc" / "jupyter"]
    answering = [name for name in INSTRUCTOR_SERVER_EXTENSIONS
                 if server_extension_enabled(name, etc_dirs)]
    for name in answering:
        findings.append(Finding(
            False, f"the server extension {name} answers in learners' servers",
            f"{prefix}/bin/jupyter server extension disable --sys-prefix {name}"))
    if not answering:
        findings.append(Finding(True, "nbgrader's instructor server extensions (formgrader, "
                                "course list) are off for learners"))
    findings += _course_install_findings(prefix)
    return findings


def server_extension_enabled(name: str, etc_dirs_lowest_first: list[Path]) -> bool:
    """Whether jupyter_server would load extension ``name``, from its JSON config files."""
    enabled = False
    for etc in etc_dirs_lowest_first:
        files = sorted((etc / "jupyter_server_config.d").glob("*.json"))
        files.append(etc / "jupyter_server_config.json")
        for path in files:  # later files win, as in jupyter_server
            value = _json(path).get("ServerApp", {}).get("jpserver_extensions", {})
            if name in value:
                enabled = bool(value[name])
    return enabled


def _course_install_findings(prefix: Path) -> list[Finding]:
    site = sorted(prefix.glob("lib/python3*/site-packages"))
    full = [path for folder in site for path in folder.glob("framing_course-*.dist-info")]
    linked = []
    for folder in site:
        for pth in folder.glob("*.pth"):
            for line in pth.read_text(errors="replace").splitlines():
                target = Path(line.strip())
                if line.strip() and target.is_absolute() and (target / "notebooks").is_dir():
                    linked.append(target)
    if full or linked:
        return [Finding(False, f"the learners' environment {prefix} has the whole course "
                        "installed (with its source notebooks in reach of every learner): "
                        f"{', '.join(map(str, [*full, *linked]))}",
                        f"{prefix}/bin/pip uninstall -y framing-course && sudo bash "
                        f"deploy/learners/install.sh {prefix}")]
    return [Finding(True, "the learners' environment holds the learners' wheel, not the "
                    "course's checkout")]


# --- homes and the database ----------------------------------------------------------------------


def person_homes() -> list[Path]:
    import pwd

    return sorted({Path(entry.pw_dir) for entry in pwd.getpwall()
                   if entry.pw_uid in PERSON_UIDS and Path(entry.pw_dir).is_dir()})


def check_homes(homes: Iterable[Path]) -> list[Finding]:
    open_homes = [home for home in homes if mode_of(home) & 0o005]
    if not open_homes:
        return [Finding(True, "no home directory can be read by other users")]
    shown = ", ".join(f"{home} ({mode_of(home):o})" for home in open_homes[:3])
    return [Finding(False, f"{len(open_homes)} home folder(s) can be read by other users: "
                    f"{shown}",
                    "chmod 700 each of them, and set HOME_MODE 0700 in /etc/login.defs for new "
                    "users (deploy/jupyterhub_config.py also closes a learner's home before "
                    "their server starts)")]


def check_database(db_url: str) -> list[Finding]:
    from sqlalchemy import create_engine, text

    try:
        path = sqlite_file(db_url)
        if path is not None:
            if not path.exists():
                return [Finding(False, f"no gradebook at {path}",
                                "release a lesson first (`python -m grader release LESSON`)")]
        engine = create_engine(db_url, connect_args={} if db_url.startswith("sqlite")
                               else {"connect_timeout": 5})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # any driver's failure is the finding itself
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return [Finding(False, f"the gradebook database does not answer: {first}",
                        "check the URL (--db-url or FRAMING_COURSE_DB_URL), that the server "
                        "runs, and ~/.pgpass")]
    return [Finding(True, "the gradebook database answers")]


def run_doctor(course_root: Path, db_url: str, learners_env: Path, config_dirs: list[Path],
               homes: Iterable[Path] | None = None) -> list[Finding]:
    """Every check, in the order the docstring lists them."""
    gradebook = sqlite_file(db_url)
    return [
        *check_bubblewrap(),
        *check_course_dir(course_root, gradebook),
        *check_configured_exchange(course_root, config_dirs),
        *check_learners_env(learners_env),
        *check_homes(person_homes() if homes is None else homes),
        *check_database(db_url),
    ]


def report(findings: list[Finding]) -> tuple[str, int]:
    """The text to print and the exit status (1 when any problem was found)."""
    lines = [line for finding in findings for line in finding.lines()]
    problems = sum(not finding.ok for finding in findings)
    lines.append(f"{problems} problem(s)" if problems else "no problems found")
    return "\n".join(lines), 1 if problems else 0
