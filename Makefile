# Yishi: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test test-setup install messages compilemessages lint format check e2e clean bench seed-scale

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

compilemessages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# Debian's chromium and fonts, axe-core, PostgreSQL and Redis running: installed or started
# when missing, or one line saying which command to run.
test-setup:
	bin/test-setup

# Serve the demo on http://127.0.0.1:$(PORT) with a Celery worker and beat (SQLite and a
# filesystem broker unless DATABASE_URL and REDIS_URL are set).
run: install
	PORT=$(PORT) bin/run-demo

# The whole suite, against PostgreSQL and Redis (DATABASE_URL, REDIS_URL override the
# defaults postgres://postgres@127.0.0.1:5432/yishi and redis://127.0.0.1:6379/1).
test: test-setup compilemessages
	$(BIN)/python -m pytest -n 2

# Only the browser journeys (Playwright + Debian chromium); screenshots in tests/e2e/screenshots/.
e2e: test-setup compilemessages
	$(BIN)/python -m pytest tests/e2e

# Extract new strings into every catalogue (the project's and each app's).
messages: install
	bin/makemessages

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  ALLOWED_HOSTS=yishi.example.org DATABASE_URL=postgres://postgres@127.0.0.1:5432/yishi \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var db.sqlite3

# Benchmarks (benchmarks/README.md): build a district at scale on the PostgreSQL database of
# DATABASE_URL (SIZE=full|medium|small|tiny or a factor), then measure the key pages with wrk
# against the independent floor (benchmarks/floor/) and write the results into
# benchmarks/README.md.
SIZE ?= small
seed-scale: install
	$(BIN)/python manage.py seed_scale --size $(SIZE) $(SEED_ARGS)

BENCH_ARGS ?= --readme benchmarks/README.md
bench: install
	bin/bench-setup
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
