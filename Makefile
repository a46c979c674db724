# make run  - set up .venv and start `emoflat practice`
# make test - set up .venv and run lint, type checks and the whole test suite
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
BIN := $(VENV)/bin
# The newest Python 3.11+ on this machine.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
STAMP := $(VENV)/.installed
# The suite runs on every core (pytest-xdist); `make pytest PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n auto

.PHONY: run test lint typecheck pytest bench clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "emoflat needs Python 3.11 or newer; none was found." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@# The audio extra compiles against ALSA headers; without them emoflat falls back to
	@# the system's players. CI must have it, so there a failure is an error.
	@if $(BIN)/python -m pip install -q -e '.[dev,audio]'; then :; \
	elif [ "$$CI" = "true" ]; then echo "the audio extra failed to build (install libasound2-dev)" >&2; exit 1; \
	else echo "note: the audio extra did not build (needs libasound2-dev); using system players" >&2; \
	  $(BIN)/python -m pip install -q -e '.[dev]'; fi
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/emoflat practice

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(STAMP)
	@for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
