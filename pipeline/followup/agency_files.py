"""The files sent to one agency with the công văn đôn đốc: its problem list and its phiếu to send back.

- `write_problem_workbook`: what is wrong or missing in the agency's report, for its officer: a
  summary sheet, then one sheet per section (tasks not reported, refused rows one line per cell,
  tasks falling due, every check-list entry about its files), printable on A4 landscape.
- `write_resend_form`: the agency's v2 phiếu (pipeline.collection.agency_workbook) pre-filled with
  what it sent: accepted answers as collect normalised them, refused rows as the agency typed them,
  each refused cell on a light red fill with a comment giving the reason. Sent back with a new
  report date, it replaces the agency's earlier form. A silent agency gets the blank form (with the
  previous period's carried answers when given), exactly as `make templates` writes it.
"""
from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from pipeline.files import put_value, save_workbook_stable
from pipeline.collection import sheet_layout as L
from pipeline.collection.agency_workbook import Carried, Refill, build_workbook, plan_reference, set_default_font
from pipeline.collection.collect import Collection
from pipeline.documents.consolidated import LINE_PT, format_sheet
from pipeline.errors import ERROR
from pipeline.followup.findings import AgencyFollowUp
from pipeline.plan.model import Master
from pipeline.plan.periods import Period
from pipeline.text.vntext import format_date_short

FONT = "Times New Roman"
SIZE = 11                  # the body size format_sheet lays rows out for
# Column widths of each sheet add up to at most 131 characters: LibreOffice prints a Times New Roman
# column a little wider than Excel's measure, and wider tables would spill onto a second page.
NOTHING = "Không có."
WHOLE_ROW = "(cả dòng)"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")

SHEET_SUMMARY = "Tóm tắt"
SHEET_UNREPORTED = "Chưa báo cáo"
SHEET_REJECTED = "Dòng bị loại"
SHEET_DUE = "Sắp đến hạn"
SHEET_PROBLEMS = "Vấn đề"


def agency_file_names(code: str) -> dict[str, str]:
    """The names of an agency's files in the don-doc folder (they start with its code, so they sort together)."""
    return {"form": f"{code}_phieu-bao-cao.xlsx", "problems": f"{code}_van-de.xlsx"}


# ---------------------------------------------------------------- problem workbook


def _put(ws, row: int, col: int, value, bold: bool = False, italic: bool = False, size: int = SIZE,
         wrap: bool = True, border: bool = True):
    cell = put_value(ws.cell(row=row, column=col), value)
    cell.font = Font(name=FONT, size=size, bold=bold, italic=italic)
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")
    if border:
        cell.border = _BORDER
    return cell


def _section(ws, title: str, subtitle: str, header: list[str], widths: list[float], rows: list[list]) -> None:
    """Title (row 1), subtitle (row 2), header (row 3, repeated on every printed page), the rows; a
    section with no rows says so in one line. Titles are merged across the table and wrapped: text
    running past the last column would make LibreOffice print an extra page to the right."""
    last = get_column_letter(len(header))
    for row, text, size, bold in ((1, title, 13, True), (2, subtitle, SIZE, False)):
        ws.merge_cells(f"A{row}:{last}{row}")
        _put(ws, row, 1, text, bold=bold, italic=not bold, size=size, border=False)
    for c, (name, width) in enumerate(zip(header, widths), start=1):
        cell = _put(ws, 3, c, name, bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value)
    if not rows:
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(header))
        _put(ws, 4, 1, NOTHING, italic=True)
    ws.freeze_panes = "A4"
    ws.print_area = f"A1:{last}{ws.max_row}"
    format_sheet(ws, header_row=3)
    for row, size in ((1, 13), (2, SIZE)):    # format_sheet measures a merged cell by its first column only
        lines = sum(max(1, math.ceil(len(part) / (sum(widths) * 1.1 * SIZE / size)))
                    for part in str(ws.cell(row, 1).value).split("\n"))
        ws.row_dimensions[row].height = round(lines * LINE_PT * size / SIZE + 3, 1)


