# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/coverage.db
PORT ?= 8001

.PHONY: install test test-fast lint demo run browse browse-demo clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	@touch $(STAMP)

# Four test processes on two cores: most tests wait on crawls, servers and subprocesses, not on the CPU.
PYTEST_WORKERS ?= 4

## run the whole test suite (no internet needed), in parallel
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS)

## the quick tier: everything but the crawls of whole webs, the daemon, the browser and Redis (seconds)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) -m "not slow"

## ruff, the layer contracts (import-linter) and mypy on the product's packages
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

## crawl the bundled local news web once, offline, into data/demo.db
demo: $(STAMP)
	$(BIN)/python demo.py

## monitor the real sources of sources.toml, in the foreground, into data/coverage.db
run: $(STAMP)
	$(BIN)/monitor run --db "$(DB)"

# Datasette reads a file given as a plain argument with read-only connections (mode=ro), so
# browsing is safe while crawls write. Never -i/--immutable on a live store: immutable
# mode assumes the file never changes and would serve torn or stale pages. The desk (its
# queries, feeds, chart, table descriptions, templates) comes from the installed plugin,
# whatever the store's file name; metadata.json only titles the instance.
# `monitor browse --db FILE` runs the same server.
DATASETTE_OPTS = --metadata desk/metadata.json \
	--host 127.0.0.1 --port $(PORT)

## browse the store in Datasette on http://127.0.0.1:$(PORT)/ (DB=data/demo.db for the demo)
browse: $(STAMP)
	@test -f "$(DB)" || { echo "make browse: $(DB) does not exist yet: run 'make run' (or 'make demo', then DB=data/demo.db)" >&2; exit 2; }
	$(BIN)/datasette serve "$(DB)" $(DATASETTE_OPTS)

## browse the demo's store, with the local news web serving the pages it links to
browse-demo: $(STAMP)
	@test -f data/demo.db || { echo "make browse-demo: data/demo.db does not exist yet: run 'make demo'" >&2; exit 2; }
	$(BIN)/python demo.py --web-while $(BIN)/datasette serve data/demo.db $(DATASETTE_OPTS)

clean:
	rm -rf $(VENV) .pytest_cache data/demo.db data/demo.db-* data/demo-jobs.sqlite data/demo-sources.toml
