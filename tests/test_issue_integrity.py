"""Issue 18: the issued report is exactly what the clerk reviewed, and its record goes with it.

Each case of the review's list is reproduced with real files and real processes: the clerk's workbook
edited with openpyxl, agency forms changed and re-sent, the record file locked by a second process,
garbage written into it, the registry broken, the command line run as the clerk runs it.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from pipeline.archive.history import read_record
from pipeline.drafting.context import Issue
from pipeline.drafting.editorial import (COL_CODE, COL_DIGESTS, COL_INCLUDE, COL_NOTE, COL_POINTS, COL_TEXT, FIRST_ROW,
                                         HEADER_ROW, REOPENED, SHEET)
from pipeline.errors import ERROR, PipelineError
from pipeline.plan.periods import parse_period
from pipeline.report import build_report
from tests.conftest import CONFIG, MASTER, ROOT, copy_sample, settle_all

TODAY = date(2026, 11, 27)
Q3 = parse_period("2022-Q3")
SEPT_20 = date(2022, 9, 20)


# ----------------------------------------------------------------------------- helpers

def _pdf_lines(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    return [" ".join(line.replace("\u2060", "").split()) for line in out.stdout.splitlines()]


def _docx_text(path: Path) -> str:
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts).replace("\xa0", " ").replace("\u2011", "-")   # kept phrases: no-break spaces, hyphens


def _rows(ws) -> dict[str, int]:
    return {ws.cell(r, COL_CODE).value: r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, COL_CODE).value}


def _edit(src: Path, dst: Path, changes: dict[str, dict[int, str]]) -> Path:
    wb = openpyxl.load_workbook(src)
    ws = wb[SHEET]
    rows = _rows(ws)
    for code, cells in changes.items():
        for col, value in cells.items():
            ws.cell(rows[code], col).value = value
    wb.save(dst)
    return dst


def _form(folder: Path, agency: str) -> Path:
    return next(folder.glob(f"2022-Q3_{agency}_*.xlsx"))


def _set_answer(form: Path, task_id: str, column: str, value) -> None:
    """What an agency does: type a new value in its form, for one task, and send the file again."""
    wb = openpyxl.load_workbook(form)
    ws = wb["Báo cáo"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Mã nhiệm vụ")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == column)
    row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == task_id)
    ws.cell(row, col).value = value
    wb.save(form)


def _draft(folder: Path, out: Path, **kw):
    return build_report(CONFIG, "2022-Q3", out, input_dir=folder, with_pdf=False, **kw)


def _issue(folder: Path, out: Path, number: int = 45, when: date = SEPT_20, **kw):
    return build_report(CONFIG, "2022-Q3", out, input_dir=folder, issue=Issue(number, when), today=TODAY,
                        with_pdf=kw.pop("with_pdf", False), **kw)


@pytest.fixture
def reviewed(tmp_path):
    """The sample period with the clerk's review done: every point of the draft marked «Đã kiểm tra»."""
    folder = copy_sample(tmp_path / "in")
    draft = _draft(folder, tmp_path / "draft")
    settle_all(draft.outputs["editorial"], folder / "bien-tap.xlsx")
    return folder


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _config_with_master(tmp_path: Path, edit) -> Path:
    """A copy of the plan configuration whose master workbook went through `edit(workbook)`."""
    folder = tmp_path / "cfg"
    folder.mkdir()
    shutil.copy(CONFIG, folder / CONFIG.name)
    wb = openpyxl.load_workbook(MASTER)
    edit(wb)
    wb.save(folder / MASTER.name)
    return folder / CONFIG.name


def _plan_changes(*rows):
    """An `edit` for _config_with_master: the sheet «Điều chỉnh» holding exactly `rows`."""
    def edit(wb):
        ws = wb.create_sheet("Điều chỉnh") if "Điều chỉnh" not in wb.sheetnames else wb["Điều chỉnh"]
        ws.delete_rows(1, ws.max_row)
        ws.append(["Mã nhiệm vụ", "Loại điều chỉnh", "Thời hạn mới", "Số văn bản", "Ngày văn bản", "Cơ quan ban hành",
                   "Ghi chú"])
        for row in rows:
            ws.append(row)
    return edit


# ----------------------------------------------------------------------------- 1. issue only what was reviewed

