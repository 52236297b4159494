"""Percentages as Excel and LibreOffice store them: a typed «80%» is the number 0.8 in a cell whose number
format has a «%» (Excel: built-in format 9 «0%», 10 «0.00%»; LibreOffice: its own «0.00%»). Such a
cell means value × 100; the same number in a plain-number cell means itself."""
from __future__ import annotations

import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bench.data import fill_workbook
from messy import PERIOD, done, header, ongoing, report_row, small_master, templates
from pipeline.collection import sheet_layout as L
from pipeline.collection.cell_formats import percent_rows, scales_by_100
from pipeline.collection.collect import collect

TODAY = date(2022, 9, 20)
PROGRESS = L.COLUMN_BY_KEY["progress"].letter


def _form(tmp_path: Path, code: str, answers: dict, cells: dict[str, tuple[object, str]], name: str) -> Path:
    """A filled form whose progress cells are then typed as `cells`: task -> (value, number format)."""
    blank = templates(tmp_path / "phieu")[code]
    path = fill_workbook(blank, tmp_path / "inbox" / name, header(date(2022, 9, 12)), answers)
    rows = {task: report_row(path, task) for task in cells}
    wb = load_workbook(path)
    ws = wb[L.SHEET_REPORT]
    for task, (value, number_format) in cells.items():
        cell = ws[f"{PROGRESS}{rows[task]}"]
        cell.value = value
        if number_format:
            cell.number_format = number_format
    wb.save(path)
    return path


def _progress(result) -> dict[str, float]:
    return dict(zip(result.rows["task_id"], result.rows["progress"]))


def _progress_problems(result) -> list[str]:
    return [p.message for p in result.problems if p.column == L.COLUMN_BY_KEY["progress"].title]


def test_excel_percent_cells_are_read_as_they_show(tmp_path):
    _form(tmp_path, "SKHDT", {"I.1": ongoing(), "I.2": ongoing(), "II.1": done(date(2022, 8, 12)), "II.2": ongoing()},
          {"I.1": (0.8, "0%"),          # typed «80%»
           "I.2": (1, None),            # typed 1 in the form's plain-number cell («0.##»)
           "II.1": (1, "0%"),           # typed «100%»
           "II.2": (0.125, "0.00%")},   # typed «12,50%»
          "skhdt.xlsx")
    _form(tmp_path, "SNN", {"III.1": done(date(2022, 6, 20)), "III.2": ongoing(), "III.3": ongoing(),
                            "III.4": done(date(2022, 8, 1))},
          {"III.1": ("100 %", "@"),     # typed as text, with a space
           "III.2": (80, '0"%"'),       # a literal sign: the cell shows 80%, the value is 80
           "III.3": (0.8, None),        # typed 0.8 in a plain-number cell: read as a fraction, with a warning
           "III.4": ("100%", None)},    # text «100%»
          "snn.xlsx")
    result = collect(tmp_path / "inbox", small_master(), PERIOD, today=TODAY)
    assert _progress(result) == {"I.1": 80, "I.2": 1, "II.1": 100, "II.2": 12.5,
                                 "III.1": 100, "III.2": 80, "III.3": 80, "III.4": 100}
    assert _progress_problems(result) == ["Tiến độ «0,8» được hiểu là 80%."]
    assert not result.rejected.shape[0]


def test_a_percent_cell_out_of_range_is_named_as_it_shows(tmp_path):
    path = _form(tmp_path, "SKHDT", {"I.1": ongoing(), "I.2": ongoing(), "II.1": ongoing(), "II.2": ongoing()},
                 {"I.1": (4, "0%")}, "skhdt.xlsx")
    result = collect(tmp_path / "inbox", small_master(), PERIOD, today=TODAY)
    assert "Tiến độ «400%» nằm ngoài khoảng 0–100." in _progress_problems(result)
    assert list(result.rejected["task_id"]) == ["I.1"] and path.exists()


def test_which_formats_scale_by_100():
    assert all(map(scales_by_100, ["0%", "0.00%", "#,##0.0%", "0%;[Red]-0%", "[$-42A]0%"]))
    assert not any(map(scales_by_100, ["General", "0.##", '0"%"', "0\\%", "@", "[Red]0"]))


@pytest.mark.slow
def test_a_percentage_typed_in_libreoffice_is_read_as_it_shows(tmp_path):
    """LibreOffice's own format for a typed percentage (read back from a CSV it imported as typed input),
    in a form then saved by LibreOffice itself."""
    profile = tmp_path / "lo-profile"
    typed = tmp_path / "go.csv"
    typed.write_text("80%\n100%\n", encoding="utf-8")
    _soffice(profile, "--infilter=CSV:44,34,76,1,,1033,false,true", "--convert-to", "xlsx", "--outdir",
             str(tmp_path / "go"), str(typed))
    ws = load_workbook(tmp_path / "go" / "go.xlsx")["go"]
    assert [ws["A1"].value, ws["A2"].value] == [0.8, 1]
    lo_format = ws["A1"].number_format
    assert "%" in lo_format and lo_format == ws["A2"].number_format

    _form(tmp_path, "SKHDT", {"I.1": ongoing(), "I.2": ongoing(), "II.1": done(date(2022, 8, 12)), "II.2": ongoing()},
          {"I.1": (0.8, lo_format), "II.1": (1, lo_format), "I.2": (1, None)}, "phieu.xlsx")
    saved = tmp_path / "saved"
    _soffice(profile, "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved),
             str(tmp_path / "inbox" / "phieu.xlsx"))
    styles = zipfile.ZipFile(saved / "phieu.xlsx").read("xl/styles.xml").decode()
    assert f'formatCode="{lo_format}"' in styles          # written by LibreOffice, as LibreOffice writes it
    data = (saved / "phieu.xlsx").read_bytes()
    assert len(percent_rows(data, L.SHEET_REPORT, PROGRESS)) == 2
    result = collect(saved, small_master(), PERIOD, today=TODAY)
    assert [f.outcome for f in result.files] == ["accepted"], [p.message for p in result.problems]
    progress = _progress(result)
    assert (progress["I.1"], progress["II.1"], progress["I.2"]) == (80, 100, 1)


def _soffice(profile: Path, *args: str) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", *args],
                   check=True, capture_output=True, timeout=180)
