# Minqing: `make run` (install, migrate, load the demo, serve) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint serve messages bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/python -m minqing.core.i18n

run: install
	$(BIN)/minqing migrate --noinput -v0
	$(BIN)/minqing collectstatic --noinput -v0
	$(BIN)/minqing demo --if-empty
	$(BIN)/minqing demo_logins
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/gunicorn config.wsgi -b $(HOST):$(PORT) -w 2 --timeout 300 --access-logfile -

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/minqing makemigrations --check --dry-run -v0

test: lint
	$(BIN)/pytest

# Regenerate the English catalogue from the source (needs GNU gettext's xgettext).
messages: install
	$(BIN)/minqing makemessages -l en --no-obsolete --add-location file -i '.venv/*' -i 'var/*'

bench: install
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) var
