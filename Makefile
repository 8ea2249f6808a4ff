# The two commands:  make run  (start the dashboard)   make test  (run every test)
VENV ?= .venv
PY := $(VENV)/bin/python
PLAN ?= data/plan.yaml
PORT ?= 8501

.PHONY: run test setup system-deps validate format

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

# Chromium draws the pages in browser tests and renders chart images; Noto CJK gives it Chinese glyphs.
# PostgreSQL: the tests start a throw-away cluster of their own with its initdb/pg_ctl (no service is used); its
# pg_dump/pg_restore make and restore backups. nginx: the replica test runs its own nginx in front of two servers
# with docs/nginx-replicas.conf (no service is used either).
SYSTEM_PACKAGES := chromium fonts-noto-cjk postgresql nginx
system-deps:
	@if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		&& { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "note: install $(SYSTEM_PACKAGES) for the browser tests, image exports, the PostgreSQL and the replica tests"; fi

run: setup system-deps
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) -- --plan $(PLAN)

# Lint and format check first (seconds), then every test: units, AppTest pages, and the browser tests last.
test: setup system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -q

# The plan, then the progress log (checked against the bundled plan, whose task numbers and sites it names).
validate: setup
	$(PY) -m components.validate $(PLAN)
	$(PY) -m components.validate data/progress.yaml

# Rewrite the code in the project's format and fix what ruff can fix by itself.
format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
