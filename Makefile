# dhrplans: make extract (set-up included), make test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup system-packages extract test lint format eval clean bench notebooks

setup: system-packages $(STAMP)

# System packages (Debian/Ubuntu): Tesseract with its English data, for scanned plans
# (OCRmyPDF itself comes from PyPI with the project). Installed when missing if we are
# root with apt-get; otherwise the command to run is printed and set-up goes on (only
# scanned pages need it). STRICT=1 (CI) makes a failed install an error.
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-eng
STRICT ?= 0
system-packages:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx eng; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing $(SYSTEM_PACKAGES) (OCR of scanned plans)"; \
		if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; }; then \
			echo "could not install $(SYSTEM_PACKAGES): scanned plans cannot be read"; \
			[ "$(STRICT)" != 1 ]; \
		fi; \
	else \
		echo "scanned plans need Tesseract OCR; to read them, run:"; \
		echo "  sudo apt-get install -y $(SYSTEM_PACKAGES)"; \
		[ "$(STRICT)" != 1 ]; \
	fi

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

# The analyst notebooks in JupyterLab (the `notebooks` extra), on $(DHRPLANS_DATA) (default
# data/clean: run `make extract` first).
notebooks: setup
	$(BIN)/python -m pip install --quiet -e '.[notebooks]'
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) data/interim build *.egg-info

# Benchmark (not a test): N plans, full pipeline against plain pdfplumber. N=200 by default;
# the pipeline runs (--jobs 1, --jobs all cores) REPEAT times, alternately, the best counting
# (the machine may be shared: the best run is the least disturbed).
N ?= 200
REPEAT ?= 3
bench: setup
	$(BIN)/python bench/run.py --n $(N) --repeat $(REPEAT) --json bench/results.json
	$(BIN)/python bench/memory.py --small 100 --large 1000 --json bench/memory.json

# Benchmark of generality (not a test): N freshly generated plan layouts rendered with
# LibreOffice (installed via apt when missing and we are root), extracted and scored per layout
# dimension. SEED repeats a run (the default comes from the clock and is printed).
SEED ?=
LAYOUT_PACKAGES := libreoffice-writer-nogui fonts-liberation fonts-dejavu-core
.PHONY: layouts
layouts: setup
	@if ! command -v soffice >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing $(LAYOUT_PACKAGES) (renders the generated plans)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends $(LAYOUT_PACKAGES) >/dev/null || exit 1; \
		else \
			echo "make layouts needs LibreOffice: sudo apt-get install -y $(LAYOUT_PACKAGES)"; \
			exit 1; \
		fi; \
	fi
	$(BIN)/python bench/layouts.py --n $(N) $(if $(SEED),--seed $(SEED))

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
