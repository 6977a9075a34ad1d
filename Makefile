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
.PHONY: help install system-deps messages messages-update migrate seed-reference seed run serve test lint services worker beat \
	backup restore clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found; on Debian: apt-get install python3.11 python3.11-venv)"; exit 1; }
	@test -d $(VENV) || $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "Python's venv module is missing (on Debian: apt-get install python3.11-venv)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install TĐKT with its dev tools

system-deps: ## Install Debian packages the tests need (venv, Chromium, fonts, gettext, PostgreSQL, Redis), as root or with sudo
	@PYTHON=$(PYTHON) bash .ci/system-deps

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

# The demo (`make seed`, `make run`): links in e-mails follow HOST and PORT; the e-mails go to files in var/mail/
# (one per batch), never over the account list. Both can be overridden from the environment.
seed run: export SITE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
seed run: export EMAIL_BACKEND ?= $(if $(EMAIL_HOST),django.core.mail.backends.smtp.EmailBackend,django.core.mail.backends.filebased.EmailBackend)
seed run: export EMAIL_FILE_PATH ?= var/mail

run: seed ## Install, migrate, seed the demo and serve on http://HOST:PORT (default 127.0.0.1:8000; SQLite, jobs in-process)
	@echo "TĐKT: http://$(HOST):$(PORT)/  (demo accounts and password printed above; e-mails in $(EMAIL_FILE_PATH)/)"
	@# No broker on the embedded default: reminders, escalation and the e-mail sweep run in a loop beside the
	@# server. Ctrl-C (or SIGTERM to make) stops both (bin/together).
	@bin/together "periodic-jobs=$(PY) manage.py run_periodic_jobs > var/periodic-jobs.log 2>&1" \
	  "server=$(PY) manage.py runserver $(HOST):$(PORT)"

serve: install messages ## Production profile: DEBUG off, gunicorn, a Celery worker and beat (needs DATABASE_URL, REDIS_URL)
	@HOST=$(HOST) PORT=$(PORT) VENV=$(VENV) bin/serve

services: ## Start PostgreSQL and Redis if they are not running
	@bash .ci/services

lint: install ## ruff, the layers contract (import-linter), Django's checks and the migration check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

# Every test runs, the slow ones too (CI runs them all); skip those while developing: PYTEST_ARGS='-m "not slow"'.
test: system-deps install messages services ## Install and run the whole test suite (PostgreSQL, Redis, Chromium)
	DEBUG=1 PASSWORD_HASHERS=django.contrib.auth.hashers.MD5PasswordHasher \
	  DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} TEST_REDIS_URL=$${TEST_REDIS_URL:-$(TEST_REDIS_URL)} \
	  $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

worker: install ## Start a Celery worker against REDIS_URL
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0"; exit 1; }
	$(VENV)/bin/celery -A config worker -Q celery,emails,documents --loglevel=INFO

beat: install ## Start Celery beat against REDIS_URL (schedule stored in the database)
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0"; exit 1; }
	$(VENV)/bin/celery -A config beat --loglevel=INFO

backup: install ## Back up the database and the files (manage.py backup; BACKUP_DIR=where, default var/backups/)
	$(PY) manage.py backup $(if $(BACKUP_DIR),--output-dir $(BACKUP_DIR))

restore: install ## Restore a backup: make restore BACKUP=var/backups/tdkt-… [RESTORE_ARGS=--replace]
	@test -n "$(BACKUP)" || { echo "Name the backup: make restore BACKUP=var/backups/tdkt-YYYYmmdd-HHMMSS"; exit 1; }
	$(PY) manage.py restore "$(BACKUP)" $(RESTORE_ARGS)

clean: ## Remove the virtualenv, the SQLite database and generated files (keeps var/backups/ and var/secret_key)
	rm -rf $(VENV) .pytest_cache test-output
	test ! -d var || find var -mindepth 1 -maxdepth 1 ! -name backups ! -name secret_key -exec rm -rf {} +
