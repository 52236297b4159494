"""The files sent to each agency with the công văn đôn đốc: its problem list and its phiếu to send back.

Expected values come from the sample (input/2022-Q3, described in the lead's brief): SCT's form has
one refused row (III.13, progress typed 400), VPTU sent nothing, SKHDT has II.4 falling due (Tháng 9/2022).
"""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date, datetime

import openpyxl
import pikepdf
import pytest

from conftest import CONFIG, SAMPLE, copy_sample
from pipeline.status.compare import Answer
from pipeline.collection import sheet_layout as L
from pipeline.collection.agency_workbook import Carried, write_agency_workbooks
from pipeline.collection.collect import collect
from pipeline.status.merge import merge
from pipeline.errors import WARNING, Problem
from pipeline.followup.agency_files import agency_file_names, write_problem_workbook, write_resend_form
from pipeline.followup.findings import CellFault, find_follow_up
from pipeline.report import load_inputs

STAMP = datetime(2022, 9, 20, 8, 30)
SCT_FILE = "2022-Q3_SCT_So-Cong-Thuong.xlsx"
SKHDT_FILE = "2022-Q3_SKHDT_So-Ke-hoach-va-Dau-tu_lan-2.xlsx"
REASON_400 = "Tiến độ «400» nằm ngoài khoảng 0–100."
RED = "FFC7CE"
YELLOW = "FFF9E5"


def _collect(folder, config, master, period):
    return collect(folder, master, period, plan_number=config.plan_number, plan_date=config.plan_date,
                   ignore=("bien-tap.xlsx",))


def _follow_up(folder, config, master, period):
    collection = _collect(folder, config, master, period)
    merged = merge(master, period, collection.rows, collection.reported_agencies)
    follow = find_follow_up(master, merged, collection, collection.problems)
    return collection, {a.agency.code: a for a in follow.agencies}


@pytest.fixture(scope="module")
def sample():
    config, plan, period = load_inputs(CONFIG, "2022-Q3")
    master = plan.as_of(period.end)
    collection, agencies = _follow_up(SAMPLE, config, master, period)
    return config, master, period, collection, agencies


@pytest.fixture(scope="module")
def written(sample, tmp_path_factory):
    config, master, period, collection, agencies = sample
    out = tmp_path_factory.mktemp("don-doc")
    paths = {}
    for code in ("SCT", "VPTU", "SKHDT"):
        names = agency_file_names(code)
        paths[code, "problems"] = write_problem_workbook(out / names["problems"], agencies[code], period,
                                                         config.plan_number, STAMP)
        paths[code, "form"] = write_resend_form(out / names["form"], master, period, config, agencies[code],
                                                collection, STAMP)
    return out, paths


def _rows(ws, first=4):
    return [list(r) for r in ws.iter_rows(min_row=first, max_row=ws.max_row, values_only=True)]


def _meta(wb):
    return {r[0]: r[1] for r in wb[L.SHEET_META].iter_rows(max_col=2, values_only=True) if r[0]}


def test_file_names_start_with_the_agency_code():
    assert agency_file_names("SCT") == {"form": "SCT_phieu-bao-cao.xlsx", "problems": "SCT_van-de.xlsx"}


# ---------------------------------------------------------------- problem workbook


def test_problem_workbook_of_sct_lists_the_refused_cell_and_the_task_left_unreported(written):
    out, paths = written
    assert paths["SCT", "problems"] == out / "SCT_van-de.xlsx"
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []     # no temp file left
    wb = openpyxl.load_workbook(paths["SCT", "problems"])
    assert wb.sheetnames == ["Tóm tắt", "Chưa báo cáo", "Dòng bị loại", "Sắp đến hạn", "Vấn đề"]
    for ws in wb:
        assert "Sở Công Thương" in ws["A1"].value, ws.title
        assert "Kế hoạch số 112/KH-UBND" in ws["A2"].value and "quý III năm 2022" in ws["A2"].value
        assert "20/9/2022" in ws["A2"].value
    assert _rows(wb["Dòng bị loại"]) == [["III.13", SCT_FILE, "Báo cáo", 10, "Tiến độ (%)", REASON_400]]
    assert [r[:3] for r in _rows(wb["Chưa báo cáo"])] == [[
        "III.13", "Về việc tiếp nhận hệ thống điện và quản lý vận hành, bán điện trên địa bàn các xã đảo An Sơn, "
                  "Nam Du và Thỏ Châu", "Năm 2022 - 2023"]]
    assert "bị loại" in _rows(wb["Chưa báo cáo"])[0][3]
    assert _rows(wb["Sắp đến hạn"]) == [["Không có.", None, None, None]]
    assert _rows(wb["Vấn đề"]) == [[SCT_FILE, "Báo cáo", 10, "Tiến độ (%)", "Lỗi", REASON_400]]
    summary = {r[0]: r[1] for r in _rows(wb["Tóm tắt"])}
    assert summary["Phiếu báo cáo được dùng"] == f"«{SCT_FILE}», ngày báo cáo 13/9/2022"
    assert summary["Dòng báo cáo bị loại"] == "1 dòng (1 lỗi) (xem trang «Dòng bị loại»)"
    assert summary["Vấn đề phát hiện khi đọc phiếu"] == "1 vấn đề: 1 lỗi, 0 cảnh báo (xem trang «Vấn đề»)"
    assert summary["Nhiệm vụ sắp đến hạn"] == "Không có."


