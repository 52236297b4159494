"""The generated agency workbooks, opened with openpyxl and checked cell by cell."""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from messy import (GENERATED, HOSTILE_CONTENT, PERIOD, PLAN_NUMBER, PLAN_REF, small_master, templates,
                   zip_member_text)
from pipeline.collection import sheet_layout as L
from pipeline.collection.agency_workbook import write_agency_workbooks
from pipeline.plan.config import load_config


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("phieu")
    return folder, templates(folder)


@pytest.fixture(scope="module")
def skhdt(out):
    return load_workbook(out[1]["SKHDT"])


def data_rows(ws):
    return [r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws[f"A{r}"].value]


def test_one_file_per_lead_agency_with_a_name_a_clerk_can_attach(out):
    folder, paths = out
    assert sorted(paths) == ["CA", "SKHDT", "SNN", "SYT"]          # STC leads nothing
    assert paths["SKHDT"].name == "2022-Q3_SKHDT_So-Ke-hoach-va-Dau-tu.xlsx"
    assert paths["SNN"].name == "2022-Q3_SNN_So-Nong-nghiep-va-Phat-trien-nong-thon.xlsx"
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths.values())  # no temp files left


def test_only_the_agencys_tasks_in_master_order(out):
    ca = load_workbook(out[1]["CA"])[L.SHEET_REPORT]
    assert [ca[f"A{r}"].value for r in data_rows(ca)] == ["I.2"]
    sk = load_workbook(out[1]["SKHDT"])[L.SHEET_REPORT]
    rows = data_rows(sk)
    assert [sk[f"A{r}"].value for r in rows] == ["I.1", "I.2", "II.1", "II.2"]
    r = rows[2]
    assert [sk[f"{c}{r}"].value for c in "BCD"] == [
        "Khẩn trương hoàn thành lập Quy hoạch tỉnh thời kỳ 2021 - 2030", "Tháng 9/2022",
        "Trình duyệt Hồ sơ quy hoạch tỉnh"]


def test_header_row_title_and_officer_block(skhdt):
    ws = skhdt[L.SHEET_REPORT]
    assert [ws.cell(L.HEADER_ROW, i + 1).value for i in range(len(L.COLUMNS))] == [
        "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Thời hạn", "Sản phẩm dự kiến", "Tình trạng", "Ngày hoàn thành",
        "Tiến độ (%)", "Kết quả thực hiện", "Số, ký hiệu văn bản / sản phẩm", "Khó khăn, vướng mắc",
        "Đề xuất, kiến nghị", "Kiến nghị với", "Bộ, ngành (nếu kiến nghị Trung ương)"]
    assert ws["A1"].value == "PHIẾU BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ"
    assert PLAN_REF in ws["A2"].value and "quý III năm 2022" in ws["A2"].value and "14/9/2022" in ws["A2"].value
    assert ws["A3"].value == "Cơ quan báo cáo: Sở Kế hoạch và Đầu tư"
    labels = {f.key: ws[f.label_cell].value for f in L.HEADER_FIELDS}
    assert labels["officer_name"] == "Họ và tên người báo cáo:" and labels["report_date"] == "Ngày báo cáo:"
    for f in L.HEADER_FIELDS:
        assert ws[f.value_cell].protection.locked is False
        assert ws[f.label_cell].protection.locked is True


def test_task_cells_locked_input_cells_unlocked_and_sheets_protected(skhdt):
    ws = skhdt[L.SHEET_REPORT]
    for r in data_rows(ws):
        for c in L.COLUMNS:
            assert ws[f"{c.letter}{r}"].protection.locked is c.locked, (c.title, r)
    assert ws.protection.sheet is True
    assert ws.protection.password is None            # protection against accidents, no secret
    assert ws.protection.insertRows is True and ws.protection.deleteRows is True   # both forbidden
    assert skhdt[L.SHEET_GUIDE].protection.sheet is True
    assert skhdt.security.lockStructure is True      # sheets cannot be renamed, deleted or unhidden


def _validation(ws, cell: str):
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, cell
    return found[0]


