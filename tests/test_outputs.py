"""Nothing lost, nobody blocked: the output folder rules, tried with the real CLI in real processes.

Each test works on its own copy of the project's input/ folder (config, master table, sample forms),
so the working folder, the input and the output are real folders the way a clerk has them.
"""
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import INPUT, ROOT, SAMPLE, settle_all

ISSUE = ["--so", "45", "--ngay", "2022-09-20"]
DRAFT_NAMES = {"bao-cao-2022-Q3.docx", "bao-cao-2022-Q3.pdf", "bien-tap.xlsx", "manifest.json", "noi-dung.json",
               "tong-hop.xlsx", "van-de.txt"}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _tree(folder: Path, lock: bool = True) -> dict[str, str]:
    """Every entry under folder (hidden ones too): file -> sha256, folder -> "dir", link -> target.
    lock=False leaves out the lock file's content (who ran last)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if not lock and p.name == ".baocao.lock":
            out[rel] = "lock"
            continue
        out[rel] = (f"-> {os.readlink(p)}" if p.is_symlink() else "dir" if p.is_dir() else _sha(p))
    return out


@pytest.fixture
def project(tmp_path):
    """A copy of the project's input/ in its own folder (the CLI runs there, as from a clone)."""
    proj = tmp_path / "du-an"
    shutil.copytree(INPUT, proj / "input")
    return proj


def _cli(*args, cwd, umask=None, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd,
                          preexec_fn=(lambda: os.umask(umask)) if umask is not None else None, **kw)


def _start(*args, cwd):
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _report(cwd, *extra, config="input/ke-hoach-112.toml", **kw):
    return _cli("--config", str(config), "report", "--period", "2022-Q3", *extra, cwd=cwd, **kw)


def _wait_for(predicate, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.005)
    return False


# ---------------------------------------------------------------- 1. output overlapping the input

@pytest.mark.parametrize("where, args", [
    ("", ["report", "--period", "2022-Q3", "--output", "input"]),
    ("input", ["--config", "ke-hoach-112.toml", "report", "--period", "2022-Q3", "--output", "."]),
    ("", ["report", "--period", "2022-Q3", "--output", "input/2022-Q3"]),
    ("", ["report", "--period", "2022-Q3", "--output", "input/bao-cao"]),
    ("", ["templates", "--period", "2022-Q3", "--output", "input"]),
])
def test_output_overlapping_the_input_is_refused_and_nothing_is_touched(project, where, args):
    before = _tree(project)
    r = _cli(*args, cwd=project / where)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.startswith("Lỗi: Không ghi kết quả vào «") and "trùng hoặc lồng với thư mục" in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert _tree(project) == before, "not one file or folder created, changed or removed"


# ---------------------------------------------------------------- 2. issued reports are kept

def _settle_for_issue(project) -> None:
    """The clerk's review before issuing: a draft (kept out of output/), every point marked «Đã kiểm tra»
    in bien-tap.xlsx, saved into the period's input folder."""
    from pipeline.report import build_report
    draft = build_report(project / "input" / "ke-hoach-112.toml", "2022-Q3", project / "nhap", with_pdf=False)
    settle_all(draft.outputs["editorial"], project / "input" / "2022-Q3" / "bien-tap.xlsx")


