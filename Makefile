# Cellucheck: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DEBUG=1

.PHONY: run test lint format venv chromium check

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