def test_data_validations_lists_bounds_and_vietnamese_messages(skhdt):
    ws = skhdt[L.SHEET_REPORT]
    first, last = data_rows(ws)[0], data_rows(ws)[-1]
    status = _validation(ws, f"E{first}")
    assert status.type == "list" and f"E{last}" in status.sqref
    assert status.formula1 == '"Đã hoàn thành,Đang thực hiện,Chưa thực hiện"'
    assert status.showErrorMessage and status.errorStyle == "stop"
    assert "Đã hoàn thành" in status.error and status.promptTitle == "Tình trạng"
    done_on = _validation(ws, f"F{first}")
    assert (done_on.type, done_on.operator, done_on.formula1) == ("date", "lessThanOrEqual", "DATE(2022,9,14)")
    assert "14/9/2022" in done_on.error and "ngày/tháng/năm" in done_on.prompt
    progress = _validation(ws, f"G{last}")
    assert (progress.type, progress.operator, progress.formula1, progress.formula2) == ("decimal", "between", "0", "100")
    assert "từ 0 đến 100" in progress.error
    report_date = _validation(ws, L.HEADER_BY_KEY["report_date"].value_cell)
    assert report_date.type == "date"
    # "Bộ, ngành Trung ương" holds a comma, so the list comes from cells of the hidden sheet.
    to = _validation(ws, f"L{first}")
    assert to.type == "list" and f"L{last}" in to.sqref and to.formula1 == "_meta!$D$1:$D$3"
    assert [skhdt[L.SHEET_META][f"D{i}"].value for i in (1, 2, 3)] == [
        "UBND tỉnh", "Thủ tướng Chính phủ", "Bộ, ngành Trung ương"]
    assert to.showErrorMessage and to.errorStyle == "stop" and "Bộ, ngành Trung ương" in to.error
    assert not [dv for dv in ws.data_validations.dataValidation if f"M{first}" in dv.sqref]   # free text
    for c in ("L", "M"):
        assert ws[f"{c}{first}"].protection.locked is False and ws[f"{c}{first}"].fill.fgColor.rgb == "00FFF9E5"
    for dv in (status, done_on, progress, report_date, to):
        assert len(dv.promptTitle) <= 32 and len(dv.errorTitle) <= 32 and len(dv.prompt) <= 255
    assert ws[f"F{first}"].number_format == "dd/mm/yyyy"


def test_meta_sheet_is_very_hidden_and_identifies_the_file(out, skhdt):
    ws = skhdt[L.SHEET_META]
    assert ws.sheet_state == "veryHidden"
    meta = {r[0].value: r[1].value for r in ws.iter_rows(max_col=2)}
    master = small_master()
    # The fingerprints as the rule defines them: SHA-256 over the cells, 0x1F after each cell, 0x1E after
    # each row (task rows: id, content, deadline as written, product; the plan: its number, then all task ids).
    def sha(rows):
        return hashlib.sha256(b"".join(b"".join(c.encode() + b"\x1f" for c in r) + b"\x1e" for r in rows)).hexdigest()
    skhdt_rows = [("I.1", "Cải thiện môi trường đầu tư kinh doanh", "Thường xuyên", ""),
                  ("I.2", "Củng cố quốc phòng, an ninh, giữ vững trật tự, an toàn xã hội", "Thường xuyên", ""),
                  ("II.1", "Khẩn trương hoàn thành lập Quy hoạch tỉnh thời kỳ 2021 - 2030", "Tháng 9/2022",
                   "Trình duyệt Hồ sơ quy hoạch tỉnh"),
                  ("II.2", HOSTILE_CONTENT, "Quý II/2022", "=1+1")]
    plan_ids = ["I.1", "I.2", "II.1", "II.2", "III.1", "III.2", "III.3", "III.4", "III.5"]
    assert meta == {
        "agency_code": "SKHDT", "period_code": "2022-Q3", "template_version": "2",
        "generated_at": "2022-09-01T08:00:00", "task_count": "4",
        "task_fingerprint": sha(skhdt_rows),
        "plan_number": PLAN_NUMBER, "plan_fingerprint": sha([[PLAN_NUMBER], plan_ids]),
    }
    assert meta["task_fingerprint"] != L.task_fingerprint(master.tasks_of("SNN"))
    assert [s.sheet_state for s in skhdt.worksheets[:2]] == ["visible", "visible"]


