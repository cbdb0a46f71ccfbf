# Every target creates .venv if it is missing and installs what it needs itself.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Exact versions for make test (the snapshots need them); the app's own
# dependencies are ranges, see pyproject.toml.
CONSTRAINTS := constraints.txt

.PHONY: demo test lint typecheck screenshots bench soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project's dependencies or the pinned versions change.
$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/wpe-tui --demo

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy wpe_tui
	$(BIN)/lint-imports

test: lint typecheck
	$(BIN)/pytest

screenshots: $(VENV)/.installed-dev
	$(BIN)/python -m tests.screenshots

bench: $(VENV)/.installed-dev
	$(BIN)/python -m tests.bench

soak: $(VENV)/.installed-dev
	$(BIN)/python -m tests.soak

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build dist
