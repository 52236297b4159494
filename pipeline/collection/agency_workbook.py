"""Write one report workbook per lead agency (layout in pipeline.collection.sheet_layout).

Task cells are locked, input cells unlocked, the sheets protected without a password (the point
is to prevent accidents, not to keep secrets) and the workbook structure locked, so sheets cannot
be renamed, deleted or unhidden by accident. Output is byte-for-byte deterministic for the same
inputs and `generated_at`.

Carried answers (`Carried`): the agency's last accepted answers are pre-filled in the status,
completion date, progress, results and document cells, on a pale blue fill, with a legend above
the table, a paragraph in «Hướng dẫn» and their digests in the hidden sheet (pipeline.collection.sheet_layout).
A task done on time in that period keeps its row, pre-filled, its input cells locked and grey, with
a note that no new answer is needed. Difficulties and proposals are never carried.

A form sent back for correction (`Refill`): the agency's own values pre-filled as plain answers
(yellow, editable, read back as this period's answers), the refused cells on a light red fill with
a comment giving the reason, and a legend above the table saying why they must be corrected.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Mapping

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.styles.fonts import Font as _Font
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.collection import sheet_layout as L
from pipeline.files import put_value, save_workbook_stable
from pipeline.errors import PipelineError
from pipeline.plan.model import Agency, Master, Task
from pipeline.text.vntext import ascii_slug, format_date_short

TITLE = "PHIẾU BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ"
BODY_SIZE = 12
LINE_HEIGHT = 15.75     # points per line of 12 pt Times New Roman
MAX_ROW_HEIGHT = 409    # Excel's limit
DATE_FORMAT = "dd/mm/yyyy"

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")    # pale yellow: "write here"
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_CARRIED_FILL = PatternFill("solid", fgColor="DDEBF7")  # pale blue: "said last time, check it"
_SETTLED_FILL = PatternFill("solid", fgColor="E7E6E6")  # grey: done on time, locked
_REFUSED_FILL = PatternFill("solid", fgColor="FFC7CE")  # light red: refused, correct it
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")


@dataclass(frozen=True)
class Carried:
    """The previous period's answers to pre-fill. `answers`: (task id, agency code) -> an answer with
    .status (the agency's word), .completed_on, .progress, .results, .output_doc (status.compare.Answer);
    `settled`: ids of the tasks done on time in that period (pre-filled and locked)."""
    period_code: str
    period_label: str
    answers: Mapping[tuple[str, str], object]
    settled: frozenset[str] = field(default_factory=frozenset)

    def for_agency(self, code: str, tasks: list[Task]) -> dict[str, object]:
        """task id -> the agency's carried answer, for its tasks in this form."""
        out = {}
        for task in tasks:
            answer = self.answers.get((task.id, code))
            if answer is not None and answer.status:
                out[task.id] = answer
        return out


@dataclass(frozen=True)
class _Carry:
    """What one form carries: the answers, the locked task ids, the period they come from."""
    label: str
    code: str
    answers: dict[str, object]
    settled: frozenset[str]


@dataclass(frozen=True)
class Refill:
    """A form sent back to its agency to correct: `values` task id -> {input column key: value} written
    as plain answers; `marks` task id -> {column key: reason} for the refused cells (a row-level
    fault is marked on the task id cell); `legend`: the line above the table; `guide`: a paragraph
    added to «Hướng dẫn» ("" for none)."""
    values: Mapping[str, Mapping[str, object]]
    marks: Mapping[str, Mapping[str, str]]
    legend: str
    guide: str = ""


REFUSED_SWATCH = "Cần sửa"


def carried_values(answer) -> dict[str, object]:
    """The cells an answer fills, by column key (a whole progress as an integer)."""
    progress = answer.progress
    if isinstance(progress, float) and progress.is_integer():
        progress = int(progress)
    return {"status": answer.status, "completed_on": answer.completed_on, "progress": progress,
            "results": answer.results or None, "output_doc": answer.output_doc or None}


def answer_digest_of(answer) -> str:
    return L.answer_digest(answer.status, answer.completed_on, answer.progress, answer.results, answer.output_doc)


def plan_reference(config) -> str:
    """"Kế hoạch số <số> ngày <ngày> của <cơ quan ban hành>", from a PlanConfig."""
    return (f"Kế hoạch số {config.plan_number} ngày {format_date_short(config.plan_date)} "
            f"của {config.issuer_name}")


def workbook_filename(period, agency: Agency) -> str:
    """A name a clerk can attach as is: 2022-Q3_SKHDT_So-Ke-hoach-va-Dau-tu.xlsx."""
    return f"{period.code}_{agency.code}_{ascii_slug(agency.name)}.xlsx"


def write_agency_workbooks(master: Master, period, out_dir: Path, generated_at: datetime, *,
                           config=None, plan_ref: str | None = None, plan_number: str | None = None,
                           codes: list[str] | None = None, carried: Carried | None = None) -> list[Path]:
    """One workbook per lead agency (or per code in `codes`) into out_dir; returns the paths.

    The plan is named from `config` (a PlanConfig) or, when given, from `plan_ref`; it is identified
    (hidden sheet) by its number (`plan_number`, else config.plan_number) and all its task ids.
    `carried`: the previous period's answers, pre-filled in each agency's form.
    """
    if plan_ref is None:
        if config is None:
            raise ValueError("write_agency_workbooks needs config or plan_ref")
        plan_ref = plan_reference(config)
    if plan_number is None:
        plan_number = config.plan_number if config is not None else ""
    plan = (plan_number, L.plan_fingerprint(plan_number, master.plan_task_ids))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for code in codes if codes is not None else master.lead_codes():
        agency = master.agencies.get(code)
        if agency is None:
            raise PipelineError(f"Mã cơ quan «{code}» không có trong danh mục cơ quan.")
        tasks = master.tasks_of(code)
        if not tasks:
            continue
        wb = build_workbook(agency, tasks, period, generated_at, plan_ref=plan_ref, plan=plan, carried=carried)
        paths.append(save_workbook_stable(wb, out_dir / workbook_filename(period, agency)))
    return paths


def build_workbook(agency: Agency, tasks: list[Task], period, generated_at: datetime, *,
                   plan_ref: str, plan: tuple[str, str], carried: Carried | None = None,
                   refill: Refill | None = None) -> Workbook:
    """`plan` = (plan number, plan fingerprint) written to the hidden sheet; `carried`: answers to
    pre-fill (an agency with none gets the blank form); `refill`: the agency's own answers and
    refused cells, for a form sent back to be corrected (not combined with `carried`)."""
    if carried is not None and refill is not None:
        raise ValueError("build_workbook takes carried answers or a refill, not both")
    carry = None
    if carried is not None:
        answers = carried.for_agency(agency.code, tasks)
        if answers:
            carry = _Carry(carried.period_label, carried.period_code, answers,
                           frozenset(carried.settled) & frozenset(answers))
    wb = Workbook()
    _default_font(wb)
    wb.properties.creator = plan_ref or "pipeline"
    wb.properties.title = f"{TITLE} – {agency.name} – {period.label}"
    wb.properties.created = wb.properties.modified = generated_at.replace(tzinfo=None, microsecond=0)
    wb.properties.lastModifiedBy = None

    ws = wb.active
    ws.title = L.SHEET_REPORT
    _report_sheet(ws, agency, tasks, period, plan_ref, carry, refill)
    _guide_sheet(wb.create_sheet(L.SHEET_GUIDE), period, plan_ref, carry, refill)
    _meta_sheet(wb.create_sheet(L.SHEET_META), agency, tasks, period, generated_at, plan, carry)
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def _default_font(wb: Workbook) -> None:
    set_default_font(wb, BODY_SIZE)


def set_default_font(wb: Workbook, size: float) -> None:
    """Make Times New Roman `size` the workbook's default font (call on a new, empty workbook).

    openpyxl has no public setter; empty cells and cells typed by the officer use font 0 and the
    "Normal" style, so both become Times New Roman. Column widths are measured in the default
    font's digits: with openpyxl's Calibri, which LibreOffice replaces by a wider font, every
    column prints wider than set."""
    font = _Font(name=L.FONT_NAME, sz=size, family=1)
    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font


def _font(bold=False, italic=False, size=BODY_SIZE) -> Font:
    return Font(name=L.FONT_NAME, size=size, bold=bold, italic=italic)


def _text(ws, ref: str, value, **style):
    """Write text that must stay text (never a formula, even when it starts with "=")."""
    cell = put_value(ws[ref], value)
    cell.font = style.get("font", _font())
    cell.alignment = style.get("alignment", _WRAP_TOP)
    return cell


def _lines(text: str, width: float) -> int:
    per_line = max(1.0, width * 1.15)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _row_height(values: dict[str, str], min_lines: int = 3) -> float:
    lines = max([min_lines] + [_lines(v, L.COLUMN_BY_KEY[k].width) for k, v in values.items() if v])
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 4)


