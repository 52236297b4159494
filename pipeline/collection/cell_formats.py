"""Which cells of a column carry a percent number format, read from the .xlsx parts themselves.

Excel and LibreOffice store a typed «80%» as 0.8 and give the cell a percent format (Excel: the
built-in format 9 «0%» or 10 «0.00%»; LibreOffice: its own format «0.00%» or «0%»). The fast value
reader (calamine) gives 0.8 and no format, so the formats of one column are read here: the sheet's
XML streamed for that column's cells, and the style table. A format scales by 100 when it has a «%»
outside quotes, escapes and brackets (`0"%"` shows a literal sign and does not).
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree as ET

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_PERCENT = {9, 10}        # «0%», «0.00%» (ECMA-376 part 1, 18.8.30)
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')


def scales_by_100(format_code: str) -> bool:
    """True when the number format shows value × 100 (a «%» that is not a quoted literal)."""
    first = _LITERALS.sub("", format_code).split(";")[0]
    return "%" in first


def percent_rows(data: bytes, sheet_name: str, column: str) -> set[int]:
    """Row numbers whose cell in `column` (a letter) of the sheet named `sheet_name` has a percent format.
    A part that cannot be read gives an empty set: the values are then taken as they are."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            styles = _percent_styles(zf)
            part = _sheet_part(zf, sheet_name) if styles else None
            return _rows_with_style(zf, part, column, styles) if part else set()
    except (KeyError, ValueError, zipfile.BadZipFile, ET.ParseError, OSError):
        return set()


def _root_rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of a part."""
    folder, name = posixpath.split(part)
    rels = ET.fromstring(zf.read(posixpath.join(folder, "_rels", name + ".rels")))
    out = {}
    for rel in rels.iter(_PKG_REL + "Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id")] = (rel.get("Type", ""), target)
    return out


def _workbook_part(zf: zipfile.ZipFile) -> str:
    for kind, target in _root_rels(zf, "").values():
        if kind.endswith("/officeDocument"):
            return target
    return "xl/workbook.xml"


def _percent_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell formats (cellXfs) whose number format scales by 100."""
    workbook = _workbook_part(zf)
    part = next((t for kind, t in _root_rels(zf, workbook).values() if kind.endswith("/styles")), None)
    if part is None:
        return set()
    root = ET.fromstring(zf.read(part))
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in root.iter(_MAIN + "numFmt")}
    percent = {i for i, code in custom.items() if scales_by_100(code)} | (_BUILTIN_PERCENT - set(custom))
    xfs = root.find(_MAIN + "cellXfs")
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs.iter(_MAIN + "xf")) if int(xf.get("numFmtId", 0)) in percent}


def _sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = _workbook_part(zf)
    rels = _root_rels(zf, workbook)
    for sheet in ET.fromstring(zf.read(workbook)).iter(_MAIN + "sheet"):
        if sheet.get("name") == sheet_name:
            return rels.get(sheet.get(_REL + "id"), ("", None))[1]
    return None


def _rows_with_style(zf: zipfile.ZipFile, part: str, column: str, styles: set[int]) -> set[int]:
    rows: set[int] = set()
    row_number, col_number = 0, 0
    wanted = _column_number(column)
    with zf.open(part) as fh:
        for event, el in ET.iterparse(fh, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == _MAIN + "row":     # `r` may be left out: then it follows the previous one
                    row_number = int(el.get("r") or row_number + 1)
                    col_number = 0
                continue
            if tag == _MAIN + "c":
                ref = el.get("r")
                col_number = _column_number(re.match(r"[A-Z]+", ref).group()) if ref else col_number + 1
                if col_number == wanted and int(el.get("s") or 0) in styles:
                    rows.add(row_number)
                el.clear()
            elif tag == _MAIN + "row":
                el.clear()
    return rows


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n
