#!/usr/bin/env bash
# Installs the programs the tests need that pip cannot provide: with apt-get (Chromium, bubblewrap,
# PostgreSQL, Node.js and npm) and npm (JupyterHub's configurable-http-proxy).
# Each is skipped when already present, so repeated runs cost nothing.
# `--hub`: only what a JupyterHub host running the course needs (bubblewrap, Node.js, npm and the
# proxy), not the test-only Chromium and PostgreSQL.
set -euo pipefail
hub_only=0
[ "${1:-}" = "--hub" ] && hub_only=1
missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
if [ $hub_only -eq 0 ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
  fi
fi
# The JupyterHub test's proxy runs on Node.js; Debian's node works (npm's EBADENGINE warning
# about its version is harmless).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
need_proxy=0
command -v configurable-http-proxy >/dev/null 2>&1 || need_proxy=1
[ ${#missing[@]} -eq 0 ] && [ $need_proxy -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "install-system-deps: need root to install ${missing[*]} $([ $need_proxy = 1 ] && echo configurable-http-proxy); the tests that use them will be skipped" >&2
  exit 0
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ $need_proxy -eq 1 ]; then
  echo "install-system-deps: installing configurable-http-proxy with npm"
  npm install -g --silent --no-fund --no-audit configurable-http-proxy >/dev/null 2>&1 \
    || npm install -g --no-fund --no-audit configurable-http-proxy
fi
