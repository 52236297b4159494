"""Master data: the task table and the agency registry, loaded and validated.

Master workbook format (input/nhiem-vu-112.xlsx, written by the lead; loaded by `pipeline.plan.master.load_master(path) -> Master`)
Sheet "Nhiệm vụ" (row 1 = header, one row per leaf task, in appendix order), columns:
  A "Mã" (task id: "I.1", "II.4", "III.4.1") | B "Phần" ("I"|"II"|"III") | C "Tên phần" (section title, upper case as in the appendix) |
  D "TT" (number as printed: "1", "4.1") | E "Nhóm" (parent group text for sub-items, e.g. "Về mở cửa khẩu phụ tuyến biên giới" for III.4.1/III.4.2; empty otherwise) |
  F "Nội dung" | G "Cơ quan chủ trì" (agency codes separated by "; ", e.g. "BCHQS; BDBP; CA") | H "Ghi chú chủ trì" (qualifier written with the leads, e.g. "theo chức năng, nhiệm vụ của ngành"; empty mostly) |
  I "Cơ quan phối hợp" (text as written) | J "Thời hạn" (as written: "Quý II/2022") | K "Sản phẩm" |
  optional, by title after K: "Chủ trì gọi chung" (the co-leads as one actor in the report, «Lực lượng vũ trang tỉnh»)
  L "Tên gọn" (optional column: the name the report uses for the task in a sentence, e.g. "lập Quy hoạch tỉnh";
  empty: the report uses the task's code; a name that cannot stand in a sentence is a warning and is not used)
Sheet "Cơ quan": A "Mã" | B "Tên chính thức" | C "Tên ngắn" | D "Tên gọi khác" (aliases separated by "; ") |
  E "Thư điện tử" (optional column: the agency's one official address; a malformed one is a warning and is not used)
Sheet "Đính chính" (corrections of scanning errors): A "Vị trí" (e.g. "Nhiệm vụ III.1, cột Nội dung") | B "Nguyên văn" (the erroneous fragment exactly as in the scan) | C "Đã sửa" | D "Ghi chú"
Sheet "Điều chỉnh" (plan changes, optional): A "Mã nhiệm vụ" | B "Loại điều chỉnh" ("Gia hạn" | "Bổ sung" | "Bãi bỏ") |
  C "Thời hạn mới" (Gia hạn: as written, "Quý IV/2022") | D "Số văn bản" | E "Ngày văn bản" | F "Cơ quan ban hành" | G "Ghi chú".
  A task added is also a row of "Nhiệm vụ"; it counts from the periods whose cut-off is on or after the document's date.
  A dropped task leaves the counts from the period whose cut-off is on or after the document's date. An extension
  counts from then too; status is judged against the deadline in force at the cut-off (`Master.as_of`).
Model objects (pipeline/plan/model.py): Master(tasks: list[Task], agencies: dict[code, Agency], corrections: list[Correction]); Task(id, section, section_title, number, group, content, lead_codes: tuple, lead_note, coordinators, deadline: Deadline(text, kind, due), product, order).
Deadline parsing: `pipeline.plan.deadlines.parse_deadline(text) -> Deadline` raises ValueError with a Vietnamese message for unparseable text.
Lead agency codes used: VPTU (Văn phòng Tỉnh ủy), BCHQS (Bộ Chỉ huy Quân sự tỉnh), BDBP (Bộ Chỉ huy Bộ đội Biên phòng tỉnh), CA (Công an tỉnh), SKHDT (Sở Kế hoạch và Đầu tư), SYT (Sở Y tế), SNNPTNT (Sở Nông nghiệp và Phát triển nông thôn), SNV (Sở Nội vụ), STTTT (Sở Thông tin và Truyền thông), SKHCN (Sở Khoa học và Công nghệ), BQLKKTPQ (Ban Quản lý Khu kinh tế Phú Quốc), STNMT (Sở Tài nguyên và Môi trường), SNGV (Sở Ngoại vụ), SGTVT (Sở Giao thông vận tải), SCT (Sở Công Thương).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl

from pipeline.plan.deadlines import parse_deadline
from pipeline.errors import WARNING, PipelineError, ProblemList
from pipeline.plan.model import ADD, DROP, EXTEND, Adjustment, Agency, Correction, Master, Task
from pipeline.plan.names import name_problem

TASK_SHEET = "Nhiệm vụ"
AGENCY_SHEET = "Cơ quan"
CORRECTION_SHEET = "Đính chính"

TASK_COLUMNS = ["Mã", "Phần", "Tên phần", "TT", "Nhóm", "Nội dung", "Cơ quan chủ trì",
                "Ghi chú chủ trì", "Cơ quan phối hợp", "Thời hạn", "Sản phẩm"]
SHORT_NAME_COLUMN = "Tên gọn"   # optional, after the required ones: masters without it still load
AGENCY_COLUMNS = ["Mã", "Tên chính thức", "Tên ngắn", "Tên gọi khác"]
EMAIL_COLUMN = "Thư điện tử"    # optional, after the required ones: registries without it still load
CORRECTION_COLUMNS = ["Vị trí", "Nguyên văn", "Đã sửa", "Ghi chú"]
LEADS_AS_COLUMN = "Chủ trì gọi chung"   # optional: how the report names a task's co-leads as one actor
ADJUSTMENT_SHEET = "Điều chỉnh"
ADJUSTMENT_COLUMNS = ["Mã nhiệm vụ", "Loại điều chỉnh", "Thời hạn mới", "Số văn bản", "Ngày văn bản",
                      "Cơ quan ban hành", "Ghi chú"]
ADJUSTMENT_KINDS = {"gia hạn": EXTEND, "bổ sung": ADD, "bãi bỏ": DROP}

_ID = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X)\.(\d+(?:\.\d+)?)$")
# An agency code names files and folders (output/<kỳ>/don-doc/<MÃ>_…): letters, digits, «-» and «_» only.
AGENCY_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_BREAKS_AND_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """A name as it goes into a header, a file name or a document: no line breaks, no control characters."""
    return " ".join(_BREAKS_AND_CONTROLS.sub(" ", text).split())


def _text(value) -> str:
    from pipeline.text.vntext import clean_cell
    return clean_cell(value)


def _split_codes(value: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in re.split(r"[;,\n]", value) if c.strip())


def _open(path: Path):
    if not path.is_file():
        raise PipelineError(f"Không tìm thấy bảng nhiệm vụ «{path}».")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise PipelineError(f"Không mở được bảng nhiệm vụ «{path}»: tệp không phải sổ Excel .xlsx hợp lệ ({type(exc).__name__}).") from None


def _rows(wb, path: Path, sheet: str, columns: list[str], problems: ProblemList, optional: tuple[str, ...] = ()):
    """Yield (row_number, {column: text}) for the non-empty rows of a sheet with a checked header.
    `optional` columns are found by their title after the required ones ("" in every row when absent)."""
    if sheet not in wb.sheetnames:
        problems.add(path.name, f"thiếu trang «{sheet}»", sheet=sheet)
        return
    rows = wb[sheet].iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    for i, name in enumerate(columns):
        if i >= len(header) or header[i] != name:
            found = header[i] if i < len(header) else ""
            problems.add(path.name, f"tiêu đề cột thứ {i + 1} phải là «{name}», đang là «{found}»",
                         sheet=sheet, row=1, column=name)
            return
    index = {name: i for i, name in enumerate(columns)}
    for name in optional:
        if name in header[len(columns):]:
            index[name] = header.index(name, len(columns))
    for number, values in enumerate(rows, start=2):
        cells = {name: _text(values[i] if i < len(values) else None) for name, i in index.items()}
        cells.update((name, "") for name in optional if name not in index)
        if any(cells.values()):
            yield number, cells


# One address, ASCII, with a dotted domain: what every mail client accepts in «To».
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+")


def check_email(value: str) -> str | None:
    """The address when it is one well-formed address, else None."""
    value = value.strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:"):]
    return value if _EMAIL.fullmatch(value) and len(value) <= 254 else None


def load_registry(path: Path | str, problems: ProblemList | None = None) -> dict[str, Agency]:
    path = Path(path)
    own = problems is None
    problems = ProblemList() if own else problems
    wb = _open(path)
    agencies: dict[str, Agency] = {}
    for row, c in _rows(wb, path, AGENCY_SHEET, AGENCY_COLUMNS, problems, optional=(EMAIL_COLUMN,)):
        code = c["Mã"]
        if not code:
            problems.add(path.name, "thiếu mã cơ quan", sheet=AGENCY_SHEET, row=row, column="Mã")
            continue
        if not AGENCY_CODE.fullmatch(code):
            problems.add(path.name, f"mã cơ quan «{one_line(code)}» không hợp lệ: mã chỉ gồm chữ cái không dấu, chữ số, "
                                    "dấu «-» và «_» (tối đa 40 ký tự), ví dụ SKHDT", sheet=AGENCY_SHEET, row=row,
                         column="Mã")
            continue
        if code in agencies:
            problems.add(path.name, f"mã cơ quan «{code}» bị trùng", sheet=AGENCY_SHEET, row=row, column="Mã")
            continue
        c = {**c, **{k: one_line(c[k]) for k in ("Tên chính thức", "Tên ngắn")}}
        if not c["Tên chính thức"]:
            problems.add(path.name, f"cơ quan «{code}» thiếu tên chính thức", sheet=AGENCY_SHEET, row=row,
                         column="Tên chính thức")
            continue
        aliases = tuple(one_line(a) for a in c["Tên gọi khác"].split(";") if one_line(a))
        email = check_email(c[EMAIL_COLUMN]) if c[EMAIL_COLUMN] else ""
        if email is None:
            problems.add(path.name, f"địa chỉ thư điện tử «{c[EMAIL_COLUMN]}» của cơ quan «{code}» không hợp lệ "
                                    "(ghi một địa chỉ dạng ten@coquan.gov.vn, không dấu, không khoảng trắng); "
                                    "địa chỉ này không được dùng: thư đôn đốc gửi cơ quan sẽ chưa có người nhận",
                         severity=WARNING, sheet=AGENCY_SHEET, row=row, column=EMAIL_COLUMN, agency=code)
            email = ""
        agencies[code] = Agency(code, c["Tên chính thức"], c["Tên ngắn"] or c["Tên chính thức"], aliases,
                                email=email)
    wb.close()
    if own:
        problems.raise_if_errors(f"Danh mục cơ quan «{path.name}» có lỗi")
    return agencies


def load_corrections(path: Path | str, problems: ProblemList | None = None) -> list[Correction]:
    path = Path(path)
    own = problems is None
    problems = ProblemList() if own else problems
    wb = _open(path)
    out = []
    for row, c in _rows(wb, path, CORRECTION_SHEET, CORRECTION_COLUMNS, problems):
        if not c["Nguyên văn"] or not c["Đã sửa"]:
            problems.add(path.name, "dòng đính chính phải có cả «Nguyên văn» và «Đã sửa»",
                         sheet=CORRECTION_SHEET, row=row)
            continue
        out.append(Correction(c["Vị trí"], c["Nguyên văn"], c["Đã sửa"], c["Ghi chú"]))
    wb.close()
    if own:
        problems.raise_if_errors(f"Danh sách đính chính «{path.name}» có lỗi")
    return out


def load_short_names(path: Path | str) -> dict[str, tuple[str, str]]:
    """Task id -> (content, short name) from an existing master's task sheet, for a new import to keep the
    officer's names; {} when the workbook has no readable task sheet (a registry alone)."""
    path = Path(path)
    wb = _open(path)
    try:
        return {c["Mã"]: (c["Nội dung"], c[SHORT_NAME_COLUMN])
                for _, c in _rows(wb, path, TASK_SHEET, TASK_COLUMNS, ProblemList(), optional=(SHORT_NAME_COLUMN,))
                if c["Mã"] and c[SHORT_NAME_COLUMN]}
    finally:
        wb.close()


