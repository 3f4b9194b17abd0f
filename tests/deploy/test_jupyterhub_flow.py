"""nbgrader's whole flow on a real JupyterHub, with real Linux users, as the README describes it.

One module-scoped deployment (see `deployment`) does what an instructor and two learners do:
the learners' environment from deploy/learners/install.sh, the Hub from
deploy/jupyterhub_config.py, the exchange and deploy/nbgrader_config.py; the instructor releases
lesson 3, each learner fetches it through nbgrader's Assignments API in their own server (their
uid), answers (one correctly, one without the while loop) and submits; the instructor collects,
autogrades, writes and releases feedback; each learner fetches it. The tests then check the
scores, the feedback in each learner's home, what the second learner cannot read or write, and
the lesson's player in JupyterLab and Notebook 7 in headless Chromium.

The instructor is root here (the test's own venv and a private copy of the course's checkout);
a non-root instructor is covered by the grader's unit tests, PAM logins are replaced by a shared
password (see hub_support.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hub_support import (
    DEPLOY,
    REPO_ROOT,
    Hub,
    LinuxUser,
    UserServer,
    create_user,
    executable_dir,
    learners_env,
    remove_user,
    run,
)

pytestmark = [
    pytest.mark.hub,
    pytest.mark.timeout(900),
    pytest.mark.skipif(os.geteuid() != 0, reason=(
        "needs root: it creates Linux users and runs JupyterHub, which starts each user's "
        "server as that user (CI runs as root)")),
]

LESSON = "03-reassembly"
COURSE_ID = "framing-course"
NOTEBOOK = f"{LESSON}/{LESSON}.ipynb"
ANSWERS = REPO_ROOT / "tests" / "answers" / "on_bytes"
CORRECT_ANSWER = ANSWERS / "correct" / "bytearray_del.py"
NO_WHILE_ANSWER = ANSWERS / "broken" / "no_while_loop.py"
CHROMIUM = Path("/usr/bin/chromium")
#: The course secret's file in the course directory (the instructor's only).
COURSE_SECRET_NAME = "course-secret"


@dataclass
class Deployment:
    base: Path
    course: Path
    checkout: Path
    exchange: Path
    hub: Hub
    learners: list[LinuxUser]
    servers: dict[str, UserServer] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    scores: dict[str, dict] = field(default_factory=dict)
    feedback: dict[str, str] = field(default_factory=dict)
    doctor_status: int | None = None


def _render_nbgrader_config(target: Path, exchange: Path) -> None:
    """deploy/nbgrader_config.py with this run's exchange root (the only change)."""
    text = (DEPLOY / "nbgrader_config.py").read_text()
    rendered, count = re.subn(r'^EXCHANGE_ROOT = ".*"$', f"EXCHANGE_ROOT = {str(exchange)!r}",
                              text, flags=re.MULTILINE)
    assert count == 1, "deploy/nbgrader_config.py no longer names EXCHANGE_ROOT once"
    target.write_text(rendered)
    target.chmod(0o644)


def _private_checkout(home: Path) -> Path:
    """The instructor's checkout of the course, in a home only the instructor can read."""
    checkout = home / "framing-course"
    for part in ("framinglib", "grader", "notebooks"):
        shutil.copytree(REPO_ROOT / part, checkout / part,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    return checkout


class Instructor:
    """The instructor's shell: `python -m grader` and `nbgrader` from the course's checkout."""

    def __init__(self, deployment: Deployment, config_dir: Path) -> None:
        self.d = deployment
        self.env = {**os.environ, "PYTHONPATH": str(deployment.checkout),
                    "JUPYTER_CONFIG_PATH": str(config_dir),
                    "PATH": f"{executable_dir()}{os.pathsep}{os.environ.get('PATH', '')}"}
        self.env.pop("FRAMING_COURSE_DIR", None)

    def _run(self, name: str, command: list[str], cwd: Path) -> str:
        started = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=self.env)
        self.d.seconds[name] = time.monotonic() - started
        self.d.outputs[name] = result.stdout + result.stderr
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {result.returncode}:\n"
                               f"{self.d.outputs[name][-5000:]}")
        return result.stdout

    def grader(self, *args: str) -> str:
        return self._run(f"grader {args[0]}", [sys.executable, "-m", "grader", *args],
                         cwd=self.d.course if self.d.course.is_dir() else self.d.base)

    def doctor(self, learners_env: Path) -> None:
        """`python -m grader doctor`, whose exit status says whether it found problems."""
        result = subprocess.run([sys.executable, "-m", "grader", "doctor", "--learners-env",
                                 str(learners_env)], capture_output=True, text=True,
                                cwd=self.d.course, env=self.env)
        self.d.outputs["grader doctor"] = result.stdout + result.stderr
        self.d.doctor_status = result.returncode

    def nbgrader(self, *args: str) -> str:
        return self._run(f"nbgrader {args[0]}", [str(executable_dir() / "nbgrader"), *args],
                         cwd=self.d.course)


