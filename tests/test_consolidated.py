from datetime import datetime

import openpyxl
import pandas as pd

from pipeline.documents.consolidated import STATUS_FILLS, write_consolidated
from pipeline.drafting.figures import report_charts
from pipeline.errors import Problem
from pipeline.status.merge import DONE_LATE, merge
from pipeline.plan.periods import parse_period


def test_agency_text_is_stored_as_text_never_as_a_formula(master, tmp_path):
    evil = '=HYPERLINK("http://x.invalid","bấm vào đây")'
    rows = pd.DataFrame([{
        "agency": "SKHDT", "task_id": "II.7", "status": "Đã hoàn thành", "completed_on": pd.Timestamp("2022-07-05"),
        "progress": 100.0, "results": evil, "output_doc": "=1+1", "difficulties": "@SUM(A1)", "proposals": "+33",
    }])
    merged = merge(master, parse_period("2022-Q3"), rows, ["SKHDT"])
    problems = [Problem("x.xlsx", "=cmd|' /C calc'!A0", sheet="Báo cáo", row=9, column="Kết quả")]
    path = write_consolidated(tmp_path / "tong-hop.xlsx", master, merged, problems, [], datetime(2022, 9, 25))

    wb = openpyxl.load_workbook(path)
    ws = wb["Tổng hợp"]
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "II.7")
    assert row[7].value == evil and row[7].data_type == "s"
    assert row[8].value == "=1+1" and row[8].data_type == "s"
    assert row[5].value == "Đã hoàn thành quá hạn"
    assert row[5].fill.fgColor.rgb.endswith(STATUS_FILLS[DONE_LATE])
    assert row[6].value == datetime(2022, 7, 5)
    cell = wb["Vấn đề"]["G4"]
    assert cell.value.startswith("=cmd") and cell.data_type == "s"
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"


def test_same_content_same_bytes(master, tmp_path):
    merged = merge(master, parse_period("2022-Q3"), pd.DataFrame(), [])
    a = write_consolidated(tmp_path / "a.xlsx", master, merged, [], [], datetime(2022, 9, 25))
    b = write_consolidated(tmp_path / "b.xlsx", master, merged, [], [], datetime(2022, 9, 25))
    assert a.read_bytes() == b.read_bytes()


# --------------------------------------------------------------------------- print and counts
import re  # noqa: E402
import subprocess  # noqa: E402

import pytest  # noqa: E402

from pipeline.documents.consolidated import format_sheet  # noqa: E402
from pipeline.status.merge import NOT_REPORTED, STATUS_LABELS  # noqa: E402

SHEETS = ["Tổng hợp", "Theo phần", "Theo cơ quan", "Kiến nghị với UBND tỉnh", "Sắp đến hạn", "Biểu đồ", "Vấn đề", "Tệp đã đọc"]


@pytest.fixture(scope="module")
def shared_task_book(tmp_path_factory):
    """One lead of a task led by three agencies reports; the other two send nothing."""
    from pipeline.plan.master import load_master
    from tests.conftest import MASTER
    master = load_master(MASTER)
    shared = next(t for t in master.tasks if len(t.lead_codes) >= 2)
    first = shared.lead_codes[0]
    rows = pd.DataFrame([{
        "agency": first, "task_id": shared.id, "status": "Đang thực hiện", "completed_on": pd.NaT,
        "progress": 50.0, "results": "Dòng một\nDòng hai\nDòng ba\nDòng bốn", "output_doc": "",
        "difficulties": "", "proposals": ""}])
    merged = merge(master, parse_period("2022-Q3"), rows, [first])
    files = [{"path": "a.xlsx", "agency": first, "outcome": "accepted", "reason": "", "sha256": "0" * 64},
             {"path": "b.xlsx", "agency": first, "outcome": "superseded", "reason": "cũ", "sha256": "1" * 64},
             {"path": "c.xlsx", "agency": "", "outcome": "rejected", "reason": "hỏng", "sha256": "2" * 64}]
    path = write_consolidated(tmp_path_factory.mktemp("wb") / "tong-hop.xlsx", master, merged, [], files,
                              datetime(2022, 9, 25), report_charts(master, merged, None))
    return master, shared, path


def _row(ws, first_value):
    return next([c.value for c in r] for r in ws.iter_rows(min_row=4) if r[0].value == first_value)


def test_every_sheet_prints_a4_landscape_at_9_pt_or_more(shared_task_book):
    _, _, path = shared_task_book
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEETS
    for ws in wb:
        ps = ws.page_setup
        assert ps.orientation == "landscape" and int(ps.paperSize) == 9, ws.title   # 9 = A4
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ps.scale is not None and int(ps.scale) * 11 / 100 >= 9, ws.title    # 11 pt text
        assert ws.print_title_rows == "$3:$3", ws.title
        assert "&P" in ws.oddFooter.center.text, ws.title
        assert ws.page_margins.left == pytest.approx(10 / 25.4)
        for r in range(4, ws.max_row + 1):
            assert ws.cell(row=r, column=1).font.sz == 11