def _table_styles(wb: Workbook) -> dict[str, str]:
    """Named styles for the table cells, one per kind of column (much faster than styling each cell)."""
    def style(name: str, locked: bool, horizontal=None, number_format="General") -> str:
        wb.add_named_style(NamedStyle(
            name=name, font=_font(), border=_BORDER, number_format=number_format,
            alignment=Alignment(wrap_text=True, vertical="top", horizontal=horizontal),
            protection=Protection(locked=locked), fill=PatternFill() if locked else _INPUT_FILL))
        return name
    task_id, task = style("Mã nhiệm vụ", True, "center"), style("Nhiệm vụ", True)
    answer = style("Ô nhập", False)
    kinds = {"task_id": task_id, "completed_on": style("Ô nhập ngày", False, number_format=DATE_FORMAT),
             "progress": style("Ô nhập số", False, number_format="0.##")}
    return {c.key: kinds.get(c.key, task if c.locked else answer) for c in L.COLUMNS}


def _prefilled_styles(wb: Workbook, table: dict[str, str], settled: bool) -> dict[str, str]:
    """Styles of a pre-filled row: carried cells pale blue (still editable), or, for a task done on
    time (`settled`), every input cell grey and locked. Created only in forms that carry answers."""
    prefix, fill = ("Ô đã khóa", _SETTLED_FILL) if settled else ("Ô điền sẵn", _CARRIED_FILL)
    formats = {"completed_on": (" ngày", DATE_FORMAT), "progress": (" số", "0.##")}
    out = dict(table)
    for c in L.COLUMNS:
        if c.locked or (not settled and c.key not in L.CARRIED_KEYS):
            continue
        suffix, number_format = formats.get(c.key, ("", "General"))
        name = prefix + suffix
        if name not in wb.named_styles:
            wb.add_named_style(NamedStyle(
                name=name, font=_font(), border=_BORDER, number_format=number_format,
                alignment=Alignment(wrap_text=True, vertical="top"), protection=Protection(locked=settled),
                fill=fill))
        out[c.key] = name
    return out


