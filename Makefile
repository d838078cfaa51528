# Two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export TRACKER_HOME ?= $(CURDIR)/instance

.PHONY: install translations run serve test faults lint typecheck security audit bench catalogs clean

install: $(VENV)/.installed translations

# Message catalogs are kept as .po files; the .mo files the app reads are built.
PO_FILES := $(wildcard web/translations/*/LC_MESSAGES/messages.po)
translations: $(PO_FILES:.po=.mo)

web/translations/%/LC_MESSAGES/messages.mo: web/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel -q compile -i $< -o $@

# Extract the strings of the interface and update every catalog.
catalogs: $(VENV)/.installed
	$(BIN)/python -m web.catalogs

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	@touch $@

run: install
	$(BIN)/tracker init
	$(BIN)/tracker demo --seed 1
	$(BIN)/tracker serve --host 127.0.0.1 --port 5000

serve: install
	$(BIN)/tracker serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# Every finding is fixed or marked `# nosec <test>` with its reason (README).
security: install
	$(BIN)/bandit -q -r domain tracker projections web scripts

# Known vulnerabilities in the dependencies; each one found is fixed or
# explained in scripts/audit-explained.txt.
audit: install
	$(BIN)/python scripts/audit_dependencies.py

# Every test of the store runs on SQLite and on PostgreSQL (tests/stores.py),
# spread over the machine's cores.
test: lint typecheck security audit
	$(BIN)/pytest -n auto --dist worksteal

# The fault tests at full strength: many kills, outages and generated inputs
# (RELIABILITY.md). `make test` runs the same tests, fewer times each.
faults: install
	TRACKER_FAULTS=full $(BIN)/pytest -n auto -m faults -p no:cacheprovider --timeout 3600

# The million-event store is generated once and shared by the benchmarks.
BENCH_STORE ?= benchmarks/store

bench: install
	$(BIN)/python -m benchmarks.bench_commands
	$(BIN)/python -m benchmarks.bench_projections --store $(BENCH_STORE)
	$(BIN)/python -m benchmarks.bench_reports --store $(BENCH_STORE)
	$(BIN)/python -m benchmarks.bench_web
	$(BIN)/python -m benchmarks.bench_serving
	$(BIN)/python -m benchmarks.bench_load

clean:
	rm -rf $(VENV) instance web/translations/*/LC_MESSAGES/*.mo .pytest_cache .mypy_cache .ruff_cache .hypothesis
