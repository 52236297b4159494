"""Import a plan's task appendix from Word into the master workbook.

The appendix is a table (in scans: one table per page) with the columns TT | Nội dung |
Cơ quan chủ trì thực hiện | Cơ quan phối hợp | Thời gian thực hiện | Sản phẩm. The header row
repeats on every page, a row cut at a page end continues on the next page with an empty TT,
section rows ("I …", "II …") start a section and a group row ("4", whose sub-items are "4.1",
"4.2") gives its text to its sub-items. Tasks get the ids "I.1", "III.4.1".

Each task gets a short name (column «Tên gọn»): the officer's, kept from the master given with
`--registry` when the task's text is unchanged, else a proposal (pipeline.plan.names) the officer corrects.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.table import _Cell
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from pipeline.files import put_value, save_workbook_stable
from pipeline.plan.deadlines import parse_deadline
from pipeline.errors import WARNING, PipelineError, ProblemList
from pipeline.plan.master import (ADJUSTMENT_COLUMNS, ADJUSTMENT_SHEET, AGENCY_COLUMNS, AGENCY_SHEET, CORRECTION_COLUMNS,
                             CORRECTION_SHEET, EMAIL_COLUMN, SHORT_NAME_COLUMN,
                             TASK_COLUMNS, TASK_SHEET, load_corrections, load_registry, load_short_names)
from pipeline.plan.model import Agency, Correction, Deadline, Task
from pipeline.text.print_policy import lay_out
from pipeline.plan.names import propose_short_name
from pipeline.text.vntext import clean_cell, fold

TT, CONTENT, LEAD, COORD, DEADLINE, PRODUCT = range(6)
COLUMN_NAMES = ("TT", "Nội dung", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp",
                "Thời gian thực hiện", "Sản phẩm")
# Folded header texts (or their beginnings) that name each column, in headers and in corrections.
_COLUMN_KEYS = (("tt", "stt"), ("nội dung",), ("cơ quan chủ trì", "chủ trì"),
                ("cơ quan phối hợp", "phối hợp"), ("thời gian", "thời hạn"), ("sản phẩm",))

_ROMAN = re.compile(r"^[IVX]+\.?$")
_SECTION_IN_FIRST = re.compile(r"^(?P<num>[IVX]+)\.?\s+(?P<title>\S.*)$", re.S)
_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
_QUALIFIER = re.compile(r"\(([^()]*)\)")
_INVITE = re.compile(r"^(đề nghị|mời)\s+(?P<rest>.+)$", re.I | re.S)
_WHERE_TASK = re.compile(r"^nhiệm vụ\s+(?P<id>[ivx]+(?:\.\d+)+)\s*,\s*cột\s+(?P<col>.+)$")


@dataclass
class ImportResult:
    tasks: list[Task]
    problems: ProblemList
    applied: list[Correction]
    kept_names: tuple[str, ...] = ()    # ids of the tasks whose officer's short name was kept


def _column_of(label: str) -> int | None:
    key = fold(label)
    for col, prefixes in enumerate(_COLUMN_KEYS):
        if any(key == p or key.startswith(p + " ") for p in prefixes):
            return col
    return None


# ---------------------------------------------------------------- reading the Word tables

@dataclass
class _Row:
    table: int          # 1-based table number in the document
    row: int            # 1-based row number in that table, header row included
    cells: list[str]    # one text per canonical column, cleaned


def _grid_texts(table, row) -> list[str]:
    """Texts of one row by grid column; a merged cell's text sits in its first column only."""
    texts = [""] * row.grid_cols_before
    # row.cells repeats a merged cell (and the cell above, for vertical merges): walk the
    # cell elements instead so each text is read once.
    for tc in row._tr.tc_lst:
        text = "" if tc.vMerge == "continue" else _Cell(tc, table).text
        texts.extend([text] + [""] * (tc.grid_span - 1))
    return texts


def _header_map(texts: list[str]) -> dict[int, int] | None:
    """Grid position -> canonical column, when `texts` is the appendix header row."""
    mapping = {}
    for pos, text in enumerate(texts):
        col = _column_of(text) if text.strip() else None
        if col is not None and col not in mapping.values():
            mapping[pos] = col
    return mapping if sorted(mapping.values()) == list(range(6)) else None


