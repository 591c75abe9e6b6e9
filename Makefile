# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# PostgreSQL is part of the suite; `make test REQUIRE_PG=0` skips it where none runs.
REQUIRE_PG ?= 1

.PHONY: run test install clean

$(BIN)/naervaer: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/naervaer

run: install
	$(BIN)/naervaer demo

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	NAERVAER_REQUIRE_PG=$(REQUIRE_PG) $(BIN)/pytest

clean:
	rm -rf $(VENV) naervaer.db naervaer.db-* out
