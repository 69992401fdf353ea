# Minqing: `make run` (install, migrate, load the demo, serve the pages and run the job worker)
# and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint serve messages bench clean prod-check

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Front-end assets from the npm registry (package-lock.json): Apache ECharts for the dashboard,
# served as a static file (minqing/reports/dashboard/assets.py). Without npm, make still
# succeeds and the dashboard shows its tables without charts.
ECHARTS := node_modules/echarts/dist/echarts.min.js

$(ECHARTS): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "警告:未找到 npm,未安装 ECharts:数据看板只显示表格,不画图表。安装 Node.js 与 npm 后重新运行 make。"; \
	  echo "Warning: npm not found, so ECharts is not installed: the dashboard shows its tables without charts. Install Node.js and npm, then run make again."; \
	elif npm ci --no-audit --no-fund --loglevel=error; then \
	  touch $@; \
	else \
	  echo "警告:npm ci 失败,未安装 ECharts:数据看板只显示表格,不画图表。"; \
	  echo "Warning: npm ci failed, so ECharts is not installed: the dashboard shows its tables without charts."; \
	fi

install: $(STAMP) $(ECHARTS)
	$(BIN)/python -m minqing.core.i18n

run: install
	$(BIN)/minqing migrate --noinput -v0
	$(BIN)/minqing collectstatic --noinput -v0
	$(BIN)/minqing demo --if-empty
	$(BIN)/minqing demo_logins
	@echo "Serving on http://$(HOST):$(PORT)/ with the job worker (Ctrl-C stops both)"
	$(BIN)/minqing serve --host $(HOST) --port $(PORT)

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

# The production stack on this machine (docs/deploy.md): PostgreSQL primary + replica, PgBouncer,
# Redis, huey, gunicorn with config.production; smoke and fault tests; benchmarks/results/prod_check.md.
prod-check: install
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v pgbouncer >/dev/null 2>&1 || missing="$$missing pgbouncer"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	$(BIN)/python -m minqing.ops.prodcheck

bench: install
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) var
