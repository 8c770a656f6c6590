# The two commands of the README: `make demo` and `make test`.
# Each creates .venv on first use and installs what it needs.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium
PO_FILES := $(wildcard */locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

# PostgreSQL + Redis run of the suite (TEST_SERVICES=1, as on CI).
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
SERVICES_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: demo test install browser lint typecheck unit e2e services-test screenshots clean

install: $(STAMP) $(MO_FILES)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,sandbox]'
	touch $@

%.mo: %.po $(STAMP)
	$(BIN)/python manage.py compile_translations

demo: install
	$(BIN)/python manage.py demo

browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy .

unit: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -m "not e2e and not chaos"

# The browser flows run apart: Playwright keeps an event loop running for its
# session, which the async consumer tests cannot share.
e2e: install browser
	$(BIN)/python -m pytest -m e2e

services-test: install browser
	DATABASE_URL=$(SERVICES_DATABASE_URL) REDIS_URL=$(SERVICES_REDIS_URL) $(BIN)/python -m pytest -m "not e2e and not chaos"
	DATABASE_URL=$(SERVICES_DATABASE_URL) REDIS_URL=$(SERVICES_REDIS_URL) $(BIN)/python -m pytest -m e2e
	# The production configuration (two web processes, two workers) with processes killed.
	$(BIN)/python -m pytest -m chaos

# Every customer screen in portrait and landscape, English and French, normal
# and high contrast: PNGs in $(SCREENSHOTS_DIR), a JSON summary, and a failure
# on clipped text, overlapping controls or empty boxes.
SCREENSHOTS_DIR ?= screenshots
screenshots: install browser
	SCREENSHOTS_DIR=$(SCREENSHOTS_DIR) $(BIN)/python -m pytest -q -s -p no:cacheprovider tests/e2e/walk_screenshots.py

test: install browser lint typecheck unit e2e
	@if [ "$(TEST_SERVICES)" = 1 ]; then $(MAKE) --no-print-directory services-test; fi

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
