# Two commands: `make run` and `make test`. Each creates .venv if it is missing.
# The lowest Python that requires-python claims (3.11), which CI tests on
# (a test checks it when CI=true); plain python3 where there is no python3.11.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The package's bytecode is written first (a no-op when it is up to date): an
# editable install is not compiled by pip, and where PYTHONDONTWRITEBYTECODE
# is set Python would compile every module again at each start (issue 20).
run: $(STAMP)
	@$(BIN)/python -m compileall -q relworkbook
	$(BIN)/relworkbook $(ARGS)

# Four workers on the two cores: much of the suite waits (a steady typist's
# rhythm on a pty, timers, pauses for the screen), so the extra workers fill
# the waits, and work stealing keeps every worker busy to the end (with the
# default plan one worker was often left with a queue of slow tests). On this
# machine, quiet, 987 tests: 3 min 25 s with three workers and work stealing,
# 2 min 50 s to 2 min 56 s with four (3 min 40 s to 3 min 57 s with three and
# the default plan). The tests are made safe to run side by side; CI=true makes
# the property tests derandomized (tests/conftest.py).
test: $(STAMP)
	$(BIN)/python -m pytest -n 4 --dist worksteal

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

demo: $(STAMP)
	@$(BIN)/python -m compileall -q relworkbook
	$(BIN)/relworkbook demo

clean:
	rm -rf $(VENV) build dist *.egg-info