def _answer(server: UserServer, source: str) -> None:
    """Write `source` into the fetched notebook's on_bytes answer cell, as the learner."""
    model = server.get_json(f"/api/contents/{NOTEBOOK}?content=1")
    assert isinstance(model, dict)
    notebook = model["content"]
    cells = [cell for cell in notebook["cells"]
             if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "on_bytes-answer"]
    assert len(cells) == 1, "the released lesson 3 has one on_bytes answer cell"
    cells[0]["source"] = source
    status, body = server.request("PUT", f"/api/contents/{NOTEBOOK}",
                                  json_body={"type": "notebook", "format": "json",
                                             "content": notebook})
    assert status == 200, body[:500]


def _fetched_feedback(server: UserServer) -> str:
    """The feedback page nbgrader's fetch_feedback put into the learner's lesson folder."""
    listing = server.get_json(f"/api/contents/{LESSON}/feedback")
    assert isinstance(listing, dict)
    (stamp,) = [entry["path"] for entry in listing["content"] if entry["type"] == "directory"]
    page = server.get_json(f"/api/contents/{stamp}/{LESSON}.html?content=1&format=text")
    assert isinstance(page, dict)
    return page["content"]


def _flow(d: Deployment, instructor: Instructor) -> None:
    learners = d.learners
    instructor.grader("release", LESSON, "--course", str(d.course))
    instructor.nbgrader("release_assignment", LESSON)

    started = time.monotonic()
    d.hub.start_servers(learners)
    for learner in learners:
        d.servers[learner.name] = UserServer(d.hub, learner, d.hub.user_token(learner))
    d.seconds["servers start"] = time.monotonic() - started

    answers = {learners[0].name: CORRECT_ANSWER.read_text(),
               learners[1].name: NO_WHILE_ANSWER.read_text()}
    for learner in learners:
        server = d.servers[learner.name]
        listed = server.get_json(f"/assignments?course_id={COURSE_ID}")
        assert LESSON in json.dumps(listed), f"{LESSON} is not listed for {learner.name}"
        server.assignment_action("fetch", COURSE_ID, LESSON)
        _answer(server, answers[learner.name])
        server.assignment_action("submit", COURSE_ID, LESSON)

    # From here on, as the README says: in the course directory, without --course.
    instructor.grader("collect", LESSON)
    instructor.grader("autograde", LESSON, "--jobs", "2")
    instructor.grader("feedback", LESSON)
    instructor.nbgrader("release_feedback", LESSON)
    for learner in learners:
        d.servers[learner.name].assignment_action("fetch_feedback", COURSE_ID, LESSON)
        d.feedback[learner.name] = _fetched_feedback(d.servers[learner.name])
    rows = json.loads(instructor.grader("scores", LESSON, "--json"))
    d.scores = {row["student"]: row for row in rows}
    instructor.doctor(d.hub.env_prefix)


