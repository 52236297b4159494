# Two commands on a fresh machine: `make report-q3` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CONFIG ?= input/ke-hoach-112.toml
PERIOD ?=
# After a failure the tool or a script here has explained in Vietnamese, make stops without adding its
# own English «make: *** [...] Error» line (scripts/stop-make.sh: exit status 130, still a failure).
EXPLAINED = || scripts/stop-make.sh $$PPID
# Debian packages. Each target asks for all it needs in one call of ensure-debs.sh, so that a user
# without root is given one command for everything (DEBS is inherited by the prerequisites).
# Needed before the venv exists (a plain Debian has no python3-venv, sometimes no python3 or git).
DEBS_BOOTSTRAP := python3 python3-venv git
# Needed to produce the report (WeasyPrint's Pango, the Vietnamese-complete font).
DEBS_RUNTIME := fonts-liberation2 fonts-dejavu-core fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# Needed by the test suite: real clients that open what we produce.
DEBS_TEST := libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils qpdf default-jre-headless \
             libpdfbox2-java libactivation-java libjaxb-api-java
DEBS = $(DEBS_BOOTSTRAP) $(DEBS_RUNTIME)
setup-test test bench: DEBS = $(DEBS_BOOTSTRAP) $(DEBS_RUNTIME) $(DEBS_TEST)

.PHONY: debs setup setup-test report report-q3 templates tinh-hinh don-doc check-template import-plan test bench clean

debs:
	@scripts/ensure-debs.sh $(DEBS) $(EXPLAINED)

$(STAMP): pyproject.toml requirements.lock | debs
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	  || { echo "Cần Python 3.11 trở lên ($(PYTHON) hiện là: $$($(PYTHON) --version 2>&1))." >&2; false; } $(EXPLAINED)
	@echo "Đang tạo môi trường Python $(VENV) và cài các thư viện đã ghim phiên bản (pandas, WeasyPrint, openpyxl," \
	  "python-docx…; lần đầu khoảng 1–2 phút, tải khoảng 100 MB)…"
	@$(PYTHON) -m venv $(VENV)
	@scripts/pip-install.sh $(VENV) -r requirements.lock $(EXPLAINED)
	@scripts/pip-install.sh $(VENV) --no-deps --no-build-isolation -e . 2>/dev/null \
	  || scripts/pip-install.sh $(VENV) --no-deps -e . $(EXPLAINED)
	@touch $@

setup: debs $(STAMP)

setup-test: setup

# `baocao report` exits 1 when the report was built but the check list is not empty: for make
# that is success (the list is printed); 2 (nothing built, said in one sentence) fails the target.
report-q3: setup
	@$(PY) -m pipeline --config $(CONFIG) report --period q3 || [ $$? -eq 1 ] $(EXPLAINED)

report: setup
	@test -n "$(PERIOD)" || { echo "Cần chỉ rõ kỳ báo cáo, ví dụ: make report PERIOD=2022-H1" >&2; false; } $(EXPLAINED)
	@$(PY) -m pipeline --config $(CONFIG) report --period $(PERIOD) $(ARGS) || [ $$? -eq 1 ] $(EXPLAINED)

templates: setup
	@test -n "$(PERIOD)" || { echo "Cần chỉ rõ kỳ báo cáo, ví dụ: make templates PERIOD=2022-Q3" >&2; false; } $(EXPLAINED)
	@$(PY) -m pipeline --config $(CONFIG) templates --period $(PERIOD) $(ARGS) $(EXPLAINED)

# The period at a glance: who replied, who is late or silent, files refused, review points, can it be issued
# (exit 1, success for make, when it cannot be issued yet: the reasons are printed). Writes nothing.
tinh-hinh: setup
	@test -n "$(PERIOD)" || { echo "Cần chỉ rõ kỳ báo cáo, ví dụ: make tinh-hinh PERIOD=2022-Q3" >&2; false; } $(EXPLAINED)
	@$(PY) -m pipeline --config $(CONFIG) tinh-hinh --period $(PERIOD) $(ARGS) || [ $$? -eq 1 ] $(EXPLAINED)

# The công văn đôn đốc and each chased agency's files: output/<period>/don-doc/ (ARGS: --han, --so-ngay, --so/--ngay).
don-doc: setup
	@test -n "$(PERIOD)" || { echo "Cần chỉ rõ kỳ báo cáo, ví dụ: make don-doc PERIOD=2022-Q3" >&2; false; } $(EXPLAINED)
	@$(PY) -m pipeline --config $(CONFIG) don-doc --period $(PERIOD) $(ARGS) $(EXPLAINED)

check-template: setup
	@$(PY) -m pipeline --config $(CONFIG) check-template $(EXPLAINED)

# The import contract first (pyproject.toml: stages only look down), then the suite, one line per test
# file with the percentage done (5–10 minutes on two cores).
test: setup-test
	@$(VENV)/bin/lint-imports --no-cache --no-logo
	@$(PY) -m pytest $(ARGS)

bench: setup-test
	@$(PY) -m bench $(ARGS)

# Only what the tool can rebuild: caches, build files, and in output/ the draft files listed by their
# manifest (unchanged since written). Issued reports (phat-hanh/), phieu/ and foreign files stay.
clean:
	@$(PYTHON) -m pipeline.clean output
	rm -rf .pytest_cache build *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