def _open(path: Path):
    if not path.is_file():
        raise PipelineError(f"Không tìm thấy tệp kế hoạch «{path}».")
    try:
        return docx.Document(str(path))
    except Exception:  # python-docx raises many kinds for a file that is not .docx
        raise PipelineError(f"Không đọc được «{path.name}»: tệp không phải văn bản Word .docx "
                            "hợp lệ (tệp .doc cũ cần được lưu lại dưới dạng .docx).") from None


def _read_rows(path: Path, problems: ProblemList) -> list[_Row]:
    """The rows of every appendix table (a table holding the header row), headers left out."""
    rows: list[_Row] = []
    found = False
    for t_no, table in enumerate(_open(path).tables, start=1):
        mapping = None
        for r_no, row in enumerate(table.rows, start=1):
            texts = [clean_cell(x) for x in _grid_texts(table, row)]
            header = _header_map(texts)
            if header is not None:
                mapping, found = header, True
                continue
            if mapping is None:
                continue    # rows above the header (a title), or not an appendix table
            cells = [""] * 6
            for pos, text in enumerate(texts):
                if pos in mapping:
                    cells[mapping[pos]] = text
                elif text:
                    problems.add(path.name, f"ô nằm ngoài các cột của bảng phụ lục: «{text}»",
                                 sheet=f"Bảng {t_no}", row=r_no, column=f"cột thứ {pos + 1}")
            rows.append(_Row(t_no, r_no, cells))
        if mapping is None and found:
            problems.add(path.name, "bảng nằm sau phụ lục nhưng không có dòng tiêu đề «TT | Nội "
                         "dung | …» nên không được đọc", severity=WARNING, sheet=f"Bảng {t_no}")
    if not found:
        problems.add(path.name, "không tìm thấy bảng phụ lục nhiệm vụ (dòng tiêu đề "
                     "«TT | Nội dung | Cơ quan chủ trì thực hiện | …»)")
    return rows


# ---------------------------------------------------------------- rows -> raw tasks

@dataclass
class _Raw:
    """A numbered row (task or group) as read, before corrections and resolution."""
    section: str
    section_title: str
    number: str
    cells: list[str]
    where: list[tuple[int, int] | None]     # per column: (table, row) of its first text
    parent: _Raw | None = None
    children: int = 0

    @property
    def id(self) -> str:
        return f"{self.section}.{self.number}"


def _join(old: str, new: str) -> str:
    if not old:
        return new
    return f"{old}\n{new}" if new.startswith(("-", "–", "+", "•")) else f"{old} {new}"


def _section_of(cells: list[str]) -> tuple[str, str] | None:
    tt, rest = cells[TT], cells[1:]
    if _ROMAN.match(tt) and rest[0] and not any(rest[1:]):
        return tt.rstrip("."), rest[0]
    m = _SECTION_IN_FIRST.match(tt)
    if m and not any(rest) and m.group("title") == m.group("title").upper():
        return m.group("num"), m.group("title").strip()
    return None


def _structure(rows: list[_Row], file: str, problems: ProblemList) -> list[_Raw]:
    """Numbered rows with continuation rows joined in; whether a row is a group (it has
    sub-items "4.1" …) is only known once all rows are read."""
    raws: list[_Raw] = []
    seen: dict[str, _Raw] = {}
    section = title = ""
    current: _Raw | None = None
    for r in rows:
        cells, loc = r.cells, dict(file=file, sheet=f"Bảng {r.table}", row=r.row)
        if not any(cells):
            continue
        sec = _section_of(cells)
        if sec:
            section, title = sec
            current = None
            continue
        tt = cells[TT].rstrip(".")
        if not tt:
            if current is None:
                problems.add(message="dòng không có số thứ tự (TT) và không nối tiếp nhiệm vụ nào",
                             column=COLUMN_NAMES[TT], **loc)
                continue
            for col in range(1, 6):
                if cells[col]:
                    current.cells[col] = _join(current.cells[col], cells[col])
                    current.where[col] = current.where[col] or (r.table, r.row)
            continue
        current = None
        if not _NUMBER.match(tt):
            problems.add(message=f"số thứ tự «{cells[TT]}» không hợp lệ (dạng 1, 2, 4.1 …)",
                         column=COLUMN_NAMES[TT], **loc)
            continue
        if not section:
            problems.add(message=f"mục {tt} nằm trước dòng tên phần (I, II, III …)",
                         column=COLUMN_NAMES[TT], **loc)
            continue
        raw = _Raw(section, title, tt, list(cells),
                   [(r.table, r.row) if c else None for c in cells])
        if "." in tt:
            parent_id = f"{section}.{tt.rsplit('.', 1)[0]}"
            raw.parent = seen.get(parent_id)
            if raw.parent is None:
                problems.add(message=f"mục {raw.id} không có dòng nhóm {parent_id} đứng trước",
                             column=COLUMN_NAMES[TT], severity=WARNING, **loc)
            else:
                raw.parent.children += 1
        if raw.id in seen:
            first = seen[raw.id].where[TT]
            problems.add(message=f"mã nhiệm vụ {raw.id} trùng với bảng {first[0]}, dòng {first[1]}",
                         column=COLUMN_NAMES[TT], **loc)
            continue
        seen[raw.id] = current = raw
        raws.append(raw)
    return raws


