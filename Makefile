# Mandate Tracker. The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The suite always runs on PostgreSQL (pytest-django creates and drops test_mandate_tracker).
TEST_DATABASE_URL ?= postgres://postgres:postgres@127.0.0.1:5432/mandate_tracker

.PHONY: run test install install-dev migrate data admin lint format check bench clean

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

# Benchmarks print their figures (no timed tests): pages, PDF summaries, importer parse, open data.
bench: install-dev
	bash scripts/test-services.sh
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/bench_pages.py 500
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/bench_pdf.py
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/bench_import.py
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/bench_open_data.py 500

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache *.egg-info
