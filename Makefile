# Two commands on a fresh machine: `make report-q3` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CONFIG ?= input/ke-hoach-112.toml
PERIOD ?=
# Needed to produce the report (WeasyPrint's Pango, the Vietnamese-complete font).
DEBS_RUNTIME := fonts-liberation2 fonts-dejavu-core fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# Needed by the test suite: real clients that open what we produce.
DEBS_TEST := libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils qpdf default-jre-headless \
             libpdfbox2-java libactivation-java libjaxb-api-java

.PHONY: setup setup-test report report-q3 templates tinh-hinh don-doc check-template import-plan test bench clean

# Needed before the venv exists (a plain Debian has no python3-venv, sometimes no python3 or git).
DEBS_BOOTSTRAP := python3 python3-venv git

$(STAMP): pyproject.toml requirements.lock
	@scripts/ensure-debs.sh $(DEBS_BOOTSTRAP)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	  || { echo "Cần Python 3.11 trở lên ($(PYTHON) hiện là: $$($(PYTHON) --version 2>&1))." >&2; exit 2; }
	@echo "Đang tạo môi trường Python $(VENV) và cài thư viện đã ghim phiên bản (lần đầu, khoảng 1 phút)…"
	@$(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -qq --disable-pip-version-check -r requirements.lock
	@$(VENV)/bin/pip install -qq --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
	  || $(VENV)/bin/pip install -qq --disable-pip-version-check --no-deps -e .
	@touch $@

setup: $(STAMP)
	@scripts/ensure-debs.sh $(DEBS_RUNTIME)

setup-test: setup
	@scripts/ensure-debs.sh $(DEBS_TEST)

# The tool's exit codes: 0 done; 1 done, with a check list or open points (printed): success for make;
# 2 refused or failed, already told in Vietnamese. make would add its own English «make: *** [...] Error 2».
# For a person at a terminal the target ends with the tool's sentence and nothing more (make exits 0); in CI
# (the CI variable set) or when stderr is not a terminal (a script, a log), make fails with the tool's code,
# so an automated chain stops.
explained = { code=$$?; [ $$code -eq 1 ] || { [ -t 2 ] && [ -z "$$CI" ]; } || exit $$code; }
need_period = { [ -n "$(PERIOD)" ] || { echo "Cần chỉ rõ kỳ báo cáo, ví dụ: make $@ PERIOD=$(1)" >&2; (exit 2); }; }
TOOL = $(PY) -m pipeline --config $(CONFIG)

report-q3: setup
	@$(TOOL) report --period q3 || $(explained)

report: setup
	@$(call need_period,2022-H1) && $(TOOL) report --period $(PERIOD) $(ARGS) || $(explained)

templates: setup
	@$(call need_period,2022-Q3) && $(TOOL) templates --period $(PERIOD) $(ARGS) || $(explained)

# The period at a glance: who replied, who is late or silent, files refused, review points, can it be issued.
tinh-hinh: setup
	@$(call need_period,2022-Q3) && $(TOOL) tinh-hinh --period $(PERIOD) $(ARGS) || $(explained)

# The công văn đôn đốc and each chased agency's files: output/<period>/don-doc/ (ARGS: --han, --so-ngay, --so/--ngay).
don-doc: setup
	@$(call need_period,2022-Q3) && $(TOOL) don-doc --period $(PERIOD) $(ARGS) || $(explained)

check-template: setup
	@$(TOOL) check-template || $(explained)

# The import contract first (pyproject.toml: stages only look down), then the suite.
test: setup-test
	@$(VENV)/bin/lint-imports --no-cache --no-logo
	@$(PY) -m pytest -q $(ARGS)

bench: setup-test
	@$(PY) -m bench $(ARGS)

# Only what the tool can rebuild: caches, build files, and in output/ the draft files listed by their
# manifest (unchanged since written). Issued reports (phat-hanh/), phieu/ and foreign files stay.
clean:
	@$(PYTHON) -m pipeline.clean output
	rm -rf .pytest_cache build *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
