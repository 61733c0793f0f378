# The developer interface: every chore is one target. Each sets up what it
# needs itself: a virtualenv in .venv with the pinned dependencies.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
AS_OF ?=
AS_OF_FLAG := $(if $(AS_OF),--as-of $(AS_OF),)
ENGINE ?=
ENGINE_FLAG := $(if $(ENGINE),--engine $(ENGINE),)

.PHONY: site serve test test-quick check lint format bench screenshots clean distclean

$(READY): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(READY)

site: $(READY)  ## check the example content and build the site (and the yearly packs) into site/ (ENGINE=mkdocs|properdocs|zensical)
	$(BIN)/csvf build --packs $(AS_OF_FLAG) $(ENGINE_FLAG)

serve: $(READY)  ## live preview on http://127.0.0.1:8000/
	$(BIN)/csvf serve $(AS_OF_FLAG)

check: $(READY)  ## check the content only
	$(BIN)/csvf check $(AS_OF_FLAG)

test: $(READY) lint  ## lint, then every test (browser tests skip without Chromium, except in CI); what CI runs
	$(BIN)/python -m pytest

test-quick: $(READY)  ## while working: every test but real engine builds and the browser (a few minutes); CI runs `make test`
	$(BIN)/python -m pytest -m "not site and not browser"

lint: $(READY)
	$(BIN)/ruff check csvf_build tests
	$(BIN)/ruff format --check csvf_build tests
	$(BIN)/mypy

format: $(READY)
	$(BIN)/ruff format csvf_build tests
	$(BIN)/ruff check --fix csvf_build tests

BENCH ?= --sizes 100,800
bench: $(READY)  ## csvf check/build (cold, unchanged, one record changed) against the engine's floor, writing docs/benchmarks.md (BENCH="--sizes 100,800"); then seconds per customer pack
	$(BIN)/python -m tests.bench --out docs/benchmarks.md $(BENCH)
	$(BIN)/python -m tests.bench_present

screenshots: $(READY)  ## pictures of the real site for the handbook (needs Chromium and poppler-utils)
	$(BIN)/python -m tests.screenshots

clean:  ## remove what builds make (not the virtualenv): docs trees, site, staging leftovers, Zensical's cache
	rm -rf build site .site-new-* .site-old-* .cache .pytest_cache .ruff_cache .mypy_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
