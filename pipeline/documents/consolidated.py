"""The consolidated workbook for the Văn phòng (tong-hop.xlsx) and the plain-text problem list."""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from pipeline.files import put_value, save_workbook_stable, write_bytes_atomic
from pipeline.errors import Problem
from pipeline.plan.master import Master
from pipeline.status.due import due_soon
from pipeline.status.merge import (DONE_LATE, DONE_ON_TIME, DONE_STATUSES, DONE_UNDATED, NOT_REPORTED, ONGOING,
                            OPEN_IN_TIME, OPEN_OVERDUE, STATUS_LABELS, STATUS_ORDER, Merged)

STATUS_FILLS = {
    DONE_ON_TIME: "C6EFCE", DONE_LATE: "FFEB9C", DONE_UNDATED: "E2EFDA", OPEN_IN_TIME: "DDEBF7",
    OPEN_OVERDUE: "FFC7CE", ONGOING: "EDEDED", NOT_REPORTED: "F4B084",
}
_FONT = "Times New Roman"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


FONT_SIZE = 11
MIN_PRINT_SIZE = 9                     # pt on paper: the print scale never goes below 9/11
PRINTABLE_MM = 297 - 2 * 10            # A4 landscape, 10 mm side margins
LINE_PT = 14                           # row height per line of 11 pt text (Excel: 14.25 a line)
MAX_ROW_HEIGHT = 409                   # Excel's limit (a 5,000-character cell would go past it)
OUTCOME_WORDS = {"accepted": "Được dùng", "superseded": "Bị thay thế", "rejected": "Bị loại"}
NOT_APPLICABLE = "không áp dụng"


def _put(ws, row: int, col: int, value, bold: bool = False):
    cell = put_value(ws.cell(row=row, column=col), value)
    cell.font = Font(name=_FONT, size=FONT_SIZE, bold=bold)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.border = _BORDER
    if isinstance(value, (date, datetime)):
        cell.number_format = "DD/MM/YYYY"
    return cell


def _column_mm(width: float) -> float:
    """Printed width of an Excel column `width` characters wide (7 px a character, 96 dpi)."""
    return (width * 7 + 5) * 25.4 / 96