def test_row_heights_follow_the_text(shared_task_book):
    _, shared, path = shared_task_book
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        for r in range(3, ws.max_row + 1):
            height = ws.row_dimensions[r].height
            values = [c.value for c in ws[r] if c.value is not None]
            if not values:       # the gap between two tables of «Biểu đồ»
                continue
            assert height is not None and height >= 11, (ws.title, r)
            lines = max(str(v).count("\n") + 1 for v in values)
            assert height >= lines * 11, (ws.title, r)
    ws = wb["Tổng hợp"]
    r = next(c.row for c in ws["A"] if c.value == shared.id)
    assert ws.row_dimensions[r].height >= 4 * 11              # four result lines
    header = ws.row_dimensions[3].height
    assert header >= 2 * 11                                   # "Ngày hoàn thành" wraps


def test_silent_agency_counts_its_tasks_as_not_reported(shared_task_book):
    master, shared, path = shared_task_book
    ws = openpyxl.load_workbook(path)["Theo cơ quan"]
    header = [c.value for c in ws[3]]
    col = {name: i for i, name in enumerate(header)}
    first, silent = shared.lead_codes[0], shared.lead_codes[1]
    row = _row(ws, silent)
    n_tasks = len(master.tasks_of(silent))
    assert row[col["Báo cáo"]] == "Chưa báo cáo"
    assert row[col[STATUS_LABELS[NOT_REPORTED]]] == n_tasks == row[col["Tổng số"]]
    others = [s for s in STATUS_LABELS.values() if s != STATUS_LABELS[NOT_REPORTED]]
    assert all(row[col[s]] == 0 for s in others)
    reported = _row(ws, first)
    assert reported[col["Báo cáo"]] == "Đã báo cáo"


def test_total_rows_and_rate_where_nothing_is_due(shared_task_book):
    master, shared, path = shared_task_book
    wb = openpyxl.load_workbook(path)
    for name, first_count in (("Theo phần", 2), ("Theo cơ quan", 3)):
        ws = wb[name]
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
        body, total = rows[:-1], rows[-1]
        assert str(total[1]).startswith("Tổng cộng")
        for j in range(first_count, first_count + len(STATUS_LABELS) + 1):   # each status and the total
            assert total[j] == sum(r[j] for r in body), (name, j)
    # Theo phần: every task once
    header = [c.value for c in wb["Theo phần"][3]]
    total_tasks = [[c.value for c in r] for r in wb["Theo phần"].iter_rows(min_row=4)][-1][header.index("Tổng số")]
    assert total_tasks == len(master.tasks)
    # An agency whose tasks are all recurring has no completion rate, not 0 %.
    ws = wb["Theo cơ quan"]
    recurring_only = [code for code in master.lead_codes()
                      if all(t.deadline.due is None for t in master.tasks_of(code))]
    assert recurring_only, "the sample plan has such agencies"
    assert _row(ws, recurring_only[0])[-1] == "không áp dụng"


def test_file_outcomes_in_vietnamese(shared_task_book):
    _, _, path = shared_task_book
    ws = openpyxl.load_workbook(path)["Tệp đã đọc"]
    assert [ws.cell(row=r, column=3).value for r in (4, 5, 6)] == ["Được dùng", "Bị thay thế", "Bị loại"]


def test_format_sheet_lays_out_a_new_sheet(tmp_path):
    """What the lead calls for a sheet added later (e.g. «Kiến nghị với UBND tỉnh»)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 20
    ws["A3"] = "Tiêu đề"
    ws["A4"] = "một hai ba bốn năm sáu bảy tám chín mười " * 6
    ws["A4"].alignment = openpyxl.styles.Alignment(wrap_text=True)
    format_sheet(ws)
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    assert ws.row_dimensions[4].height > 3 * ws.row_dimensions[3].height


@pytest.mark.slow
def test_libreoffice_prints_the_workbook_at_9_pt_or_more(shared_task_book, tmp_path):
    _, _, path = shared_task_book
    # Reference: one cell of 9 pt Times New Roman printed at 100 %.
    ref = openpyxl.Workbook()
    ref.active["A1"] = "Tham chiếu chín"
    ref.active["A1"].font = openpyxl.styles.Font(name="Times New Roman", size=9)
    ref.save(tmp_path / "ref.xlsx")
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(path), str(tmp_path / "ref.xlsx")],
                   check=True, capture_output=True, timeout=600)

    def heights(pdf):
        out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
        return [float(b) - float(a) for a, b in
                re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out)]

    nine = min(heights(tmp_path / "ref.pdf"))
    printed = heights(tmp_path / "tong-hop.pdf")
    assert len(printed) > 500
    assert min(printed) >= nine - 0.05
