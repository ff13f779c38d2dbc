# Nyskap – the only entry points a newcomer needs.
#   make run    install, migrate, load reference and demo data, serve on http://127.0.0.1:8000
#   make test   the whole test suite (SQLite by default; PostgreSQL when DATABASE_URL is set)
#   make lint   ruff, mypy, djLint, import contracts, migrations and translations check
#   make bench  benchmarks (results in bench/results/)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install dictionaries run serve migrate reference-data demo-data test test-fast lint format bench load messages compilemessages worker clean

install: $(VENV)/.installed node_modules/.installed var/.exists dictionaries

# Search splits Norwegian compounds with the Hunspell dictionaries (Debian package hunspell-no). Installed here when
# the machine lets us (root with apt); otherwise say what to install. Search works without them, minus compounds.
dictionaries:
	@test -f /usr/share/hunspell/nb_NO.dic -o -n "$$NYSKAP_HUNSPELL_DIR" || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends hunspell-no; \
	    else echo "Note: install the Norwegian Hunspell dictionaries (Debian/Ubuntu: sudo apt-get install hunspell-no) so search can split compound words."; fi; }

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Nyskap needs Python 3.12 or newer (see .python-version)"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

var/.exists:
	mkdir -p var
	touch $@

migrate: install
	$(MANAGE) migrate --noinput

reference-data: migrate
	$(MANAGE) load_reference_content

demo-data: reference-data
	$(MANAGE) demo_data
	$(MANAGE) load_project_cases
	$(MANAGE) load_trials
	$(MANAGE) demo_calls
	$(MANAGE) load_benefit_examples
	$(MANAGE) load_challenges
	$(MANAGE) load_procurement_demo
	$(MANAGE) load_barometer_demo
	$(if $(SIZE),$(MANAGE) generate_projects $(SIZE))
	$(MANAGE) refresh_dashboards

run: demo-data
	$(MANAGE) runserver $(HOST):$(PORT)

worker: install
	$(MANAGE) db_worker

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=. $(VENV)/bin/mypy  # the project's tests package before a dependency's stray top-level "tests"
	$(VENV)/bin/djlint src/nyskap --lint
	$(VENV)/bin/lint-imports --no-cache  # the import contracts in pyproject.toml (docs/adr/0011-import-contracts.md)
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check_translations

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	$(MANAGE) makemessages --all --ignore ".venv/*" --ignore "node_modules/*" --no-obsolete
	$(MANAGE) compile_translations

compilemessages: install
	$(MANAGE) compile_translations

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/nyskap_bench
BENCH_SIZE ?= 100000

bench: install
	$(PY) bench/run.py
	$(PY) bench/search_http.py --size $(BENCH_SIZE)
	$(PY) bench/search_http.py --size $(BENCH_SIZE) --database-url $(BENCH_DATABASE_URL)
	$(PY) bench/projects.py --size $(BENCH_SIZE)
	$(PY) bench/projects.py --size $(BENCH_SIZE) --database-url $(BENCH_DATABASE_URL)
	$(PY) bench/instruments.py
	$(PY) bench/instruments.py --database-url $(BENCH_DATABASE_URL)
	$(PY) bench/benefits.py
	$(PY) bench/benefits.py --database-url $(BENCH_DATABASE_URL)
	$(PY) bench/culture.py --responses 100000 --organisations 200
	$(PY) bench/culture.py --database-url $(BENCH_DATABASE_URL)
	$(PY) bench/dashboards.py --database-url $(BENCH_DATABASE_URL)

# Load test (locust) against gunicorn with production settings, PostgreSQL and Redis; see docs/operations.md.
LOAD_USERS ?= 50
LOAD_SECONDS ?= 600
load: install
	$(PY) bench/load.py --users $(LOAD_USERS) --seconds $(LOAD_SECONDS)

clean:
	rm -rf $(VENV) node_modules var
