"""Smaller hostile cases read by collect() alone: look-alike letters, long locked texts, huge files."""
from __future__ import annotations

from datetime import date

import pytest

from messy import PERIOD, edit, header, ongoing, small_master, templates
from pipeline.collection import sheet_layout as L
from bench.data import fill_workbook
from pipeline.collection.collect import MAX_PROBLEMS_PER_FILE, collect, display_name
from pipeline.errors import ERROR
from pipeline.text.textsafe import make_safe

TODAY = date(2022, 9, 20)
ANSWERED = {"I.2": ongoing(), "II.1": ongoing(), "II.2": ongoing()}


def _one(tmp_path, answers, change=None):
    blank = templates(tmp_path / "phieu")
    path = fill_workbook(blank["SKHDT"], tmp_path / "inbox" / "phieu.xlsx", header(date(2022, 9, 12)), answers)
    if change:
        edit(path, change)
    return collect(tmp_path / "inbox", small_master(), PERIOD, today=TODAY)


@pytest.mark.parametrize("typed, status", [
    ("\u00d0ã hoàn thành", L.STATUS_DONE),         # Ð (eth) instead of Đ
    ("\u00d0ang thực hiện", L.STATUS_ONGOING),
    ("\u0110ang th\u1ef1c hi\u1ec7n", L.STATUS_ONGOING),
])
def test_status_typed_with_a_look_alike_d_is_accepted(tmp_path, typed, status):
    answer = {"status": typed, "progress": 100 if status == L.STATUS_DONE else 50, "completed_on": date(2022, 9, 1)
              if status == L.STATUS_DONE else None, "results": "Đã làm."}
    result = _one(tmp_path, {**ANSWERED, "I.1": answer})
    assert result.rows.set_index("task_id").loc["I.1", "status"] == status
    assert not [p for p in result.problems if p.severity == ERROR]


def test_a_locked_cell_changed_at_the_end_of_a_long_text_shows_the_difference(tmp_path):
    content = "Khẩn trương hoàn thành lập Quy hoạch tỉnh thời kỳ 2021 - 2030"     # II.1, 62 characters
    def change(wb):
        ws = wb[L.SHEET_REPORT]
        r = next(r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws[f"A{r}"].value == "II.1")
        ws[f"B{r}"] = content[:-4] + "2035"
    result = _one(tmp_path, {"I.1": ongoing(), **ANSWERED}, change)
    [p] = [p for p in result.problems if p.column == "Nội dung nhiệm vụ"]
    assert p.severity == ERROR
    # the snippets start 20 characters before the first difference, so they differ where the text does
    assert "(«…h thời kỳ 2021 - 2035» thay vì «…h thời kỳ 2021 - 2030»)" in p.message


def test_a_file_with_50000_malformed_rows_gives_a_capped_list_with_a_count(tmp_path):
    def flood(wb):
        ws = wb[L.SHEET_REPORT]
        for i in range(50_000):
            r = L.FIRST_DATA_ROW + 4 + i
            ws[f"A{r}"] = f"X.{i}"
            ws[f"E{r}"] = "không rõ"
    result = _one(tmp_path, {"I.1": ongoing(), **ANSWERED}, flood)
    mine = [p for p in result.problems if p.file == "phieu.xlsx"]
    assert len(mine) == MAX_PROBLEMS_PER_FILE + 1 == 201
    last = mine[-1]
    assert last.message == ("Tệp còn 49.800 vấn đề khác không liệt kê (chỉ liệt kê 200 vấn đề đầu tiên của mỗi tệp; "
                            "tổng cộng 50.000). Đề nghị cơ quan kiểm tra lại cả phiếu.")
    assert last.severity == ERROR and last.agency == "SKHDT"
    assert result.rows_rejected == 50_000 and result.rows_accepted == 4
    assert result.rows_read == result.rows_accepted + result.rows_rejected


def test_display_name_of_a_name_that_is_not_utf8():
    import os
    assert display_name(os.fsdecode(b"B\xe1o c\xe1o.xlsx")) == "B\\xe1o c\\xe1o.xlsx"
    assert display_name("Báo cáo.xlsx") == "Báo cáo.xlsx"


@pytest.mark.parametrize("text, safe, notes", [
    ("Bình thường", "Bình thường", 0),
    ("a\x01b\x07c", "abc", 1),
    ("\uf0b7 mục", "• mục", 1),
    ("➢ ✓ ① 30℃", "➢ ✓ ① 30℃", 0),                 # kept: the declared fallback font has them
    ("chữ \U0001F9D1\U0001F4BB", "chữ [ký hiệu][ký hiệu]", 1),  # no declared font has these
    ("x" * 50, "x" * 20 + "\u200b" + "x" * 20 + "\u200b" + "x" * 10, 1),
    ("x" * 20 + " " + "y" * 20, "x" * 20 + " " + "y" * 20, 0),      # 20 is still one piece
    ("Công văn số 2341/SNNPTNT-TS ngày 15/7/2022", "Công văn số 2341/SNNPTNT-TS ngày 15/7/2022", 0),
    ("https://dichvucong.kiengiang.gov.vn/tai-lieu", "https://dichvucong.kiengiang.gov.vn/tai-lieu", 0),
])
def test_make_safe(text, safe, notes):
    got, found = make_safe(text)
    assert got == safe and len(found) == notes
