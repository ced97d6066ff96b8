# Mandate Tracker. The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The suite always runs on PostgreSQL (pytest-django creates and drops test_mandate_tracker).
TEST_DATABASE_URL ?= postgres://postgres:postgres@127.0.0.1:5432/mandate_tracker

.PHONY: run test install install-dev migrate data admin lint format check bench loadtest restore-check clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

data: migrate
	$(PY) manage.py load_default_data

admin: migrate
	$(PY) manage.py createsuperuser

run: data
	@echo
	@echo "  Mandate Tracker: http://127.0.0.1:$(PORT)/"
	@echo "  Admin login:     create an account with 'make admin'"
	@echo "                   (or $(PY) manage.py createsuperuser), then open http://127.0.0.1:$(PORT)/admin/"
	@echo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	bash scripts/test-services.sh
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks print their figures (no timed tests): one table of pages over HTTP against a
# hello-world view, cold and warm, on the default data and on a generated 100,000-mandate corpus
# (database bench_100k, kept between runs), PDF summaries, importer parse. ~5 min on 2 cores (within 15).
bench: install-dev
	bash scripts/test-services.sh
	DATABASE_URL=$(TEST_DATABASE_URL) PY=$(PY) bash scripts/bench.sh

# Load and fault test (not part of `make test`): gunicorn with DEBUG=0 on a private PostgreSQL
# that is restarted mid-run; loopback only, bounded in time and requests. Uses Redis for the
# cache when REDIS_URL is set. E.g. LOADTEST_ARGS="--duration 120 --outage-mode immediate".
loadtest: install-dev
	bash scripts/test-services.sh
	$(PY) scripts/loadtest.py $(LOADTEST_ARGS)

# Backup drill on the database of DATABASE_URL: dump + media, restore into a fresh database,
# compare counts per table and every mandate's status; fails on any difference.
restore-check: install
	$(PY) manage.py restore_check

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache *.egg-info