def test_case_1_a_stale_edit_blocks_issuing(reviewed, tmp_path):
    """Edit II.tong-so, settle every point, then STNMT's form is withdrawn: the figures changed under the edit."""
    _edit(reviewed / "bien-tap.xlsx", reviewed / "bien-tap.xlsx",
          {"II.tong-so": {COL_TEXT: "Đến nay, các cơ quan đã hoàn thành 7 nhiệm vụ (đoạn do Văn phòng biên tập)."}})
    _issue(reviewed, tmp_path / "check", number=46)   # the edit is fresh: the clerk could issue now
    _form(reviewed, "STNMT").unlink()
    with pytest.raises(PipelineError) as err:
        _issue(reviewed, tmp_path / "out", number=47)
    message = str(err.value)
    assert "[II.tong-so] Bản tự động của khối này đã thay đổi sau khi biên tập" in message
    assert "2022-Q3/bien-tap.xlsx, dòng" in message and "cột «Ghi chú»" in message
    assert not (tmp_path / "out" / "2022-Q3" / "phat-hanh" / "47").exists()


def test_case_1_the_next_workbook_asks_to_read_the_stale_edit_again(reviewed, tmp_path):
    _edit(reviewed / "bien-tap.xlsx", reviewed / "bien-tap.xlsx", {"II.tong-so": {COL_TEXT: "Đã hoàn thành 7 nhiệm vụ."}})
    _form(reviewed, "STNMT").unlink()
    draft = _draft(reviewed, tmp_path / "out")
    ws = openpyxl.load_workbook(draft.outputs["editorial"])[SHEET]
    row = _rows(ws)["II.tong-so"]
    assert ws.cell(row, COL_NOTE).value.startswith(REOPENED)   # the old mark no longer counts
    assert "[Cần xử lý trước khi ban hành]" in ws.cell(row, COL_POINTS).value
    # copied back without looking: still refused; the clerk deletes the line once read: issued
    shutil.copy(draft.outputs["editorial"], reviewed / "bien-tap.xlsx")
    with pytest.raises(PipelineError, match=r"\[II\.tong-so\]"):
        _issue(reviewed, tmp_path / "out")
    wb = openpyxl.load_workbook(reviewed / "bien-tap.xlsx")
    ws = wb[SHEET]
    reopened = [r for r in range(FIRST_ROW, ws.max_row + 1) if (ws.cell(r, COL_NOTE).value or "").startswith(REOPENED)]
    assert row in reopened   # and II.chua-bao-cao: STNMT is a new silent agency there
    for r in reopened:
        cell = ws.cell(r, COL_NOTE)
        cell.value = (cell.value.split("\n", 1) + [""])[1] or None
    wb.save(reviewed / "bien-tap.xlsx")
    issued = _issue(reviewed, tmp_path / "out")
    assert "Đã hoàn thành 7 nhiệm vụ." in _docx_text(issued.outputs["docx"])


def test_case_5_a_point_that_appears_after_the_mark_is_open_again(reviewed, tmp_path):
    """Settle all, then SCT re-sends III.12 with progress 250: the new refused row blocks, by name."""
    _set_answer(_form(reviewed, "SCT"), "III.12", "Tiến độ (%)", 250)
    with pytest.raises(PipelineError) as err:
        _issue(reviewed, tmp_path / "out")
    message = str(err.value)
    assert message.startswith("Chưa thể lập bản phát hành: còn 1 điểm")
    assert "[PL.III.12]" in message and "Tiến độ «250»" in message
    assert not (tmp_path / "out" / "2022-Q3" / "phat-hanh").exists()


def test_the_mark_must_open_the_note(tmp_path):
    folder = copy_sample(tmp_path / "in")
    draft = _draft(folder, tmp_path / "draft")
    settle_all(draft.outputs["editorial"], folder / "bien-tap.xlsx")
    _edit(folder / "bien-tap.xlsx", folder / "bien-tap.xlsx", {"PL.III.13": {COL_NOTE: "Đã kiểm tra: SAI, chờ gửi lại"}})
    with pytest.raises(PipelineError) as err:
        _issue(folder, tmp_path / "out")
    assert "[PL.III.13]" in str(err.value) and "còn 1 điểm" in str(err.value)
    for note in ("Đã kiểm tra.", "đã kiểm tra\nSCT sẽ gửi lại phiếu, số liệu không đổi"):
        _edit(folder / "bien-tap.xlsx", folder / "bien-tap.xlsx", {"PL.III.13": {COL_NOTE: note}})
        assert _issue(folder, tmp_path / f"ok{len(note)}").out_dir.name == "45"