def _lines(value, width: float) -> int:
    if value is None or value == "":
        return 1
    if isinstance(value, (date, datetime)):
        return 1
    if isinstance(value, float):
        return 1
    chars = max(width - 1, 1) * 1.1    # Times New Roman 11 pt: about 1.1 characters a unit
    return sum(max(1, -(-len(line) // int(chars))) for line in str(value).split("\n"))


def format_sheet(ws, header_row: int = 3) -> None:
    """Print setup and row heights for a table sheet of the workbook.

    A4 landscape, 10 mm side margins, header rows up to `header_row` repeated on every page,
    page numbers in the footer; the print scale fits the columns to the page width but never
    below 9 pt on paper (narrower columns are the cure, not smaller print). Every row's height
    is set from the text it holds (openpyxl never sets one, and LibreOffice then lets wrapped
    text run over the rows below). Call it after the sheet is filled, for any new sheet too.
    """
    widths = {}
    for c in range(1, ws.max_column + 1):
        letter = get_column_letter(c)
        dim = ws.column_dimensions.get(letter)
        widths[c] = dim.width if dim is not None and dim.width else 8.43
    total_mm = sum(_column_mm(w) for w in widths.values())
    floor = math.ceil(100 * MIN_PRINT_SIZE / FONT_SIZE)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = max(floor, min(100, int(100 * PRINTABLE_MM / total_mm)))
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = 10 / 25.4
    ws.page_margins.top = ws.page_margins.bottom = 15 / 25.4
    ws.page_margins.header = ws.page_margins.footer = 7 / 25.4
    ws.print_title_rows = f"{header_row}:{header_row}" if header_row > 1 else None
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.size = FONT_SIZE   # scaled with the page, like the cells
    ws.oddFooter.center.font = _FONT
    ws.print_options.horizontalCentered = True
    for r in range(1, ws.max_row + 1):
        lines = 1
        size = FONT_SIZE
        for c in range(1, ws.max_column + 1):
            cell = ws.cell(row=r, column=c)
            if cell.value is None:
                continue
            if cell.font is not None and cell.font.sz:
                size = max(size, float(cell.font.sz))
            wraps = cell.alignment is not None and cell.alignment.wrap_text
            if wraps:
                lines = max(lines, _lines(cell.value, widths[c]))
        ws.row_dimensions[r].height = min(MAX_ROW_HEIGHT, round(lines * LINE_PT * size / FONT_SIZE + 3, 1))


RATE_NOTE = ("Tỷ lệ hoàn thành = số nhiệm vụ đã hoàn thành (đúng hạn, quá hạn hoặc chưa xác định) / số nhiệm vụ có "
             "thời hạn cố định; nhiệm vụ thực hiện thường xuyên không tính; «không áp dụng» khi không có "
             "nhiệm vụ nào có thời hạn.")


def write_table(ws, title: str, header: list[str], widths: list[float], rows: list[list],
                total: list | None = None, note: str = ""):
    """Fill a sheet with a title (row 1), an optional note (row 2), a header (row 3), `rows`
    and an optional bold total row, then lay it out for print (format_sheet)."""
    ws.cell(row=1, column=1, value=title).font = Font(name=_FONT, size=13, bold=True)
    if note:
        ws.cell(row=2, column=1, value=note).font = Font(name=_FONT, size=FONT_SIZE, italic=True)
    for c, name in enumerate(header, start=1):
        cell = _put(ws, 3, c, name, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value)
    if total is not None:
        r = 4 + len(rows)
        for c, value in enumerate(total, start=1):
            _put(ws, r, c, value, bold=True).fill = PatternFill("solid", fgColor="F2F2F2")
    ws.freeze_panes = "A4"
    if rows:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(header))}{3 + len(rows)}"
    format_sheet(ws, header_row=3)


_table = write_table


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


def _counts(pairs) -> dict:
    """Counts per status, total, and the completion rate of (status, has a fixed deadline) pairs.

    The rate counts only tasks with a fixed deadline (recurring tasks have nothing to
    complete by a date): done (on time, late or date unknown) / tasks with a deadline; none: "không áp dụng".
    """
    counts = {s: 0 for s in STATUS_ORDER}
    due = done = 0
    for status, has_deadline in pairs:
        counts[status] += 1
        if has_deadline:
            due += 1
            done += status in DONE_STATUSES
    counts["total"] = len(pairs)
    counts["rate"] = round(done / due, 4) if due else NOT_APPLICABLE
    return counts


def _count_row(c: dict) -> list:
    return [*[c[s] for s in STATUS_ORDER], c["total"], c["rate"]]


def _percent_column(ws, col: int, n_rows: int) -> None:
    for r in range(4, 4 + n_rows):
        cell = ws.cell(row=r, column=col)
        if isinstance(cell.value, (int, float)):
            cell.number_format = "0.0%"
        else:
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right")


PROVINCE_SHEET = "Kiến nghị với UBND tỉnh"
CHART_SHEET = "Biểu đồ"
DUE_SHEET = "Sắp đến hạn"


def _due_soon_sheet(ws, master: Master, merged: Merged, due: dict, anchor, days: int) -> None:
    """Per lead agency, its tasks not done at the cut-off that fall due within `days` days after `anchor`."""
    from pipeline.drafting.names import short_name
    from pipeline.text.vntext import format_date_short

    rows = [[master.agencies[code].name, d.task_id, short_name(master.task(d.task_id)), d.deadline_text, d.due,
             merged.statuses[d.task_id].label]
            for code in master.lead_codes() for d in due.get(code, [])]
    end = format_date_short(anchor + timedelta(days=days))
    write_table(ws, f"NHIỆM VỤ ĐẾN HẠN TỪ NGÀY {format_date_short(anchor + timedelta(days=1))} ĐẾN NGÀY {end}",
                ["Cơ quan chủ trì", "Mã nhiệm vụ", "Nhiệm vụ", "Thời hạn", "Hạn cuối", "Tình trạng tại ngày chốt"],
                [30, 11, 50, 16, 12, 22], rows,
                note=(f"Nhiệm vụ chưa hoàn thành tại ngày chốt số liệu {format_date_short(anchor)}, có thời hạn trong "
                      f"{days} ngày sau đó; nhắc trong công văn đôn đốc (baocao don-doc)." if rows
                      else f"Không có nhiệm vụ chưa hoàn thành nào đến hạn trong {days} ngày sau ngày chốt số liệu "
                           f"{format_date_short(anchor)}."))


def _province_proposals_sheet(ws, master: Master, merged: Merged) -> None:
    """The proposals agencies addressed to the UBND tỉnh: for the leaders, never in the report."""
    from pipeline.drafting.body import province_proposals
    from pipeline.drafting.names import short_name

    rows = []
    for item in province_proposals(merged):
        for task_id, agency in item.sources:
            lead = next(l for l in merged.statuses[task_id].leads if l.agency == agency)
            where = f"{lead.file}, dòng {lead.row}" if lead.file else ""
            rows.append([task_id, short_name(master.task(task_id)), master.agencies[agency].name, item.text, where])
    write_table(ws, "CÁC KIẾN NGHỊ CÁC CƠ QUAN GỬI UBND TỈNH (KHÔNG ĐƯA VÀO BÁO CÁO GỬI THỦ TƯỚNG CHÍNH PHỦ)",
                ["Mã nhiệm vụ", "Nhiệm vụ", "Cơ quan chủ trì", "Nội dung kiến nghị", "Tệp, dòng"],
                [11, 40, 28, 60, 34], rows,
                note="Kiến nghị các cơ quan chọn «Kiến nghị với: UBND tỉnh» (phiếu mẫu cũ: mọi kiến nghị) để lãnh "
                     "đạo UBND tỉnh xem xét, chỉ đạo." if rows else "Kỳ này không có kiến nghị nào gửi UBND tỉnh.")


def _chart_sheet(ws, charts: dict[str, dict]) -> None:
    """Each chart's figures as a table, and a native Excel bar chart drawn from them."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    ws.cell(row=1, column=1, value="BIỂU ĐỒ (SỐ LIỆU VÀ BIỂU ĐỒ NHƯ TRONG BÁO CÁO)").font = \
        Font(name=_FONT, size=13, bold=True)
    row = 2
    for key, data in charts.items():
        styles = [st["name"] for st in data["styles"]]
        stacked = len(styles) > 2 or key == "by_part"
        put_value(ws.cell(row=row, column=1), data["title"]).font = Font(name=_FONT, size=FONT_SIZE, bold=True)
        head = row + 1
        _put(ws, head, 1, "", bold=True)
        for c, name in enumerate(styles, start=2):
            _put(ws, head, c, name, bold=True).alignment = Alignment(wrap_text=True, horizontal="center")
        r = head
        for chart_row in data["rows"]:
            for bar in chart_row["bars"]:
                r += 1
                label = chart_row["label"] + (f" – {bar['caption']}" if bar["caption"] else "")
                _put(ws, r, 1, label)
                values = {seg["style"]: seg["value"] for seg in bar["segments"]}
                for c in range(len(styles)):
                    v = values.get(c)
                    cell = _put(ws, r, c + 2, (v / 100 if v is not None and not stacked else v))
                    if not stacked:
                        cell.number_format = "0%"
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked" if stacked else "clustered"
        if stacked:
            chart.overlap = 100
        chart.title = data["title"]
        chart.style = 2   # greys: prints in black and white, values labelled
        chart.add_data(Reference(ws, min_col=2, max_col=1 + len(styles), min_row=head, max_row=r), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=r))
        chart.dataLabels = DataLabelList()
        chart.dataLabels.showVal = True
        chart.y_axis.title = "Số nhiệm vụ" if stacked else "Tỷ lệ hoàn thành"
        chart.height, chart.width = max(7.5, 0.8 * (r - head) + 3), 24
        ws.add_chart(chart, f"{get_column_letter(len(styles) + 3)}{row}")
        row = max(r + 2, row + int(chart.height * 2.1) + 2)
    ws.column_dimensions["A"].width = 36
    for c in range(2, 8):
        ws.column_dimensions[get_column_letter(c)].width = 13
    format_sheet(ws, header_row=3)


def write_consolidated(path: Path, master: Master, merged: Merged, problems: list[Problem],
                       files: list[dict], stamp: datetime, charts: dict[str, dict] | None = None,
                       due_soon_days: int = 30) -> Path:
    """`charts`: the report's charts (plain data, pipeline.documents.charts): the sheet «Biểu đồ» holds their figures
    and draws them as native Excel charts. «Sắp đến hạn»: tasks falling due within `due_soon_days` days after
    the cut-off (the same list the công văn đôn đốc reminds agencies of)."""
    wb = openpyxl.Workbook()
    # Column widths are counted in digits of the workbook's default font: make it the font
    # of the cells, so Excel (Calibri) and LibreOffice (no Calibri) print the same widths.
    wb._named_styles["Normal"].font = Font(name=_FONT, size=FONT_SIZE)
    ws = wb.active
    ws.title = "Tổng hợp"
    rows = []
    for task in master.tasks:
        st = merged.statuses[task.id]
        rows.append([
            task.id, task.content, "; ".join(master.agencies[c].name for c in task.lead_codes),
            task.deadline_text, task.deadline_in_force.due, st.label, st.completed_on,
            _lead_lines(st, "results"), _lead_lines(st, "output_doc"),
            _lead_lines(st, "difficulties"), _lead_lines(st, "proposals"),
        ])
    _table(ws, f"TỔNG HỢP KẾT QUẢ THỰC HIỆN NHIỆM VỤ – {merged.period.label.upper()}",
           ["Mã", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Hạn cuối", "Tình trạng",
            "Ngày hoàn thành", "Kết quả thực hiện", "Văn bản / sản phẩm", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"],
           [7, 34, 16, 11, 11, 13, 11, 30, 14, 13, 13], rows)
    for r, task in enumerate(master.tasks, start=4):
        ws.cell(row=r, column=6).fill = PatternFill("solid", fgColor=STATUS_FILLS[merged.statuses[task.id].status])

    status_headers = [STATUS_LABELS[s] for s in STATUS_ORDER]
    rate_header = "Tỷ lệ hoàn thành (trên số nhiệm vụ có thời hạn)"
    has_deadline = {t.id: t.deadline_in_force.due is not None for t in master.tasks}

    ws = wb.create_sheet("Theo phần")
    rows, everything = [], []
    for section in dict.fromkeys(t.section for t in master.tasks):
        tasks = [t for t in master.tasks if t.section == section]
        pairs = [(merged.statuses[t.id].status, has_deadline[t.id]) for t in tasks]
        everything += pairs
        rows.append([section, tasks[0].section_title, *_count_row(_counts(pairs))])
    _table(ws, "TÌNH HÌNH THỰC HIỆN THEO PHẦN CỦA KẾ HOẠCH",
           ["Phần", "Tên phần", *status_headers, "Tổng số", rate_header],
           [7, 40, *[12] * len(STATUS_ORDER), 9, 14], rows,
           total=["", "Tổng cộng", *_count_row(_counts(everything))], note=RATE_NOTE)
    _percent_column(ws, 4 + len(STATUS_ORDER), len(rows) + 1)

    # Per agency, each task it leads: an agency that sent nothing counts its tasks as
    # "Chưa báo cáo", whatever the other lead agencies of a shared task reported.
    ws = wb.create_sheet("Theo cơ quan")
    per_agency: dict[str, list] = {code: [] for code in master.lead_codes()}
    for task in master.tasks:
        st = merged.statuses[task.id]
        for lead in st.leads:
            status = st.status if lead.reported else NOT_REPORTED
            per_agency.setdefault(lead.agency, []).append((status, has_deadline[task.id]))
    reported = set(merged.reported_agencies)
    rows, everything = [], []
    for code, pairs in per_agency.items():
        everything += pairs
        rows.append([code, master.agencies[code].name, "Đã báo cáo" if code in reported else "Chưa báo cáo",
                     *_count_row(_counts(pairs))])
    _table(ws, "TÌNH HÌNH THỰC HIỆN THEO CƠ QUAN CHỦ TRÌ",
           ["Mã", "Cơ quan chủ trì", "Báo cáo", *status_headers, "Tổng số", rate_header],
           [10, 34, 11, *[12] * len(STATUS_ORDER), 9, 14], rows,
           total=["", "Tổng cộng (nhiệm vụ có nhiều cơ quan chủ trì được tính cho từng cơ quan)", "",
                  *_count_row(_counts(everything))], note=RATE_NOTE)
    _percent_column(ws, 5 + len(STATUS_ORDER), len(rows) + 1)

    _province_proposals_sheet(wb.create_sheet(PROVINCE_SHEET), master, merged)
    anchor = merged.period.end
    _due_soon_sheet(wb.create_sheet(DUE_SHEET), master, merged, due_soon(master, merged, anchor, due_soon_days),
                    anchor, due_soon_days)
    if charts:
        _chart_sheet(wb.create_sheet(CHART_SHEET), charts)

    ws = wb.create_sheet("Vấn đề")
    _table(ws, "CÁC VẤN ĐỀ PHÁT HIỆN KHI ĐỌC PHIẾU BÁO CÁO",
           ["Tệp", "Trang", "Dòng", "Cột", "Mức độ", "Cơ quan", "Nội dung"],
           [34, 12, 7, 16, 10, 10, 70],
           [[p.file, p.sheet, p.row, p.column, p.severity, p.agency, p.message] for p in problems])

    ws = wb.create_sheet("Tệp đã đọc")
    _table(ws, "CÁC TỆP ĐÃ ĐỌC", ["Tệp", "Cơ quan", "Kết quả", "Lý do", "SHA-256"], [40, 10, 13, 50, 36],
           [[f["path"], f.get("agency", ""), OUTCOME_WORDS.get(f.get("outcome", ""), f.get("outcome", "")),
             f.get("reason", ""), f["sha256"]] for f in files])

    wb.properties.creator = "baocao-pipeline"
    wb.properties.created = wb.properties.modified = stamp
    return save_workbook_stable(wb, path)


def write_problem_list(path: Path, problems: list[Problem], period_label: str) -> Path:
    lines = [f"DANH SÁCH VẤN ĐỀ – {period_label}", ""]
    if not problems:
        lines.append("Không phát hiện vấn đề nào.")
    lines += [str(p) for p in problems]
    return write_bytes_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
