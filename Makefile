# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv setup lint format check bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Migrate, compile translations, collect static files, seed the demo zone and demo accounts.
setup: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py compile_translations -v 0
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py create_demo_accounts

run: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: venv
	$(BIN)/python manage.py compile_translations -v 0
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: venv
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'var/*'

check: venv
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=portal.example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

bench: venv
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/staticfiles