def test_the_workbook_carries_each_points_fingerprint_in_a_last_hidden_column(tmp_path):
    folder = copy_sample(tmp_path / "in")
    ws = openpyxl.load_workbook(_draft(folder, tmp_path / "out").outputs["editorial"])[SHEET]
    assert ws.cell(HEADER_ROW, COL_DIGESTS).value == "Mã điểm" and ws.max_column == COL_DIGESTS
    assert ws.column_dimensions["H"].hidden
    row = _rows(ws)["PL.III.13"]
    assert len(ws.cell(row, COL_DIGESTS).value.split()) == ws.cell(row, COL_POINTS).value.count("\n- ") + 1
    assert ws.cell(row, COL_DIGESTS).protection.locked


def test_a_report_with_no_body_block_cannot_be_issued(reviewed, tmp_path):
    wb = openpyxl.load_workbook(reviewed / "bien-tap.xlsx")
    ws = wb[SHEET]
    for r in range(FIRST_ROW, ws.max_row + 1):
        ws.cell(r, COL_INCLUDE).value = "Không"
    wb.save(reviewed / "bien-tap.xlsx")
    with pytest.raises(PipelineError, match="Không khối nội dung nào của báo cáo"):
        _issue(reviewed, tmp_path / "out")


# ----------------------------------------------------------------------------- 2. the workbook validated

def test_case_2_an_inserted_column_is_a_problem_and_nothing_of_it_is_printed(reviewed, tmp_path):
    """Unprotect «Biên tập» (no password), insert a column before «Nội dung biên tập», fill it with a name."""
    wb = openpyxl.load_workbook(reviewed / "bien-tap.xlsx")
    ws = wb[SHEET]
    ws.protection.sheet = False
    ws.insert_cols(4)
    ws.cell(HEADER_ROW, 4).value = "Người sửa"
    for r in range(FIRST_ROW, ws.max_row + 1):
        ws.cell(r, 4).value = "Nguyễn Văn Tên Lạ"
    wb.save(reviewed / "bien-tap.xlsx")
    draft = _draft(reviewed, tmp_path / "draft")
    # the gate names the workbook's cell; the marks in it were not used, so the sample's points are open again
    assert ("bien-tap.xlsx", HEADER_ROW, "Nội dung biên tập") in [(b.file, b.row, b.column) for b in draft.blockers]
    assert {b.code for b in draft.blockers if b.code} == {"PL.III.2", "PL.III.13"}   # PL.I.5 blocks once issued
    problem = next(p for p in draft.problems if p.file == "bien-tap.xlsx" and p.severity == ERROR)
    assert (problem.sheet, problem.row, problem.column) == (SHEET, HEADER_ROW, "Nội dung biên tập")
    assert "Tiêu đề cột thứ 4 phải là «Nội dung biên tập», đang là «Người sửa»" in problem.message
    assert "Nguyễn Văn Tên Lạ" not in _docx_text(draft.outputs["docx"])
    with pytest.raises(PipelineError) as err:
        _issue(reviewed, tmp_path / "out")
    assert "Tiêu đề cột thứ 4" in str(err.value) and "bien-tap.xlsx, dòng 4, cột «Nội dung biên tập»" in str(err.value)


def test_case_7_a_block_code_written_twice_is_named(reviewed, tmp_path):
    wb = openpyxl.load_workbook(reviewed / "bien-tap.xlsx")
    ws = wb[SHEET]
    rows = _rows(ws)
    ws.cell(rows["III.ket-qua"], COL_TEXT).value = "Bản thứ nhất."
    ws.cell(rows["VI.thuong-xuyen"], COL_CODE).value = "III.ket-qua"
    ws.cell(rows["VI.thuong-xuyen"], COL_TEXT).value = "Bản thứ hai, dòng sau thắng."
    wb.save(reviewed / "bien-tap.xlsx")
    draft = _draft(reviewed, tmp_path / "draft")
    problem = next(p for p in draft.problems if "có ở nhiều dòng" in p.message)
    assert problem.severity == ERROR and problem.column == "Mã khối"
    assert f"({rows['III.ket-qua']}, {rows['VI.thuong-xuyen']})" in problem.message
    text = _docx_text(draft.outputs["docx"])
    assert "Bản thứ nhất." not in text and "dòng sau thắng" not in text
    with pytest.raises(PipelineError, match="Mã khối «III.ket-qua» có ở nhiều dòng"):
        _issue(reviewed, tmp_path / "out")


def test_a_formula_without_a_stored_value_is_named(reviewed, tmp_path):
    wb = openpyxl.load_workbook(reviewed / "bien-tap.xlsx")
    ws = wb[SHEET]
    row = _rows(ws)["III.ket-qua"]
    ws.cell(row, COL_TEXT).value = '=C27&" (đã xem)"'   # saved by openpyxl: no value computed
    wb.save(reviewed / "bien-tap.xlsx")
    draft = _draft(reviewed, tmp_path / "draft")
    problem = next(p for p in draft.problems if "công thức chưa có giá trị" in p.message)
    assert (problem.severity, problem.row, problem.column) == (ERROR, row, "Nội dung biên tập")
    assert "(đã xem)" not in _docx_text(draft.outputs["docx"])


