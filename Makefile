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

.PHONY: setup setup-test report report-q3 templates don-doc check-template import-plan test bench clean

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

# `baocao report` exits 1 when the report was built but the check list is not empty: for make
# that is success (the list is printed); 2 (nothing built) fails the target.
report-q3: setup
	@$(PY) -m pipeline --config $(CONFIG) report --period q3 || [ $$? -eq 1 ]

report: setup
	@test -n "$(PERIOD)" || { echo "Cần chỉ rõ kỳ báo cáo, ví dụ: make report PERIOD=2022-H1"; exit 2; }
	@$(PY) -m pipeline --config $(CONFIG) report --period $(PERIOD) $(ARGS) || [ $$? -eq 1 ]

templates: setup
	@test -n "$(PERIOD)" || { echo "Cần chỉ rõ kỳ báo cáo, ví dụ: make templates PERIOD=2022-Q3"; exit 2; }
	@$(PY) -m pipeline --config $(CONFIG) templates --period $(PERIOD)

# The công văn đôn đốc and each chased agency's files: output/<period>/don-doc/ (ARGS: --han, --so-ngay, --so/--ngay).
don-doc: setup
	@test -n "$(PERIOD)" || { echo "Cần chỉ rõ kỳ báo cáo, ví dụ: make don-doc PERIOD=2022-Q3"; exit 2; }
	@$(PY) -m pipeline --config $(CONFIG) don-doc --period $(PERIOD) $(ARGS)

check-template: setup
	@$(PY) -m pipeline --config $(CONFIG) check-template

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
