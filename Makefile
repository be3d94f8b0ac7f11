# fraudnet: two commands for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test check fmt install-dev system-deps bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install-dev: system-deps $(STAMP)

# A JDK for Spark (required), Debian's Chromium for PDF reports and ICU headers for PyICU
# (followthemoney), installed only when missing, since CI machines may be bare. Under CI (CI=true) Chromium is required and a
# failed install stops the build; elsewhere the PDF tests skip without it.
system-deps:
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing a JDK for Spark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    default-jdk-headless >/dev/null; }
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Chromium for PDF reports"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium >/dev/null; } || { \
	    if [ "$(CI)" = "true" ]; then echo "Chromium install failed: required under CI" >&2; exit 1; fi; \
	    echo "Chromium not installed: PDF report tests will skip"; }; }
	@pkg-config --exists icu-i18n 2>/dev/null || { \
	  echo "installing ICU headers for PyICU (followthemoney, interchange exports)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libicu-dev pkg-config >/dev/null; }
	@if [ "$(CI)" = "true" ]; then command -v chromium >/dev/null 2>&1 || \
	  { echo "Chromium missing after install: required under CI" >&2; exit 1; }; fi

demo: $(VENV)/.installed
	$(BIN)/fraudnet demo --out out/demo

check: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: check
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
