"""The editorial workbook (bien-tap.xlsx) as written with every run; its columns and reading: `drafting.editorial`."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.documents.consolidated import FONT_SIZE, format_sheet
from pipeline.drafting.blocks import Draft
from pipeline.drafting.editorial import (CARRIED_FROM, CARRIED_PREFIX, COL_AUTO, COL_CODE, COL_DIGESTS, COL_INCLUDE,
                                         COL_LABEL, COL_NOTE, COL_POINTS, COL_TEXT, COLUMNS, FIRST_ROW, HEADER_ROW, KIND,
                                         META_SHEET, NO, SHEET, YES, Edit, note_to_write)
from pipeline.files import put_value, save_workbook_stable

FONT = "Times New Roman"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_EDIT_FILL = PatternFill("solid", fgColor="FFF9E5")
_POINT_FILL = PatternFill("solid", fgColor="FCE4D6")
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")


def _points_text(block) -> str:
    lines = []
    for p in block.points:
        if p.settled:
            continue
        mark = "[Cần xử lý trước khi ban hành] " if p.blocking else ""
        lines.append(f"- {mark}{p.message}")
    return "\n".join(lines)


def write_editorial(path: Path, draft: Draft, period_code: str, period_label: str, plan_number: str,
                    edits: dict[str, Edit] | None = None, stamp: datetime | None = None) -> Path:
    """`stamp` dates the file (the document's date), so equal inputs give equal bytes."""
    edits = edits or {}
    wb = Workbook()
    # column widths count the default font's digits: the cells' font, so every viewer prints them alike
    wb._named_styles["Normal"].font = Font(name=FONT, size=FONT_SIZE)
    ws = wb.active
    ws.title = SHEET
    font, bold = Font(name=FONT, size=FONT_SIZE), Font(name=FONT, size=FONT_SIZE, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    put_value(ws.cell(1, 1), f"BIÊN TẬP NỘI DUNG BÁO CÁO {period_label.upper()}").font = Font(name=FONT, size=13,
                                                                                                  bold=True)
    put_value(ws.cell(2, 1), "Sửa câu chữ ở cột «Nội dung biên tập» (để trống: giữ bản tự động); chọn «Không» ở cột "
                             "«Đưa vào báo cáo» để bỏ khối; khi đã xem các điểm cần xem của một khối, ghi «Đã kiểm tra» "
                             "ở dòng đầu của ô «Ghi chú» (ghi chú khác viết ở dòng sau). Lưu tệp vào thư mục phiếu của kỳ (input/<kỳ>/bien-tap.xlsx) rồi chạy lại báo cáo: "
                             "bản Word và PDF dùng cùng nội dung đã biên tập.").font = font
    ws.cell(2, 1).alignment = wrap
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    for col, (title, width, _) in enumerate(COLUMNS, start=1):
        cell = put_value(ws.cell(HEADER_ROW, col), title)
        cell.font, cell.border, cell.fill = bold, _BORDER, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[cell.column_letter].width = width

    row = FIRST_ROW
    for block in draft.blocks:
        e = edits.get(block.code)
        values = {COL_CODE: block.code, COL_LABEL: block.label, COL_AUTO: block.auto,
                  COL_TEXT: e.text if e else "", COL_INCLUDE: (YES if e.include else NO) if e else YES,
                  COL_NOTE: note_to_write(block, e), COL_POINTS: _points_text(block),
                  COL_DIGESTS: " ".join(block.digests)}
        for col, value in values.items():
            cell = put_value(ws.cell(row, col), value)
            cell.font, cell.border = font, _BORDER
            cell.alignment = wrap if col != COL_DIGESTS else Alignment(vertical="top")   # no height from it
            editable = COLUMNS[col - 1][2]
            cell.protection = Protection(locked=not editable)
            if editable:
                cell.fill = _EDIT_FILL
            elif col == COL_POINTS and value:
                cell.fill = _POINT_FILL
        row += 1
    last = row - 1

    dv = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True, showErrorMessage=True,
                        errorTitle="Đưa vào báo cáo", error=f"Chọn «{YES}» hoặc «{NO}».")
    dv.add(f"E{FIRST_ROW}:E{max(last, FIRST_ROW)}")
    ws.add_data_validation(dv)
    # «Mã điểm» (the fingerprints a mark vouches for) is the last column, narrow and hidden
    ws.column_dimensions[get_column_letter(COL_DIGESTS)].hidden = True
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)
    format_sheet(ws, header_row=HEADER_ROW)   # the workbook's print rules and row heights from the text
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False

    meta = wb.create_sheet(META_SHEET)
    rows = [("kind", KIND), ("period_code", period_code), ("plan", plan_number)]
    carried = [e for e in (edits.get(b.code) for b in draft.blocks) if e and e.carried]
    if carried:   # pre-filled from the previous period and not yet confirmed (drafting.editorial.carry_edits)
        rows.append((CARRIED_FROM, carried[0].carried))
        rows += [(CARRIED_PREFIX + e.code, e.text) for e in carried]
    for r, (k, v) in enumerate(rows, start=1):
        put_value(meta.cell(r, 1), k)
        put_value(meta.cell(r, 2), v)
    meta.sheet_state = "veryHidden"
    wb.properties.creator = "baocao-pipeline"
    if stamp:
        wb.properties.created = wb.properties.modified = stamp
    return save_workbook_stable(wb, path)