@pytest.fixture(scope="module")
def deployment() -> Deployment:
    started = time.monotonic()
    if shutil.which("configurable-http-proxy") is None:
        run(["bash", str(REPO_ROOT / "scripts" / "install-system-deps.sh")])
    assert shutil.which("configurable-http-proxy"), "install-system-deps.sh did not install it"
    with contextlib.ExitStack() as cleanup:
        env_prefix, env_seconds = learners_env()
        base = Path(tempfile.mkdtemp(prefix="framing-hub-"))
        if not os.environ.get("FRAMING_KEEP_HUB_TEST"):  # set it to look at the Hub's log
            cleanup.callback(shutil.rmtree, base, ignore_errors=True)
        base.chmod(0o755)  # like /home or /srv: others may pass through
        instructor_home = base / "instructor"
        instructor_home.mkdir(mode=0o700)
        exchange = base / "exchange"
        exchange.mkdir()
        exchange.chmod(0o1777)  # the README's exchange: world-writable, sticky
        config_dir = base / "etc-jupyter"
        config_dir.mkdir(mode=0o755)
        _render_nbgrader_config(config_dir / "nbgrader_config.py", exchange)

        learners = []
        for _ in range(2):
            learner = create_user("fcs")
            cleanup.callback(remove_user, learner)
            learners.append(learner)
        hub = Hub(base / "hub", env_prefix, learners,
                  environment={"JUPYTER_CONFIG_PATH": str(config_dir)})
        cleanup.callback(hub.stop)
        d = Deployment(base=base, course=base / "course",
                       checkout=_private_checkout(instructor_home), exchange=exchange,
                       hub=hub, learners=learners)
        d.seconds["learners' environment"] = env_seconds
        hub_started = time.monotonic()
        hub.start()
        d.seconds["hub start"] = time.monotonic() - hub_started
        _flow(d, Instructor(d, config_dir))
        d.seconds["setup and flow"] = time.monotonic() - started
        yield d
        print("\nJupyterHub test timings (s): " + ", ".join(
            f"{name} {seconds:.1f}" for name, seconds in d.seconds.items()))


def test_scores_come_from_the_hidden_checks(deployment: Deployment) -> None:
    correct, no_while = (deployment.scores[learner.name] for learner in deployment.learners)
    assert correct["max_score"] > 0
    assert correct["score"] == correct["max_score"]
    assert 0 <= no_while["score"] < no_while["max_score"]


