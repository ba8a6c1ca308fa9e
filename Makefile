# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/coverage.db
PORT ?= 8001

.PHONY: install test demo run browse browse-demo clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	@touch $(STAMP)

## run the whole test suite (no internet needed)
test: $(STAMP)
	$(BIN)/python -m pytest -q

## crawl the bundled local news web once, offline, into data/demo.db
demo: $(STAMP)
	$(BIN)/python demo.py

## monitor the real sources of sources.toml, in the foreground, into data/coverage.db
run: $(STAMP)
	$(BIN)/monitor run --db "$(DB)"

## browse the store in Datasette on http://127.0.0.1:$(PORT)/ (DB=data/demo.db for the demo)
# `monitor browse` serves the file read-only (never -i/--immutable on a live store), with the desk.
browse: $(STAMP)
	$(BIN)/monitor browse --db "$(DB)" --port $(PORT)

browse-demo:
	$(MAKE) browse DB=data/demo.db

clean:
	rm -rf $(VENV) .pytest_cache data/demo.db data/demo.db-* data/demo-jobs.sqlite data/demo-sources.toml