def _refused_styles(wb: Workbook) -> dict[str, str]:
    """Styles of refused cells: light red, input cells still unlocked (the task id cell stays locked)."""
    formats = {"completed_on": (" ngày", DATE_FORMAT), "progress": (" số", "0.##")}
    out = {}
    for c in L.COLUMNS:
        suffix, number_format = formats.get(c.key, ("", "General"))
        name = ("Mã nhiệm vụ cần sửa" if c.locked else "Ô cần sửa" + suffix)
        if name not in wb.named_styles:
            wb.add_named_style(NamedStyle(
                name=name, font=_font(), border=_BORDER, number_format=number_format,
                alignment=Alignment(wrap_text=True, vertical="top", horizontal="center" if c.locked else None),
                protection=Protection(locked=c.locked), fill=_REFUSED_FILL))
        out[c.key] = name
    return out


def _report_sheet(ws, agency: Agency, tasks: list[Task], period, plan_ref: str, carry: _Carry | None,
                  refill: Refill | None = None) -> None:
    last = L.LAST_COLUMN
    for c in L.COLUMNS:
        ws.column_dimensions[c.letter].width = c.width

    plan_line = f"{plan_ref} – {period.label}" if plan_ref else period.label
    plan_line += f" (số liệu từ {format_date_short(period.start)} đến {format_date_short(period.end)})"
    for row, value, font in ((L.TITLE_ROW, TITLE, _font(bold=True, size=14)),
                             (L.PLAN_ROW, plan_line, _font(italic=True)),
                             (L.AGENCY_ROW, f"Cơ quan báo cáo: {agency.name}", _font(bold=True, size=13))):
        ws.merge_cells(f"A{row}:{last}{row}")
        _text(ws, f"A{row}", value, font=font, alignment=_CENTER)
        ws.row_dimensions[row].height = 21

    unlocked = Protection(locked=False)
    for f in L.HEADER_FIELDS:
        _text(ws, f.label_cell, f.label, font=_font(bold=True),
              alignment=Alignment(horizontal="right", vertical="center"))
        if f.merge_to != f.value_cell:
            ws.merge_cells(f"{f.value_cell}:{f.merge_to}")
        cell = ws[f.value_cell]
        cell.font = _font()
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        cell.protection = unlocked
        cell.fill = _INPUT_FILL
        if f.key == "report_date":
            cell.number_format = DATE_FORMAT

    for c in L.COLUMNS:
        cell = _text(ws, f"{c.letter}{L.HEADER_ROW}", c.title, font=_font(bold=True), alignment=_CENTER)
        cell.border = _BORDER
        cell.fill = _HEADER_FILL
    ws.row_dimensions[L.HEADER_ROW].height = 36

    styles = _table_styles(ws.parent)
    if carry:
        row_styles = {settled: _prefilled_styles(ws.parent, styles, settled)
                      for settled in ((False, True) if carry.settled else (False,))}
        _legend(ws, carry)
    if refill:
        refused = _refused_styles(ws.parent)
        _refill_legend(ws, refill)
    for i, task in enumerate(tasks):
        r = L.FIRST_DATA_ROW + i
        values = dict(zip(L.LOCKED_KEYS, L.locked_values(task)))
        answer = carry.answers.get(task.id) if carry else None
        style = styles
        if answer is not None:
            values.update(carried_values(answer))
            style = row_styles[task.id in carry.settled]
        marks = {}
        if refill:
            values.update({k: v for k, v in refill.values.get(task.id, {}).items() if k in L.INPUT_KEYS})
            for key, reason in refill.marks.get(task.id, {}).items():
                key = key if key in L.INPUT_KEYS else "task_id"
                marks[key] = f"{marks[key]}\n{reason}" if key in marks else reason
        for c in L.COLUMNS:
            cell = ws.cell(r, L.COLUMNS.index(c) + 1)
            cell.style = refused[c.key] if c.key in marks else style[c.key]
            if c.key in values:
                put_value(cell, values[c.key])
            if c.key in marks:
                note = Comment(f"Bị loại: {marks[c.key]}", "Văn phòng UBND")
                note.width, note.height = 300, min(400, 60 + 20 * _lines(marks[c.key], 40))
                cell.comment = note
        if answer is not None and task.id in carry.settled:
            note = Comment(f"Nhiệm vụ đã hoàn thành đúng hạn theo báo cáo {carry.label}; không cần báo cáo lại. "
                           "Các ô của dòng này đã khóa.", "Văn phòng UBND")
            note.width, note.height = 260, 80
            ws.cell(r, L.COLUMNS.index(L.COLUMN_BY_KEY["status"]) + 1).comment = note
        ws.row_dimensions[r].height = _row_height({k: v for k, v in values.items() if isinstance(v, str)})

    last_row = L.FIRST_DATA_ROW + max(len(tasks), 1) - 1
    _validations(ws, period, last_row)

    ws.freeze_panes = f"B{L.FIRST_DATA_ROW}"
    ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
    ws.print_area = f"A1:{last}{last_row}"
    _print_setup(ws)
    _protect(ws)


