# The two commands of the README: `make run` and `make test`. Everything else serves them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Embedded defaults unless the caller set DATABASE_URL / REDIS_URL.

.PHONY: run test install lint typecheck check-deploy translations messages demo lock clean bench

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

install: $(VENV)/.installed

translations: install
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var -v 0

## Run the portal with demo data on embedded defaults: web, worker and beat; Ctrl-C stops them all.
run: translations
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v 0
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 SITE_URL=$${SITE_URL:-http://localhost:$${WEB_PORT:-8000}} $(BIN)/honcho start -f Procfile.dev

## Run the whole test suite (embedded defaults, or the services named by DATABASE_URL / REDIS_URL).
test: translations
	./scripts/system-packages || true
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## mypy with django-stubs on the shared core, the policy engine and the services ([tool.mypy]).
typecheck: install
	DEBUG=1 $(BIN)/mypy

check-deploy: install
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
	ALLOWED_HOSTS=pr.example.gov SECURE_HSTS_SECONDS=31536000 VERIFICATION_SECRET=$$(head -c 32 /dev/urandom | base64) \
	PAYMENTS_SECRET=$$(head -c 32 /dev/urandom | base64) \
	STORAGE_ENCRYPTION_KEYS=check-deploy:$$(head -c 32 /dev/urandom | base64) \
	CARDS_SIGNING_KEYS=check-deploy:$$(head -c 32 /dev/urandom | base64) \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

## Refresh the Chinese catalogue after changing user-facing strings.
messages: install
	PYTHON=$(BIN)/python ./scripts/makemessages

## Re-pin the tested versions from pyproject.toml.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --extra dev --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

## Every benchmark (bench/*.py) against DATABASE_URL's PostgreSQL server; BENCH_SMALL=1: tiny sizes.
BENCHES := $(sort $(filter-out bench/_%,$(wildcard bench/*.py)))
bench: install
	@for b in $(BENCHES); do echo "== $$b"; $(BIN)/python $$b $(BENCH_ARGS) || exit 1; done

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
