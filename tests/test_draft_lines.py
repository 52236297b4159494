"""The draft's date line names the month the report goes out: the period's last month (FORMAT.md §4–5)."""
import pandas as pd
import pytest

from pipeline.collection.collect import ROW_COLUMNS
from pipeline.drafting.context import build_context
from pipeline.status.merge import merge
from pipeline.plan.periods import parse_period


@pytest.mark.parametrize("code, line", [
    ("2022-Q1", "Kiên Giang, ngày      tháng 3 năm 2022"),
    ("2022-Q2", "Kiên Giang, ngày      tháng 6 năm 2022"),
    ("2022-Q3", "Kiên Giang, ngày      tháng 9 năm 2022"),
    ("2022-Q4", "Kiên Giang, ngày      tháng 12 năm 2022"),
    ("2022-H1", "Kiên Giang, ngày      tháng 6 năm 2022"),
    ("2022-9M", "Kiên Giang, ngày      tháng 9 năm 2022"),
    ("2022", "Kiên Giang, ngày      tháng 12 năm 2022"),
])
def test_draft_date_line_per_period(config, master, code, line):
    period = parse_period(code)
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in ROW_COLUMNS})
    empty["completed_on"] = pd.to_datetime(empty["completed_on"])
    header = build_context(config, master, merge(master, period, empty, []))["header"]
    assert header["date_line"] == line
    assert header["number_line"] == "Số:      /BC-UBND"
