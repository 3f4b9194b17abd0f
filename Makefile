# Every target creates or reuses the virtual environment in .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# nbgrader runs `alembic` as a program, so the venv's bin must be on PATH.
RUN    := PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python

.PHONY: venv test lab demo bench lint system-deps clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Programs the tests need that pip cannot install (Chromium, bubblewrap, PostgreSQL).
system-deps:
	bash scripts/install-system-deps.sh

# Test files run on TEST_WORKERS processes, each file whole on one of them (its
# fixtures, such as the JupyterHub and its Linux users, are set up once, in one place).
TEST_WORKERS ?= 2

test: venv system-deps
	$(RUN) -m ruff check framinglib grader tests benchmarks deploy
	$(RUN) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: venv
	$(RUN) -m grader workspace
	$(RUN) -m jupyter lab --notebook-dir=work $(ALLOW_ROOT)

demo: venv system-deps
	$(RUN) -m grader demo

bench: venv
	$(RUN) benchmarks/decoders.py

lint: venv
	$(RUN) -m ruff check framinglib grader tests benchmarks deploy

clean:
	rm -rf course .pytest_cache
