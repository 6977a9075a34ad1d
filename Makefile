# TĐKT — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run on real PostgreSQL and Redis (started by `make services` when they are down).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tdkt
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.DEFAULT_GOAL := help
.PHONY: help install system-deps messages messages-update migrate seed-reference seed run test lint services worker beat clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install TĐKT with its dev tools

system-deps: ## Install Debian packages the tests need (Chromium, fonts with Vietnamese glyphs, gettext)
	@bash .ci/system-deps

messages: install ## Compile the Vietnamese catalogue
	@$(PY) manage.py compile_catalogue

messages-update: install ## Collect new UI strings into config/locale/vi/LC_MESSAGES/django.po (needs gettext)
	$(PY) manage.py makemessages -l vi --no-location --ignore='var/*' --ignore='tests/*' --ignore='bench/*'

migrate: install messages ## Apply database migrations (SQLite by default)
	@mkdir -p var
	$(PY) manage.py migrate --no-input -v 1

seed-reference: migrate ## Load what a real installation needs, no demo, no accounts (idempotent)
	$(PY) manage.py seed_reference

seed: migrate ## Load the reference data and the demo: organisation, accounts, campaigns, nominations, decisions
	$(PY) manage.py seed_demo --full

run: seed ## Install, migrate, seed the demo and serve on http://127.0.0.1:8000 (SQLite, jobs in-process)
	@echo "TĐKT: http://$(HOST):$(PORT)/  (demo password printed above)"
	@# No broker on the embedded default: reminders, escalation and the e-mail sweep run in a loop beside the server.
	$(PY) manage.py run_periodic_jobs > var/periodic-jobs.log 2>&1 & jobs=$$!; trap "kill $$jobs 2>/dev/null" EXIT; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

services: ## Start PostgreSQL and Redis if they are not running
	@bash .ci/services

lint: install ## ruff, the layers contract (import-linter), Django's checks and the migration check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

test: install system-deps messages services ## Install and run the whole test suite (PostgreSQL, Redis, Chromium)
	DEBUG=1 PASSWORD_HASHERS=django.contrib.auth.hashers.MD5PasswordHasher \
	  DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} TEST_REDIS_URL=$${TEST_REDIS_URL:-$(TEST_REDIS_URL)} \
	  $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

worker: install ## Start a Celery worker against REDIS_URL
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0"; exit 1; }
	$(VENV)/bin/celery -A config worker -Q celery,emails,documents --loglevel=INFO

beat: install ## Start Celery beat against REDIS_URL (schedule stored in the database)
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0"; exit 1; }
	$(VENV)/bin/celery -A config beat --loglevel=INFO

clean: ## Remove the virtualenv, the SQLite database and generated files
	rm -rf $(VENV) var .pytest_cache test-output
