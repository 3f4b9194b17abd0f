# A sample JupyterHub configuration for the framing course: real Linux users (PAM logins), each
# user's server started as that user by the default LocalProcessSpawner, from the learners'
# environment that deploy/learners/install.sh builds. Copy it to /srv/jupyterhub/ and start the
# Hub as root from there: `cd /srv/jupyterhub && jupyterhub -f jupyterhub_config.py`.
# tests/deploy/test_jupyterhub_flow.py loads this file as it is and changes only what a test must
# (ports, state folder, a shared-password login instead of PAM).
import os
import pwd
import stat

c = get_config()  # noqa: F821 (JupyterHub supplies get_config)

#: The learners' environment (deploy/learners/install.sh PREFIX): every user can read and run it.
LEARNERS_ENV = os.environ.get("FRAMING_LEARNERS_ENV", "/opt/framing-learners")
#: Who may log in: the Linux group of the course's learners (`groupadd framing-learners`).
LEARNERS_GROUP = "framing-learners"

c.JupyterHub.bind_url = "http://:8000"  # put TLS in front (a reverse proxy) before going live
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"

# PAM, JupyterHub's default: learners log in with their Linux password.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {LEARNERS_GROUP}

# Every user's server is the learners' environment's single-user server, never whatever
# `jupyterhub-singleuser` is first on the Hub's PATH.
c.Spawner.cmd = [os.path.join(LEARNERS_ENV, "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
# A learner's own ~/.jupyter must not turn the instructor tools back on (or change anything
# else the course relies on): the servers read only the environment's and the system's config.
c.Spawner.disable_user_config = True
# Belt and braces with install.sh, which disables it in the environment: the formgrader's
# server extension answers in a learner's server unless it is off.
c.Spawner.args = [
    "--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=False",
    "--ServerApp.jpserver_extensions=nbgrader.server_extensions.course_list=False",
]


def private_home(spawner):
    """Close a learner's home to other users before their server starts.

    Debian creates homes 0755 (unless HOME_MODE 0700 is set in /etc/login.defs): every learner
    could then read every other learner's fetched lessons and answers.
    """
    home = pwd.getpwnam(spawner.user.name).pw_dir
    mode = stat.S_IMODE(os.stat(home).st_mode)
    if mode & 0o077:
        os.chmod(home, mode & 0o700)
        spawner.log.info("made %s private (was %o)", home, mode)


c.Spawner.pre_spawn_hook = private_home