def test_problem_workbook_prints_on_a4_landscape_in_times_new_roman_with_heights_from_the_text(written):
    wb = openpyxl.load_workbook(written[1]["SCT", "problems"])
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9   # A4
        assert ws.print_title_rows == "$3:$3"        # the header row repeats on every page
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {"Times New Roman"}, ws.title
    ws = wb["Chưa báo cáo"]
    # the task content (121 characters) wraps in its 70-wide column: two lines at least
    assert ws.row_dimensions[4].height >= 2 * 14
    assert ws.row_dimensions[4].height > ws.row_dimensions[2].height


def test_problem_workbook_of_a_silent_agency_and_of_one_with_a_task_falling_due(written, sample):
    master = sample[1]
    wb = openpyxl.load_workbook(written[1]["VPTU", "problems"])
    assert wb["Tóm tắt"]["A1"].value == "VẤN ĐỀ CẦN KHẮC PHỤC TRONG BÁO CÁO – Văn phòng Tỉnh ủy"
    assert _rows(wb["Chưa báo cáo"]) == [["I.1", master.task("I.1").content, "Hàng năm",
                                           "Chưa nhận được phiếu báo cáo hợp lệ của cơ quan."]]
    assert _rows(wb["Dòng bị loại"]) == [["Không có.", None, None, None, None, None]]
    summary = {r[0]: r[1] for r in _rows(wb["Tóm tắt"])}
    assert summary["Phiếu báo cáo được dùng"] == "Chưa nhận được phiếu báo cáo hợp lệ."
    assert summary["Đề nghị"].startswith("Điền phiếu báo cáo gửi kèm")

    wb = openpyxl.load_workbook(written[1]["SKHDT", "problems"])
    assert _rows(wb["Sắp đến hạn"]) == [["II.4", master.task("II.4").content, "Tháng 9/2022", "30/9/2022"]]
    assert _rows(wb["Chưa báo cáo"]) == [["Không có.", None, None, None]]
    problems = _rows(wb["Vấn đề"])      # its first file was superseded by the second: a warning
    assert len(problems) == 1 and problems[0][0] == "2022-Q3_SKHDT_So-Ke-hoach-va-Dau-tu_lan-1.xlsx"
    assert problems[0][4] == "Cảnh báo" and SKHDT_FILE in problems[0][5]
    summary = {r[0]: r[1] for r in _rows(wb["Tóm tắt"])}     # nothing to send again: a reminder only
    assert summary["Đề nghị"] == "Bảo đảm hoàn thành đúng thời hạn các nhiệm vụ sắp đến hạn."
    assert summary["Vấn đề phát hiện khi đọc phiếu"] == "1 vấn đề: 0 lỗi, 1 cảnh báo (xem trang «Vấn đề»)"


def test_problem_text_starting_with_equals_stays_text(sample, tmp_path):
    config, _, period, _, agencies = sample
    follow = dataclasses.replace(agencies["SCT"], problems=[
        Problem("=HYPERLINK(\"x\").xlsx", "=1+1 không phải công thức", WARNING, sheet="=A1", row=3)])
    path = write_problem_workbook(tmp_path / "x.xlsx", follow, period, config.plan_number, STAMP)
    ws = openpyxl.load_workbook(path)["Vấn đề"]
    assert [ws.cell(4, c).value for c in (1, 2, 6)] == ["=HYPERLINK(\"x\").xlsx", "=A1", "=1+1 không phải công thức"]
    assert {ws.cell(4, c).data_type for c in (1, 2, 6)} == {"s"}


# ---------------------------------------------------------------- the phiếu sent back


def _by_task(ws):
    return {ws.cell(r, 1).value: r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value}


