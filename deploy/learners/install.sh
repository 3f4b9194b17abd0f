#!/usr/bin/env bash
# The learners' environment on a JupyterHub host: a venv every user can read and run, holding the
# learners' wheel (framinglib and the self-checks; no source notebook, solution or hidden test),
# the Hub's single-user server, JupyterLab, Notebook 7 and nbgrader's Assignments tab, with
# nbgrader's instructor tools disabled and locked.
#
#   sudo bash deploy/learners/install.sh /opt/framing-learners [PYTHON]
#
# PYTHON (default /usr/bin/python3) must be readable by every user: a pyenv or conda Python in
# root's home (mode 0700) is not. Run it again to update the environment in place.
set -euo pipefail
prefix=${1:?usage: install.sh PREFIX [PYTHON]}
python=${2:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
umask 022  # the environment must be readable by every learner
[ -x "$prefix/bin/python" ] || "$python" -m venv "$prefix"
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
wheel=$("$prefix/bin/python" "$here/build_wheel.py" --out "$wheels")
"$prefix/bin/python" -m pip install --quiet --disable-pip-version-check \
  --force-reinstall --no-deps "$wheel"
"$prefix/bin/python" -m pip install --quiet --disable-pip-version-check \
  "$wheel" -r "$here/requirements.txt"
# nbgrader's instructor tools: off for every learner, and locked so a learner cannot turn the
# lab plug-ins back on from their own settings.
instructor_plugins=(@jupyter/nbgrader:formgrader @jupyter/nbgrader:create-assignment
                    @jupyter/nbgrader:course-list)
"$prefix/bin/jupyter" labextension disable --level=sys_prefix "${instructor_plugins[@]}" >/dev/null
"$prefix/bin/jupyter" labextension lock --level=sys_prefix "${instructor_plugins[@]}" >/dev/null
for extension in nbgrader.server_extensions.formgrader nbgrader.server_extensions.course_list; do
  "$prefix/bin/jupyter" server extension disable --sys-prefix "$extension" >/dev/null 2>&1
done
echo "learners' environment ready: $prefix ($(basename "$wheel"))"