def test_times_new_roman_everywhere(out, skhdt):
    for ws in skhdt.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None or cell.protection.locked is False:
                    assert cell.font.name == "Times New Roman", (ws.title, cell.coordinate)
    styles = zip_member_text(out[1]["SKHDT"], "xl/styles.xml")
    assert "Calibri" not in styles      # the default font of empty and newly typed cells too


def test_layout_print_setup_and_frozen_header(skhdt):
    ws = skhdt[L.SHEET_REPORT]
    assert ws.freeze_panes == f"B{L.FIRST_DATA_ROW}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9     # A4
    # one page wide at 9 pt or more: a fixed scale, the 12 pt text at 75 % or more
    assert int(ws.page_setup.scale) * 12 / 100 >= 9
    assert ws.print_title_rows == f"${L.HEADER_ROW}:${L.HEADER_ROW}"
    assert ws.column_dimensions["B"].width >= 20 and ws.column_dimensions["H"].width >= 15
    r = data_rows(ws)[0]
    assert ws[f"B{r}"].alignment.wrap_text is True
    assert ws.row_dimensions[r].height >= 3 * 15     # room to type in


def test_text_starting_with_equals_stays_text(out, skhdt):
    ws = skhdt[L.SHEET_REPORT]
    r = next(r for r in data_rows(ws) if ws[f"A{r}"].value == "II.2")
    assert ws[f"B{r}"].value == HOSTILE_CONTENT and ws[f"B{r}"].data_type == "s"
    assert ws[f"D{r}"].value == "=1+1" and ws[f"D{r}"].data_type == "s"
    sheet_xml = zip_member_text(out[1]["SKHDT"], "xl/worksheets/sheet1.xml")
    assert "<f>" not in sheet_xml


def test_instructions_sheet_in_vietnamese_with_an_example_row(skhdt):
    ws = skhdt[L.SHEET_GUIDE]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for word in ("HƯỚNG DẪN", "Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện", "14/9/2022", PLAN_REF, ".xlsx"):
        assert word in text
    header = next(r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value == "Mã nhiệm vụ")
    example = {c.key: ws[f"{c.letter}{header + 1}"].value for c in L.COLUMNS}
    assert example["status"] == L.STATUS_DONE and example["progress"] == 100
    assert example["completed_on"].date() <= PERIOD.end and example["results"]
    assert example["proposals"] and example["proposal_to"] == "Bộ, ngành Trung ương"
    assert example["proposal_ministry"] == "Bộ Kế hoạch và Đầu tư"
    for word in ("Kiến nghị với", "UBND tỉnh", "Thủ tướng Chính phủ", "Bộ, ngành Trung ương"):
        assert word in text


def test_same_inputs_give_the_same_bytes(tmp_path):
    master = small_master()
    a = write_agency_workbooks(master, PERIOD, tmp_path / "a", GENERATED, plan_ref=PLAN_REF)
    b = write_agency_workbooks(master, PERIOD, tmp_path / "b", GENERATED, plan_ref=PLAN_REF)
    c = write_agency_workbooks(master, PERIOD, tmp_path / "c", datetime(2022, 9, 2, 8, 0), plan_ref=PLAN_REF)
    digest = [[hashlib.sha256(p.read_bytes()).hexdigest() for p in run] for run in (a, b, c)]
    assert digest[0] == digest[1]
    assert digest[0] != digest[2]
    props = load_workbook(a[0]).properties
    assert props.created == props.modified == GENERATED


def test_plan_reference_comes_from_the_configuration(tmp_path):
    from tests.conftest import CONFIG
    config = load_config(CONFIG)
    paths = write_agency_workbooks(small_master(), PERIOD, tmp_path, GENERATED, config=config, codes=["SYT"])
    assert [p.name for p in paths] == ["2022-Q3_SYT_So-Y-te.xlsx"]
    line = load_workbook(paths[0])[L.SHEET_REPORT]["A2"].value
    assert line.startswith(f"Kế hoạch số {config.plan_number} ngày 09/5/2022 của {config.issuer_name}")