def test_feedback_reaches_each_home_without_hidden_tests(deployment: Deployment) -> None:
    hidden = (REPO_ROOT / "notebooks" / LESSON / f"{LESSON}.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" in hidden
    for learner in deployment.learners:
        page = deployment.feedback[learner.name]
        row = deployment.scores[learner.name]
        assert f"Score: {row['score']:g} / {row['max_score']:g}" in page
        assert "BEGIN HIDDEN TESTS" not in page
        assert 'graded("on_bytes")' not in page and "graded(&quot;on_bytes" not in page
        assert (learner.home / LESSON / "feedback").is_dir()
    failing = deployment.feedback[deployment.learners[1].name]
    assert "failed" in failing.lower() or "never" in failing.lower()


PROBE = """
import json, os
results = {}
for label, (kind, path) in json.loads(TARGETS).items():
    try:
        if kind == "read":
            open(path, "rb").read(1)
        elif kind == "list":
            os.listdir(path)
        elif kind == "write":
            with open(os.path.join(path, "planted-by-classmate.txt"), "w") as planted:
                planted.write("x")
        elif kind == "rename":
            os.rename(path, path + ".moved")
        results[label] = "allowed"
    except PermissionError:
        results[label] = "denied"
    except OSError as error:
        results[label] = f"{type(error).__name__}: {error}"
print(json.dumps(results))
"""


def test_second_learner_cannot_reach_the_first_ones_work(deployment: Deployment) -> None:
    d = deployment
    first, second = d.learners
    course = d.course
    targets = {
        "gradebook": ("read", course / "gradebook.db"),
        "course secret": ("read", course / COURSE_SECRET_NAME),
        "first's submission": ("read", course / "submitted" / first.name / NOTEBOOK),
        "write into first's submission": ("write", course / "submitted" / first.name / LESSON),
        "first's autograded notebook": ("read", course / "autograded" / first.name / NOTEBOOK),
        "first's feedback": ("read", course / "feedback" / first.name / LESSON /
                             f"{LESSON}.html"),
        "first's reports": ("list", course / "reports" / LESSON / first.name),
        "first's grading log": ("read", course / "logs" / LESSON / f"{first.name}.log"),
        "source notebook": ("read", d.checkout / "notebooks" / NOTEBOOK),
        "first's home": ("list", first.home),
        "first's fetched lesson": ("read", first.home / NOTEBOOK),
        "exchange inbound": ("list", d.exchange / COURSE_ID / "inbound"),
        "rename the course in the exchange": ("rename", d.exchange / COURSE_ID),
    }
    # A path that does not exist proves nothing: it counts as a failure of its own.
    missing = {label: "does not exist" for label, (_, path) in targets.items()
               if not path.exists()}
    code = f"TARGETS = {json.dumps({k: [v[0], str(v[1])] for k, v in targets.items()})!r}\n"
    output = d.servers[second.name].run_in_kernel(code + PROBE)
    results = json.loads(output.strip().splitlines()[-1])
    if results.get("rename the course in the exchange") == "allowed":
        os.rename(f"{d.exchange / COURSE_ID}.moved", d.exchange / COURSE_ID)
    planted = course / "submitted" / first.name / LESSON / "planted-by-classmate.txt"
    if planted.exists():
        missing["a file planted in first's submission"] = "is there"
    allowed = {label: result for label, result in results.items() if result != "denied"}
    assert {**allowed, **missing} == {}, f"the second learner could: {allowed}; {missing}"


def test_instructor_tools_are_off_in_learners_servers(deployment: Deployment) -> None:
    server = deployment.servers[deployment.learners[0].name]
    status, _ = server.request("GET", "/formgrader/api/assignments")
    assert status == 404
    page_config = json.loads((deployment.hub.env_prefix / "etc" / "jupyter" / "labconfig" /
                              "page_config.json").read_text())
    for plugin in ("formgrader", "create-assignment", "course-list"):
        assert page_config["lockedExtensions"].get(f"@jupyter/nbgrader:{plugin}") is True


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: run "
                    "scripts/install-system-deps.sh")
def test_player_steps_in_jupyterlab_and_notebook7(
    deployment: Deployment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from playwright.sync_api import sync_playwright

    shots = tmp_path_factory.mktemp("hub-screenshots")
    learner = deployment.learners[0]
    hub = deployment.hub
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{hub.url}/hub/login")
            page.fill("#username_input", learner.name)
            page.fill("#password_input", hub.password)
            page.click("#login_submit")
            page.wait_for_url(re.compile(rf".*/user/{learner.name}/.*"), timeout=60_000)
            for name, path in (("jupyterlab", f"/lab/tree/{NOTEBOOK}"),
                               ("notebook7", f"/notebooks/{NOTEBOOK}")):
                _run_and_step(page, f"{hub.url}/user/{learner.name}{path}", shots / name)
        finally:
            browser.close()
    print(f"\nscreenshots: {shots}")


def _run_and_step(page, url: str, shot: Path) -> None:
    """Open the lesson, run every cell, press the player's Step button: the picture changes."""
    page.goto(url)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=90_000)
    page.locator(".jp-CodeCell .jp-InputArea-editor").first.click()
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    player = page.locator(".fcv-player").first
    player.wait_for(timeout=90_000)
    player.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)  # widgets take clicks only once fully rendered
    picture = player.locator(".widget-html").first
    before = picture.inner_text()
    page.screenshot(path=f"{shot}-before.png")
    player.locator("button", has_text="Step").first.click()
    page.wait_for_function("([el, before]) => el.innerText !== before",
                           arg=[picture.element_handle(), before], timeout=10_000)
    page.screenshot(path=f"{shot}-after.png")
    assert picture.inner_text() != before


def test_instructor_commands_say_which_course_directory(deployment: Deployment) -> None:
    release = deployment.outputs["grader release"]
    assert f"course directory: {deployment.course} (from --course)" in release
    for command in ("grader collect", "grader autograde", "grader feedback", "grader scores"):
        assert (f"course directory: {deployment.course} (the current directory: it holds "
                "nbgrader_config.py)") in deployment.outputs[command], command


