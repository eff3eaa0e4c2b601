# shufa — the two commands that matter:
#   make run    set up .venv and build data/warehouse/warehouse.duckdb from data/raw/
#   make test   set up .venv with the dev extras and run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: run test dev sample bench bench-accuracy soak screenshots clean help

help:
	@sed -n 's/^#   //p' Makefile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps record that the environment matches pyproject.toml; editing it reinstalls.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[notebook]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-ui

# The Dagster UI and dg, without the test tools.
$(VENV)/.installed-ui: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[ui,notebook]'
	touch $@ $(VENV)/.installed

# Debian packages: a CJK font for Chinese chart labels (notebook), headless Chromium (report test, screenshots).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(VENV)/.installed-font: | $(BIN)/python
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei
	touch $@

# LibreOffice (Writer only, no GUI) converts legacy Word .doc/.wps files to .docx for reading.
$(VENV)/.installed-office: | $(BIN)/python
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui
	touch $@

$(VENV)/.installed-apt: | $(BIN)/python
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei libreoffice-writer-nogui
	touch $@ $(VENV)/.installed-font $(VENV)/.installed-office

# make run tries the Debian packages too, but builds without them: a .doc then gets an ingest_errors row naming the fix.
run: $(VENV)/.installed
	-@$(MAKE) --no-print-directory $(VENV)/.installed-font || echo "note: could not install fonts-wqy-zenhei; notebook charts need a CJK font"
	-@$(MAKE) --no-print-directory $(VENV)/.installed-office || echo "note: could not install libreoffice-writer-nogui; .doc/.wps files will be listed in ingest_errors"
	$(BIN)/shufa build

test: $(VENV)/.installed-dev $(VENV)/.installed-apt
	$(BIN)/python -m pytest

#   make dev    the Dagster UI (asset graph, runs of every `shufa build`, checks) on http://127.0.0.1:3000
#               (HOST=0.0.0.0 PORT=3001 make dev to serve it elsewhere)
HOST ?= 127.0.0.1
PORT ?= 3000
dev: $(VENV)/.installed-ui
	@$(BIN)/python -c "import dagster_webserver" 2>/dev/null || $(PIP) -e '.[ui,notebook]'
	mkdir -p data/dagster_home
	DAGSTER_HOME=$(CURDIR)/data/dagster_home $(BIN)/dagster dev -h $(HOST) -p $(PORT)

#   make sample regenerate the bundled sample corpus and its truth file (deterministic)
sample: $(VENV)/.installed-dev
	$(BIN)/python -m pipelines.samples.generate --out data/raw --truth data/sample_truth.csv

#   make bench  speed: the sample corpus (bench/results/speed.json), each reader and OCR pages/s
#               (bench/results/readers.json), then 11,000+ generated reports
#               outside the repo (SHUFA_BENCH_DIR, default /tmp/shufa-bench): full, no-op and 1%-changed
#               builds, the bare-parsing floor, query latency, a full build of twice the corpus (memory)
#               -> bench/results/scale.json (~40 min on 2 cores)
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/readers.py
	$(BIN)/python bench/scale.py

#   make bench-accuracy  extraction precision/recall/F1 -> bench/results/accuracy.json
bench-accuracy: $(VENV)/.installed-dev
	$(BIN)/python bench/accuracy.py

#   make soak   robustness: 30 rounds of builds on sample + hostile files, with concurrent queries and
#               competing builds, outside the repo (SHUFA_SOAK_DIR, default /tmp/shufa-soak)
#               -> bench/results/soak.json (~15-20 min on a quiet 2-core machine, est.; ROUNDS=3 for a quick look)
ROUNDS ?= 30
soak: $(VENV)/.installed-dev
	$(BIN)/python bench/soak.py --rounds $(ROUNDS)

#   make screenshots  regenerate docs/images/*.png (README pictures) from the sample corpus
screenshots: $(VENV)/.installed-dev $(VENV)/.installed-apt
	$(BIN)/python docs/images/make_screenshots.py

#   make clean  remove the virtualenv and the built warehouse
clean:
	rm -rf $(VENV) data/warehouse/*.duckdb data/warehouse/*.wal