def test_a_workbook_of_another_kind_is_an_error(reviewed, tmp_path):
    wb = openpyxl.load_workbook(reviewed / "bien-tap.xlsx")
    meta = wb["_meta"]
    meta.cell(1, 2).value = "phieu"
    wb.save(reviewed / "bien-tap.xlsx")
    draft = _draft(reviewed, tmp_path / "draft")
    assert any(p.severity == ERROR and p.sheet == "_meta" for p in draft.problems)
    with pytest.raises(PipelineError, match="không phải kỳ 2022-Q3"):
        _issue(reviewed, tmp_path / "out")


@pytest.mark.slow
def test_case_8_an_edit_goes_through_text_safety_and_keeps_its_breaks(reviewed, tmp_path):
    """«✅ 中» + U+2028 + U+0085 in an edit: the run goes on; a multi-line edit breaks in Word and in the PDF."""
    edit = ("Dòng đầu ✅ 中.\u2028Dòng hai sau dấu ngắt dòng.\u0085Dòng ba sau NEL.\n"
            "Dòng bốn sau xuống dòng thường.")
    _edit(reviewed / "bien-tap.xlsx", reviewed / "bien-tap.xlsx", {"III.ket-qua": {COL_TEXT: edit}})
    result = build_report(CONFIG, "2022-Q3", tmp_path / "out", input_dir=reviewed)
    warnings = [p for p in result.problems if p.file == "bien-tap.xlsx" and p.column == "Nội dung biên tập"]
    assert any("[ký hiệu]" in p.message and "U+2705" in p.message for p in warnings)
    docx = _docx_text(result.outputs["docx"])
    assert "Dòng đầu [ký hiệu] [ký hiệu].\nDòng hai sau dấu ngắt dòng.\nDòng ba sau NEL.\nDòng bốn" in docx
    lines = _pdf_lines(result.outputs["pdf"])
    for start in ("Dòng đầu [ký hiệu] [ký hiệu].", "Dòng hai sau dấu ngắt dòng.", "Dòng ba sau NEL.",
                  "Dòng bốn sau xuống dòng thường."):
        assert start in lines   # each a line of its own: the PDF keeps the breaks too
    # and it issues: the safety notes are warnings, not errors
    issued = _issue(reviewed, tmp_path / "out")
    assert "Dòng ba sau NEL." in _docx_text(issued.outputs["docx"])


def test_an_over_long_edit_is_cut_like_agency_text(reviewed, tmp_path):
    _edit(reviewed / "bien-tap.xlsx", reviewed / "bien-tap.xlsx", {"III.ket-qua": {COL_TEXT: "Rất dài. " * 700}})
    draft = _draft(reviewed, tmp_path / "draft")
    assert any("vượt giới hạn 5.000 ký tự" in p.message and p.column == "Nội dung biên tập" for p in draft.problems)
    assert "[đã cắt bớt: ô gốc dài 6.299 ký tự]" in _docx_text(draft.outputs["docx"])


# ----------------------------------------------------------------------------- 3. files and record together

def _hold(db: Path, how: str) -> subprocess.Popen:
    """Another process holding a lock on the record file until its stdin closes."""
    code = ("import sqlite3, sys\n"
            f"con = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            + (f"con.execute('BEGIN {how}')\n" if how != "READ" else
               "con.execute('BEGIN'); con.execute('SELECT COUNT(*) FROM run').fetchone()\n") +
            "print('held', flush=True)\n"
            "sys.stdin.read()\n"
            "con.execute('ROLLBACK')\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def _release(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0


def test_case_3_a_locked_record_file_stops_the_issue_before_any_file(reviewed, tmp_path):
    out = tmp_path / "out"
    _draft(reviewed, out)            # the record file exists, with the draft's record
    db = out / "lich-su.sqlite"
    holder = _hold(db, "EXCLUSIVE")
    try:
        done = _cli("report", "--period", "2022-Q3", "--input", str(reviewed), "--output", str(out), "--so", "45",
                    "--ngay", "2022-09-20")
    finally:
        _release(holder)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "ngoài dự kiến" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "lich-su.sqlite" in lines[0] and "khóa" in lines[0]
    assert not (out / "2022-Q3" / "phat-hanh" / "45").exists()
    issued = _issue(reviewed, out)   # released: 45 issues, with its record
    assert issued.out_dir == out / "2022-Q3" / "phat-hanh" / "45"
    record = read_record(db, Q3)
    assert (record.kind, record.number) == ("issued", "45")


