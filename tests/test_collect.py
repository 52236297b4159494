"""collect(): every returned file listed, every row accepted or rejected with a reason."""
from __future__ import annotations

import hashlib
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from messy import (HOSTILE_CONTENT, PERIOD, build_messy_folder, done, edit, header, ongoing,
                   small_master, templates, zip_bomb)
from pipeline.collection import sheet_layout as L
from bench.data import fill_workbook
from pipeline.collection.collect import ROW_COLUMNS, collect
from pipeline.errors import ERROR, WARNING
from pipeline.text.vntext import unicode_to_legacy

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    root = tmp_path_factory.mktemp("messy")
    names = build_messy_folder(root)
    inbox = root / "inbox"
    before = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in inbox.iterdir()}
    seen = []
    result = collect(inbox, small_master(), PERIOD, on_file=lambda i, n, p: seen.append((i, n, p.name)))
    return names, inbox, before, result, seen


def file_result(result, name):
    return next(f for f in result.files if f.path.name == name)


def problems_of(result, name, severity=None):
    return [p for p in result.problems if p.file == name and (severity is None or p.severity == severity)]


# ---------------------------------------------------------------- the messy folder as a whole

def test_every_file_is_listed_hashed_and_reported_by_callback(messy):
    names, inbox, before, result, seen = messy
    assert sorted(f.path.name for f in result.files) == sorted(before)
    for f in result.files:
        assert f.sha256 == before[f.path.name][0] and f.size == (inbox / f.path.name).stat().st_size
        assert f.outcome in ("accepted", "superseded", "rejected")
        assert (f.reason == "") == (f.outcome == "accepted")
    assert [s[0] for s in seen] == list(range(1, len(before) + 1)) and {s[1] for s in seen} == {len(before)}


def test_row_accounting_identity(messy):
    _, _, _, result, _ = messy
    assert result.rows_read == result.rows_accepted + result.rows_rejected
    assert result.rows_accepted == len(result.rows) and result.rows_rejected == len(result.rejected)
    assert result.rows_read == sum(f.rows_read for f in result.files)
    assert result.rejected["reason"].str.len().min() > 0
    assert (result.rows_read, result.rows_accepted) == (17, 4)


def test_input_files_are_unchanged(messy):
    _, inbox, before, _, _ = messy
    after = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in inbox.iterdir()}
    assert after == before


def test_accepted_rows_frame_has_the_contract_columns_and_types(messy):
    _, _, _, result, _ = messy
    rows = result.rows
    assert list(rows.columns) == ROW_COLUMNS
    assert str(rows["completed_on"].dtype).startswith("datetime64")
    assert str(rows["report_date"].dtype).startswith("datetime64")
    assert rows["progress"].dtype == "float64" and rows["row"].dtype == "int64"
    assert set(rows["status"]) <= set(L.STATUSES)
    assert result.reported_agencies == ["SKHDT", "SNN"]     # CA and SYT sent nothing usable


@pytest.mark.parametrize("case, words", [
    ("lock_file", "khóa tạm"),
    ("xls", "97-2003"),
    ("xlsm", "macro"),
    ("csv", "CSV"),
    ("truncated", "bị hỏng hoặc bị cắt cụt"),
    ("encrypted", "mật khẩu"),
    ("empty", "Không có trang «Báo cáo»"),
    ("renamed", "«Sheet1»"),
    ("no_meta", "Thiếu trang ẩn «_meta»"),
    ("zip_bomb", "giải nén lớn bất thường"),
    ("wrong_period", "kỳ 2022-Q2"),
    ("unknown_agency", "«XYZ»"),
    ("old_version", "mẫu cũ (phiên bản 0)"),
])
def test_unusable_files_are_named_and_skipped(messy, case, words):
    names, _, _, result, _ = messy
    f = file_result(result, names[case])
    assert f.outcome == "rejected" and words in f.reason
    [p] = problems_of(result, names[case])
    assert p.message == f.reason and p.severity == (WARNING if case == "lock_file" else ERROR)
    assert not (result.rows["file"] == names[case]).any()


