# fraudnet: two commands for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test check fmt install-dev system-deps bench clean console

# The web console (console/): `npm ci` when the lock file changed, the Vite build when any
# source did. The bundle lands in src/fraudnet/console/bundle/, which the API serves at /.
CONSOLE_BUNDLE := src/fraudnet/console/bundle/index.html
CONSOLE_NPM := console/node_modules/.ci-installed
CONSOLE_SOURCES := $(shell find console/src console/public -type f 2>/dev/null) console/index.html \
  console/vite.config.ts console/tsconfig.json console/package.json

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install-dev: system-deps $(STAMP) console

$(CONSOLE_NPM): console/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "npm not found: the console needs Node.js 20 or newer with npm" >&2; exit 1; }
	cd console && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CONSOLE_BUNDLE): $(CONSOLE_NPM) $(CONSOLE_SOURCES)
	cd console && npm run --silent build
	touch $@

console: $(CONSOLE_BUNDLE)

# A JDK for Spark (required), Debian's Chromium for PDF reports and the console's browser
# tests, and ICU headers for PyICU (followthemoney), installed only when missing, since CI
# machines may be bare. Under CI (CI=true) Chromium is required and a failed install stops
# the build; elsewhere those tests skip.
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
	    echo "Chromium not installed: PDF report and console browser tests will skip"; }; }
	@pkg-config --exists icu-i18n 2>/dev/null || { \
	  echo "installing ICU headers for PyICU (followthemoney, interchange exports)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libicu-dev pkg-config >/dev/null; }
	@if [ "$(CI)" = "true" ]; then command -v chromium >/dev/null 2>&1 || \
	  { echo "Chromium missing after install: required under CI" >&2; exit 1; }; fi

demo: $(VENV)/.installed console
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
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache test-output \
	  console/node_modules src/fraudnet/console/bundle