@pytest.mark.parametrize("lock", ["IMMEDIATE", "READ"])
def test_case_3_a_record_that_cannot_be_written_swaps_no_file_in(reviewed, tmp_path, lock):
    """Another writer's lock, or a viewer's open read (readers may read): the record is written after staging,
    before the swap, so the failure leaves every file as it was."""
    out = tmp_path / "out"
    _draft(reviewed, out)
    before = sorted(p.name for p in (out / "2022-Q3").iterdir())
    holder = _hold(out / "lich-su.sqlite", lock)
    try:
        with pytest.raises(PipelineError) as err:
            _issue(reviewed, out)
    finally:
        _release(holder)
    assert str(err.value).startswith(f"Không ghi được bản ghi của kỳ vào «{out / 'lich-su.sqlite'}»: tệp đang bị một "
                                      "chương trình khác khóa")
    assert sorted(p.name for p in (out / "2022-Q3").iterdir()) == before   # no phat-hanh/, no staging left
    with sqlite3.connect(out / "lich-su.sqlite") as con:
        assert con.execute("SELECT kind FROM run").fetchall() == [("draft",)]


def _read_only(path: Path) -> None:
    """A file nobody may write: the mode for a user; root ignores modes, so the file is made immutable."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("this file system cannot make a file immutable, and root writes read-only files")
    else:
        path.chmod(0o444)


def _writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.chmod(0o644)


def test_a_read_only_record_file_is_said_so_and_nothing_is_swapped(reviewed, tmp_path):
    out = tmp_path / "out"
    _draft(reviewed, out)
    before = sorted(p.name for p in (out / "2022-Q3").iterdir())
    _read_only(out / "lich-su.sqlite")
    try:
        with pytest.raises(PipelineError) as err:
            _issue(reviewed, out)
    finally:
        _writable(out / "lich-su.sqlite")
    assert str(err.value).startswith(f"Không ghi được bản ghi của kỳ vào «{out / 'lich-su.sqlite'}»: tệp hoặc thư mục "
                                      "chứa nó chỉ cho đọc")
    assert sorted(p.name for p in (out / "2022-Q3").iterdir()) == before
    assert _issue(reviewed, out).out_dir.name == "45"   # writable again: issued


def test_case_9_reissue_replaces_the_record_and_keeps_the_old_one(reviewed, tmp_path):
    out = tmp_path / "out"
    _issue(reviewed, out, when=date(2022, 9, 20))
    with pytest.raises(PipelineError, match="Bản phát hành số 45 đã có"):
        _issue(reviewed, out, when=date(2022, 9, 21))
    _issue(reviewed, out, when=date(2022, 9, 21), replace_issued=True)
    with sqlite3.connect(out / "lich-su.sqlite") as con:
        runs = con.execute("SELECT kind, number, document_date, replaced_on IS NOT NULL FROM run "
                           "WHERE kind != 'draft' ORDER BY id").fetchall()
    assert runs == [("replaced", "45", "2022-09-20", 1), ("issued", "45", "2022-09-21", 0)]
    assert "ngày 21 tháng 9 năm 2022" in _docx_text(out / "2022-Q3" / "phat-hanh" / "45" / "bao-cao-2022-Q3.docx")


def test_a_version_1_record_file_is_brought_up_to_date(tmp_path, master):
    """Files written before this change keep their records (the issued one still the period's)."""
    from pipeline.archive.history import write_record
    from pipeline.status.merge import merge
    from tests.conftest import agency_rows

    db = tmp_path / "lich-su.sqlite"
    with sqlite3.connect(db) as con:
        con.executescript("""
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (1);
CREATE TABLE run (id INTEGER PRIMARY KEY, period_code TEXT NOT NULL, period_label TEXT NOT NULL, cutoff TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('draft', 'issued')), number TEXT NOT NULL DEFAULT '', document_date TEXT NOT NULL,
  plan_number TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (period_code, kind, number));
CREATE TABLE task_status (run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE, task_id TEXT NOT NULL,
  section TEXT NOT NULL, status TEXT NOT NULL, status_label TEXT NOT NULL, deadline TEXT NOT NULL, due TEXT,
  completed_on TEXT, PRIMARY KEY (run_id, task_id));
INSERT INTO run VALUES (1, '2022-Q3', 'quý III năm 2022', '2022-09-14', 'issued', '45', '2022-09-20', '112/KH-UBND',
  '2022-09-20T01:00:00+00:00');
INSERT INTO task_status VALUES (1, 'II.7', 'II', 'done_on_time', 'Đã hoàn thành đúng hạn', 'Quý III/2022', NULL,
  '2022-06-20');
""")
    merged = merge(master, Q3, agency_rows(), [])
    write_record(db, master, merged, "112/KH-UBND", date(2022, 9, 21), number="45", replace=True)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT version FROM schema_version").fetchone() == (2,)
        assert con.execute("SELECT id, kind FROM run ORDER BY id").fetchall() == [(1, "replaced"), (2, "issued")]
        assert con.execute("SELECT status FROM task_status WHERE run_id = 1").fetchall() == [("done_on_time",)]


# ----------------------------------------------------------------------------- 4. damaged records

def test_case_6_a_damaged_record_file_is_set_aside_and_the_draft_builds(reviewed, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    garbage = b"this is not a database\n" * 100
    (out / "lich-su.sqlite").write_bytes(garbage)
    draft = _draft(reviewed, out)
    warning = next(p for p in draft.problems if "lich-su.hong-1.sqlite" in p.message)
    assert "«lich-su.sqlite» không dùng được" in warning.message
    assert (out / "lich-su.hong-1.sqlite").read_bytes() == garbage   # kept as it was, never deleted
    assert any("chưa có bản ghi" in p.message for p in draft.problems)   # Q2 rebuilt from its forms
    assert read_record(out / "lich-su.sqlite", Q3).kind == "draft"   # a new record file
    with pytest.raises(PipelineError, match=r"lich-su\.hong-1\.sqlite"):   # issuing waits for the clerk
        _issue(reviewed, out)
    (out / "lich-su.hong-1.sqlite").rename(tmp_path / "xem-roi.sqlite")   # looked at, moved away
    assert _issue(reviewed, out).out_dir.name == "45"


def test_case_6_templates_and_a_newer_schema(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with sqlite3.connect(out / "lich-su.sqlite") as con:
        con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        con.execute("INSERT INTO schema_version VALUES (9)")
    done = _cli("templates", "--period", "2022-Q3", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert "mới hơn phiên bản 2 của công cụ" in done.stdout and "lich-su.hong-1.sqlite" in done.stdout
    assert (out / "lich-su.hong-1.sqlite").is_file() and list((out / "2022-Q3" / "phieu").glob("*.xlsx"))


# ----------------------------------------------------------------------------- 5. dates in text are points

def test_case_4_a_future_date_in_an_agencys_result_is_settled_by_the_mark(tmp_path):
    folder = copy_sample(tmp_path / "in")
    _set_answer(_form(folder, "SGTVT"), "III.6", "Kết quả thực hiện",
                "Lập báo cáo đề xuất chủ trương đầu tư cầu Đông Hồ, dự kiến trình trước ngày 08/12/2022.")
    draft = _draft(folder, tmp_path / "draft")
    ws = openpyxl.load_workbook(draft.outputs["editorial"])[SHEET]
    assert "có ngày 08/12/2022" in ws.cell(_rows(ws)["PL.III.6"], COL_POINTS).value
    settle_all(draft.outputs["editorial"], folder / "bien-tap.xlsx")
    issued = _issue(folder, tmp_path / "out", when=SEPT_20)
    assert "dự kiến trình trước ngày 08/12/2022" in _docx_text(issued.outputs["docx"])


def test_a_document_date_after_the_issue_date_is_still_refused(reviewed, tmp_path):
    _set_answer(_form(reviewed, "SGTVT"), "III.7", "Số, ký hiệu văn bản / sản phẩm",
                "Công văn số 2100/SGTVT-KHTC ngày 25/9/2022")
    with pytest.raises(PipelineError, match=r"trước ngày 25/9/2022 của văn bản «Công văn số 2100/SGTVT-KHTC"):
        _issue(reviewed, tmp_path / "out", when=SEPT_20)


# ----------------------------------------------------------------------------- 6. registry values

def _rename_agency(code: str, name: str):
    def edit(wb):
        ws = wb["Cơ quan"]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code)
        ws.cell(row, 2).value = name
    return edit


def test_case_10_line_breaks_in_an_agency_name_never_reach_don_doc(tmp_path):
    import email
    import email.policy

    config = _config_with_master(tmp_path, _rename_agency("SCT", "Sở Công\r\nThương\u2028"))
    folder = copy_sample(tmp_path / "in")
    done = _cli("--config", str(config), "don-doc", "--period", "2022-Q3", "--input", str(folder), "--output",
                str(tmp_path / "out"), "--han", "2022-09-22")
    assert done.returncode == 0, done.stderr
    assert "  - Sở Công Thương: 1 dòng bị loại" in done.stdout
    mail = email.message_from_bytes((tmp_path / "out" / "2022-Q3" / "don-doc" / "SCT_thu-don-doc.eml").read_bytes(),
                                    policy=email.policy.default)
    assert mail["Subject"].endswith("– Sở Công Thương") and mail["To"].addresses[0].display_name == "Sở Công Thương"
    assert "Sở Công Thương" in _docx_text(tmp_path / "out" / "2022-Q3" / "don-doc" / "cong-van-don-doc-2022-Q3.docx")


def test_case_11_an_agency_code_that_is_a_path_is_refused_when_the_registry_loads(tmp_path):
    def edit(wb):
        for sheet, col in (("Cơ quan", 1), ("Nhiệm vụ", 7)):
            ws = wb[sheet]
            for r in range(2, ws.max_row + 1):
                if ws.cell(r, col).value and "SYT" in str(ws.cell(r, col).value):
                    ws.cell(r, col).value = str(ws.cell(r, col).value).replace("SYT", "../../../../input/2022-Q3/SYT")
    config = _config_with_master(tmp_path, edit)
    folder = copy_sample(tmp_path / "project" / "input")
    before = sorted(p.name for p in folder.iterdir())
    out = tmp_path / "project" / "output"
    done = _cli("--config", str(config), "don-doc", "--period", "2022-Q3", "--input", str(folder), "--output", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "mã cơ quan «../../../../input/2022-Q3/SYT» không hợp lệ" in done.stderr
    assert "trang «Cơ quan», dòng" in done.stderr and "cột «Mã»" in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == before and not out.exists()


def test_email_subjects_keep_every_space_for_every_agency_and_period(master):
    """RFC 2047: the Subject folded into encoded-words decodes to the very text, for all agencies and periods."""
    import email
    import email.policy

    from pipeline.followup.mail import POLICY
    from email.message import EmailMessage

    periods = [f"{y}-{p}" for y in (2022, 2023) for p in ("Q1", "Q2", "Q3", "Q4", "H1", "9M")] + ["2022", "2023"]
    checked = 0
    for code in periods:
        for agency in master.agencies.values():
            subject = (f"Đôn đốc báo cáo kết quả thực hiện Kế hoạch số 112/KH-UBND, {parse_period(code).label} – "
                       f"{agency.name}")
            message = EmailMessage(policy=POLICY)
            message["Subject"] = subject
            raw = message.as_bytes(policy=POLICY)
            head = raw.split(b"\r\n\r\n")[0]
            assert all(len(line) <= 78 for line in head.split(b"\r\n")) and head.isascii()
            assert email.message_from_bytes(raw, policy=email.policy.default)["Subject"] == subject
            checked += 1
    assert checked == len(periods) * len(master.agencies) >= 228


# ----------------------------------------------------------------------------- 7. dates and numbers

def test_an_extension_must_move_the_deadline_later(tmp_path):
    from pipeline.plan.master import load_master

    config = _config_with_master(tmp_path, _plan_changes(
        ["II.4", "Gia hạn", "Quý I/2022", "12/UBND-TH", "15/8/2022", "UBND tỉnh", ""]))
    with pytest.raises(PipelineError) as err:
        load_master(config.parent / MASTER.name)
    assert "gia hạn đến «Quý I/2022» không lùi thời hạn đang có" in str(err.value)
    assert "trang «Điều chỉnh», dòng 2, cột «Thời hạn mới»" in str(err.value)


def test_conflicting_plan_changes_are_each_named(tmp_path):
    from pipeline.plan.master import load_master

    config = _config_with_master(tmp_path, _plan_changes(
        ["II.4", "Gia hạn", "Quý IV/2023", "12/UBND-TH", "15/8/2022", "UBND tỉnh", ""],
        ["II.4", "Gia hạn", "Quý II/2023", "13/UBND-TH", "15/8/2022", "UBND tỉnh", ""],
        ["II.5", "Bãi bỏ", "", "14/UBND-TH", "01/7/2022", "UBND tỉnh", ""],
        ["II.5", "Gia hạn", "Quý IV/2023", "15/UBND-TH", "01/8/2022", "UBND tỉnh", ""]))
    with pytest.raises(PipelineError) as err:
        load_master(config.parent / MASTER.name)
    message = str(err.value)
    for row, other in ((2, 3), (3, 2), (4, 5), (5, 4)):
        assert f"dòng {row}, cột «Loại điều chỉnh»: nhiệm vụ II.{4 if row < 4 else 5}: điều chỉnh mâu thuẫn với dòng " \
               f"{other}" in message


def test_don_doc_refuses_the_dates_the_report_refuses(tmp_path):
    from pipeline.followup.run import build_follow_up

    folder = copy_sample(tmp_path / "in")
    for day, words in ((date(2030, 1, 1), "sau ngày hôm nay"), (date(2024, 1, 10), "hơn một năm")):
        with pytest.raises(PipelineError, match=words):
            build_follow_up(CONFIG, "2022-Q3", tmp_path / "out", input_dir=folder, issue=Issue(7, day), today=TODAY)
        with pytest.raises(PipelineError, match=words):
            _issue(folder, tmp_path / "out", number=7, when=day)
    assert not (tmp_path / "out").exists()


def test_a_number_used_in_another_period_of_the_year_is_a_warning(reviewed, tmp_path):
    out = tmp_path / "out"
    _issue(reviewed, out, number=45)
    q4 = tmp_path / "q4" / "2022-Q4"
    q4.mkdir(parents=True)      # nobody has answered yet: every agency silent
    draft = build_report(CONFIG, "2022-Q4", out, input_dir=q4, with_pdf=False)
    settle_all(draft.outputs["editorial"], q4 / "bien-tap.xlsx")
    issued = build_report(CONFIG, "2022-Q4", out, input_dir=q4, issue=Issue(45, date(2022, 12, 20)), today=TODAY,
                          with_pdf=False)
    warning = next(p for p in issued.problems if p.message.startswith("Số 45 đã được dùng"))
    assert "kỳ 2022-Q3 ban hành ngày 2022-09-20" in warning.message and warning.file == "lich-su.sqlite"


def test_an_over_long_number_or_path_is_one_sentence_with_exit_2(reviewed, tmp_path):
    number = "1" + "0" * 300
    done = _cli("report", "--period", "2022-Q3", "--input", str(reviewed), "--output", str(tmp_path / "out"),
                "--so", number, "--ngay", "2022-09-20")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == ["Lỗi: Số văn bản «10000000…» quá lớn: số do văn thư cấp đánh lại từ 01 "
                                                "mỗi năm (Nghị định 30/2020), không quá 999.999; kiểm tra lại --so."]
    long_folder = tmp_path / ("ket-qua-" + "x" * 300)
    done = _cli("report", "--period", "2022-Q3", "--input", str(reviewed), "--output", str(long_folder), "--so", "45",
                "--ngay", "2022-09-20")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "quá dài so với giới hạn của hệ thống tệp" in lines[0]


def test_a_period_with_no_input_folder_leaves_nothing(tmp_path):
    with pytest.raises(PipelineError, match="Không tìm thấy thư mục phiếu báo cáo"):
        build_report(CONFIG, "2022-Q4", tmp_path / "out", input_dir=tmp_path / "khong-co" / "2022-Q4")
    assert not (tmp_path / "out").exists()


def test_a_workbook_from_before_the_fingerprints_is_used_but_settles_nothing(reviewed, tmp_path):
    wb = openpyxl.load_workbook(reviewed / "bien-tap.xlsx")
    ws = wb[SHEET]
    ws.delete_cols(COL_DIGESTS)
    ws.cell(_rows(ws)["III.ket-qua"], COL_TEXT).value = "Đoạn biên tập trên tệp mẫu cũ."
    wb.save(reviewed / "bien-tap.xlsx")
    draft = _draft(reviewed, tmp_path / "draft")
    assert any(p.message.startswith("Tệp biên tập theo mẫu cũ (chưa có cột «Mã điểm»)") for p in draft.problems)
    assert "Đoạn biên tập trên tệp mẫu cũ." in _docx_text(draft.outputs["docx"])
    with pytest.raises(PipelineError, match=r"\[PL\.III\.13\]"):   # its marks vouch for no listed point
        _issue(reviewed, tmp_path / "out")


def test_a_record_file_with_damaged_pages_is_set_aside_too(tmp_path):
    folder = copy_sample(tmp_path / "in")
    out = tmp_path / "out"
    _draft(folder, out)
    db = out / "lich-su.sqlite"
    data = bytearray(db.read_bytes())
    data[4096:12288] = b"\xff" * 8192          # pages 2 and 3 overwritten: the header still says SQLite
    db.write_bytes(bytes(data))
    draft = _draft(folder, out)
    assert any("«lich-su.sqlite» không dùng được" in p.message and "lich-su.hong-1.sqlite" in p.message
               for p in draft.problems)
    assert (out / "lich-su.hong-1.sqlite").read_bytes() == bytes(data)
