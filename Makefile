# The two commands: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format bench check-python clean messages

check-python:
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.11 or newer is required (python3 --version)."; exit 1; fi

# Reinstall only when the requirement files change: a second `make run` starts in seconds.
$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# Translations: locale/<language>/LC_MESSAGES/django.po are the source (kk, ru); each .mo is compiled
# from its .po by Babel (pip-installed, so GNU gettext is not needed) whenever the .po changes.
# The .mo files are build output, not committed.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(VENV)/.runtime
	$(BIN)/pybabel --quiet compile --domain django --locale $* --input-file $< --output-file $@

# For developers after changing strings (needs GNU gettext's xgettext and msgmerge): adds new
# messages to the catalogues, drops vanished ones. Then translate them; the tests list what is missing.
messages: $(VENV)/.runtime
	$(BIN)/python manage.py makemessages --locale kk --locale ru --no-obsolete --add-location file \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*' --ignore 'tests/*' --ignore 'node_modules/*'

# axe-core for the accessibility tests, pinned in package-lock.json; without npm those tests are
# skipped (outside CI), like the other browser tests without Chromium.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the accessibility (axe-core) tests will be skipped."; fi

run: $(VENV)/.runtime $(CATALOGUES)
	@mkdir -p "$(or $(VAR_DIR),var)/staticfiles"  # VAR_DIR: where the embedded database and files live
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python scripts/run_portal.py  # loads the demo data, starts web, worker and beat

test: $(VENV)/.dev $(CATALOGUES) node_modules/.package-lock.json
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
