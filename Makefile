# Cellucheck: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DEBUG=1

.PHONY: run test lint format venv chromium check fuzz serve bench loadtest

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

run: venv
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_curated
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Browser tests drive Debian's Chromium; install it when missing (needs root, as on CI).
chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

test: venv chromium
	$(BIN)/pytest

# The long fuzzing run (CI runs a short one inside `make test`).
fuzz: venv
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} $(BIN)/pytest tests/fuzz -q

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat

check: venv
	$(DEV_ENV) $(BIN)/python manage.py check
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# Production-like server: gunicorn + whitenoise on 127.0.0.1:8000, PostgreSQL (DATABASE_URL) and
# Redis (REDIS_URL); see scripts/serve.sh for the defaults.
serve: venv
	bash scripts/serve.sh

# Throughput and latency of the public pages against gunicorn + PostgreSQL, curated and synthetic
# data, cache on and off (under 10 minutes; results in docs/performance.md).
bench: venv
	$(BIN)/python scripts/bench.py

# 10,000 requests with 32 connections: zero errors, zero 5xx, and a publish served at once.
loadtest: venv
	$(BIN)/python scripts/loadtest.py