def _legend(ws, carry: _Carry) -> None:
    """Row 7, above the table: what the pale blue and the grey cells mean."""
    r = L.LEGEND_ROW
    blue = (f"Ô nền xanh: câu trả lời của cơ quan trong báo cáo {carry.label} (tình trạng, ngày hoàn thành, tiến độ, "
            "kết quả, văn bản), điền sẵn. Kiểm tra và chỉ sửa những gì đã thay đổi; khó khăn, đề xuất ghi mới cho kỳ này.")
    grey = "Dòng nền xám: nhiệm vụ đã hoàn thành đúng hạn, đã khóa, không cần báo cáo lại."
    cells = [("A", "D", "Điền sẵn", blue, _CARRIED_FILL)]
    if carry.settled:
        cells.append(("E", L.LAST_COLUMN, "Đã khóa", grey, _SETTLED_FILL))
    else:
        cells[0] = ("A", L.LAST_COLUMN, "Điền sẵn", blue, _CARRIED_FILL)
    lines = 1
    for first, last, swatch, text, fill in cells:
        key = L.COLUMNS[ord(first) - ord("A")]
        cell = _text(ws, f"{first}{r}", swatch, font=_font(bold=True, size=11), alignment=_CENTER)
        cell.fill, cell.border = fill, _BORDER
        start = chr(ord(first) + 1)
        ws.merge_cells(f"{start}{r}:{last}{r}")
        _text(ws, f"{start}{r}", text, font=_font(italic=True, size=11),
              alignment=Alignment(wrap_text=True, vertical="center"))
        width = sum(c.width for c in L.COLUMNS[L.COLUMNS.index(key) + 1: ord(last) - ord("A") + 1])
        lines = max(lines, _lines(text, width))
    ws.row_dimensions[r].height = lines * LINE_HEIGHT + 4