# ---------------------------------------------------------------- corrections

def _correction_target(c: Correction) -> tuple[str, int] | str | None:
    """(task id, column) of a task correction; None for one on the plan text; else why not."""
    key = fold(c.where)
    if not key.startswith("nhiệm vụ"):
        return None
    m = _WHERE_TASK.match(key)
    col = _column_of(m.group("col")) if m else None
    if m is None or col is None:
        return f"không hiểu vị trí đính chính «{c.where}» (dạng: «Nhiệm vụ III.1, cột Nội dung»)"
    return m.group("id").upper(), col


def _apply_corrections(raws: list[_Raw], corrections: list[Correction], file: str,
                       problems: ProblemList) -> list[Correction]:
    by_id = {r.id: r for r in raws}
    applied = []
    for c in corrections:
        target = _correction_target(c)
        if target is None:
            continue
        if isinstance(target, str):
            problems.add(file, f"danh sách đính chính: {target}", severity=WARNING)
            continue
        task_id, col = target
        raw = by_id.get(task_id)
        original = unicodedata.normalize("NFC", c.original)
        if raw is None:
            problems.add(file, f"đính chính «{c.original}» → «{c.corrected}» ghi cho nhiệm vụ "
                         f"{task_id}, nhưng phụ lục không có nhiệm vụ này", severity=WARNING)
        elif not original or original not in raw.cells[col]:
            problems.add(file, f"đính chính «{c.original}» → «{c.corrected}» không khớp với nội "
                         f"dung ô của nhiệm vụ {task_id}", severity=WARNING,
                         column=COLUMN_NAMES[col], **_loc(raw, col))
        else:
            raw.cells[col] = raw.cells[col].replace(
                original, unicodedata.normalize("NFC", c.corrected))
            applied.append(c)
    return applied


def _loc(raw: _Raw, col: int) -> dict:
    table, row = raw.where[col] or raw.where[TT]
    return {"sheet": f"Bảng {table}", "row": row}


# ---------------------------------------------------------------- agencies

def _registry_index(registry: dict[str, Agency]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for code, a in registry.items():
        for name in (a.name, a.short_name, *a.aliases):
            if name and name.strip():
                index.setdefault(fold(name), set()).add(code)
    return index


def _resolve_prefix(words: list[str], index: dict[str, set[str]]) -> tuple[str, set[str]]:
    """The longest run of leading words that names an agency (codes empty when none does)."""
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n]).strip(" ,.:")
        if fold(name) in index:
            return name, index[fold(name)]
    return "", set()


def _parse_leads(raw: _Raw, index, file: str, problems: ProblemList) -> tuple[tuple[str, ...], str]:
    """Lead codes and the note written with them ("(theo chức năng …)", "đề nghị … ")."""
    text = raw.cells[LEAD]
    loc = dict(column=COLUMN_NAMES[LEAD], **_loc(raw, LEAD))
    if not text:
        problems.add(file, f"nhiệm vụ {raw.id} không có cơ quan chủ trì", **loc)
        return (), ""
    notes = [" ".join(n.split()) for n in _QUALIFIER.findall(text)]
    codes: list[str] = []
    for part in re.split(r"[;\n]", _QUALIFIER.sub(" ", text)):
        part = " ".join(part.split()).strip(" -–+•,.")
        if not part:
            continue
        invite = _INVITE.match(part)
        if invite:
            # "đề nghị Văn phòng Tỉnh ủy tham mưu …": the agency asked leads; keep the sentence.
            notes.insert(0, part)
            name, found = _resolve_prefix(invite.group("rest").split(), index)
            if not found:
                problems.add(file, f"nhiệm vụ {raw.id}: sau «{invite.group(1)}» không có tên cơ "
                             f"quan nào trong danh mục cơ quan: «{part}»", **loc)
                continue
        else:
            name, found = part, index.get(fold(part), set())
        for code in _one_code(raw, name, found, file, problems, loc):
            if code not in codes:
                codes.append(code)
    return tuple(codes), "; ".join(notes)