def test_rows_of_a_rejected_but_readable_file_count_as_rejected(messy):
    names, _, _, result, _ = messy
    f = file_result(result, names["wrong_period"])
    assert f.agency == "SYT" and f.rows_read == 1
    rej = result.rejected[result.rejected["file"] == names["wrong_period"]]
    assert list(rej["task_id"]) == ["III.5"] and rej["reason"].iloc[0].startswith("Cả tệp bị loại")


def test_later_report_date_wins_and_the_earlier_file_is_listed(messy):
    names, _, _, result, _ = messy
    early, late = file_result(result, names["earlier"]), file_result(result, names["variants"])
    assert (early.outcome, late.outcome) == ("superseded", "accepted")
    assert early.report_date == date(2022, 9, 5) and late.report_date == date(2022, 9, 12)
    assert names["variants"] in early.reason
    assert early.rows_read == 4 and early.rows_accepted == 0
    rej = result.rejected[result.rejected["file"] == names["earlier"]]
    assert len(rej) == 4 and rej["reason"].eq(early.reason).all()
    assert set(result.rows.loc[result.rows["agency"] == "SKHDT", "file"]) == {names["variants"]}


def test_status_progress_and_date_variants(messy):
    names, _, _, result, _ = messy
    rows = result.rows.set_index("task_id")
    i1, i2, ii1 = rows.loc["I.1"], rows.loc["I.2"], rows.loc["II.1"]
    assert i1["status"] == L.STATUS_DONE and i1["progress"] == 80.0                 # "hoàn thành", "80%"
    assert i1["completed_on"] == pd.Timestamp(2022, 8, 30)                          # text "30/8/2022"
    assert i1["results"] == HOSTILE_CONTENT                                          # text, never evaluated
    assert i2["status"] == L.STATUS_DONE and pd.isna(i2["completed_on"])             # "Đã Hoàn Thành "
    assert ii1["status"] == L.STATUS_ONGOING and ii1["progress"] == 80.0             # "đang triển khai", 0.8
    assert ii1["results"] == "Đã trình Hội đồng thẩm định quy hoạch tỉnh"            # was TCVN3
    assert i1["report_date"] == pd.Timestamp(2022, 9, 12)
    msgs = {(p.row, p.column): p for p in problems_of(result, names["variants"])}
    r = {t: report_row_of(result, t) for t in ("I.1", "I.2", "II.1", "II.2")}
    assert msgs[(r["I.1"], "Tình trạng")].severity == WARNING
    assert "30/8/2022" in msgs[(r["I.1"], "Ngày hoàn thành")].message
    assert "chưa ghi ngày hoàn thành" in msgs[(r["I.2"], "Ngày hoàn thành")].message
    assert (r["I.2"], "Tình trạng") not in msgs                                      # case and spaces only
    assert "TCVN3" in msgs[(r["II.1"], "Kết quả thực hiện")].message
    bad = msgs[(r["II.2"], "Tình trạng")]
    assert bad.severity == ERROR and "«chưa hoàn thành»" in bad.message and bad.sheet == "Báo cáo"


def report_row_of(result, task_id):
    rows = result.rows[result.rows["task_id"] == task_id]
    if len(rows):
        return int(rows["row"].iloc[0])
    return int(result.rejected.loc[(result.rejected["task_id"] == task_id)
                                   & (result.rejected["agency"] == "SKHDT")
                                   & ~result.rejected["reason"].str.startswith("Cơ quan"), "row"].iloc[0])


def test_broken_task_rows_are_rejected_alone(messy):
    names, _, _, result, _ = messy
    name = names["rows"]
    accepted = result.rows[result.rows["file"] == name]
    assert list(accepted["task_id"]) == ["III.2"] and list(accepted["row"]) == [10]
    errors = {p.row: p for p in problems_of(result, name, ERROR)}
    assert errors[9].column == "Nội dung nhiệm vụ" and "Ô đã khóa" in errors[9].message
    assert errors[11].column == "Mã nhiệm vụ" and "không do cơ quan này chủ trì" in errors[11].message
    assert "nhiều dòng; chỉ dùng dòng 10" in errors[12].message
    assert "«IX.9» không có trong danh mục" in errors[13].message
    missing = [p.message for p in problems_of(result, name, WARNING) if p.row is None]
    assert any("III.3" in m for m in missing) and any("III.4" in m for m in missing)
    assert file_result(result, name).rows_read == 5


