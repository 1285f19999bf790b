# aftercare: `make run` serves the product with demo data; `make test` runs the checks.
PORT ?= 8000
HOST ?= 127.0.0.1
PY := .venv/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test bench bootstrap lint format messages clean

bootstrap:
	@bash scripts/bootstrap.sh

# prepare: migrations, static files (beside the rest, when they changed), the demo data on an
# empty database and the search index, each step shown as it goes.
run: bootstrap
	@$(PY) manage.py prepare
	@$(PY) manage.py serve --host $(HOST) --port $(PORT)

test: bootstrap
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) -m pytest $(PYTEST_ARGS)

bench: bootstrap
	$(PY) -m bench.run

lint: bootstrap
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache

format: bootstrap
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Refresh the catalogues after changing strings, then translate fa/tr/kk and compile.
messages: bootstrap
	$(PY) manage.py makemessages -l fa -l tr -l kk --no-obsolete --ignore=.venv --ignore=bench --ignore=var "--ignore=*/tests/*" "--ignore=aftercare/e2e/*"
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/static
