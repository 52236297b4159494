"""Print workbook sheets one by one through LibreOffice Calc and read what landed on paper.

`print_sheets` copies each workbook once per sheet with every other sheet hidden (the XML is edited
in the zip, so charts and protection survive: openpyxl would drop the charts), converts all copies
in one soffice call, and returns each sheet's pages as word boxes (pdftotext -bbox). A word box is
1.30 × the font size tall for Times New Roman (calibrated by `reference_ratio`, a 10 pt cell printed
in the same batch).
"""
from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from tests.pagecheck import Page, pages

REFERENCE_SIZE = 10.0
FOOTER = re.compile(r"^Trang$|^\d+/\d+$")


@dataclass
class PrintedSheet:
    workbook: Path
    sheet: str
    pages: list[Page]
    ratio: float                       # word box height / font size
    pdf: Path

    def sizes(self) -> list[float]:
        return [(w["yMax"] - w["yMin"]) / self.ratio for p in self.pages for w in p.words]

    def smallest(self) -> float:
        return min(self.sizes(), default=0.0)

    def words(self) -> list[str]:
        return [w["text"] for p in self.pages for w in p.words]


def _hide_others(src: Path, dst: Path, keep: str) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                xml = data.decode("utf-8")
                index = 0
                sheets = re.findall(r"<sheet [^>]*/>", xml)
                for i, tag in enumerate(sheets):
                    name = re.search(r'name="([^"]*)"', tag).group(1)
                    name = name.replace("&amp;", "&").replace("&quot;", '"')
                    clean = re.sub(r' state="[^"]*"', "", tag)
                    if name == keep:
                        index = i
                        new = clean
                    elif 'state="veryHidden"' in tag:
                        new = tag
                    else:
                        new = clean.replace("<sheet ", '<sheet state="hidden" ', 1)
                    xml = xml.replace(tag, new, 1)
                xml = re.sub(r'activeTab="\d+"', f'activeTab="{index}"', xml)
                if "activeTab=" not in xml:
                    xml = xml.replace("<workbookView", f'<workbookView activeTab="{index}"', 1)
                xml = re.sub(r'firstSheet="\d+"', f'firstSheet="{index}"', xml)
                # LibreOffice prints a hidden sheet that has a print area: drop the others' print names
                xml = re.sub(r'<definedName name="_xlnm\.Print_(?:Area|Titles)" localSheetId="(\d+)">[^<]*</definedName>',
                             lambda m: m.group(0) if int(m.group(1)) == index else "", xml)
                data = xml.encode("utf-8")
            zout.writestr(item, data)


def visible_sheets(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]