def test_issued_report_has_its_own_folder_and_is_never_replaced(project):
    _settle_for_issue(project)
    r = _report(project, *ISSUE)
    assert r.returncode == 1, r.stderr
    issued = project / "output" / "2022-Q3" / "phat-hanh" / "45"
    assert {p.name for p in issued.iterdir()} == DRAFT_NAMES
    assert "Đã ghi vào output/2022-Q3/phat-hanh/45/:" in r.stdout
    m = json.loads((issued / "manifest.json").read_text(encoding="utf-8"))
    assert m["draft"] is False and m["metadata"]["CodeNumber"] == "45"
    (issued / "ban-ky-so.pdf").write_bytes(b"%PDF signed scan")  # the clerk files the signed copy beside it
    kept = _tree(issued)

    assert _report(project).returncode == 1                        # a later draft
    assert _report(project, "--so", "46", "--ngay", "2022-09-21").returncode == 1  # another number
    assert _tree(issued) == kept
    assert (project / "output" / "2022-Q3" / "phat-hanh" / "46" / "manifest.json").is_file()
    assert (project / "output" / "2022-Q3" / "bao-cao-2022-Q3.docx").is_file()

    r = _report(project, "--so", "45", "--ngay", "2022-09-22")   # the same number again
    assert r.returncode == 2
    assert r.stderr == ("Lỗi: Bản phát hành số 45 đã có trong «output/2022-Q3/phat-hanh/45» và không bị ghi đè; "
                        "nếu thật sự cần lập lại bản phát hành số này, chạy lại với --ghi-de-ban-phat-hanh "
                        "(các tệp khác trong thư mục được giữ nguyên).\n")
    assert _tree(issued) == kept

    r = _report(project, "--so", "45", "--ngay", "2022-09-22", "--ghi-de-ban-phat-hanh")
    assert r.returncode == 1, r.stderr
    m = json.loads((issued / "manifest.json").read_text(encoding="utf-8"))
    assert m["metadata"]["IssuedDate"] == "2022-09-22"
    assert (issued / "ban-ky-so.pdf").read_bytes() == b"%PDF signed scan"
    r = _report(project, "--ghi-de-ban-phat-hanh")
    assert r.returncode == 2 and "chỉ dùng cùng --so và --ngay" in r.stderr


# ---------------------------------------------------------------- 3. never delete what the tool did not write

def test_a_draft_run_keeps_every_file_and_folder_the_tool_did_not_write(project):
    assert _report(project).returncode == 1
    out = project / "output" / "2022-Q3"
    (out / "ban-scan-da-ky.pdf").write_bytes(b"signed scan")
    (out / "ghi-chu").mkdir()
    (out / "ghi-chu" / "y-kien.txt").write_text("ý kiến lãnh đạo", encoding="utf-8")
    (out / "phieu").mkdir()
    (out / "phieu" / "2022-Q3_SKHDT.xlsx").write_bytes(b"generated form")
    (out / "don-doc").mkdir()
    (out / "don-doc" / "cong-van.docx").write_bytes(b"letter")
    edited = out / "bao-cao-2022-Q3.docx"
    edited.write_bytes(edited.read_bytes() + b"clerk's edit")
    edited_bytes = edited.read_bytes()
    previous_pdf = _sha(out / "bao-cao-2022-Q3.pdf")

    r = _report(project)
    assert r.returncode == 1, r.stderr
    assert ("(tệp «bao-cao-2022-Q3.docx» có sẵn không phải do công cụ ghi hoặc đã bị sửa: giữ lại với tên "
            "«bao-cao-2022-Q3.giu-lai-1.docx»)") in r.stdout
    assert (out / "bao-cao-2022-Q3.giu-lai-1.docx").read_bytes() == edited_bytes
    assert zipfile.is_zipfile(out / "bao-cao-2022-Q3.docx") and (out / "bao-cao-2022-Q3.docx").read_bytes() != edited_bytes
    assert (out / "ban-scan-da-ky.pdf").read_bytes() == b"signed scan"
    assert (out / "ghi-chu" / "y-kien.txt").read_text(encoding="utf-8") == "ý kiến lãnh đạo"
    assert (out / "phieu" / "2022-Q3_SKHDT.xlsx").read_bytes() == b"generated form"
    assert (out / "don-doc" / "cong-van.docx").read_bytes() == b"letter"
    assert _sha(out / "bao-cao-2022-Q3.pdf") == previous_pdf  # same inputs, same bytes: replaced in place
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {rec["path"] for rec in m["outputs"].values()} == DRAFT_NAMES - {"manifest.json"}