def _col(key):
    return L.COLUMNS.index(L.COLUMN_BY_KEY[key]) + 1


def test_sct_form_marks_the_refused_cell_and_prefills_what_was_accepted(written):
    wb = openpyxl.load_workbook(written[1]["SCT", "form"])
    ws = wb[L.SHEET_REPORT]
    rows = _by_task(ws)
    assert list(rows) == ["III.12", "III.13"]
    r12, r13 = rows["III.12"], rows["III.13"]
    # accepted row: the values SCT sent (sample file, row 9), as plain answers on the usual yellow
    assert [ws.cell(r12, _col(k)).value for k in L.INPUT_KEYS] == [
        "Đang thực hiện", None, 25, "Chuẩn bị hồ sơ, thủ tục; chờ Thủ tướng Chính phủ phê duyệt dự án.", None, None,
        "Đề nghị Thủ tướng Chính phủ sớm xem xét, phê duyệt dự án để tỉnh triển khai.", "Thủ tướng Chính phủ", None]
    assert ws.cell(r12, _col("progress")).fill.fgColor.rgb.endswith(YELLOW)
    # refused row: as typed (400), the faulty cell red with the reason as a comment; its other cells yellow
    assert [ws.cell(r13, _col(k)).value for k in ("status", "progress", "results")] == [
        "Đang thực hiện", 400, "Làm việc với EVN SPC về phương án tiếp nhận lưới điện xã đảo."]
    bad = ws.cell(r13, _col("progress"))
    assert bad.fill.fgColor.rgb.endswith(RED) and bad.protection.locked is False
    assert bad.comment is not None and REASON_400 in bad.comment.text
    assert ws.cell(r13, _col("status")).fill.fgColor.rgb.endswith(YELLOW)
    assert ws.cell(r13, _col("status")).comment is None
    assert sum(1 for row in ws.iter_rows() for c in row if c.comment is not None) == 1
    # the legend above the table
    assert ws[f"A{L.LEGEND_ROW}"].value == "Cần sửa" and ws[f"A{L.LEGEND_ROW}"].fill.fgColor.rgb.endswith(RED)
    legend = ws[f"B{L.LEGEND_ROW}"].value
    assert legend.startswith("Ô nền đỏ: nội dung bị loại") and SCT_FILE in legend and "13/9/2022" in legend
    # header: the officer writes the new report date; the hidden sheet identifies the form
    assert ws[L.HEADER_BY_KEY["report_date"].value_cell].value is None
    meta = _meta(wb)
    assert (meta[L.META_AGENCY], meta[L.META_PERIOD], meta[L.META_PLAN_NUMBER]) == ("SCT", "2022-Q3", "112/KH-UBND")
    assert meta[L.META_GENERATED] == "2022-09-20T08:30:00"
    assert not any(k.startswith(("carried", L.META_CARRIED_FROM)) for k in meta)    # plain answers, not carried
    guide = [c.value for c in wb[L.SHEET_GUIDE]["A"] if isinstance(c.value, str)]
    assert any(t.startswith("9. Phiếu này gửi lại để cơ quan sửa") for t in guide)


def test_sct_form_sent_back_corrected_replaces_the_first_and_is_accepted_whole(written, sample, tmp_path):
    config, master, period, _, _ = sample
    folder = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(written[1]["SCT", "form"])
    ws = wb[L.SHEET_REPORT]
    r13 = _by_task(ws)["III.13"]
    ws.cell(r13, _col("progress")).value = 40                       # the officer corrects the red cell
    ws[L.HEADER_BY_KEY["report_date"].value_cell].value = datetime(2022, 9, 20)
    ws[L.HEADER_BY_KEY["officer_name"].value_cell].value = "Phan Thị P (dữ liệu mẫu)"
    wb.save(folder / "SCT_phieu-bao-cao.xlsx")

    collection, agencies = _follow_up(folder, config, master, period)
    outcome = {f.name: f.outcome for f in collection.files if f.agency == "SCT"}
    assert outcome == {"SCT_phieu-bao-cao.xlsx": "accepted", SCT_FILE: "superseded"}
    rows = collection.rows[collection.rows["agency"] == "SCT"].set_index("task_id")
    assert sorted(rows.index) == ["III.12", "III.13"]
    assert set(rows["file"]) == {"SCT_phieu-bao-cao.xlsx"}
    assert rows.loc["III.13", "progress"] == 40
    assert rows.loc["III.13", "status"] == "Đang thực hiện"
    assert rows.loc["III.12", "progress"] == 25 and rows.loc["III.12", "proposal_to"] == "Thủ tướng Chính phủ"
    assert rows.loc["III.12", "proposals"] == "Đề nghị Thủ tướng Chính phủ sớm xem xét, phê duyệt dự án để tỉnh triển khai."
    sct = agencies["SCT"]
    assert sct.file == "SCT_phieu-bao-cao.xlsx" and sct.report_date == date(2022, 9, 20)
    assert sct.rejected == [] and sct.unreported == [] and not sct.must_send
    assert not [p for p in collection.problems if p.file == "SCT_phieu-bao-cao.xlsx" and p.severity != WARNING]