# ---------------------------------------------------------------- single files

def one_file(tmp_path, answers, report_date=date(2022, 9, 12), code="SKHDT", change=None):
    blank = templates(tmp_path / "phieu")
    inbox = tmp_path / "inbox"
    path = fill_workbook(blank[code], inbox / "phieu.xlsx", header(report_date), answers)
    if change:
        edit(path, change)
    return collect(inbox, small_master(), PERIOD), path


ANSWERED = {"I.2": ongoing(), "II.1": ongoing(), "II.2": ongoing()}


@pytest.mark.parametrize("given, expected", [
    (80, 80.0), ("80", 80.0), ("80%", 80.0), (" 80 % ", 80.0), (0.8, 80.0), ("0.8", 80.0), ("80,5", 80.5),
    (100, 100.0), (0, 0.0), ("0,5%", 0.5),
])
def test_progress_forms(tmp_path, given, expected):
    result, _ = one_file(tmp_path, {**ANSWERED, "I.1": ongoing(given)})
    assert result.rows.set_index("task_id").loc["I.1", "progress"] == expected


@pytest.mark.parametrize("given", [120, -5, "nhiều", "80%%"])
def test_progress_out_of_range_or_not_a_number_rejects_the_row(tmp_path, given):
    result, _ = one_file(tmp_path, {**ANSWERED, "I.1": ongoing(given)})
    assert "I.1" not in set(result.rows["task_id"]) and len(result.rows) == 3
    [p] = [p for p in result.problems if p.severity == ERROR]
    assert p.column == "Tiến độ (%)"


@pytest.mark.parametrize("given, expected, text", [
    (date(2022, 8, 30), date(2022, 8, 30), False),
    (datetime(2022, 8, 30, 15, 30), date(2022, 8, 30), False),
    (44803, date(2022, 8, 30), False),              # an Excel serial typed into a number cell
    ("30/8/2022", date(2022, 8, 30), True),
    ("30-08-2022", date(2022, 8, 30), True),
    ("2022-08-30", date(2022, 8, 30), True),
    ("ngày 30 tháng 8 năm 2022", date(2022, 8, 30), True),
])
def test_completion_date_forms(tmp_path, given, expected, text):
    result, _ = one_file(tmp_path, {**ANSWERED, "I.1": done(given)})
    got = result.rows.set_index("task_id").loc["I.1", "completed_on"]
    assert got == pd.Timestamp(expected)
    assert any("dạng chữ" in p.message for p in result.problems) is text


@pytest.mark.parametrize("given, words", [
    ("31/2/2022", "không đọc được"), ("hôm qua", "không đọc được"), (date(1999, 1, 1), "không hợp lý"),
    (date(2022, 9, 13), "sau ngày báo cáo"),
])
def test_bad_completion_dates_reject_the_row(tmp_path, given, words):
    result, _ = one_file(tmp_path, {**ANSWERED, "I.1": done(given)}, report_date=date(2022, 9, 12))
    assert "I.1" not in set(result.rows["task_id"])
    [p] = [p for p in result.problems if p.severity == ERROR]
    assert p.column == "Ngày hoàn thành" and words in p.message


def test_completion_after_the_cut_off_is_kept_with_a_warning(tmp_path):
    result, _ = one_file(tmp_path, {**ANSWERED, "I.1": done(date(2022, 9, 20))}, report_date=date(2022, 9, 25))
    assert result.rows.set_index("task_id").loc["I.1", "completed_on"] == pd.Timestamp(2022, 9, 20)
    assert any("sau ngày chốt số liệu 14/9/2022" in p.message and p.severity == WARNING for p in result.problems)


