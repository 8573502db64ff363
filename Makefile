# Two commands on a fresh machine with Python 3.11:
#   make demo   set up .venv, crawl both editions of the demo site, browse in Datasette
#   make test   set up .venv and run the tests
#   (make test-fast: the tests without the slow tier, for the edit-test loop)
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test test-fast bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/archiver demo

test: $(BIN)/.installed
	$(BIN)/python -m pytest

test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -m "not slow"

bench: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/extraction.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
