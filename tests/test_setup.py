"""Setting up on a plain Debian: what the user is told, what is left behind."""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import CONFIG, ROOT, copy_project


def _outside_make(env: dict) -> dict:
    """The environment without what an enclosing `make test` passes down (make[1] would announce itself)."""
    return {k: v for k, v in env.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}


def _make_vars() -> dict[str, list[str]]:
    r = subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), "-f", "-", "show"], input=(
        "show:\n\t@echo BOOTSTRAP $(DEBS_BOOTSTRAP)\n\t@echo RUNTIME $(DEBS_RUNTIME)\n\t@echo TEST $(DEBS_TEST)\n"),
        capture_output=True, text=True, cwd=ROOT, env=_outside_make(dict(os.environ)))
    assert r.returncode == 0, r.stderr
    return {line.split()[0]: line.split()[1:] for line in r.stdout.splitlines()}


def test_a_user_without_root_is_told_once_every_package_make_test_needs(ordinary):
    """On a Debian where nothing is installed yet (dpkg-query knows no package), `make test` as an ordinary
    account stops before anything else with one message and one root command naming every package."""
    project = ordinary.folder("thieu-goi")
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    (project / "scripts").mkdir(mode=0o755)
    shutil.copy2(ROOT / "scripts" / "ensure-debs.sh", project / "scripts" / "ensure-debs.sh")
    fake = ordinary.folder("khong-co-goi")
    (fake / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")
    (fake / "dpkg-query").chmod(0o755)
    env = {**_outside_make(ordinary.env()), "PATH": f"{fake}:{os.environ['PATH']}"}
    r = ordinary.run(["make", "test"], cwd=project, env=env)
    assert r.returncode != 0
    groups = _make_vars()
    wanted = groups["BOOTSTRAP"] + groups["RUNTIME"] + groups["TEST"]
    lines = r.stderr.splitlines()
    assert lines[0] == "Thiếu gói hệ thống: " + " ".join(wanted)
    assert lines[2] == "  apt-get update && apt-get install -y --no-install-recommends " + " ".join(wanted)
    assert r.stderr.count("Thiếu gói hệ thống") == 1 and r.stdout == ""
    assert not (project / ".venv").exists()


def test_a_failed_download_of_a_python_library_is_one_sentence_naming_it(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    offline = {**os.environ, "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_RETRIES": "0", "PIP_TIMEOUT": "2",
               "PIP_NO_CACHE_DIR": "1", "PIP_CONFIG_FILE": os.devnull, "PIP_FIND_LINKS": ""}
    r = subprocess.run([str(ROOT / "scripts" / "pip-install.sh"), str(venv), "openpyxl==3.1.5"],
                       capture_output=True, text=True, env=offline)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr == ("Không tải được thư viện Python «openpyxl==3.1.5» từ kho PyPI (https://pypi.org): hãy kiểm tra "
                        f"kết nối mạng hoặc proxy (biến HTTPS_PROXY) rồi chạy lại lệnh make; chi tiết kỹ thuật ở "
                        f"{venv}/pip.log.\n")
    assert "openpyxl" in (venv / "pip.log").read_text(encoding="utf-8")


def test_no_run_leaves_a_temporary_folder(tmp_path):
    """report (the appendix laid out in a forked process, as for a long plan), templates and don-doc, each
    with its own empty TMPDIR: nothing is left in it afterwards."""
    project = copy_project(tmp_path / "du-an")
    runs = {
        "report": ["from pipeline.documents import render_pdf; render_pdf.PARALLEL_MIN_ROWS = 1",
                   ["report", "--period", "2022-Q3"], 1],
        "templates": ["", ["templates", "--period", "2022-Q4"], 0],
        "don-doc": ["", ["don-doc", "--period", "2022-Q3"], 0],
    }
    for name, (setup, args, code) in runs.items():
        tmp = tmp_path / f"tmp-{name}"
        tmp.mkdir()
        r = subprocess.run([sys.executable, "-c", f"import sys; {setup}\nfrom pipeline.cli import main; "
                            f"sys.exit(main({args!r}))"], capture_output=True, text=True, cwd=project,
                           env={**os.environ, "TMPDIR": str(tmp)})
        assert r.returncode == code, (name, r.stderr)
        assert sorted(p.name for p in tmp.iterdir()) == [], name
    pdf = project / "output" / "2022-Q3" / "bao-cao-2022-Q3.pdf"
    assert pdf.exists()
