"""One agency's hostile or careless file never stops the report for the others (issue 8).

The real report (pipeline.report.build_report, with PDF) runs on a copy of the sample input to which
the hostile files are added, generated here. Each case must become a problem entry naming file,
sheet, row and column, with the text made safe.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pikepdf
import pytest

from pipeline.collection import sheet_layout as L
from pipeline.collection.agency_workbook import write_agency_workbooks
from bench.data import fill_workbook
from pipeline.plan.config import load_config
from pipeline.plan.master import load_master
from pipeline.plan.periods import parse_period
from pipeline.report import build_report
from tests.conftest import CONFIG, ROOT

SAMPLE = ROOT / "input" / "2022-Q3"
SYMBOLS = "➢ Đã triển khai ✓ xong ① đợt đầu, nhiệt độ 30℃ 😀"
BULLET = "\uf0b7 Tổ chức kiểm tra"
LONG_WORD = "QuyhoachtinhKienGiang" * 12      # 252 letters, not a single break opportunity
RAW_NAME = b"B\xe1o c\xe1o SKHCN.xlsx"        # cp1252 bytes, as unzipping a Windows archive leaves them
CTRL = "CTRLMARK"


def _patch(path: Path, old: bytes, new: bytes) -> None:
    """Replace bytes inside the zip members (to put what openpyxl refuses to write: control characters)."""
    zin = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename).replace(old, new))
    path.write_bytes(out.getvalue())


def _header(when):
    return {"officer_name": "Người thử", "officer_title": "Chuyên viên", "officer_phone": "0297", "report_date": when}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    inbox = tmp / "2022-Q3"
    shutil.copytree(SAMPLE, inbox)
    config = load_config(CONFIG)
    master = load_master(config.master_path)
    period = parse_period("2022-Q3")
    blanks = {p.name.split("_")[1]: p for p in
              write_agency_workbooks(master, period, tmp / "phieu", datetime(2022, 9, 1, 8, 0), config=config)}
    other = {p.name.split("_")[1]: p for p in
             write_agency_workbooks(master, period, tmp / "khac", datetime(2022, 9, 2, 8, 0), config=config,
                                    plan_number="45/KH-UBND")}
    # SYT (silent in the sample) sends text full of symbols, control characters, a huge cell, a long word.
    syt = fill_workbook(blanks["SYT"], inbox / "SYT.xlsx", _header(date(2022, 9, 12)), {"I.4": {
        "status": L.STATUS_ONGOING, "progress": 60, "results": SYMBOLS + " " + BULLET,
        "output_doc": LONG_WORD, "difficulties": f"Thiếu nhân lực{CTRL}y tế.",
        "proposals": "Đề nghị hỗ trợ. HUGEMARK",
        "proposal_to": L.PROPOSAL_TO_PM}})
    _patch(syt, CTRL.encode(), b"_x0001__x0007_")
    # A crafted cell of millions of characters (Excel itself stops at 32,767; a crafted file does not).
    _patch(syt, b"HUGEMARK", ("Nội dung lặp lại rất dài. " * 80_000).encode())
    # SKHCN's genuine file, under a name that is not UTF-8.
    genuine = next(inbox.glob("*_SKHCN_*.xlsx"))
    os.rename(genuine, os.path.join(os.fsencode(inbox), RAW_NAME))
    # SKHDT: a form of another plan, dated later than the genuine one.
    fill_workbook(other["SKHDT"], inbox / "SKHDT-ke-hoach-khac.xlsx", _header(date(2022, 9, 13)),
                  {"I.3": {"status": L.STATUS_DONE, "completed_on": date(2022, 9, 1), "progress": 100,
                           "results": "Sai kế hoạch."}})
    # SKHDT: an old, thin form whose report date was typed 10/9/2202.
    fill_workbook(blanks["SKHDT"], inbox / "SKHDT-ngay-sai.xlsx", _header(date(2202, 9, 10)),
                  {"I.3": {"status": L.STATUS_ONGOING, "progress": 5, "results": "Bản cũ."}})
    # CA (silent): a generated form sent back without filling anything.
    shutil.copy(blanks["CA"], inbox / "CA-trong.xlsx")
    out = tmp / "output"
    result = build_report(CONFIG, "2022-Q3", out, input_dir=inbox)
    return result, inbox


def _problems(result, file):
    return [p for p in result.problems if p.file == file]


def test_the_report_is_built_for_everyone(run):
    result, _ = run
    for key in ("docx", "pdf", "workbook", "problems", "manifest", "context"):
        assert result.outputs[key].is_file(), key
    assert result.merged is not None


def test_symbols_are_kept_through_the_declared_fallback_or_replaced_visibly(run):
    result, _ = run
    rows = [p for p in _problems(result, "SYT.xlsx") if p.column == "Kết quả thực hiện"]
    assert rows and all(p.sheet == "Báo cáo" and p.row == L.FIRST_DATA_ROW and p.agency == "SYT" for p in rows)
    assert [p.message for p in rows] == ["Ký tự của phông Symbol/Wingdings (U+F0B7) đã được thay bằng «•»."]
    context = json.loads(result.outputs["context"].read_text(encoding="utf-8"))
    text = json.dumps(context, ensure_ascii=False)
    assert "➢ Đã triển khai ✓ xong ① đợt đầu, nhiệt độ 30℃ 😀 • Tổ chức kiểm tra" in text
    pdf_text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(result.outputs["pdf"]), "-"],
                              capture_output=True, text=True, check=True).stdout
    for ch in "➢✓①℃":
        assert ch in pdf_text
    from docx import Document
    doc = Document(str(result.outputs["docx"]))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any("➢ Đã triển khai ✓ xong ① đợt đầu, nhiệt độ 30℃ 😀 • Tổ chức kiểm tra" in c for c in cells)


def test_only_liberation_serif_and_the_declared_fallback_are_embedded(run):
    result, _ = run
    families, programs = set(), 0
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        for page in pdf.pages:
            for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor                       # embedded
                families.add(str(descriptor.FontFamily))
                programs += 1
    assert families == {"Liberation Serif", "DejaVu Sans"} and programs >= 2
    fonts = subprocess.run(["pdffonts", str(result.outputs["pdf"])], capture_output=True, text=True,
                           check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert names <= {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic",
                     "LiberationSerif-BoldItalic", "DejaVuSans"} and "DejaVuSans" in names


def test_control_characters_dropped_huge_cell_capped_long_word_breakable(run):
    result, _ = run
    found = {(p.column, p.message) for p in _problems(result, "SYT.xlsx") if p.row == L.FIRST_DATA_ROW}
    assert ("Khó khăn, vướng mắc", "Đã bỏ ký tự điều khiển không in được (U+0001, U+0007).") in found
    assert any(c == "Đề xuất, kiến nghị" and m.startswith("Ô dài 2.080.015 ký tự, vượt giới hạn 5.000 ký tự")
               for c, m in found)
    assert ("Số, ký hiệu văn bản / sản phẩm",
            "Có chuỗi chữ, số dài hơn 20 ký tự liền nhau; đã cho phép xuống dòng giữa chuỗi để không tràn khỏi ô "
            "bảng.") in found
    context = result.outputs["context"].read_text(encoding="utf-8")
    assert "thiếu nhân lựcy tế" in context.lower() and "\\u0001" not in context
    assert LONG_WORD[:20] + "\u200b" + LONG_WORD[20:40] + "\u200b" in context
    assert "[đã cắt bớt: ô gốc dài 2.080.015 ký tự]" in context
    assert result.outputs["pdf"].stat().st_size < 2_000_000


def test_a_file_name_that_is_not_utf8_is_read_and_shown_safely(run):
    result, inbox = run
    shown = "B\\xe1o c\\xe1o SKHCN.xlsx"
    [warn] = [p for p in result.problems if p.file == shown and "Tên tệp" in p.message]
    assert "\\xNN" in warn.message
    files = {f["agency"]: f for f in result.files}
    assert files["SKHCN"]["outcome"] == "accepted"
    van_de = result.outputs["problems"].read_text(encoding="utf-8")
    assert shown in van_de
    manifest = json.loads(result.outputs["manifest"].read_text(encoding="utf-8"))
    assert any("\\xe1o" in r["path"] or "\ufffd" in r["path"] for r in manifest["inputs"] if r["agency"] == "SKHCN")
    wb = openpyxl.load_workbook(result.outputs["workbook"], read_only=True)
    cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any(shown in c for c in cells)


def test_a_form_for_another_plan_loses_and_an_implausible_date_does_not_decide(run):
    result, _ = run
    files = {Path(f["path"]).name: f for f in result.files}
    assert files["SKHDT-ke-hoach-khac.xlsx"]["outcome"] == "rejected"
    assert files["SKHDT-ke-hoach-khac.xlsx"]["reason"].startswith(
        "Phiếu được tạo cho kế hoạch «45/KH-UBND», không phải Kế hoạch số 112/KH-UBND đang tổng hợp")
    assert files["2022-Q3_SKHDT_So-Ke-hoach-va-Dau-tu_lan-2.xlsx"]["outcome"] == "accepted"
    assert files["SKHDT-ngay-sai.xlsx"]["outcome"] == "superseded"
    [p] = [p for p in _problems(result, "SKHDT-ngay-sai.xlsx") if p.column == "Ngày báo cáo"]
    assert p.row == 5 and p.sheet == "Báo cáo" and "10/9/2202 không hợp lý (sau ngày hôm nay" in p.message


def test_a_blank_form_is_not_a_report(run):
    result, _ = run
    files = {Path(f["path"]).name: f for f in result.files}
    assert files["CA-trong.xlsx"]["outcome"] == "rejected"
    assert "CA" in result.merged.missing_agencies and "SYT" not in result.merged.missing_agencies


def test_the_long_word_breaks_inside_the_page(run):
    import html
    import re
    result, _ = run
    bbox = subprocess.run(["pdftotext", "-bbox", str(result.outputs["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    mm = 72 / 25.4
    seen = False
    for page in re.findall(r"<page ([^>]*)>(.*?)</page>", bbox, re.S):
        width = float(re.search(r'width="([\d.]+)"', page[0]).group(1))
        for x1, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>',
                                   page[1]):
            assert float(x1) <= width - 15 * mm + 1.5, html.unescape(word)
            seen = seen or "QuyhoachtinhKien" in html.unescape(word)
    assert seen


@pytest.mark.slow
def test_symbols_through_the_fallback_pass_pdfa_preflight(run, tmp_path):
    from tests.test_render_pdf import preflight_classpath
    from pipeline.documents.render_pdf import render_pdf
    classpath = preflight_classpath()
    if classpath is None:
        pytest.skip("Java or libpdfbox2-java (Preflight) is not installed")
    result, _ = run
    context = json.loads(result.outputs["context"].read_text(encoding="utf-8"))
    out = render_pdf(context, tmp_path / "a1b.pdf", variant="pdf/a-1b")
    check = subprocess.run(["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b", str(out)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "is a valid PDF/A-1b file" in check.stdout