def test_outputs_are_tracked_generically_from_the_manifest(project):
    """Replacement follows the manifest's list, not a list of names in the code: an output an earlier
    run wrote and this run does not is removed, an output the clerk changed is not."""
    from pipeline.report import build_report

    config = project / "input" / "ke-hoach-112.toml"
    first = build_report(config, "2022-Q3", project / "output")
    assert first.outputs["pdf"].is_file()
    again = build_report(config, "2022-Q3", project / "output", with_pdf=False)
    assert not (again.out_dir / "bao-cao-2022-Q3.pdf").exists()
    # an unknown output name in the manifest is handled like any other
    m = json.loads((again.out_dir / "manifest.json").read_text(encoding="utf-8"))
    extra = again.out_dir / "so-lieu-them.xlsx"
    extra.write_bytes(b"written by the tool")
    m["outputs"]["extra"] = {"path": "so-lieu-them.xlsx", "sha256": _sha(extra), "size": 19}
    (again.out_dir / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    build_report(config, "2022-Q3", project / "output", with_pdf=False)
    assert not extra.exists()
    extra.write_bytes(b"the clerk's own file")
    build_report(config, "2022-Q3", project / "output", with_pdf=False)
    assert extra.read_bytes() == b"the clerk's own file"


def test_an_issued_report_left_at_the_top_by_an_older_version_moves_to_its_issued_folder(project):
    """Older versions wrote issued reports into output/<period>/ itself: the next run moves them into
    phat-hanh/<số>/ (only the files its manifest lists unchanged); an edited one stays, kept aside."""
    from pipeline.drafting.context import Issue
    from pipeline.report import build_report
    from datetime import date

    config = project / "input" / "ke-hoach-112.toml"
    _settle_for_issue(project)
    issued = build_report(config, "2022-Q3", project / "output", issue=Issue(45, date(2022, 9, 20)), with_pdf=False)
    top = project / "output" / "2022-Q3"
    for p in issued.out_dir.iterdir():
        p.rename(top / p.name)
    issued.out_dir.rmdir()
    (top / "phat-hanh").rmdir()
    (top / "van-de.txt").write_text("đã sửa", encoding="utf-8")
    expected = {p.name: _sha(p) for p in top.iterdir() if p.name not in (".baocao.lock", "van-de.txt")}
    r = _report(project)
    assert r.returncode == 1, r.stderr
    assert ("(Bản phát hành do phiên bản trước ghi ở «output/2022-Q3» đã được chuyển vào "
            "«output/2022-Q3/phat-hanh/45», nơi không lần chạy nào thay thế nó.)") in r.stdout
    assert {p.name: _sha(p) for p in (top / "phat-hanh" / "45").iterdir()} == expected
    assert (top / "van-de.giu-lai-1.txt").read_text(encoding="utf-8") == "đã sửa"
    assert json.loads((top / "manifest.json").read_text(encoding="utf-8"))["draft"] is True


# ---------------------------------------------------------------- 4. make clean

def test_make_clean_removes_only_what_the_tool_can_rebuild(project):
    from pipeline.drafting.context import Issue
    from pipeline.report import build_report
    from datetime import date

    shutil.copy(ROOT / "Makefile", project / "Makefile")
    shutil.copytree(ROOT / "pipeline", project / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    config = project / "input" / "ke-hoach-112.toml"
    build_report(config, "2022-Q3", project / "output", with_pdf=False)
    _settle_for_issue(project)
    build_report(config, "2022-Q3", project / "output", issue=Issue(45, date(2022, 9, 20)), with_pdf=False)
    (project / "trong").mkdir()
    build_report(config, "2022-H1", project / "output", input_dir=project / "trong", with_pdf=False)
    q3 = project / "output" / "2022-Q3"
    (q3 / "phieu").mkdir()
    (q3 / "phieu" / "2022-Q3_SNV.xlsx").write_bytes(b"form sent out")
    (q3 / "ban-ky.pdf").write_bytes(b"signed")
    (q3 / "van-de.txt").write_text("đã ghi chú thêm", encoding="utf-8")  # a draft output the clerk edited
    (project / "pipeline" / "__pycache__").mkdir(exist_ok=True)
    keep = {k: v for k, v in _tree(q3).items() if k.startswith(("phat-hanh", "phieu")) or k in ("ban-ky.pdf", "van-de.txt")}

    r = subprocess.run(["make", "clean"], cwd=project, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "giữ nguyên bản phát hành (phat-hanh/), phiếu (phieu/) và mọi tệp khác" in r.stdout
    assert _tree(q3) == keep
    assert not (project / "output" / "2022-H1").exists(), "a folder with only draft outputs goes entirely"
    assert not (project / "pipeline" / "__pycache__").exists()


# ---------------------------------------------------------------- 5. one run per period

def test_a_second_concurrent_run_on_the_same_period_fails_at_once(project):
    first = _start("report", "--period", "2022-Q3", cwd=project)
    lock = project / "output" / "2022-Q3" / ".baocao.lock"
    try:
        assert _wait_for(lambda: lock.is_file() and f'"pid": {first.pid}' in lock.read_text(encoding="utf-8"))
        os.kill(first.pid, signal.SIGSTOP)  # hold it mid-run, lock taken
        started = time.monotonic()
        second = _report(project)
        elapsed = time.monotonic() - started
    finally:
        os.kill(first.pid, signal.SIGCONT)
    out, err = first.communicate(timeout=300)
    assert second.returncode == 2
    assert second.stderr.startswith("Lỗi: Kỳ báo cáo 2022-Q3 đang được một lần chạy khác ghi (tiến trình "
                                    f"{first.pid} của người dùng ")
    assert "bắt đầu lúc" in second.stderr and "hãy chờ lần chạy đó kết thúc rồi chạy lại." in second.stderr
    assert elapsed < 30, "it does not wait for the other run"
    assert first.returncode == 1, err
    assert "Đã ghi vào output/2022-Q3/:" in out
    # once the first run is over, the period is free again
    assert _report(project).returncode == 1


# ---------------------------------------------------------------- 6. symlinked period folder

def test_a_period_folder_that_is_a_symlink_is_written_through_on_every_run(project, tmp_path):
    shared = tmp_path / "thu-muc-chung"
    shared.mkdir()
    (project / "output").mkdir()
    link = project / "output" / "2022-Q3"
    link.symlink_to(shared)
    for _ in range(2):  # the old swap failed from the second run on
        r = _report(project)
        assert r.returncode == 1, r.stderr
    assert link.is_symlink() and Path(os.readlink(link)) == shared
    assert DRAFT_NAMES <= {p.name for p in shared.iterdir()}
    assert sorted(p.name for p in (project / "output").iterdir()) == ["2022-Q3", "lich-su.sqlite"], \
        "nothing parked beside it (the period records are the only other file)"
    dangling = project / "output" / "2022-H1"
    dangling.symlink_to(tmp_path / "khong-co")
    r = _cli("report", "--period", "2022-H1", cwd=project)
    assert r.returncode == 2 and "là liên kết tới" in r.stderr and "một thư mục không tồn tại" in r.stderr


# ---------------------------------------------------------------- 7. interrupted runs, full and read-only disks

def _staging(period_dir: Path) -> list[Path]:
    return list(period_dir.glob(".baocao-tam-*")) if period_dir.is_dir() else []


def test_a_killed_run_leaves_its_staging_folder_and_the_next_run_removes_it(project):
    assert _report(project).returncode == 1
    period_dir = project / "output" / "2022-Q3"
    before = {n: _sha(period_dir / n) for n in DRAFT_NAMES}
    run = _start("report", "--period", "2022-Q3", cwd=project)
    assert _wait_for(lambda: _staging(period_dir)), run.communicate()
    run.kill()
    run.wait()
    assert _staging(period_dir), "SIGKILL cannot be caught: the half-built folder stays until the next run"
    assert {n: _sha(period_dir / n) for n in DRAFT_NAMES} == before, "the previous report is intact"
    older = project / "output" / ".2022-Q3.k3x_9q0z"  # what versions before the lock left on a kill
    older.mkdir()
    (older / "tong-hop.xlsx").write_bytes(b"half-built")
    notes = project / "output" / ".2022-Q3.ghi-chu"
    notes.mkdir()
    assert _report(project).returncode == 1
    assert not _staging(period_dir) and not older.exists()
    assert notes.is_dir(), "only the exact leftover patterns are removed"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminated_run_cleans_up_and_says_so(project, sig):
    assert _report(project).returncode == 1
    period_dir = project / "output" / "2022-Q3"
    before = {n: _sha(period_dir / n) for n in DRAFT_NAMES}
    run = _start("report", "--period", "2022-Q3", cwd=project)
    assert _wait_for(lambda: _staging(period_dir))
    run.send_signal(sig)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 2, err
    assert err == (f"Đã dừng theo yêu cầu (tín hiệu {sig.name}); không tệp kết quả dở dang nào được để lại.\n")
    assert not _staging(period_dir)
    assert {n: _sha(period_dir / n) for n in DRAFT_NAMES} == before


def _mount(*args) -> str | None:
    r = subprocess.run(["mount", *args], capture_output=True, text=True)
    return None if r.returncode == 0 else ((r.stderr.strip() or f"mount: mã thoát {r.returncode}").splitlines()[0])


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MB tmpfs: room for one draft and the period records (about 420 KB) but, with a filler, not for
    building a second draft beside it."""
    where = tmp_path / "dia-nho"
    where.mkdir()
    why = _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where))
    if why:
        pytest.skip(f"không gắn (mount) được một ổ tmpfs 1 MB để thử đĩa đầy thật (cần quyền root): {why}")
    yield where
    subprocess.run(["umount", str(where)], check=True)


def test_disk_full_is_one_sentence_and_leaves_nothing_behind(project, tiny_disk):
    r = _report(project, "--output", str(tiny_disk))
    assert r.returncode == 1, r.stderr  # the first draft fits
    period_dir = tiny_disk / "2022-Q3"
    before = _tree(period_dir, lock=False)
    (tiny_disk / "filler").write_bytes(b"x" * 450_000)
    r = _report(project, "--output", str(tiny_disk))
    assert r.returncode == 2, (r.returncode, r.stderr)  # not 134: qpdf's C++ error does not abort the process
    assert r.stderr == (f"Lỗi: Hết chỗ trống trên đĩa khi ghi vào «{period_dir}»; hãy giải phóng chỗ trống rồi "
                        "chạy lại (không tệp kết quả dở dang nào được để lại).\n")
    assert _tree(period_dir, lock=False) == before, "the previous report is intact and no staging folder is left"


@pytest.fixture
def read_only(tmp_path):
    src, where = tmp_path / "nguon", tmp_path / "chi-doc"
    (src / "2022-Q3").mkdir(parents=True)
    (src / "2022-Q3" / "ban-cu.docx").write_bytes(b"older report")
    where.mkdir()
    why = _mount("--bind", str(src), str(where)) or _mount("-o", "remount,ro,bind", str(where))
    if why:
        subprocess.run(["umount", str(where)], capture_output=True)
        pytest.skip(f"không gắn (mount) được một thư mục chỉ cho đọc để thử ổ chỉ đọc thật (cần quyền root): {why}")
    yield where
    subprocess.run(["umount", str(where)], check=True)


def test_a_read_only_folder_is_one_sentence_naming_it(project, read_only):
    before = _tree(read_only)
    r = _report(project, "--output", str(read_only))
    assert r.returncode == 2
    assert r.stderr == (f"Lỗi: Thư mục «{read_only / '2022-Q3'}» nằm trên ổ đĩa chỉ cho đọc, không ghi được; "
                        "hãy chọn thư mục kết quả khác bằng --output.\n")
    assert _tree(read_only) == before
    r = _report(project, "--output", str(read_only / "moi"))
    assert r.returncode == 2 and r.stderr.startswith(f"Lỗi: Thư mục «{read_only}» nằm trên ổ đĩa chỉ cho đọc")
    r = _cli("templates", "--period", "2022-Q3", "--output", str(read_only), cwd=project)
    assert r.returncode == 2 and r.stderr.startswith(f"Lỗi: Thư mục «{read_only / '2022-Q3'}» nằm trên ổ đĩa chỉ")
    assert "người bảo trì" not in r.stderr and _tree(read_only) == before


# ---------------------------------------------------------------- 8. same bytes from any folder

def test_the_same_inputs_give_the_same_bytes_from_two_clones_in_different_folders(tmp_path):
    runs = []
    for where in (tmp_path / "a", tmp_path / "mot-thu-muc-khac" / "sau-hon" / "ban-sao"):
        shutil.copytree(INPUT, where / "input")
        r = _report(where)
        assert r.returncode == 1, r.stderr
        runs.append(where / "output" / "2022-Q3")
    for name in ("tong-hop.xlsx", "manifest.json", "bao-cao-2022-Q3.pdf", "bao-cao-2022-Q3.docx", "noi-dung.json"):
        assert _sha(runs[0] / name) == _sha(runs[1] / name), name
    m = json.loads((runs[1] / "manifest.json").read_text(encoding="utf-8"))
    assert m["configuration"]["path"] == "input/ke-hoach-112.toml" and m["master"]["path"] == "input/nhiem-vu-112.xlsx"
    assert {r["path"] for r in m["inputs"]} == {f"input/2022-Q3/{p.name}" for p in SAMPLE.iterdir()}
    ws = openpyxl.load_workbook(runs[1] / "tong-hop.xlsx")["Tệp đã đọc"]
    paths = [row[0] for row in ws.iter_rows(min_row=2, values_only=True) if row[0] and str(row[0]).endswith(".xlsx")]
    assert paths and all(p.startswith("input/2022-Q3/") for p in paths)
    assert str(tmp_path) not in (runs[1] / "manifest.json").read_text(encoding="utf-8")


def test_paths_of_inputs_outside_the_project_are_recorded_without_the_machine_folders(project, tmp_path):
    elsewhere = tmp_path / "may-chu" / "phieu-nhan"
    shutil.copytree(SAMPLE, elsewhere)
    r = _report(project, "--input", str(elsewhere))
    assert r.returncode == 1, r.stderr
    m = json.loads((project / "output" / "2022-Q3" / "manifest.json").read_text(encoding="utf-8"))
    assert all(rec["path"].startswith("phieu-nhan/") for rec in m["inputs"])
    assert str(tmp_path) not in (project / "output" / "2022-Q3" / "manifest.json").read_text(encoding="utf-8")


# ---------------------------------------------------------------- 10. readable by others, per umask

@pytest.mark.parametrize("umask, dmode, fmode", [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_output_folders_and_files_follow_the_umask(project, umask, dmode, fmode):
    assert _report(project, umask=umask).returncode == 1
    _settle_for_issue(project)
    assert _report(project, *ISSUE, umask=umask).returncode == 1
    period_dir = project / "output" / "2022-Q3"
    for folder in (period_dir, period_dir / "phat-hanh", period_dir / "phat-hanh" / "45"):
        assert stat.S_IMODE(folder.stat().st_mode) == dmode, folder
    for name in DRAFT_NAMES:
        for folder in (period_dir, period_dir / "phat-hanh" / "45"):
            assert stat.S_IMODE((folder / name).stat().st_mode) == fmode, folder / name


# ---------------------------------------------------------------- 9. fresh machine

def test_missing_debian_packages_are_named_with_a_command_to_run_as_root_without_sudo(ordinary):
    r = ordinary.run([ordinary.script(ROOT / "scripts" / "ensure-debs.sh"), "coreutils", "goi-khong-ton-tai-baocao"])
    assert r.returncode == 1
    assert r.stderr == ("Thiếu gói hệ thống: goi-khong-ton-tai-baocao\n"
                        "Hãy chạy lệnh sau với quyền root (ví dụ sau khi đăng nhập bằng «su -»), rồi chạy lại lệnh make:\n"
                        "  apt-get update && apt-get install -y --no-install-recommends goi-khong-ton-tai-baocao\n")
    assert "sudo" not in r.stderr


def test_the_first_setup_installs_python3_venv_before_creating_the_venv_and_says_what_it_does(tmp_path):
    r = subprocess.run(["make", "-n", "-B", "-f", str(ROOT / "Makefile"), f"VENV={tmp_path / 'venv'}",
                        f"{tmp_path / 'venv'}/.installed"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    debs = next(i for i, l in enumerate(lines) if "ensure-debs.sh" in l)
    assert {"python3", "python3-venv"} <= set(lines[debs].split())
    say = next(i for i, l in enumerate(lines) if "Đang tạo môi trường Python" in l)
    assert "pandas, WeasyPrint" in lines[say] and "lần đầu khoảng 1–2 phút" in lines[say + 1]
    venv = next(i for i, l in enumerate(lines) if " -m venv " in l)
    pip = next(i for i, l in enumerate(lines) if "pip-install.sh" in l and "requirements.lock" in l)
    assert debs < say < venv < pip


def test_a_folder_the_user_may_not_write_is_one_sentence_naming_it(ordinary):
    """As an ordinary account (as root, permissions would not stop anything)."""
    shared = ordinary.place / "dung-chung"
    shutil.copytree(INPUT, shared / "du-an" / "input")
    other = shared / "cua-nguoi-khac"      # another account's folder: readable, not writable
    other.mkdir()
    for folder in (shared, *(p for p in shared.rglob("*") if p.is_dir())):
        folder.chmod(0o755)
    other.chmod(0o555)
    try:
        r = ordinary.run([*ordinary.python(), "-m", "pipeline", "report", "--period", "2022-Q3", "--output", str(other)],
                         cwd=shared / "du-an")
        assert r.returncode == 2, r.stderr
        assert r.stderr == (f"Lỗi: Không đủ quyền đọc hoặc ghi «{other}»; hãy xin cấp quyền cho "
                            "tài khoản đang chạy hoặc chọn thư mục khác.\n")
        assert list(other.iterdir()) == []
    finally:
        other.chmod(0o755)