def _doc_date(value, bad) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", _text(value))
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    bad("Ngày văn bản", f"ngày văn bản «{_text(value)}» không đọc được (ghi dạng ngày/tháng/năm, ví dụ 15/8/2022)")
    return None


def load_adjustments(wb, path: Path, tasks: dict[str, Task], problems: ProblemList) -> list[Adjustment]:
    """The sheet «Điều chỉnh» (optional: a master without it has no plan changes)."""
    if ADJUSTMENT_SHEET not in wb.sheetnames:
        return []
    raw = {row: values for row, values in enumerate(wb[ADJUSTMENT_SHEET].iter_rows(min_row=2, values_only=True), 2)}
    out = []
    for row, c in _rows(wb, path, ADJUSTMENT_SHEET, ADJUSTMENT_COLUMNS, problems):
        def bad(column: str, message: str) -> None:
            problems.add(path.name, message, sheet=ADJUSTMENT_SHEET, row=row, column=column)

        task_id, kind_word = c["Mã nhiệm vụ"], c["Loại điều chỉnh"]
        kind = ADJUSTMENT_KINDS.get(kind_word.lower())
        errors = len(problems.errors)
        if task_id not in tasks:
            bad("Mã nhiệm vụ", f"mã nhiệm vụ «{task_id}» không có trong trang «{TASK_SHEET}» (nhiệm vụ bổ sung cũng "
                               "phải có dòng ở trang này)")
        if kind is None:
            bad("Loại điều chỉnh", f"loại điều chỉnh «{kind_word}» không hợp lệ; chỉ nhận: Gia hạn, Bổ sung, Bãi bỏ")
        deadline = None
        if kind == EXTEND:
            try:
                deadline = parse_deadline(c["Thời hạn mới"])
            except ValueError as exc:
                bad("Thời hạn mới", f"nhiệm vụ {task_id}: {exc}")
        elif c["Thời hạn mới"] and kind is not None:
            bad("Thời hạn mới", f"«Thời hạn mới» chỉ ghi khi gia hạn (dòng này là «{kind_word}»)")
        if not c["Số văn bản"]:
            bad("Số văn bản", "thiếu số, ký hiệu văn bản quyết định việc điều chỉnh")
        if not c["Cơ quan ban hành"]:
            bad("Cơ quan ban hành", "thiếu cơ quan ban hành văn bản")
        raw_date = raw[row][ADJUSTMENT_COLUMNS.index("Ngày văn bản")] if row in raw else None
        when = _doc_date(raw_date, bad)
        if len(problems.errors) == errors and when is not None:
            out.append((row, Adjustment(task_id, kind, deadline, c["Số văn bản"], when, c["Cơ quan ban hành"],
                                        c["Ghi chú"])))
    _check_sequence(out, tasks, path, problems)
    return [a for _, a in out]