def _one_code(raw, name, codes, file, problems, loc) -> tuple[str, ...]:
    if len(codes) == 1:
        return (next(iter(codes)),)
    if not codes:
        problems.add(file, f"nhiệm vụ {raw.id}: không tìm thấy cơ quan «{name}» trong danh mục "
                     "cơ quan (thêm tên này vào cột «Tên gọi khác» của cơ quan đúng)", **loc)
    else:
        problems.add(file, f"nhiệm vụ {raw.id}: tên «{name}» ứng với nhiều cơ quan "
                     f"({', '.join(sorted(codes))}) trong danh mục cơ quan", **loc)
    return ()


# ---------------------------------------------------------------- the import

def _task(raw: _Raw, index, file: str, problems: ProblemList, order: int, short_name: str) -> Task:
    if not raw.cells[CONTENT]:
        problems.add(file, f"nhiệm vụ {raw.id} không có nội dung", column=COLUMN_NAMES[CONTENT],
                     **_loc(raw, TT))
    codes, note = _parse_leads(raw, index, file, problems)
    try:
        deadline = parse_deadline(raw.cells[DEADLINE])
    except ValueError as exc:
        problems.add(file, f"nhiệm vụ {raw.id}: {exc}", column=COLUMN_NAMES[DEADLINE],
                     **_loc(raw, DEADLINE))
        deadline = Deadline(raw.cells[DEADLINE], "per_plan", None)    # never written: an error
    return Task(
        id=raw.id, section=raw.section, section_title=raw.section_title, number=raw.number,
        group=raw.parent.cells[CONTENT] if raw.parent else "", content=raw.cells[CONTENT],
        lead_codes=codes, lead_note=note, coordinators=raw.cells[COORD], deadline=deadline,
        product=raw.cells[PRODUCT], order=order, short_name=short_name)


def import_plan(docx_path: Path, registry: dict[str, Agency], corrections: list[Correction],
                names: dict[str, tuple[str, str]] | None = None) -> ImportResult:
    """Read the appendix of `docx_path` into tasks; every problem is reported, none raised. `names`: task id ->
    (content, short name) of the master in use: a name is kept for the same id with the same content."""
    path = Path(docx_path)
    problems = ProblemList()
    rows = _read_rows(path, problems)
    raws = _structure(rows, path.name, problems)
    applied = _apply_corrections(raws, corrections, path.name, problems)
    index = _registry_index(registry)
    tasks: list[Task] = []
    kept: list[str] = []
    for raw in raws:
        if raw.children:
            if any(raw.cells[c] for c in (LEAD, COORD, DEADLINE, PRODUCT)):
                problems.add(path.name, f"dòng {raw.id} có mục con nhưng lại ghi cơ quan, thời "
                             "gian hoặc sản phẩm: nhiệm vụ phải ghi ở các mục con",
                             column=COLUMN_NAMES[LEAD], **_loc(raw, TT))
            continue
        content, name = (names or {}).get(raw.id, ("", ""))
        if name and content == raw.cells[CONTENT]:
            kept.append(raw.id)
        else:
            name = propose_short_name(raw.cells[CONTENT])
        tasks.append(_task(raw, index, path.name, problems, order=len(tasks), short_name=name))
    return ImportResult(tasks, problems, applied, tuple(kept))


# ---------------------------------------------------------------- the master workbook

TASK_WIDTHS = (10, 7, 30, 6, 30, 70, 18, 30, 45, 18, 55, 40)
AGENCY_WIDTHS = (14, 45, 25, 70, 45)
CORRECTION_WIDTHS = (40, 35, 35, 50)
ADJUSTMENT_WIDTHS = (14, 16, 18, 22, 14, 35, 40)