@pytest.mark.parametrize("word, canonical", [
    ("Đã hoàn thành", L.STATUS_DONE), ("đã  HOÀN thành", L.STATUS_DONE), ("Hoàn thành.", L.STATUS_DONE),
    ("đã xong", L.STATUS_DONE), ("Da hoan thanh", L.STATUS_DONE), ("Đang triển khai", L.STATUS_ONGOING),
    ("chưa triển khai", L.STATUS_NOT_STARTED),
    (unicode_to_legacy("Đang thực hiện", "vni"), L.STATUS_ONGOING),
    (unicodedata.normalize("NFD", "Đã hoàn thành"), L.STATUS_DONE),
])
def test_status_variants(tmp_path, word, canonical):
    result, _ = one_file(tmp_path, {**ANSWERED, "I.1": {**done(date(2022, 8, 1)), "status": word}})
    assert result.rows.set_index("task_id").loc["I.1", "status"] == canonical


@pytest.mark.parametrize("word", ["Chưa hoàn thành", "Tạm dừng", "x"])
def test_unknown_status_rejects_the_row(tmp_path, word):
    result, _ = one_file(tmp_path, {**ANSWERED, "I.1": {**ongoing(), "status": word}})
    assert "I.1" not in set(result.rows["task_id"])
    [p] = [p for p in result.problems if p.severity == ERROR]
    assert p.column == "Tình trạng" and f"«{word}»" in p.message


def test_done_without_results_or_document_is_an_error_without_date_a_warning(tmp_path):
    result, _ = one_file(tmp_path, {
        **ANSWERED,
        "I.1": {"status": L.STATUS_DONE, "completed_on": date(2022, 8, 1)},
        "II.1": {"status": L.STATUS_DONE, "results": "Đã trình hồ sơ."},
    })
    accepted = set(result.rows["task_id"])
    assert "I.1" not in accepted and "II.1" in accepted
    kinds = {(p.severity, p.column) for p in result.problems}
    assert (ERROR, "Kết quả thực hiện") in kinds and (WARNING, "Ngày hoàn thành") in kinds


def test_blank_row_is_not_a_report(tmp_path):
    result, _ = one_file(tmp_path, {"I.2": ongoing(), "II.1": ongoing(), "II.2": ongoing()})
    assert len(result.rows) == 3 and result.rows_read == 4
    [p] = [p for p in result.problems if p.severity == ERROR]
    assert "chưa được điền" in p.message


def test_formulas_are_never_evaluated(tmp_path):
    def formulas(wb):
        ws = wb[L.SHEET_REPORT]
        ws[f"H{L.FIRST_DATA_ROW}"] = "=1+1"          # a real formula, no cached value
    result, _ = one_file(tmp_path, {**ANSWERED, "I.1": ongoing(results=None, output_doc="=2*3")}, change=formulas)
    row = result.rows.set_index("task_id").loc["I.1"]
    assert row["results"] == "" and row["output_doc"] == "=2*3"


def test_reordered_rows_are_matched_by_task_id_with_a_warning(tmp_path):
    def swap(wb):
        ws = wb[L.SHEET_REPORT]
        a, b = L.FIRST_DATA_ROW, L.FIRST_DATA_ROW + 1
        for c in L.COLUMNS:
            ws[f"{c.letter}{a}"].value, ws[f"{c.letter}{b}"].value = ws[f"{c.letter}{b}"].value, ws[f"{c.letter}{a}"].value
    result, _ = one_file(tmp_path, {"I.1": ongoing(10), **ANSWERED}, change=swap)
    by_id = result.rows.set_index("task_id")
    assert by_id.loc["I.1", "progress"] == 10 and by_id.loc["I.1", "row"] == L.FIRST_DATA_ROW + 1
    assert any("Thứ tự hoặc số dòng" in p.message for p in result.problems)


