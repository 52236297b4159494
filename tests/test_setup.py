"""Setting up on a plain Debian: what the user is told, what is left behind."""
import os
import shutil
import signal
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
    shutil.copytree(ROOT / "scripts", project / "scripts")
    fake = ordinary.folder("khong-co-goi")
    (fake / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")
    (fake / "dpkg-query").chmod(0o755)
    env = {**_outside_make(ordinary.env()), "PATH": f"{fake}:{os.environ['PATH']}"}
    r = ordinary.run(["make", "test"], cwd=project, env=env,
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))   # as from a terminal
    assert r.returncode == -signal.SIGINT
    groups = _make_vars()
    wanted = groups["BOOTSTRAP"] + groups["RUNTIME"] + groups["TEST"]
    lines = r.stderr.splitlines()
    assert lines[0] == "Thiếu gói hệ thống: " + " ".join(wanted)
    assert lines[2] == "  apt-get update && apt-get install -y --no-install-recommends " + " ".join(wanted)
    assert len(lines) == 3 and r.stdout == ""      # and no English line from make
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


def _fake_debian(folder: Path, apt_fails: bool) -> dict:
    """A PATH where no package is installed, the user is root, and apt-get talks as it does."""
    folder.mkdir()
    scripts = {
        "dpkg-query": "exit 1",
        "id": "echo 0",
        "fc-cache": "exit 0",
        "apt-get": ('echo "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]"\n'
                    'echo "debconf: delaying package configuration, since apt-utils is not installed" >&2\n'
                    'case "$*" in *install*) ;; *) exit 0 ;; esac\n'
                    + ('echo "E: Failed to fetch http://deb.debian.org/debian/pool/main/q/qpdf/qpdf_11.3.0-1_amd64.deb'
                       '  Temporary failure resolving \'deb.debian.org\'" >&2\nexit 100\n' if apt_fails else
                       'echo "Setting up qpdf (11.3.0-1) ..."\n')),
    }
    for name, body in scripts.items():
        (folder / name).write_text(f"#!/bin/sh\n{body}\n")
        (folder / name).chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}", "TMPDIR": str(folder)}


def test_as_root_the_installation_says_what_and_how_long_and_hides_apt(tmp_path):
    env = _fake_debian(tmp_path / "bin", apt_fails=False)
    r = subprocess.run([str(ROOT / "scripts" / "ensure-debs.sh"), "qpdf", "libreoffice-calc-nogui"],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("Đang cài 2 gói hệ thống (lần đầu, khoảng 3–6 phút, tải khoảng 400 MB): "
                        "qpdf libreoffice-calc-nogui\n")
    assert r.stderr == ""
    r = subprocess.run([str(ROOT / "scripts" / "ensure-debs.sh"), "fontconfig"], capture_output=True, text=True,
                       env=env)
    assert r.stdout == "Đang cài 1 gói hệ thống (lần đầu, khoảng 1 phút): fontconfig\n"
    assert sorted(p.name for p in (tmp_path / "bin").iterdir()) == ["apt-get", "dpkg-query", "fc-cache", "id"]


def test_a_failed_package_download_is_one_sentence_naming_the_package(tmp_path):
    env = _fake_debian(tmp_path / "bin", apt_fails=True)
    r = subprocess.run([str(ROOT / "scripts" / "ensure-debs.sh"), "qpdf", "poppler-utils"],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 1
    assert r.stderr == ("Không tải được gói hệ thống qpdf từ nguồn gói của Debian: hãy kiểm tra kết nối mạng, proxy "
                        "hoặc /etc/apt/sources.list rồi chạy lại lệnh make.\n")
    assert sorted(p.name for p in (tmp_path / "bin").iterdir()) == ["apt-get", "dpkg-query", "fc-cache", "id"]


@pytest.mark.parametrize("args, said", [
    (["templates"], "Cần chỉ rõ kỳ báo cáo, ví dụ: make templates PERIOD=2022-Q3\n"),
    (["report", "PERIOD=2022-Q3", "ARGS=--so 4 --ngay 20.9.2022"],
     "Lỗi: --ngay «20.9.2022» không phải một ngày có thật viết theo cách được nhận (ngày/tháng/năm như 20/9/2022 hay "
     "20-9-2022, hoặc năm-tháng-ngày như 2022-09-20).\n"),
])
def test_a_failure_explained_in_vietnamese_is_not_followed_by_makes_english(tmp_path, args, said):
    project = copy_project(tmp_path / "du-an")
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    shutil.copytree(ROOT / "scripts", project / "scripts")
    # As from a terminal (make keeps SIGINT ignored when started in the background); `setup` taken as done.
    r = subprocess.run(["make", "-o", "setup", f"VENV={sys.prefix}", *args], cwd=project, capture_output=True,
                       text=True, env=_outside_make(dict(os.environ)),
                       preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert r.returncode == -signal.SIGINT and r.stdout == ""   # a shell shows 130
    assert r.stderr == said
    assert not (project / "output").exists()