def test_a_row_level_fault_is_marked_on_the_task_id_cell(sample, tmp_path):
    config, master, period, collection, agencies = sample
    sct = agencies["SCT"]
    row = sct.rejected[0]
    faults = (CellFault("", "Dòng trùng nhiệm vụ."), CellFault("Nội dung nhiệm vụ", "Nội dung bị sửa."),
              CellFault("Tiến độ (%)", REASON_400))
    follow = dataclasses.replace(sct, rejected=[dataclasses.replace(row, faults=faults)])
    path = write_resend_form(tmp_path / "f.xlsx", master, period, config, follow, collection, STAMP)
    ws = openpyxl.load_workbook(path)[L.SHEET_REPORT]
    r13 = _by_task(ws)["III.13"]
    cell = ws.cell(r13, 1)
    assert cell.fill.fgColor.rgb.endswith(RED) and cell.protection.locked is True
    assert "Dòng trùng nhiệm vụ." in cell.comment.text and "Nội dung bị sửa." in cell.comment.text
    assert ws.cell(r13, _col("progress")).fill.fgColor.rgb.endswith(RED)
    assert ws.cell(r13, _col("content")).comment is None


def test_a_form_without_refused_rows_is_prefilled_with_a_plain_legend(written):
    ws = openpyxl.load_workbook(written[1]["SKHDT", "form"])[L.SHEET_REPORT]
    assert ws[f"A{L.LEGEND_ROW}"].value.startswith("Phiếu đã điền sẵn nội dung cơ quan đã báo cáo")
    assert f"A{L.LEGEND_ROW}:{L.LAST_COLUMN}{L.LEGEND_ROW}" in ws.merged_cells
    sent = openpyxl.load_workbook(SAMPLE / SKHDT_FILE)[L.SHEET_REPORT]     # what SKHDT typed
    sent_rows, form_rows = _by_task(sent), _by_task(ws)
    assert list(form_rows) == list(sent_rows) and len(form_rows) == 9
    keys = ("status", "completed_on", "progress", "results", "output_doc")
    for task_id, r in form_rows.items():
        assert [ws.cell(r, _col(k)).value for k in keys] == \
               [sent.cell(sent_rows[task_id], _col(k)).value for k in keys], task_id
        assert not any(c.comment for c in ws[r])


def test_a_silent_agency_gets_the_blank_form_make_templates_writes(written, sample, tmp_path):
    config, master, period, collection, agencies = sample
    path = written[1]["VPTU", "form"]
    ref = write_agency_workbooks(master, period, tmp_path, generated_at=STAMP, config=config, codes=["VPTU"])[0]
    assert path.read_bytes() == ref.read_bytes()
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_REPORT]
    assert list(_by_task(ws)) == ["I.1"]
    assert ws[f"A{L.LEGEND_ROW}"].value is None
    assert all(ws.cell(L.FIRST_DATA_ROW, _col(k)).value is None for k in L.INPUT_KEYS)
    assert _meta(wb)[L.META_AGENCY] == "VPTU"
    # a valid form: collect recognises VPTU's unfilled form (and says it is not filled)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(path, folder / path.name)
    got = _collect(folder, config, master, period).files[0]
    assert got.agency == "VPTU" and got.outcome == "rejected" and got.reason.startswith("Phiếu chưa được điền")


def test_a_silent_agency_gets_the_previous_answers_when_carried(sample, tmp_path):
    config, master, period, collection, agencies = sample
    carried = Carried("2022-Q2", "quý II năm 2022",
                      {("I.1", "VPTU"): Answer("Đang thực hiện", None, 50.0, "Đã quán triệt Nghị quyết.", "")})
    path = write_resend_form(tmp_path / "VPTU.xlsx", master, period, config, agencies["VPTU"], collection, STAMP,
                             carried=carried)
    ref = write_agency_workbooks(master, period, tmp_path / "ref", generated_at=STAMP, config=config,
                                 codes=["VPTU"], carried=carried)[0]
    assert path.read_bytes() == ref.read_bytes()
    ws = openpyxl.load_workbook(path)[L.SHEET_REPORT]
    r = L.FIRST_DATA_ROW
    assert [ws.cell(r, _col(k)).value for k in ("status", "progress", "results")] == [
        "Đang thực hiện", 50, "Đã quán triệt Nghị quyết."]
    assert ws[f"A{L.LEGEND_ROW}"].value == "Điền sẵn"