def test_declared_size_limit_is_checked_before_reading(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    zip_bomb(inbox / "bom.xlsx", declared_mb=3)
    small = collect(inbox, small_master(), PERIOD, size_limit=2 * 1024 * 1024)
    assert "giải nén lớn bất thường" in small.files[0].reason
    assert (inbox / "bom.xlsx").stat().st_size < 64 * 1024
    large = collect(inbox, small_master(), PERIOD, size_limit=4 * 1024 * 1024)
    assert "giải nén lớn bất thường" not in large.files[0].reason and large.files[0].outcome == "rejected"


def test_missing_folder_is_a_plain_error(tmp_path):
    from pipeline.errors import PipelineError
    with pytest.raises(PipelineError, match="Không tìm thấy thư mục"):
        collect(tmp_path / "khong-co", small_master(), PERIOD)


# ---------------------------------------------------------------- the committed sample

def test_committed_sample_input(tmp_path):
    from pipeline.plan.config import load_config
    from pipeline.plan.master import load_master
    config = load_config(ROOT / "input" / "ke-hoach-112.toml")
    master = load_master(config.master_path)
    folder = ROOT / "input" / "2022-Q3"
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    result = collect(folder, master, PERIOD)
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()} == before
    assert all(p.stat().st_size < 100 * 1024 for p in folder.iterdir())
    missing = set(master.lead_codes()) - set(result.reported_agencies)
    assert missing == {"VPTU", "SYT", "CA"}
    outcomes = {f.path.name: f.outcome for f in result.files}
    assert sorted(outcomes.values()).count("superseded") == 1
    assert result.rows_read == result.rows_accepted + result.rows_rejected
    i2 = result.rows[result.rows["task_id"] == "I.2"]
    assert sorted(i2["agency"]) == ["BCHQS", "BDBP"] and set(i2["status"]) == {L.STATUS_DONE}
    messages = " | ".join(p.message for p in result.problems)
    for words in ("được hiểu là «Đã hoàn thành»", "dạng chữ «30/9/2022»", "chưa ghi ngày hoàn thành", "TCVN3"):
        assert words in messages
    # Proposals of each addressee (issue 7 §2), as the sample script writes them.
    to = result.rows.set_index(["agency", "task_id"])
    assert to.loc[("SKHDT", "II.8"), "proposal_to"] == "Thủ tướng Chính phủ"
    assert to.loc[("SKHDT", "II.8"), "proposals"].startswith("Đề nghị Thủ tướng Chính phủ cho phép lùi thời hạn")
    assert to.loc[("SCT", "III.12"), "proposal_to"] == "Thủ tướng Chính phủ"
    assert tuple(to.loc[("SGTVT", "III.6"), ["proposal_to", "proposal_ministry"]]) == (
        "Bộ, ngành Trung ương", "Bộ Giao thông vận tải")
    assert tuple(to.loc[("SKHDT", "II.1"), ["proposal_to", "proposal_ministry"]]) == (
        "Bộ, ngành Trung ương", "Bộ Kế hoạch và Đầu tư")
    assert to.loc[("SKHDT", "II.4"), "proposal_to"] == "UBND tỉnh"
    assert (result.rows["proposal_to"] == "UBND tỉnh").sum() >= 3
    assert set(result.rows.loc[result.rows["proposals"] == "", "proposal_to"]) == {""}
    officers = {f.officer for f in result.files if f.outcome != "rejected"}
    assert all("(dữ liệu mẫu)" in o for o in officers)


def test_inserted_column_is_a_changed_structure(tmp_path):
    result, _ = one_file(tmp_path, {"I.1": ongoing(), **ANSWERED}, change=lambda wb: wb[L.SHEET_REPORT].insert_cols(3))
    [f] = result.files
    assert f.outcome == "rejected" and "Tiêu đề bảng ở dòng 8, cột C" in f.reason
    assert result.rows_read == 0 and result.reported_agencies == []


def test_hidden_and_system_files_are_skipped_with_a_warning(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (inbox / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    result = collect(inbox, small_master(), PERIOD)
    assert [(f.outcome, p.severity) for f, p in zip(result.files, result.problems)] == [("rejected", WARNING)] * 2


def test_an_empty_folder_gives_typed_empty_frames(tmp_path):
    result = collect(tmp_path, small_master(), PERIOD)
    assert (result.rows_read, result.files, result.reported_agencies) == (0, [], [])
    assert list(result.rows.columns) == ROW_COLUMNS and str(result.rows["completed_on"].dtype).startswith("datetime64")