def _where(value) -> object:
    return "" if value is None else value


def write_problem_workbook(path: Path, follow: AgencyFollowUp, period: Period, plan_number: str,
                           stamp: datetime) -> Path:
    """The agency's problem list (see the module docstring); written atomically, byte-stable."""
    agency = follow.agency
    subtitle = (f"Báo cáo tiến độ thực hiện Kế hoạch số {plan_number}, {period.label} (số liệu {period.window_text})"
                f" – lập ngày {format_date_short(stamp.date())}")
    content = {t.id: t for t in follow.tasks}
    refused_ids = {r.task_id for r in follow.rejected}

    def note(task_id: str) -> str:
        if task_id in refused_ids:
            return f"Dòng báo cáo bị loại (xem trang «{SHEET_REJECTED}»)."
        if follow.silent:
            return "Chưa nhận được phiếu báo cáo hợp lệ của cơ quan."
        return "Phiếu được dùng không có dòng báo cáo nhiệm vụ này."

    unreported = [[t, content[t].content if t in content else "", content[t].deadline_text if t in content else "",
                   note(t)] for t in follow.unreported]
    rejected = [[r.task_id, r.file, r.sheet, r.row, f.column or WHOLE_ROW, f.reason]
                for r in follow.rejected for f in r.faults]
    due = [[d.task_id, content[d.task_id].content if d.task_id in content else "", d.deadline_text,
            format_date_short(d.due)] for d in follow.due_soon]
    problems = [[p.file, p.sheet, _where(p.row), p.column, p.severity.capitalize(), p.message] for p in follow.problems]

    wb = openpyxl.Workbook()
    set_default_font(wb, SIZE)
    ws = wb.active
    ws.title = SHEET_SUMMARY
    _summary(ws, follow, subtitle, len(unreported), len(rejected), len(due), problems)
    _section(wb.create_sheet(SHEET_UNREPORTED), f"NHIỆM VỤ CHƯA BÁO CÁO – {agency.name}", subtitle,
             ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Thời hạn", "Ghi chú"], [13, 60, 18, 38], unreported)
    _section(wb.create_sheet(SHEET_REJECTED), f"DÒNG BÁO CÁO BỊ LOẠI – {agency.name}", subtitle,
             ["Mã nhiệm vụ", "Tệp", "Trang", "Dòng", "Cột", "Lý do"], [13, 30, 10, 7, 18, 52], rejected)
    _section(wb.create_sheet(SHEET_DUE), f"NHIỆM VỤ SẮP ĐẾN HẠN – {agency.name}", subtitle,
             ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Thời hạn", "Ngày đến hạn"], [13, 78, 20, 14], due)
    _section(wb.create_sheet(SHEET_PROBLEMS), f"VẤN ĐỀ PHÁT HIỆN KHI ĐỌC PHIẾU – {agency.name}", subtitle,
             ["Tệp", "Trang", "Dòng", "Cột", "Mức độ", "Nội dung"], [30, 10, 7, 18, 10, 54], problems)
    wb.active = 0
    wb.properties.creator = "baocao-pipeline"
    wb.properties.title = f"Vấn đề cần khắc phục – {agency.name} – {period.label}"
    wb.properties.created = wb.properties.modified = stamp.replace(tzinfo=None, microsecond=0)
    return save_workbook_stable(wb, path)


def _summary(ws, follow: AgencyFollowUp, subtitle: str, n_unreported: int, n_cells: int, n_due: int,
             problems: list[list]) -> None:
    see = "(xem trang «{}»)".format

    def count(n: int, unit: str, sheet: str) -> str:
        return f"{n} {unit} {see(sheet)}" if n else NOTHING

    if follow.file:
        used = f"«{follow.file}»" + (f", ngày báo cáo {format_date_short(follow.report_date)}"
                                     if follow.report_date else ", không ghi ngày báo cáo")
    else:
        used = "Chưa nhận được phiếu báo cáo hợp lệ."
    refused_files = "\n".join(f"«{name}»: {reason}" for name, reason in follow.refused_files) or NOTHING
    errors = sum(1 for p in follow.problems if p.severity == ERROR)
    rows = [
        ["Phiếu báo cáo được dùng", used],
        ["Phiếu bị loại cả tệp", refused_files],
        ["Nhiệm vụ chưa báo cáo", count(n_unreported, "nhiệm vụ", SHEET_UNREPORTED)],
        ["Dòng báo cáo bị loại", f"{len(follow.rejected)} dòng ({n_cells} lỗi) {see(SHEET_REJECTED)}"
         if follow.rejected else NOTHING],
        ["Nhiệm vụ sắp đến hạn", count(n_due, "nhiệm vụ", SHEET_DUE)],
        ["Vấn đề phát hiện khi đọc phiếu", f"{len(problems)} vấn đề: {errors} lỗi, {len(problems) - errors} cảnh báo "
         f"{see(SHEET_PROBLEMS)}" if problems else NOTHING],
    ]
    if follow.silent:
        rows.append(["Đề nghị", "Điền phiếu báo cáo gửi kèm, ghi ngày báo cáo và gửi lại."])
    elif follow.must_send:
        rows.append(["Đề nghị", "Sửa, bổ sung phiếu báo cáo gửi kèm" + (" (các ô nền đỏ là nội dung bị loại)"
                                                                       if follow.rejected else "")
                     + ", ghi ngày báo cáo mới và gửi lại."])
    elif follow.due_soon:
        rows.append(["Đề nghị", "Bảo đảm hoàn thành đúng thời hạn các nhiệm vụ sắp đến hạn."])
    _section(ws, f"VẤN ĐỀ CẦN KHẮC PHỤC TRONG BÁO CÁO – {follow.agency.name}", subtitle,
             ["Mục", "Tình hình"], [30, 100], rows)


# ---------------------------------------------------------------- the phiếu sent back


def _plain(value):
    """A normalised value of collection.rows as a cell value: NaN/NaT/"" -> empty, a whole number as int."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _as_typed(value):
    """A cell value re-read from the agency's file, writable as is."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return value if value.strip() else None
    if isinstance(value, datetime) and value.hour == value.minute == value.second == 0:
        return value.date()
    if isinstance(value, (int, float, date, datetime)) or value is None:
        return value
    return str(value)


def _typed_rows(path: Path, rows: dict[int, str]) -> dict[str, dict[str, object]]:
    """task id -> {input column key: value as typed} for the given sheet rows of the agency's file
    (a row whose task id cell no longer matches is left out; an unreadable file gives nothing)."""
    out: dict[str, dict[str, object]] = {}
    if not rows:
        return out
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - the refused row then goes back blank, still marked
        return out
    try:
        version = L.TEMPLATE_VERSION
        if L.SHEET_META in wb.sheetnames:
            for key, value, *_ in wb[L.SHEET_META].iter_rows(max_col=2, values_only=True):
                if L.normalise_locked(key) == L.META_VERSION:
                    version = L.normalise_locked(value)
        columns = L.columns_for(version)
        ws = wb[L.SHEET_REPORT]
        for number, task_id in rows.items():
            cells = next(ws.iter_rows(min_row=number, max_row=number, max_col=len(columns), values_only=True), ())
            cells = tuple(cells) + (None,) * (len(columns) - len(cells))
            if L.normalise_locked(cells[0]) != task_id:
                continue
            out[task_id] = {c.key: _as_typed(v) for c, v in zip(columns, cells) if not c.locked}
    except Exception:  # noqa: BLE001
        return out
    finally:
        wb.close()
    return out


def _refill(follow: AgencyFollowUp, collection: Collection) -> Refill:
    code = follow.agency.code
    own = {t.id for t in follow.tasks}
    values: dict[str, dict[str, object]] = {}
    rows = collection.rows
    if len(rows):
        mine = rows[(rows["agency"] == code) & (rows["file"] == follow.file)]
        for r in mine.to_dict("records"):
            values[r["task_id"]] = {k: _plain(r.get(k)) for k in L.INPUT_KEYS}

    by_title = {c.title: c.key for c in L.COLUMNS}
    marks: dict[str, dict[str, str]] = {}
    refused_rows: dict[int, str] = {}
    for r in follow.rejected:
        if r.task_id not in own:
            continue
        refused_rows.setdefault(r.row, r.task_id)
        for fault in r.faults:
            key = by_title.get(fault.column, "task_id")
            cell = marks.setdefault(r.task_id, {})
            cell[key] = f"{cell[key]}\n{fault.reason}" if key in cell else fault.reason
    source = next((f.path for f in collection.files if f.name == follow.file and f.agency == code), None)
    if source is not None:
        for task_id, typed in _typed_rows(Path(source), refused_rows).items():
            values.setdefault(task_id, typed)

    when = f" (ngày báo cáo {format_date_short(follow.report_date)})" if follow.report_date else ""
    later = (f" muộn hơn ngày {format_date_short(follow.report_date)}" if follow.report_date else "")
    if marks:
        legend = (f"Ô nền đỏ: nội dung bị loại khi tiếp nhận phiếu «{follow.file}»{when}; lý do ghi trong ghi chú "
                  "của ô. Đề nghị sửa các ô này. Các ô khác đã điền sẵn nội dung cơ quan đã báo cáo, chỉ sửa nếu "
                  f"có thay đổi; dòng còn trống là nhiệm vụ chưa báo cáo. Ghi ngày báo cáo mới{later} rồi gửi lại.")
    else:
        legend = (f"Phiếu đã điền sẵn nội dung cơ quan đã báo cáo trong phiếu «{follow.file}»{when}; chỉ sửa nếu có "
                  f"thay đổi. Dòng còn trống là nhiệm vụ chưa báo cáo: đề nghị bổ sung, ghi ngày báo cáo mới{later} "
                  "rồi gửi lại.")
    guide = (f"9. Phiếu này gửi lại để cơ quan sửa, bổ sung phiếu đã gửi «{follow.file}»{when}. "
             + ("Ô nền đỏ là nội dung bị loại khi tiếp nhận; lý do ghi trong ghi chú của ô (đưa chuột vào ô để xem). "
                if marks else "")
             + "Các ô khác đã điền sẵn nội dung đã báo cáo và được tiếp nhận; gửi lại, nội dung này vẫn được dùng. "
             f"Ghi ngày báo cáo mới{later} để phiếu này được dùng thay phiếu đã gửi.")
    return Refill(values=values, marks=marks, legend=legend, guide=guide)


def write_resend_form(path: Path, master: Master, period: Period, config, follow: AgencyFollowUp,
                      collection: Collection, generated_at: datetime, carried: Carried | None = None) -> Path:
    """The agency's phiếu to send back (see the module docstring); `master` is the plan in force,
    `config` the PlanConfig, `carried` the previous period's answers (used for a silent agency only)."""
    agency = follow.agency
    tasks = master.tasks_of(agency.code)
    plan = (config.plan_number, L.plan_fingerprint(config.plan_number, master.plan_task_ids))
    if follow.silent or not follow.file:
        wb = build_workbook(agency, tasks, period, generated_at, plan_ref=plan_reference(config), plan=plan,
                            carried=carried)
    else:
        wb = build_workbook(agency, tasks, period, generated_at, plan_ref=plan_reference(config), plan=plan,
                            refill=_refill(follow, collection))
    return save_workbook_stable(wb, path)
