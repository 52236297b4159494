"""The consolidated workbook for the Văn phòng (tong-hop.xlsx) and the plain-text problem list."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from pipeline.archive import put_value, save_workbook_stable, write_bytes_atomic
from pipeline.errors import Problem
from pipeline.master import Master
from pipeline.merge import (DONE_LATE, DONE_ON_TIME, DONE_STATUSES, DONE_UNDATED, NOT_REPORTED, ONGOING,
                            OPEN_IN_TIME, OPEN_OVERDUE, STATUS_LABELS, STATUS_ORDER, Merged)

STATUS_FILLS = {
    DONE_ON_TIME: "C6EFCE", DONE_LATE: "FFEB9C", DONE_UNDATED: "E2EFDA", OPEN_IN_TIME: "DDEBF7",
    OPEN_OVERDUE: "FFC7CE", ONGOING: "EDEDED", NOT_REPORTED: "F4B084",
}
_FONT = "Times New Roman"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _put(ws, row: int, col: int, value, bold: bool = False):
    cell = put_value(ws.cell(row=row, column=col), value)
    cell.font = Font(name=_FONT, size=11, bold=bold)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.border = _BORDER
    if isinstance(value, (date, datetime)):
        cell.number_format = "DD/MM/YYYY"
    return cell


def _table(ws, title: str, header: list[str], widths: list[int], rows: list[list]):
    ws.cell(row=1, column=1, value=title).font = Font(name=_FONT, size=13, bold=True)
    for c, name in enumerate(header, start=1):
        cell = _put(ws, 3, c, name, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value)
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if rows:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(header))}{3 + len(rows)}"


def _lead_lines(st, attr: str) -> str:
    many = len(st.leads) > 1
    lines = []
    for lead in st.leads:
        value = getattr(lead, attr) if lead.reported else ""
        if attr == "results" and not lead.reported:
            value = "Chưa báo cáo"
        if value:
            lines.append(f"{lead.agency_name}: {value}" if many else value)
    return "\n".join(lines)


def _done_share(rec) -> float:
    """Share of tasks done (on time, late or undated), as a fraction Excel shows as a percentage."""
    return round(sum(int(rec[s]) for s in DONE_STATUSES) / int(rec["total"]), 4) if rec["total"] else 0.0


def _percent_column(ws, col: int, n_rows: int) -> None:
    for r in range(4, 4 + n_rows):
        ws.cell(row=r, column=col).number_format = "0.0%"


def write_consolidated(path: Path, master: Master, merged: Merged, problems: list[Problem],
                       files: list[dict], stamp: datetime) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    rows = []
    for task in master.tasks:
        st = merged.statuses[task.id]
        rows.append([
            task.id, task.content, "; ".join(master.agencies[c].name for c in task.lead_codes),
            task.deadline.text, task.deadline.due, st.label, st.completed_on,
            _lead_lines(st, "results"), _lead_lines(st, "output_doc"),
            _lead_lines(st, "difficulties"), _lead_lines(st, "proposals"),
        ])
    _table(ws, f"TỔNG HỢP KẾT QUẢ THỰC HIỆN NHIỆM VỤ – {merged.period.label.upper()}",
           ["Mã", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Hạn cuối", "Tình trạng",
            "Ngày hoàn thành", "Kết quả thực hiện", "Văn bản / sản phẩm", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"],
           [9, 60, 28, 16, 12, 22, 13, 60, 30, 40, 40], rows)
    for r, task in enumerate(master.tasks, start=4):
        ws.cell(row=r, column=6).fill = PatternFill("solid", fgColor=STATUS_FILLS[merged.statuses[task.id].status])

    status_headers = [STATUS_LABELS[s] for s in STATUS_ORDER]
    ws = wb.create_sheet("Theo phần")
    rows = []
    for section, rec in merged.by_section.iterrows():
        title = next(t.section_title for t in master.tasks if t.section == section)
        rows.append([section, title, *[int(rec[s]) for s in STATUS_ORDER], int(rec["total"]), _done_share(rec)])
    _table(ws, "TÌNH HÌNH THỰC HIỆN THEO PHẦN CỦA KẾ HOẠCH",
           ["Phần", "Tên phần", *status_headers, "Tổng số", "Tỷ lệ hoàn thành"],
           [8, 50, *[14] * len(STATUS_ORDER), 10, 12], rows)
    _percent_column(ws, 4 + len(STATUS_ORDER), len(rows))

    ws = wb.create_sheet("Theo cơ quan")
    rows = []
    for code, rec in merged.by_agency.iterrows():
        rows.append([code, master.agencies[code].name, "Đã báo cáo" if rec["reported"] else "Chưa báo cáo",
                     *[int(rec[s]) for s in STATUS_ORDER], int(rec["total"]), _done_share(rec)])
    _table(ws, "TÌNH HÌNH THỰC HIỆN THEO CƠ QUAN CHỦ TRÌ",
           ["Mã", "Cơ quan chủ trì", "Báo cáo", *status_headers, "Tổng số", "Tỷ lệ hoàn thành"],
           [12, 45, 14, *[14] * len(STATUS_ORDER), 10, 12], rows)
    _percent_column(ws, 5 + len(STATUS_ORDER), len(rows))

    ws = wb.create_sheet("Vấn đề")
    _table(ws, "CÁC VẤN ĐỀ PHÁT HIỆN KHI ĐỌC PHIẾU BÁO CÁO",
           ["Tệp", "Trang", "Dòng", "Cột", "Mức độ", "Cơ quan", "Nội dung"],
           [40, 14, 8, 20, 10, 12, 80],
           [[p.file, p.sheet, p.row, p.column, p.severity, p.agency, p.message] for p in problems])

    ws = wb.create_sheet("Tệp đã đọc")
    _table(ws, "CÁC TỆP ĐÃ ĐỌC", ["Tệp", "Cơ quan", "Kết quả", "Lý do", "SHA-256"], [45, 12, 14, 50, 66],
           [[f["path"], f.get("agency", ""), f.get("outcome", ""), f.get("reason", ""), f["sha256"]] for f in files])

    wb.properties.creator = "baocao-pipeline"
    wb.properties.created = wb.properties.modified = stamp
    return save_workbook_stable(wb, path)


def write_problem_list(path: Path, problems: list[Problem], period_label: str) -> Path:
    lines = [f"DANH SÁCH VẤN ĐỀ – {period_label}", ""]
    if not problems:
        lines.append("Không phát hiện vấn đề nào.")
    lines += [str(p) for p in problems]
    return write_bytes_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