@pytest.mark.slow
def test_libreoffice_opens_both_workbooks(written, tmp_path):
    paths = [written[1]["SCT", "problems"], written[1]["SCT", "form"]]
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *map(str, paths)], check=True, capture_output=True, timeout=600)
    text = {p.stem: subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{p.stem}.pdf"), "-"], check=True,
                                   capture_output=True, text=True).stdout for p in paths}
    # one printed page per sheet: no column, no title spills onto a page to the right
    assert len(pikepdf.open(tmp_path / "SCT_van-de.pdf").pages) == 5
    problems = " ".join(text["SCT_van-de"].split())
    assert "VẤN ĐỀ CẦN KHẮC PHỤC TRONG BÁO CÁO – Sở Công Thương" in problems
    assert "Tiến độ «400» nằm ngoài khoảng" in problems and "Không có." in problems
    form = " ".join(text["SCT_phieu-bao-cao"].split())
    assert "PHIẾU BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ" in form and "Cần sửa" in form


def test_same_inputs_same_bytes_and_a_refused_file_is_named_in_the_summary(sample, tmp_path):
    config, master, period, collection, agencies = sample
    follow = dataclasses.replace(agencies["CA"], refused_files=[("ca-cu.xlsx", "Phiếu của kỳ quý II năm 2022.")])
    a = write_problem_workbook(tmp_path / "a.xlsx", follow, period, config.plan_number, STAMP)
    b = write_problem_workbook(tmp_path / "b.xlsx", follow, period, config.plan_number, STAMP)
    assert a.read_bytes() == b.read_bytes()
    summary = {r[0]: r[1] for r in _rows(openpyxl.load_workbook(a)["Tóm tắt"])}
    assert summary["Phiếu bị loại cả tệp"] == "«ca-cu.xlsx»: Phiếu của kỳ quý II năm 2022."
    f1 = write_resend_form(tmp_path / "f1.xlsx", master, period, config, agencies["SCT"], collection, STAMP)
    f2 = write_resend_form(tmp_path / "f2.xlsx", master, period, config, agencies["SCT"], collection, STAMP)
    assert f1.read_bytes() == f2.read_bytes()


def test_a_refused_row_typed_as_a_formula_comes_back_as_text(sample, tmp_path):
    config, master, period, _, _ = sample
    folder = copy_sample(tmp_path)
    wb = openpyxl.load_workbook(folder / SCT_FILE)
    ws = wb[L.SHEET_REPORT]
    ws.cell(10, _col("results")).value = "=SUM(1;2) là kết quả"
    ws.cell(10, _col("results")).data_type = "s"
    wb.save(folder / SCT_FILE)
    collection, agencies = _follow_up(folder, config, master, period)
    assert [r.task_id for r in agencies["SCT"].rejected] == ["III.13"]
    path = write_resend_form(tmp_path / "f.xlsx", master, period, config, agencies["SCT"], collection, STAMP)
    cell = openpyxl.load_workbook(path)[L.SHEET_REPORT].cell(10, _col("results"))
    assert cell.value == "=SUM(1;2) là kết quả" and cell.data_type == "s"


def test_an_unreadable_source_file_leaves_the_refused_row_blank_but_marked(sample, tmp_path):
    config, master, period, collection, agencies = sample
    broken = tmp_path / SCT_FILE
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    files = [dataclasses.replace(f, path=broken) if f.name == SCT_FILE else f for f in collection.files]
    path = write_resend_form(tmp_path / "f.xlsx", master, period, config, agencies["SCT"],
                             dataclasses.replace(collection, files=files), STAMP)
    ws = openpyxl.load_workbook(path)[L.SHEET_REPORT]
    r12, r13 = _by_task(ws)["III.12"], _by_task(ws)["III.13"]
    assert ws.cell(r12, _col("progress")).value == 25                      # accepted values come from collect
    assert all(ws.cell(r13, _col(k)).value is None for k in L.INPUT_KEYS)
    assert ws.cell(r13, _col("progress")).fill.fgColor.rgb.endswith(RED)
    assert REASON_400 in ws.cell(r13, _col("progress")).comment.text
