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

.PHONY: demo test install browser system-packages lint typecheck unit e2e services-test chaos screenshots clean

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

# Debian's packages the tests drive: Chromium for the browser flows, nginx
# and Caddy for the shipped TLS proxy configurations (tests/deploy/).
SYSTEM_PACKAGES := chromium:$(CHROMIUM) nginx-light:/usr/sbin/nginx caddy:/usr/bin/caddy

browser system-packages:
	@missing=""; for entry in $(SYSTEM_PACKAGES); do \
		[ -x "$${entry#*:}" ] || missing="$$missing $${entry%%:*}"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian's$$missing for the tests"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy .

unit: install system-packages
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
	$(MAKE) --no-print-directory chaos

# The production configuration (two web processes, two workers, PostgreSQL +
# Redis) with processes killed and the programme failing, then the fuzz suite
# over HTTP against it. A bounded run: KIOSK_CHAOS_SECONDS (25) long.
chaos: install
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