def _refill_legend(ws, refill: Refill) -> None:
    """Row 7, above the table: what the light red cells mean (without refused cells, the line alone)."""
    r = L.LEGEND_ROW
    first = "A"
    if refill.marks:
        cell = _text(ws, f"A{r}", REFUSED_SWATCH, font=_font(bold=True, size=11), alignment=_CENTER)
        cell.fill, cell.border = _REFUSED_FILL, _BORDER
        first = "B"
    ws.merge_cells(f"{first}{r}:{L.LAST_COLUMN}{r}")
    _text(ws, f"{first}{r}", refill.legend, font=_font(italic=True, size=11),
          alignment=Alignment(wrap_text=True, vertical="center"))
    width = sum(c.width for c in L.COLUMNS[ord(first) - ord("A"):])
    ws.row_dimensions[r].height = _lines(refill.legend, width) * LINE_HEIGHT + 4


def _col_range(key: str, last_row: int) -> str:
    letter = L.COLUMN_BY_KEY[key].letter
    return f"{letter}{L.FIRST_DATA_ROW}:{letter}{last_row}"


def _excel_date(d: date) -> str:
    return f"DATE({d.year},{d.month},{d.day})"


def _validations(ws, period, last_row: int) -> None:
    end = format_date_short(period.end)
    status = DataValidation(type="list", formula1='"' + ",".join(L.STATUSES) + '"', allow_blank=True)
    status.promptTitle = "Tình trạng"
    status.prompt = "Chọn một trong ba giá trị: " + "; ".join(L.STATUSES) + "."
    status.errorTitle = "Tình trạng không hợp lệ"
    status.error = "Chỉ chọn trong danh sách: " + "; ".join(L.STATUSES) + "."
    status.add(_col_range("status", last_row))

    done_on = DataValidation(type="date", operator="lessThanOrEqual", formula1=_excel_date(period.end),
                             allow_blank=True)
    done_on.promptTitle = "Ngày hoàn thành"
    done_on.prompt = (f"Chỉ ghi khi đã hoàn thành. Nhập ngày/tháng/năm, ví dụ {format_date_short(period.end)}; "
                      f"không sau ngày chốt số liệu {end}.")
    done_on.errorTitle = "Ngày không hợp lệ"
    done_on.error = f"Nhập một ngày dạng ngày/tháng/năm, không sau ngày {end}."
    done_on.add(_col_range("completed_on", last_row))

    progress = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
    progress.promptTitle = "Tiến độ (%)"
    progress.prompt = "Nhập một số từ 0 đến 100 (không ghi dấu %). Đã hoàn thành thì ghi 100."
    progress.errorTitle = "Tiến độ không hợp lệ"
    progress.error = "Tiến độ là một số từ 0 đến 100."
    progress.add(_col_range("progress", last_row))

    report_date = DataValidation(type="date", operator="greaterThanOrEqual",
                                 formula1=_excel_date(period.start), allow_blank=True)
    report_date.promptTitle = "Ngày báo cáo"
    report_date.prompt = "Ngày ký hoặc ngày gửi báo cáo, dạng ngày/tháng/năm."
    report_date.errorTitle = "Ngày không hợp lệ"
    report_date.error = f"Nhập một ngày dạng ngày/tháng/năm, từ ngày {format_date_short(period.start)} trở đi."
    report_date.add(L.HEADER_BY_KEY["report_date"].value_cell)

    targets = DataValidation(type="list", formula1=f"{L.SHEET_META}!{L.TARGETS_RANGE}", allow_blank=True)
    targets.promptTitle = "Kiến nghị với"
    targets.prompt = ("Nếu có đề xuất, kiến nghị: chọn nơi nhận kiến nghị (" + "; ".join(L.PROPOSAL_TARGETS)
                      + "). Kiến nghị bộ, ngành thì ghi tên bộ, ngành ở cột bên phải.")
    targets.errorTitle = "Nơi nhận kiến nghị không hợp lệ"
    targets.error = "Chỉ chọn trong danh sách: " + "; ".join(L.PROPOSAL_TARGETS) + "."
    targets.add(_col_range("proposal_to", last_row))

    for dv in (status, done_on, progress, report_date, targets):
        dv.showInputMessage = True
        dv.showErrorMessage = True
        dv.errorStyle = "stop"
        ws.add_data_validation(dv)


