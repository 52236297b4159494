"""Every visible sheet of every workbook the tool writes, printed alone through LibreOffice Calc:
text of 8 pt or more on every page, no page blank but for a tail, the key column on every page,
every cell's words on paper and no line cut by its row (issue 19, DESIGN.md: one print policy)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import CONFIG, copy_sample
from tests.sheetprint import (cell_tokens, clipped_lines, key_values, missing_words, pages_without,
                              print_sheets)

from pipeline.text.print_policy import percent_text, wrapped_lines


def _run(*args, cwd):
    done = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(CONFIG), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The report run, the don-doc run and next period's forms on a copy of the sample; the registry
    template from the plan import; one of each kind of workbook printed sheet by sheet."""
    base = tmp_path_factory.mktemp("print")
    folder = copy_sample(base / "in")
    out = base / "out"
    _run("report", "--period", "2022-Q3", "--input", str(folder), "--output", str(out), cwd=base)
    _run("don-doc", "--period", "2022-Q3", "--input", str(folder), "--output", str(out), cwd=base)
    _run("templates", "--period", "2022-Q4", "--output", str(out), cwd=base)

    from tests.plan_docx import build_plan_docx

    from pipeline.plan.master import load_corrections, load_registry
    from pipeline.plan.plan_import import import_plan, write_master
    from tests.conftest import MASTER
    registry = load_registry(MASTER)
    corrections = load_corrections(MASTER)
    plan = build_plan_docx(base / "ke-hoach.docx")
    write_master(import_plan(plan, registry, corrections), registry, corrections, base / "nhiem-vu-moi.xlsx")

    q3 = out / "2022-Q3"
    refill = sorted((q3 / "don-doc").glob("*_phieu-bao-cao.xlsx"))[0]
    problems = sorted((q3 / "don-doc").glob("*_van-de.xlsx"))[0]
    carried = sorted((out / "2022-Q4" / "phieu").glob("*.xlsx"))
    carried = max(carried, key=lambda p: p.stat().st_size)   # the agency with the most tasks
    books = [q3 / "tong-hop.xlsx", q3 / "bien-tap.xlsx", refill, problems, carried, base / "nhiem-vu-moi.xlsx"]
    return books, print_sheets(books, base / "pdf")


def _first_data_row(ws) -> int:
    titles = ws.print_title_rows
    if titles:
        return int(titles.split(":")[-1].strip("$")) + 1
    return 1


def test_every_visible_sheet_of_every_workbook_prints_fit_to_file(printed):
    books, sheets = printed
    assert {b.name for b in books} == {book for book, _ in sheets}
    failures, report = [], []
    for (book, sheet), ps in sheets.items():
        ws = openpyxl.load_workbook(ps.workbook)[sheet]
        report.append(f"{book} / {sheet}: {len(ps.pages)} trang, chữ nhỏ nhất {ps.smallest():.1f} pt")
        if ps.smallest() < 8:
            failures.append(f"{book} / {sheet}: text of {ps.smallest():.1f} pt")
        keys = key_values(ps.workbook, sheet, _first_data_row(ws))
        if keys:
            empty = pages_without(ps, keys)
            if empty:
                failures.append(f"{book} / {sheet}: pages {empty} hold no value of the key column")
        missing = missing_words(cell_tokens(ps.workbook, sheet), ps.words())
        if missing:
            failures.append(f"{book} / {sheet}: not printed {missing[:5]}")
        cut = clipped_lines(ps.pdf)
        if cut:
            failures.append(f"{book} / {sheet}: cut {cut[:3]}")
    print("\n".join(report))
    assert not failures, "\n".join(failures)


def test_the_forms_print_landscape_at_9_pt_or_more(printed):
    _, sheets = printed
    for (book, sheet), ps in sheets.items():
        if book.endswith("phieu-bao-cao.xlsx") or book.startswith("2022-Q4_"):
            assert all(p.landscape for p in ps.pages), (book, sheet)
            assert ps.smallest() >= 8.9, (book, sheet, ps.smallest())


def test_bien_tap_prints_text_edit_and_points_side_by_side(printed):
    books, sheets = printed
    ps = sheets[("bien-tap.xlsx", "Biên tập")]
    assert all(p.landscape for p in ps.pages)
    for page in ps.pages:     # every page carries the three column heads: one page wide
        words = {w["text"] for w in page.words}
        assert {"tự", "biên", "Điểm"} <= words


def test_rates_print_with_a_decimal_comma_whatever_the_locale(printed):
    books, sheets = printed
    ws = openpyxl.load_workbook(books[0])["Theo cơ quan"]
    col = [c.value for c in ws[3]].index("Tỷ lệ hoàn thành (trên số nhiệm vụ có thời hạn)") + 1
    rates = [ws.cell(r, col).value for r in range(4, ws.max_row + 1)]
    assert rates and all(isinstance(v, str) for v in rates)     # a number format's "." would be the viewer's locale
    assert percent_text(1 / 3) == "33,3%" and percent_text(7 / 8) == "87,5%" and percent_text(1.0) == "100%"


def test_wrapped_lines_counts_with_the_fonts_metrics():
    # «Quốc hội» at 11 pt is about 40 pt wide: two words on one line at 50 pt, on two at 30 pt
    assert wrapped_lines("Quốc hội", 50, 11) == 1
    assert wrapped_lines("Quốc hội", 30, 11) == 2
    assert wrapped_lines("a\nb", 100, 11) == 2