def _reference(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Tham chiếu"
    wb.active["A1"].font = openpyxl.styles.Font(name="Times New Roman", size=REFERENCE_SIZE)
    wb.active.page_setup.scale = 100
    path = folder / "zz-reference.xlsx"
    wb.save(path)
    return path


def print_sheets(workbooks: list[Path], folder: Path) -> dict[tuple[str, str], PrintedSheet]:
    """Every visible sheet of every workbook printed alone; key (workbook file name, sheet)."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for wb_path in workbooks:
        for i, sheet in enumerate(visible_sheets(wb_path)):
            copy = folder / f"{wb_path.stem}--{i}.xlsx"
            _hide_others(wb_path, copy, sheet)
            jobs.append((wb_path, sheet, copy))
    ref = _reference(folder)
    profile = folder / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *[str(c) for _, _, c in jobs], str(ref)],
                   check=True, capture_output=True, timeout=1200)
    ref_word = pages(ref.with_suffix(".pdf"))[0].words[0]
    ratio = (ref_word["yMax"] - ref_word["yMin"]) / REFERENCE_SIZE
    return {(wb_path.name, sheet): PrintedSheet(wb_path, sheet, pages(copy.with_suffix(".pdf")), ratio,
                                                copy.with_suffix(".pdf"))
            for wb_path, sheet, copy in jobs}


# ---------------------------------------------------------------- what the checks compare against


def _cell_text(value) -> str:
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else ""
    return str(value) if isinstance(value, str) else ""


def cell_tokens(path: Path, sheet: str) -> list[str]:
    """The words of every non-empty cell of the sheet's print area (formulas and hidden columns excluded)."""
    ws = openpyxl.load_workbook(path)[sheet]
    hidden = {letter for letter, dim in ws.column_dimensions.items() if dim.hidden}
    out = []
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f" or get_column_letter(cell.column) in hidden:   # a hidden column does not print
                continue
            out += _cell_text(cell.value).split()
    return out


def key_values(path: Path, sheet: str, first_row: int, column: int = 1) -> list[str]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [_cell_text(ws.cell(r, column).value).split()[0] for r in range(first_row, ws.max_row + 1)
            if _cell_text(ws.cell(r, column).value).split()]


def missing_words(tokens: list[str], printed: list[str]) -> list[str]:
    """Tokens not on paper, neither whole nor broken over two or three lines."""
    have = set(printed)
    missing = []
    for t in dict.fromkeys(tokens):
        if t in have:
            continue
        found = any(t[:i] in have and (t[i:] in have or any(t[i:j] in have and t[j:] in have
                                                            for j in range(i + 1, len(t))))
                    for i in range(1, len(t)))
        if not found:
            missing.append(t)
    return missing


def overlapping_words(sheet: PrintedSheet) -> list[str]:
    """Pairs of words drawn over each other: text clipped by a short row runs into the row below."""
    bad = []
    for n, page in enumerate(sheet.pages, start=1):
        words = sorted(page.words, key=lambda w: w["yMin"])
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b["yMin"] >= a["yMax"] - 0.5:
                    break
                dx = min(a["xMax"], b["xMax"]) - max(a["xMin"], b["xMin"])
                dy = min(a["yMax"], b["yMax"]) - max(a["yMin"], b["yMin"])
                if dx > 1 and dy > 0.35 * min(a["yMax"] - a["yMin"], b["yMax"] - b["yMin"]):
                    bad.append(f"page {n}: {a['text']!r} / {b['text']!r}")
    return bad


def pages_without(sheet: PrintedSheet, keys: list[str]) -> list[int]:
    """Pages that hold none of the key column's values (a blank page, or one holding a tail)."""
    want = set(keys)
    return [n for n, p in enumerate(sheet.pages, start=1)
            if not want & {w["text"] for w in p.words if not FOOTER.match(w["text"])}]



ASCENT, DESCENT = 0.891, 0.216   # Liberation Serif, em


def clipped_lines(pdf: Path) -> list[str]:
    """Text lines drawn partly or wholly outside the clip of their cell: a row too low for its
    text. LibreOffice draws every cell inside `q x y w h re W n … Q` and still writes the lines
    that do not fit (pdftotext reads them), so the clip is the only trace of a cut."""
    import pikepdf

    bad = []
    with pikepdf.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            stack, clip, pending = [], None, None
            height = float(page.mediabox[3]) - float(page.mediabox[1])
            pos, size = (0.0, 0.0), 0.0
            for operands, op in pikepdf.parse_content_stream(page):
                op = str(op)
                if op == "q":
                    stack.append(clip)
                elif op == "Q":
                    clip = stack.pop() if stack else None
                elif op == "re":
                    pending = tuple(float(v) for v in operands)
                elif op in ("W", "W*") and pending:
                    x, y, w, h = pending
                    box = (x, y, x + w, y + h)
                    clip = box if clip is None else (max(clip[0], box[0]), max(clip[1], box[1]),
                                                     min(clip[2], box[2]), min(clip[3], box[3]))
                elif op == "n":
                    pending = None
                elif op == "BT":
                    pos = (0.0, 0.0)
                elif op in ("Td", "TD"):
                    pos = (pos[0] + float(operands[0]), pos[1] + float(operands[1]))
                elif op == "Tm":
                    pos = (float(operands[4]), float(operands[5]))
                elif op == "Tf":
                    size = float(operands[1])
                elif op in ("Tj", "TJ") and clip is not None and size:
                    x, y = pos
                    if clip[3] - clip[1] > height / 3 and (y + ASCENT * size < clip[1] or y - DESCENT * size > clip[3]):
                        continue    # a chart's text on the page before the one it prints on: the page's clip hides it
                    if y - DESCENT * size < clip[1] - 1 or y + ASCENT * size > clip[3] + 1 or x < clip[0] - 1:
                        bad.append(f"page {n}: line at ({x:.1f}, {y:.1f}), {size:.1f} pt, outside its cell {tuple(round(v, 1) for v in clip)}")
    return bad
