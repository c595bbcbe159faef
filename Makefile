# Two commands do everything on a fresh machine: `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SPARK_STAMP := $(VENV)/.spark-stamp
UI_PORT ?= 3000

.PHONY: install install-spark demo test test-fast lint ui clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade uv
	$(BIN)/uv pip install --quiet --python $(PY) -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# the Spark engine's packages (dbt-spark, pyspark); Spark also needs Java 17+, which the
# tests of the Spark engine look for and skip without (.ci/run installs it)
$(SPARK_STAMP): $(STAMP)
	$(BIN)/uv pip install --quiet --python $(PY) -e ".[dev,spark]"
	touch $(SPARK_STAMP)

install-spark: $(SPARK_STAMP)

demo: install
	$(BIN)/tallyhouse demo

lint: install
	$(BIN)/ruff check orchestration tests benchmarks
	cd dbt_project && ../$(BIN)/dbt parse --quiet
	TALLYHOUSE_WAREHOUSE=:memory: $(BIN)/sqlfluff lint models tests/dbt
	$(BIN)/sqlfluff lint orchestration/ingest/sql --templater placeholder

test: lint install-spark
	$(PY) -m pytest -q

# The fast loop: every test but those marked e2e (a whole landing zone built, Dagster runs,
# tallyhouse run, a browser); make test runs them all.
test-fast: install
	$(PY) -m pytest -q -m "not e2e"

ui: install
	$(PY) -c 'from orchestration.defs.transform.manifest import prepare_dbt_manifest; prepare_dbt_manifest()'
	DAGSTER_HOME=$(CURDIR) $(BIN)/dagster dev --port $(UI_PORT)

clean:
	rm -rf .tallyhouse .dagster_home dbt_project/target dbt_project/logs