def _print_setup(ws) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = L.FONT_NAME


def _protect(ws) -> None:
    p = ws.protection
    p.sheet = True
    # Allowed without unprotecting: resize rows/columns (long answers), select any cell.
    p.formatRows = False
    p.formatColumns = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def _guide_sheet(ws, period, plan_ref: str, carry: _Carry | None = None, refill: Refill | None = None) -> None:
    for c in L.COLUMNS:
        ws.column_dimensions[c.letter].width = c.width
    end = format_date_short(period.end)
    paragraphs = [
        ("HƯỚNG DẪN ĐIỀN PHIẾU BÁO CÁO", _font(bold=True, size=14)),
        (f"Phiếu dùng để báo cáo kết quả thực hiện các nhiệm vụ cơ quan được giao chủ trì theo {plan_ref}, "
         f"{period.label}. Số liệu tính từ ngày {format_date_short(period.start)} đến ngày {end}.", None),
        ("1. Điền vào trang «Báo cáo». Chỉ các ô nền vàng được nhập; các cột Mã nhiệm vụ, Nội dung nhiệm vụ, "
         "Thời hạn, Sản phẩm dự kiến đã khóa. Không thêm, xóa, đổi thứ tự dòng; không đổi tên trang.", None),
        ("2. Ghi họ và tên, chức vụ, điện thoại của người báo cáo và ngày báo cáo ở đầu trang.", None),
        ("3. Tình trạng: chọn một trong ba giá trị " + ", ".join(f"«{s}»" for s in L.STATUSES) + ".", None),
        (f"4. Ngày hoàn thành: chỉ ghi khi nhiệm vụ đã hoàn thành, dạng ngày/tháng/năm (ví dụ {end}); "
         f"không sau ngày chốt số liệu {end}.", None),
        ("5. Tiến độ (%): một số từ 0 đến 100, không ghi dấu %. Nhiệm vụ đã hoàn thành ghi 100.", None),
        ("6. Kết quả thực hiện: nêu ngắn gọn việc đã làm, kết quả cụ thể. Số, ký hiệu văn bản / sản phẩm: "
         "văn bản hoặc sản phẩm chứng minh kết quả (số, ký hiệu, ngày ban hành).", None),
        ("7. Khó khăn, vướng mắc và Đề xuất, kiến nghị: ghi nếu có; không có thì để trống. Mỗi đề xuất, kiến nghị "
         "chọn nơi nhận ở cột «Kiến nghị với»: " + ", ".join(f"«{t}»" for t in L.PROPOSAL_TARGETS) + "; kiến nghị "
         f"«{L.PROPOSAL_TO_MINISTRY}» thì ghi tên bộ, ngành (ví dụ Bộ Giao thông vận tải) ở cột bên phải. "
         "Chỉ kiến nghị với Thủ tướng Chính phủ và các bộ, ngành Trung ương được đưa vào báo cáo gửi Chính phủ.",
         None),
        ("8. Lưu tệp dạng .xlsx (không lưu thành .xls, .csv hay .xlsm) và gửi lại. Có thể đổi tên tệp: hệ thống "
         "nhận biết phiếu qua nội dung. Nếu gửi bổ sung, phiếu có ngày báo cáo muộn hơn sẽ được dùng.", None),
    ]
    if carry:
        paragraphs.append((
            f"9. Phiếu đã điền sẵn câu trả lời của cơ quan trong báo cáo {carry.label} (ô nền xanh: tình trạng, ngày "
            "hoàn thành, tiến độ, kết quả thực hiện, văn bản / sản phẩm). Kiểm tra từng dòng và chỉ sửa những gì đã "
            "thay đổi; các ô nền xanh được sửa như ô nền vàng. Khó khăn, vướng mắc và đề xuất, kiến nghị không được "
            "điền sẵn: ghi mới cho kỳ này nếu có. "
            + ("Nhiệm vụ đã hoàn thành đúng hạn (dòng nền xám) đã khóa, không cần báo cáo lại. " if carry.settled else "")
            + "Câu trả lời điền sẵn gửi lại không sửa được dùng làm báo cáo của kỳ này; phiếu gửi lại không thay đổi "
            "nội dung nào được ghi nhận là cơ quan không có cập nhật so với kỳ trước.", None))
    if refill and refill.guide:
        paragraphs.append((refill.guide, None))
    paragraphs.append(("Dòng ví dụ (chỉ để tham khảo, không điền vào trang này):", _font(italic=True)))
    last = L.LAST_COLUMN
    row = 1
    for text, font in paragraphs:
        ws.merge_cells(f"A{row}:{last}{row}")
        _text(ws, f"A{row}", text, font=font or _font(), alignment=Alignment(wrap_text=True, vertical="top"))
        ws.row_dimensions[row].height = _lines(text, 230) * LINE_HEIGHT + 4
        row += 1
    row += 1
    for c in L.COLUMNS:
        cell = _text(ws, f"{c.letter}{row}", c.title, font=_font(bold=True), alignment=_CENTER)
        cell.border = _BORDER
        cell.fill = _HEADER_FILL
    ws.row_dimensions[row].height = 36
    done = period.end - timedelta(days=30)
    example = {
        "task_id": "(ví dụ)",
        "content": "Xây dựng kế hoạch triển khai nhiệm vụ được giao",
        "deadline": f"Tháng {period.end.month}/{period.year}",
        "product": "Kế hoạch được ban hành",
        "status": L.STATUS_DONE,
        "completed_on": done,
        "progress": 100,
        "results": "Đã tham mưu ban hành Kế hoạch triển khai; tổ chức hội nghị quán triệt đến các phòng, "
                   "đơn vị trực thuộc.",
        "output_doc": f"Kế hoạch số 45/KH-ĐV ngày {format_date_short(done)}",
        "difficulties": "Một số nội dung cần hướng dẫn của bộ, ngành Trung ương.",
        "proposals": "Đề nghị Bộ Kế hoạch và Đầu tư sớm có văn bản hướng dẫn thực hiện.",
        "proposal_to": L.PROPOSAL_TO_MINISTRY,
        "proposal_ministry": "Bộ Kế hoạch và Đầu tư",
    }
    row += 1
    for c in L.COLUMNS:
        cell = _text(ws, f"{c.letter}{row}", example[c.key] if example[c.key] != "" else None)
        cell.border = _BORDER
    ws[f"{L.COLUMN_BY_KEY['completed_on'].letter}{row}"].number_format = DATE_FORMAT
    ws.row_dimensions[row].height = _row_height({k: str(v) for k, v in example.items()})
    _print_setup(ws)
    _protect(ws)


