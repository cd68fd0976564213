# dhrplans: make extract (set-up included), make test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup extract test lint format eval clean bench

setup: $(STAMP)

# Re-installs only when pyproject.toml changes (idempotent).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

extract: setup
	$(BIN)/dhrplans run data/raw --out data/clean

test: setup lint
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

eval: extract
	$(BIN)/dhrplans eval tests/gold data/clean

clean:
	rm -rf $(VENV) data/interim build *.egg-info

# Benchmark (not a test): N plans, full pipeline against plain pdfplumber. N=200 by default.
N ?= 200
bench: setup
	$(BIN)/python bench/run.py --n $(N) --json bench/results.json

# Reviewer tooling (README, "Auditing extraction changes"): the test corpus in snapshot form.
AUDIT_CORPUS := tests/corpus tests/fixtures/pdf
.PHONY: snapshot audit

# Accept the current extraction: re-extract the corpus and rewrite tests/snapshot/ (commit it).
# Exit 1 of `run` (a document failed) is tolerated: the failure is recorded in documents.jsonl.
snapshot: setup
	$(BIN)/dhrplans run $(AUDIT_CORPUS) --out data/interim/snapshot || [ $$? -eq 1 ]
	$(BIN)/dhrplans snapshot data/interim/snapshot tests/snapshot

# Re-extract the corpus and compare with tests/snapshot/: prints the report (also written to
# data/interim/audit.md) and fails when they differ; `make snapshot` accepts the change.
audit: setup
	$(BIN)/dhrplans run $(AUDIT_CORPUS) --out data/interim/audit || [ $$? -eq 1 ]
	$(BIN)/dhrplans snapshot data/interim/audit tests/snapshot --check --report data/interim/audit.md