def _check_sequence(rows: list[tuple[int, Adjustment]], tasks: dict[str, Task], path: Path,
                    problems: ProblemList) -> None:
    """Per task, in date order: an extension moves the deadline in force later; two changes never
    contradict each other (decided the same day differently, a task added or dropped twice, a change
    after it was dropped). Each row of a conflict is named."""
    from pipeline.text.vntext import format_date_short

    def bad(row: int, column: str, message: str) -> None:
        problems.add(path.name, message, sheet=ADJUSTMENT_SHEET, row=row, column=column)

    by_task: dict[str, list[tuple[int, Adjustment]]] = {}
    for row, a in rows:
        by_task.setdefault(a.task_id, []).append((row, a))
    for task_id, changes in by_task.items():
        changes.sort(key=lambda ra: (ra[1].doc_date, ra[0]))
        in_force = tasks[task_id].deadline
        seen: dict[str, int] = {}
        dropped: int | None = None
        for i, (row, a) in enumerate(changes):
            for other, b in changes[:i]:
                if b.doc_date == a.doc_date and (b.kind != a.kind or b.deadline != a.deadline):
                    for r, o in ((other, row), (row, other)):
                        bad(r, "Loại điều chỉnh", f"nhiệm vụ {task_id}: điều chỉnh mâu thuẫn với dòng {o} (cùng ngày văn "
                                                  f"bản {format_date_short(a.doc_date)} nhưng quyết định khác nhau); "
                                                  "giữ một dòng đúng")
            if dropped is not None and a.kind != DROP:
                for r, o in ((dropped, row), (row, dropped)):
                    bad(r, "Loại điều chỉnh", f"nhiệm vụ {task_id}: điều chỉnh mâu thuẫn với dòng {o} (nhiệm vụ đã bị "
                                              "bãi bỏ trước đó không thể được gia hạn hay bổ sung)")
            if a.kind in (ADD, DROP) and a.kind in seen:
                for r, o in ((seen[a.kind], row), (row, seen[a.kind])):
                    bad(r, "Loại điều chỉnh", f"nhiệm vụ {task_id}: điều chỉnh mâu thuẫn với dòng {o} (cùng một việc "
                                              f"«{'Bổ sung' if a.kind == ADD else 'Bãi bỏ'}» ghi hai lần)")
            seen.setdefault(a.kind, row)
            if a.kind == DROP and dropped is None:
                dropped = row
            if a.kind == EXTEND and a.deadline is not None:
                if in_force.due is not None and (a.deadline.due is None or a.deadline.due <= in_force.due):
                    bad(row, "Thời hạn mới", f"nhiệm vụ {task_id}: gia hạn đến «{a.deadline.text}» không lùi thời hạn "
                                             f"đang có «{in_force.text}» ({format_date_short(in_force.due)}) về sau; "
                                             "gia hạn phải chuyển thời hạn sang một ngày muộn hơn")
                in_force = a.deadline