def _meta_sheet(ws, agency: Agency, tasks: list[Task], period, generated_at: datetime,
                plan: tuple[str, str], carry: _Carry | None = None) -> None:
    values = {
        L.META_AGENCY: agency.code,
        L.META_PERIOD: period.code,
        L.META_VERSION: L.TEMPLATE_VERSION,
        L.META_GENERATED: generated_at.replace(microsecond=0).isoformat(),
        L.META_FINGERPRINT: L.task_fingerprint(tasks),
        L.META_TASK_COUNT: str(len(tasks)),
        L.META_PLAN_NUMBER: plan[0],
        L.META_PLAN_FINGERPRINT: plan[1],
    }
    rows = [(key, values[key]) for key in L.META_KEYS]
    if carry:
        rows.append((L.META_CARRIED_FROM, carry.code))
        rows += [((L.META_LOCKED_PREFIX if t.id in carry.settled else L.META_CARRIED_PREFIX) + t.id,
                  answer_digest_of(carry.answers[t.id])) for t in tasks if t.id in carry.answers]
    for i, (key, value) in enumerate(rows, start=1):
        _text(ws, f"A{i}", key)
        _text(ws, f"B{i}", value)
    for i, word in enumerate(L.PROPOSAL_TARGETS, start=1):   # the "Kiến nghị với" dropdown's source
        _text(ws, f"D{i}", word)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


