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

# Datasette reads a file given as a plain argument with read-only connections (mode=ro), so
# browsing is safe while crawls write. Never -i/--immutable on a live store: immutable
# mode assumes the file never changes and would serve torn or stale pages.
# `monitor browse --db FILE` runs the same server.
DATASETTE_OPTS = --metadata desk/metadata.json \
	--host 127.0.0.1 --port $(PORT)

## browse the store in Datasette on http://127.0.0.1:$(PORT)/ (DB=data/demo.db for the demo)
browse: $(STAMP)
	@test -f "$(DB)" || { echo "make browse: $(DB) does not exist yet: run 'make run' (or 'make demo', then DB=data/demo.db)" >&2; exit 2; }
	$(BIN)/datasette serve "$(DB)" $(DATASETTE_OPTS)

browse-demo:
	$(MAKE) browse DB=data/demo.db

clean:
	rm -rf $(VENV) .pytest_cache data/demo.db data/demo.db-* data/demo-jobs.sqlite data/demo-sources.toml