def load_master(path: Path | str) -> Master:
    """Load and validate the master workbook; every problem is listed before raising."""
    path = Path(path)
    problems = ProblemList()
    agencies = load_registry(path, problems)
    corrections = load_corrections(path, problems)
    wb = _open(path)
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for row, c in _rows(wb, path, TASK_SHEET, TASK_COLUMNS, problems, optional=(SHORT_NAME_COLUMN, LEADS_AS_COLUMN)):
        def bad(column: str, message: str) -> None:
            problems.add(path.name, message, sheet=TASK_SHEET, row=row, column=column)

        task_id, section = c["Mã"], c["Phần"]
        m = _ID.match(task_id)
        if not m:
            bad("Mã", f"mã nhiệm vụ «{task_id}» không đúng dạng «Phần.TT» (ví dụ I.1, III.4.1)")
            continue
        if task_id in seen:
            bad("Mã", f"mã nhiệm vụ «{task_id}» trùng với dòng {seen[task_id]}")
            continue
        seen[task_id] = row
        if section != m.group(1):
            bad("Phần", f"phần «{section}» không khớp với mã nhiệm vụ «{task_id}»")
        if c["TT"] != m.group(2):
            bad("TT", f"số thứ tự «{c['TT']}» không khớp với mã nhiệm vụ «{task_id}»")
        if not c["Nội dung"]:
            bad("Nội dung", f"nhiệm vụ {task_id} không có nội dung")
        leads = _split_codes(c["Cơ quan chủ trì"])
        if not leads:
            bad("Cơ quan chủ trì", f"nhiệm vụ {task_id} chưa có cơ quan chủ trì")
        for code in leads:
            if code not in agencies:
                bad("Cơ quan chủ trì", f"mã cơ quan «{code}» của nhiệm vụ {task_id} không có trong trang «{AGENCY_SHEET}»")
        try:
            deadline = parse_deadline(c["Thời hạn"])
        except ValueError as exc:
            bad("Thời hạn", f"nhiệm vụ {task_id}: {exc}")
            continue
        name = c[SHORT_NAME_COLUMN]
        if name and name_problem(name):
            problems.add(path.name, f"tên gọn «{name}» của nhiệm vụ {task_id} {name_problem(name)}; tên này không "
                                    "được dùng: báo cáo gọi nhiệm vụ bằng mã", severity=WARNING, sheet=TASK_SHEET,
                         row=row, column=SHORT_NAME_COLUMN)
            name = ""
        tasks.append(Task(
            id=task_id, section=section, section_title=c["Tên phần"], number=c["TT"], group=c["Nhóm"],
            content=c["Nội dung"], lead_codes=leads, lead_note=c["Ghi chú chủ trì"],
            coordinators=c["Cơ quan phối hợp"], deadline=deadline, product=c["Sản phẩm"], order=len(tasks),
            leads_as=c[LEADS_AS_COLUMN],
            short_name=name,
        ))
    adjustments = load_adjustments(wb, path, {t.id: t for t in tasks}, problems)
    wb.close()
    if not tasks and not problems.errors:
        problems.add(path.name, "không có nhiệm vụ nào", sheet=TASK_SHEET)
    problems.raise_if_errors(f"Bảng nhiệm vụ «{path.name}» có lỗi")
    leading = {c for t in tasks for c in t.lead_codes}
    agencies = {code: replace(a, leads_tasks=code in leading) for code, a in agencies.items()}
    return Master(tasks=tasks, agencies=agencies, corrections=corrections, source=str(path), adjustments=adjustments,
                  warnings=[p for p in problems if p.severity == WARNING])