def test_what_the_grader_writes_is_private(deployment: Deployment) -> None:
    course, first = deployment.course, deployment.learners[0].name

    def mode(*parts: str) -> int:
        return course.joinpath(*parts).stat().st_mode & 0o7777

    assert mode() == 0o700
    assert mode("gradebook.db") == 0o600
    assert mode(COURSE_SECRET_NAME) == 0o600
    assert mode("submitted", first, LESSON) == 0o700
    assert mode("collected", LESSON, f"{first}.json") == 0o600
    # The grading kernel (another uid: the instructor is root here) works in this folder:
    # others may pass through it, not list or write it (kernel_manager opens it to 0711).
    assert mode("autograded", first, LESSON) == 0o711
    assert mode("reports", LESSON, first, f"{LESSON}.json") == 0o600
    assert mode("logs", LESSON, f"{first}.log") == 0o600
    # Shared on purpose: nbgrader copies a feedback page's mode into the exchange.
    assert mode("feedback", first, LESSON, f"{LESSON}.html") == 0o644
    assert mode("feedback", first, LESSON) == 0o700


def test_collect_records_what_it_copied_from_the_exchange(deployment: Deployment) -> None:
    collected = deployment.outputs["grader collect"]
    assert f"{LESSON}: recorded what collect copied for 2 submission(s)" in collected, collected
    for learner in deployment.learners:
        record = json.loads((deployment.course / "collected" / LESSON /
                             f"{learner.name}.json").read_text())
        assert record["inbound"].startswith(f"{learner.name}+{LESSON}+"), record
    graded = deployment.outputs["grader autograde"]
    assert "changed after collect" not in graded and "had no record" not in graded, graded


def test_honest_submissions_raise_no_tampering_warning(deployment: Deployment) -> None:
    for learner in deployment.learners:
        log = (deployment.course / "logs" / LESSON / f"{learner.name}.log").read_text()
        assert "has changed" not in log, log[-2000:]


def test_doctor_finds_this_deployment_sound(deployment: Deployment) -> None:
    text = deployment.outputs["grader doctor"]
    for expected in ("ok       bubblewrap starts a sandbox as the instructor",
                     "ok       bubblewrap starts a sandbox as an unprivileged user",
                     f"ok       the course directory {deployment.course} is the instructor's",
                     "ok       the gradebook ", "is world-writable and sticky",
                     "ok       nbgrader's instructor plug-ins are disabled and locked",
                     "ok       nbgrader's instructor server extensions (formgrader, course "
                     "list) are off for learners",
                     "ok       the learners' environment holds the learners' wheel",
                     "ok       the gradebook database answers"):
        assert expected in text, text
    problems = [line for line in text.splitlines() if line.startswith("PROBLEM")]
    # Only homes of other accounts on this machine may be open; not the course's learners'.
    assert all("home folder" in line for line in problems), problems
    assert not any(learner.name in line for line in problems for learner in deployment.learners)
    assert deployment.doctor_status == (1 if problems else 0)


def test_a_learners_self_check_runs_in_their_kernel(deployment: Deployment) -> None:
    """In the learner's own kernel (their uid, the learners' wheel, bwrap unprivileged), the
    self-check grades with a practice seed, never the graded one."""
    learner = deployment.learners[0]
    code = (
        "import grader\n"
        "from grader.notebook import _seed\n"
        "from grader.grading import grade_source\n"
        f"result = grade_source('on_bytes', {CORRECT_ANSWER.read_text()!r}, _seed())\n"
        "print(grader.__file__)\nprint(_seed())\nprint(result.score, result.max_score)\n"
    )
    location, seed, scores = deployment.servers[learner.name].run_in_kernel(
        code, timeout=180).strip().splitlines()[-3:]
    assert location.startswith(str(deployment.hub.env_prefix))
    assert seed == f"practice/{learner.name}"
    score, maximum = map(float, scores.split())
    assert maximum > 0 and score == maximum
