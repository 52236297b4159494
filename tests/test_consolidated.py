from datetime import datetime

import openpyxl
import pandas as pd

from pipeline.consolidated import STATUS_FILLS, write_consolidated
from pipeline.errors import Problem
from pipeline.merge import DONE_LATE, merge
from pipeline.periods import parse_period


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
