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