_FONT = Font(name="Times New Roman", size=12)
_BOLD = Font(name="Times New Roman", size=12, bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(wb: Workbook, title: str, headers, widths, rows) -> None:
    ws = wb.create_sheet(title)
    for r, values in enumerate([list(headers), *rows], start=1):
        for c, value in enumerate(values, start=1):
            cell = put_value(ws.cell(row=r, column=c), value)
            cell.font = _BOLD if r == 1 else _FONT
            cell.alignment = _WRAP
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    lay_out(ws, title_rows=(1, 1), body_size=_FONT.sz, last_col=len(headers))


def write_master(result: ImportResult, registry: dict[str, Agency],
                 corrections: list[Correction], out_path: Path) -> None:
    """Write the master workbook (Nhiệm vụ, Cơ quan, Đính chính, an empty Điều chỉnh) atomically."""
    result.problems.raise_if_errors("Phụ lục kế hoạch có lỗi, chưa ghi bảng nhiệm vụ")
    wb = Workbook()
    wb._named_styles["Normal"].font = _FONT    # column widths count the cells' font's digits
    wb.remove(wb.active)
    _sheet(wb, TASK_SHEET, [*TASK_COLUMNS, SHORT_NAME_COLUMN], TASK_WIDTHS, (
        (t.id, t.section, t.section_title, t.number, t.group, t.content, "; ".join(t.lead_codes),
         t.lead_note, t.coordinators, t.deadline.text, t.product, t.short_name) for t in result.tasks))
    _sheet(wb, AGENCY_SHEET, [*AGENCY_COLUMNS, EMAIL_COLUMN], AGENCY_WIDTHS, (
        (a.code, a.name, a.short_name, "; ".join(a.aliases), a.email) for a in registry.values()))
    _sheet(wb, CORRECTION_SHEET, CORRECTION_COLUMNS, CORRECTION_WIDTHS, (
        (c.where, c.original, c.corrected, c.note) for c in corrections))
    _sheet(wb, ADJUSTMENT_SHEET, ADJUSTMENT_COLUMNS, ADJUSTMENT_WIDTHS, ())   # filled by hand as decisions come
    wb.properties.creator = "baocao-pipeline"
    save_workbook_stable(wb, Path(out_path))


# ---------------------------------------------------------------- command line

def _print_names(result: ImportResult) -> None:
    """What the officer has to do about the short names (column «Tên gọn»)."""
    proposed = [t.id for t in result.tasks if t.short_name and t.id not in result.kept_names]
    missing = [t.id for t in result.tasks if not t.short_name]
    if result.kept_names:
        print(f"Giữ tên gọn đã có của {len(result.kept_names)} nhiệm vụ (nội dung không đổi).")
    if proposed:
        print(f"Đã đề xuất tên gọn cho {len(proposed)} nhiệm vụ: {', '.join(proposed)}; xem lại và sửa ở cột "
              f"«{SHORT_NAME_COLUMN}» (tên gọn đứng giữa câu, ví dụ «lập Quy hoạch tỉnh»).")
    if missing:
        print(f"{len(missing)} nhiệm vụ chưa có tên gọn (nội dung dài, không tự rút gọn): {', '.join(missing)}; "
              f"điền ở cột «{SHORT_NAME_COLUMN}», nếu để trống báo cáo gọi nhiệm vụ bằng mã.")


def cmd_import_plan(docx: Path, output: Path, registry_from: Path) -> int:
    """`import-plan`: read the appendix, print a summary, write the master when error-free."""
    try:
        registry = load_registry(Path(registry_from))
        corrections = load_corrections(Path(registry_from))
        result = import_plan(Path(docx), registry, corrections, load_short_names(Path(registry_from)))
    except PipelineError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    per_section = Counter(t.section for t in result.tasks)
    parts = "".join(f", phần {s}: {n}" for s, n in per_section.items())
    print(f"Đã đọc {len(result.tasks)} nhiệm vụ từ «{Path(docx).name}»{parts}.")
    print(f"Đã áp dụng {len(result.applied)} đính chính.")
    _print_names(result)
    warnings = [p for p in result.problems if p.severity == WARNING]
    for p in warnings:
        print(f"  - {p}")
    errors = result.problems.errors
    if errors:
        print(f"Có {len(errors)} lỗi, chưa ghi «{Path(output).name}»:", file=sys.stderr)
        for p in errors:
            print(f"  - {p}", file=sys.stderr)
        return 1
    write_master(result, registry, corrections, Path(output))
    print(f"Đã ghi bảng nhiệm vụ vào «{output}».")
    return 0
