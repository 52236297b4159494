"""Collect the returned agency workbooks of one period: every row accepted or rejected with a reason.

A file is identified by its very hidden "_meta" sheet (agency, period, template version), never by
its name. Files are checked before any spreadsheet reader sees them (extension, zip structure,
declared and actual uncompressed size); a file that fails is listed and skipped, the run goes on.
Cell values are read as stored (formulas as their cached value, text as text): nothing is evaluated.

Decisions (reported to the user as Problem entries; ERROR = row/file rejected, WARNING = kept):

Status (Tình trạng): the three list words; also, ignoring case, spacing, diacritics and trailing
punctuation, the variants in STATUS_VARIANTS ("hoàn thành", "đã xong", "đang triển khai",
"chưa triển khai", …), each accepted with a warning. "Chưa hoàn thành" is ambiguous (in progress
or not started) and is rejected, like any other word.
Progress: 80, "80", "80%", "80 %", "80,5" read as is. A number in a cell with a percent number format
(how Excel and LibreOffice store a typed «80%» or «100%»: 0.8 or 1 with format «0%») is value × 100,
as the cell shows it (cell_formats). Otherwise a number strictly between 0 and 1 (typed 0.8) is read as
a fraction (0.8 -> 80, warning) and a bare 1 stays 1; outside 0–100: error.
Completion date: a date cell, an Excel serial number, or text "30/9/2022" / "30-9-2022" /
"2022-09-30" (text: warning). Unreadable or implausible: error. After the cut-off end: warning.
After the report date or after today (the run date): error (a planned date is not a completion).
Proposal addressee (template version 2, column "Kiến nghị với"): one of sheet_layout.PROPOSAL_TARGETS;
a proposal without addressee counts as addressed to the UBND tỉnh (warning); "Bộ, ngành Trung ương"
without the ministry's name: warning. Version 1 forms have no such column: their proposals are
addressed to the UBND tỉnh (no warning). No proposal: both columns empty.
Text cells are made safe (pipeline.text.textsafe): control characters dropped, huge cells capped, long
words made breakable, characters no declared font has replaced by a visible substitute (warnings).
Done without completion date: warning (kept; on time/late cannot be judged). Done with neither
results nor output document: error (an unsupported claim). Not done but with a completion date:
warning, the date is dropped.
Locked cells changed, unknown task id, a task of another agency, a repeated task row: error for
that row (the first of repeated rows is kept). A task row missing from the file: warning.
Identity: the hidden sheet names the agency, the period and (version 2) the plan; a form for another
plan is refused. A form with no input cell filled is not a submission (the agency has not reported).
Carried answers (a form pre-filled with the agency's previous answers, sheet_layout): a carried answer
sent back unchanged is an ordinary filled row, accepted as the answer for this period. An accepted
form whose carried rows all come back unchanged (same digest as written in the hidden sheet) and with
no other input cell filled (no difficulty, proposal or addressee, no other row answered) gets one
warning naming the agency: it changed nothing since the previous period. A form whose every task row
was locked (all done on time before) could not change anything: no warning.
Two files from one agency: the later report date wins (ties, or a date that is implausible — before
the period's data start, before the plan, after today — : the later generation time, then the later
file name); the other is "superseded" and its rows count as rejected. An implausible report date is
a warning and is not used. At most MAX_PROBLEMS_PER_FILE problems are listed per file, then a count.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from pipeline.collection import sheet_layout as L
from pipeline.collection.cell_formats import percent_rows
from pipeline.errors import ERROR, WARNING, PipelineError, Problem
from pipeline.plan.model import Master
from pipeline.plan.periods import parse_period
from pipeline.text.textsafe import make_safe
from pipeline.text.vntext import clean_cell, fold, format_date_short, format_number, maybe_legacy, strip_diacritics

SIZE_LIMIT = 50 * 1024 * 1024       # bytes, on disk and uncompressed
MAX_ZIP_ENTRIES = 2000
MAX_PROBLEMS_PER_FILE = 200

# proposal_to: one of sheet_layout.PROPOSAL_TARGETS ("" when there is no proposal);
# proposal_ministry: the ministry named for PROPOSAL_TO_MINISTRY ("" otherwise).
ROW_COLUMNS = ["agency", "task_id", "status", "completed_on", "progress", "results", "output_doc",
               "difficulties", "proposals", "proposal_to", "proposal_ministry", "file", "sheet", "row",
               "report_date"]
REJECTED_COLUMNS = ["agency", "task_id", "file", "sheet", "row", "reason"]
TEXT_KEYS = ("results", "output_doc", "difficulties", "proposals")

STATUS_VARIANTS = {
    L.STATUS_DONE: ("đã hoàn thành", "hoàn thành", "đã xong", "xong", "đã thực hiện xong",
                    "hoàn tất", "đã hoàn tất"),
    L.STATUS_ONGOING: ("đang thực hiện", "đang triển khai", "đang triển khai thực hiện",
                       "đang tiến hành", "đang làm"),
    L.STATUS_NOT_STARTED: ("chưa thực hiện", "chưa triển khai", "chưa tiến hành", "chưa làm"),
}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_EXCEL_EPOCH = date(1899, 12, 30)


OUTCOME_LABELS = {"accepted": "được dùng", "superseded": "bị thay thế", "rejected": "bị loại"}


def display_name(name: str) -> str:
    """A file name safe to print, store in JSON or a workbook: bytes that are not UTF-8 (a name from
    a Windows zip) are shown as \\xNN instead of crashing whatever writes them."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


@dataclass
class FileResult:
    path: Path
    sha256: str
    size: int
    agency: str = ""
    outcome: str = "rejected"        # "accepted" | "superseded" | "rejected"
    reason: str = ""
    report_date: date | None = None
    officer: str = ""
    rows_read: int = 0
    rows_accepted: int = 0
    generated_at: str = ""           # from the hidden sheet (ISO text), used to order an agency's files

    @property
    def name(self) -> str:
        """The file name as shown to users (always valid UTF-8)."""
        return display_name(self.path.name)

    @property
    def outcome_label(self) -> str:
        """The outcome in Vietnamese, for «Tệp đã đọc»: được dùng / bị thay thế / bị loại."""
        return OUTCOME_LABELS[self.outcome]


@dataclass
class Collection:
    rows: pd.DataFrame                 # accepted rows, ROW_COLUMNS
    rejected: pd.DataFrame             # rejected rows, REJECTED_COLUMNS
    problems: list[Problem]
    files: list[FileResult]
    reported_agencies: list[str]       # agencies with an accepted file, in master order
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0


class _Reject(Exception):
    """A file-level rejection; the message is Vietnamese."""

    def __init__(self, message: str, severity: str = ERROR):
        super().__init__(message)
        self.severity = severity


@dataclass
class _Sheet:
    """What one readable workbook holds."""
    result: FileResult
    meta: dict[str, str] = field(default_factory=dict)
    header: dict = field(default_factory=dict)
    table: pd.DataFrame | None = None       # non-empty table rows, keyed by layout column
    order: int = 0
    version: str = L.TEMPLATE_VERSION


# ---------------------------------------------------------------- file level


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".replace(".", ",")


def _precheck(path: Path, size_limit: int) -> tuple[FileResult, bytes]:
    """Hash and size every file; refuse anything that is not a sane .xlsx before reading it."""
    size = path.stat().st_size
    if size > size_limit:
        with path.open("rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        return FileResult(path, digest, size), b""
    data = path.read_bytes()
    return FileResult(path, hashlib.sha256(data).hexdigest(), len(data)), data


def _check_container(path: Path, data: bytes, size: int, size_limit: int) -> None:
    name, suffix = path.name, path.suffix.lower()
    if name.startswith("~$"):
        raise _Reject("Tệp khóa tạm của Excel (sinh ra khi có người đang mở tệp), không phải phiếu báo cáo.",
                      WARNING)
    if name.startswith(".") or name.lower() in ("thumbs.db", "desktop.ini"):
        raise _Reject("Tệp ẩn hoặc tệp hệ thống, không phải phiếu báo cáo.", WARNING)
    if suffix == ".xls":
        raise _Reject("Tệp định dạng Excel 97-2003 (.xls) không được nhận; đề nghị cơ quan mở phiếu gốc, "
                      "điền và lưu lại dạng .xlsx.")
    if suffix == ".xlsm":
        raise _Reject("Tệp có macro (.xlsm) không được nhận vì lý do an toàn; đề nghị lưu lại dạng .xlsx.")
    if suffix == ".csv":
        raise _Reject("Tệp CSV không giữ được cấu trúc phiếu; đề nghị gửi tệp .xlsx đã điền.")
    if suffix != ".xlsx":
        raise _Reject("Không phải tệp Excel .xlsx, không đọc.")
    if size > size_limit:
        raise _Reject(f"Tệp quá lớn ({_mb(size)} MB, giới hạn {_mb(size_limit)} MB), không đọc.")
    if size == 0:
        raise _Reject("Tệp rỗng (0 byte).")
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            raise _Reject("Tệp được đặt mật khẩu (mã hóa) nên không đọc được; đề nghị cơ quan gỡ mật khẩu "
                          "rồi gửi lại.")
        raise _Reject("Tệp mang đuôi .xlsx nhưng thực chất là định dạng Excel 97-2003; đề nghị lưu lại dạng .xlsx.")
    if not data.startswith(b"PK\x03\x04"):
        raise _Reject("Tệp hỏng hoặc không phải tệp Excel .xlsx (nội dung không đúng định dạng).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            declared = sum(i.file_size for i in infos)
            if len(infos) > MAX_ZIP_ENTRIES or declared > size_limit:
                raise _Reject(f"Tệp khi giải nén lớn bất thường (khai báo {_mb(declared)} MB, {len(infos)} thành "
                              f"phần; giới hạn {_mb(size_limit)} MB); có thể là tệp độc hại, không đọc.")
            if "xl/workbook.xml" not in zf.namelist():
                raise _Reject("Tệp nén không phải sổ tính Excel (thiếu xl/workbook.xml).")
            _inflate_capped(zf, infos, size_limit)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, OSError):
        raise _Reject("Tệp .xlsx bị hỏng hoặc bị cắt cụt, không giải nén được.") from None


def _inflate_capped(zf: zipfile.ZipFile, infos, limit: int) -> None:
    # Declared sizes can lie: inflate for real (this also checks every CRC) and stop at the limit.
    total = 0
    for info in infos:
        with zf.open(info) as member:
            while chunk := member.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise _Reject(f"Tệp khi giải nén vượt {_mb(limit)} MB; có thể là tệp độc hại, không đọc.")


def _read_workbook(sheet: _Sheet, data: bytes, engine: str) -> None:
    """Fill sheet.meta/header/table from the bytes; raise _Reject if the file is not a usable form."""
    try:
        with pd.ExcelFile(io.BytesIO(data), engine=engine) as xf:
            names = list(xf.sheet_names)
            if L.SHEET_REPORT not in names:
                found = ", ".join(f"«{n}»" for n in names) or "không có trang nào"
                raise _Reject(f"Không có trang «{L.SHEET_REPORT}» (tệp có: {found}); trang có thể đã bị đổi tên "
                              "hoặc xóa.")
            report = pd.read_excel(xf, sheet_name=L.SHEET_REPORT, header=None, dtype=object)
            meta = (pd.read_excel(xf, sheet_name=L.SHEET_META, header=None, dtype=object)
                    if L.SHEET_META in names else None)
    except _Reject:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file, never a crash
        raise _Reject(f"Không đọc được nội dung sổ tính ({type(exc).__name__}).") from None

    if meta is not None:
        sheet.meta = {L.normalise_locked(k): L.normalise_locked(v)
                      for k, v in meta.iloc[:, :2].itertuples(index=False, name=None)} if meta.shape[1] >= 2 else {}
        sheet.version = sheet.meta.get(L.META_VERSION) or L.TEMPLATE_VERSION
    sheet.header = _header(report)
    sheet.table = _table(report, L.columns_for(sheet.version))
    if len(sheet.table):
        _percent_cells_as_shown(sheet.table, data)
    if meta is None:
        raise _Reject(f"Thiếu trang ẩn «{L.SHEET_META}» nên không xác định được cơ quan và kỳ báo cáo; tệp "
                      "không phải phiếu do hệ thống tạo (hoặc nội dung đã bị chép sang tệp khác).")


def _percent_cells_as_shown(table: pd.DataFrame, data: bytes) -> None:
    """A progress number in a percent-formatted cell becomes the text the cell shows (1 -> «100%»)."""
    rows = percent_rows(data, L.SHEET_REPORT, L.COLUMN_BY_KEY["progress"].letter)
    if not rows:
        return
    mask = table["row"].isin(rows).to_numpy()
    table["progress"] = table["progress"].astype(object)
    table.loc[mask, "progress"] = [
        f"{round(v * 100, 9):g}%" if isinstance(v, (int, float)) and not isinstance(v, bool) else v
        for v in table.loc[mask, "progress"]]


def _cell(df: pd.DataFrame, ref: str):
    m = re.fullmatch(r"([A-Z])(\d+)", ref)
    r, c = int(m.group(2)) - 1, ord(m.group(1)) - ord("A")
    if r >= len(df) or c >= df.shape[1]:
        return None
    v = df.iat[r, c]
    return None if _empty(v) else v


def _header(report: pd.DataFrame) -> dict:
    return {f.key: _cell(report, f.value_cell) for f in L.HEADER_FIELDS}


def _table(report: pd.DataFrame, columns: tuple[L.Column, ...]) -> pd.DataFrame:
    n = len(columns)
    head = [L.normalise_locked(v) for v in
            (report.iloc[L.HEADER_ROW - 1, :n].tolist() if len(report) >= L.HEADER_ROW else [])]
    head += [""] * (n - len(head))
    for col, got in zip(columns, head):
        if fold(got) != fold(col.title):
            raise _Reject(f"Tiêu đề bảng ở dòng {L.HEADER_ROW}, cột {col.letter} là «{got}» thay vì «{col.title}»; "
                          "cấu trúc phiếu đã bị thay đổi (chèn, xóa cột hoặc dòng).")
    body = report.iloc[L.FIRST_DATA_ROW - 1:].reindex(columns=range(n))
    body.columns = [c.key for c in columns]
    body = body.astype(object).map(lambda v: None if _empty(v) else v)
    body = body[body.notna().any(axis=1)].copy()
    for c in L.COLUMNS[n:]:     # columns an older template version does not have
        body[c.key] = None
    body["row"] = body.index + 1
    return body


def _empty(v) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    if v is pd.NaT:
        return True
    return isinstance(v, str) and not v.strip()


def _check_meta(meta: dict[str, str], master: Master, period, result: FileResult,
                plan_number: str | None) -> None:
    """Identify the sender (result.agency), then refuse other periods, other plans and old templates."""
    missing = [k for k in (L.META_AGENCY, L.META_PERIOD, L.META_VERSION) if not meta.get(k)]
    if missing:
        raise _Reject(f"Trang ẩn «{L.SHEET_META}» thiếu thông tin ({', '.join(missing)}); tệp không phải phiếu do "
                      "hệ thống tạo.")
    code = meta[L.META_AGENCY]
    if code not in master.agencies or not master.tasks_of(code):
        raise _Reject(f"Mã cơ quan «{code}» không có trong danh mục cơ quan chủ trì nhiệm vụ.")
    result.agency = code
    version = meta[L.META_VERSION]
    if version not in L.SUPPORTED_VERSIONS:
        raise _Reject(f"Phiếu theo mẫu cũ (phiên bản {version}); mẫu hiện hành là phiên bản {L.TEMPLATE_VERSION}. "
                      "Đề nghị cơ quan điền lại trên phiếu mới.")
    if meta[L.META_PERIOD] != period.code:
        raise _Reject(f"Phiếu của kỳ {meta[L.META_PERIOD]}, không phải kỳ {period.code} đang tổng hợp.")
    result.generated_at = meta.get(L.META_GENERATED, "")
    if version == "1":
        return  # version 1 forms carry no plan identity: they cannot be checked for the plan
    form_plan = meta.get(L.META_PLAN_NUMBER, "")
    if plan_number is not None and form_plan != plan_number:
        raise _Reject(f"Phiếu được tạo cho kế hoạch «{form_plan or 'không rõ'}», không phải Kế hoạch số {plan_number} "
                      "đang tổng hợp; phiếu không được dùng. Đề nghị cơ quan điền trên phiếu của kế hoạch này.")
    expected = L.plan_fingerprint(form_plan, master.plan_task_ids)
    if meta.get(L.META_PLAN_FINGERPRINT) != expected:
        raise _Reject("Phiếu được tạo từ danh mục nhiệm vụ của một kế hoạch khác (mã nhận diện kế hoạch trong trang "
                      f"ẩn «{L.SHEET_META}» không khớp với bảng nhiệm vụ đang dùng); phiếu không được dùng. Đề nghị "
                      "cơ quan điền trên phiếu của kế hoạch này.")


# ---------------------------------------------------------------- values


def _parse_date(v) -> tuple[date | None, str, bool]:
    """(date, error, was_text). Accepts date cells, Excel serials and d/m/yyyy or yyyy-mm-dd text."""
    if _empty(v):
        return None, "", False
    if isinstance(v, datetime):
        return v.date(), "", False
    if isinstance(v, date):
        return v, "", False
    if isinstance(v, bool):
        return None, f"«{v}» không phải một ngày", False
    if isinstance(v, (int, float)):
        if 1 <= v < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(v)), "", False
        return None, f"«{v}» không phải một ngày", False
    text = clean_cell(str(v))
    for pattern, order in ((r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})", "dmy"),
                           (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", "ymd"),
                           (r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", "dmy")):
        m = re.fullmatch(pattern, text, flags=re.IGNORECASE)
        if m:
            a, b, c = (int(x) for x in m.groups())
            y, mo, d = (a, b, c) if order == "ymd" else (c + 2000 if c < 100 else c, b, a)
            try:
                return date(y, mo, d), "", True
            except ValueError:
                break
    return None, f"«{text}» không đọc được thành ngày (ghi dạng ngày/tháng/năm, ví dụ 30/9/2022)", True


def _parse_progress(v) -> tuple[float | None, str, str]:
    """(value 0–100, error, warning)."""
    if _empty(v):
        return None, "", ""
    shown = clean_cell(v) if isinstance(v, str) else str(v).replace(".", ",")
    percent = False
    if isinstance(v, bool):
        return None, f"Tiến độ «{shown}» không phải một số", ""
    if isinstance(v, (int, float)):
        x = float(v)
    else:
        text = shown.replace(" ", "")
        if text.endswith("%"):
            percent, text = True, text[:-1]
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            x = float(text)
        except ValueError:
            return None, f"Tiến độ «{shown}» không phải một số (ghi số từ 0 đến 100)", ""
    if x != x:
        return None, f"Tiến độ «{shown}» không phải một số", ""
    warning = ""
    if not percent and 0 < x < 1:
        x *= 100
        warning = f"Tiến độ «{shown}» được hiểu là {x:g}%".replace(".", ",")
    if not 0 <= x <= 100:
        return None, f"Tiến độ «{shown}» nằm ngoài khoảng 0–100", ""
    return x, "", warning


def _status_key(s: str) -> str:
    return strip_diacritics(fold(s)).strip(" .,;:!-")


_STATUS_LOOKUP = {_status_key(v): canon for canon, vs in STATUS_VARIANTS.items() for v in vs}


def _text_value(v) -> str:
    if _empty(v):
        return ""
    if isinstance(v, datetime):
        return format_date_short(v.date())
    if isinstance(v, date):
        return format_date_short(v)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return clean_cell(v if isinstance(v, str) else str(v))


def _legacy(raw, cleaned: str) -> bool:
    """True when cleaning changed more than normalisation and spacing (a TCVN3/VNI conversion)."""
    if not isinstance(raw, str):
        return False
    plain = unicodedata.normalize("NFC", raw)
    return re.sub(r"\s+", "", plain) != re.sub(r"\s+", "", cleaned)


# ---------------------------------------------------------------- rows


class _Findings:
    """Problems found in the combined table, by row position; an ERROR rejects the row."""

    def __init__(self, n: int):
        self.n = n
        self.items: list[tuple[int, str, str, str]] = []   # (position, severity, column key, message)
        self.rejected: dict[int, str] = {}                 # position -> first error

    def add(self, i: int, severity: str, key: str, message: str) -> None:
        self.items.append((i, severity, key, message))
        if severity == ERROR:
            self.rejected.setdefault(i, message)

    def live(self) -> np.ndarray:
        ok = np.ones(self.n, dtype=bool)
        ok[list(self.rejected)] = False
        return ok


def _pct(x: float) -> str:
    return f"{x:g}".replace(".", ",") + "%"


def _check_rows(t: pd.DataFrame, master: Master, period, ref: dict[str, tuple],
                today: date) -> tuple[pd.DataFrame, _Findings]:
    """Validate the combined table of accepted files (RangeIndex; locked columns already normalised)."""
    n = len(t)
    f = _Findings(n)
    by_id = {task.id: task for task in master.tasks}
    retired = {task.id: adjustment for task, adjustment in master.retired}
    tid = t["task_id"].tolist()
    agency = t["agency"].tolist()
    files = t["file"].tolist()
    rows = t["row"].tolist()
    locked = {k: t[k].tolist() for k in L.LOCKED_KEYS[1:]}

    # Identity: a known task, led by this agency, its locked cells as generated, once per file.
    first: dict[tuple[str, str], int] = {}
    for i in range(n):
        task_id = tid[i]
        if not task_id:
            f.add(i, ERROR, "task_id", "Dòng không có mã nhiệm vụ.")
        elif task_id in retired:
            f.add(i, ERROR, "task_id", f"Nhiệm vụ {task_id} đã được bãi bỏ theo {retired[task_id].citation}; dòng này "
                                       "không được tính.")
        elif task_id not in by_id:
            f.add(i, ERROR, "task_id", f"Mã nhiệm vụ «{task_id}» không có trong danh mục nhiệm vụ.")
        elif agency[i] not in by_id[task_id].lead_codes:
            leads = ", ".join(by_id[task_id].lead_codes)
            f.add(i, ERROR, "task_id", f"Nhiệm vụ {task_id} không do cơ quan này chủ trì (cơ quan chủ trì: {leads}).")
        else:
            for pos, key in enumerate(L.LOCKED_KEYS[1:], start=1):
                got, want = locked[key][i], ref[task_id][pos]
                if got != want:
                    title = L.COLUMN_BY_KEY[key].title
                    shown_got, shown_want = _differing(got, want)
                    f.add(i, ERROR, key, f"Ô đã khóa «{title}» của nhiệm vụ {task_id} bị sửa («{shown_got}» thay vì "
                                         f"«{shown_want}»); dòng không được dùng, đề nghị cơ quan điền trên phiếu gốc.")
            if i in f.rejected:
                continue
            kept = first.setdefault((files[i], task_id), i)
            if kept != i:
                f.add(i, ERROR, "task_id", f"Nhiệm vụ {task_id} có nhiều dòng; chỉ dùng dòng {rows[kept]}.")

    ok = f.live()
    text = {}
    for k in (*TEXT_KEYS, "proposal_ministry"):
        raw = t[k].tolist()
        text[k] = cleaned = [_text_value(v) for v in raw]
        for i in np.flatnonzero(ok):
            if isinstance(raw[i], str) and maybe_legacy(raw[i]) and _legacy(raw[i], cleaned[i]):
                f.add(i, WARNING, k, "Văn bản gõ bằng bảng mã cũ (TCVN3/VNI) đã được chuyển sang Unicode; "
                                     "đề nghị kiểm tra lại.")
            if cleaned[i]:
                cleaned[i], notes = make_safe(cleaned[i])
                for note in notes:
                    f.add(i, WARNING, k, note)

    raw_status = [_text_value(v) for v in t["status"].tolist()]
    canon = {s: _STATUS_LOOKUP.get(_status_key(s)) for s in set(raw_status) if s}
    status = [canon.get(s) for s in raw_status]
    filled = t[["status", "completed_on", "progress", *TEXT_KEYS]].notna().any(axis=1).to_numpy()
    words = " / ".join(L.STATUSES)
    for i in np.flatnonzero(ok):
        s = raw_status[i]
        if not filled[i]:
            f.add(i, ERROR, "status", f"Nhiệm vụ {tid[i]} chưa được điền (chưa chọn tình trạng, chưa ghi kết quả).")
        elif not s:
            f.add(i, ERROR, "status", f"Chưa chọn Tình trạng ({words}).")
        elif status[i] is None:
            f.add(i, ERROR, "status", f"Tình trạng «{s}» không thuộc danh sách ({words}).")
        elif fold(s) != fold(status[i]):
            f.add(i, WARNING, "status", f"Tình trạng «{s}» được hiểu là «{status[i]}».")

    progress = np.full(n, np.nan)
    raw_progress = t["progress"].tolist()
    for i in np.flatnonzero(ok):
        x, err, warn = _parse_progress(raw_progress[i])
        if err:
            f.add(i, ERROR, "progress", err + ".")
        elif x is not None:
            progress[i] = x
            if warn:
                f.add(i, WARNING, "progress", warn + ".")

    done_on: list[date | None] = [None] * n
    raw_dates = t["completed_on"].tolist()
    report_dates = t["report_date"].tolist()
    end = format_date_short(period.end)
    for i in np.flatnonzero(ok):
        d, err, was_text = _parse_date(raw_dates[i])
        if err:
            f.add(i, ERROR, "completed_on", f"Ngày hoàn thành {err}.")
            continue
        if d is None:
            continue
        shown, rd = format_date_short(d), report_dates[i]
        if not date(2000, 1, 1) <= d <= date(period.year + 1, 12, 31):
            f.add(i, ERROR, "completed_on", f"Ngày hoàn thành {shown} không hợp lý.")
        elif d > today:
            f.add(i, ERROR, "completed_on", f"Ngày hoàn thành {shown} sau ngày hôm nay {format_date_short(today)}: "
                                            "chưa thể là ngày đã hoàn thành.")
        elif isinstance(rd, date) and d > rd:
            f.add(i, ERROR, "completed_on", f"Ngày hoàn thành {shown} sau ngày báo cáo {format_date_short(rd)}: "
                                            "chưa thể là ngày đã hoàn thành.")
        else:
            if was_text:
                f.add(i, WARNING, "completed_on", f"Ngày hoàn thành ghi dạng chữ «{_text_value(raw_dates[i])}», "
                                                  f"đã hiểu là ngày {shown}.")
            if d > period.end:
                f.add(i, WARNING, "completed_on", f"Ngày hoàn thành {shown} sau ngày chốt số liệu {end}: trong kỳ này "
                                                  "nhiệm vụ được tính là chưa hoàn thành.")
            done_on[i] = d

    # Consistency between status, date, progress and results.
    for i in np.flatnonzero(f.live()):
        s, x = status[i], progress[i]
        if s == L.STATUS_DONE:
            if not text["results"][i] and not text["output_doc"][i]:
                f.add(i, ERROR, "results", "Đã hoàn thành nhưng không ghi kết quả thực hiện, cũng không ghi văn bản / "
                                           "sản phẩm.")
                continue
            if done_on[i] is None:
                f.add(i, WARNING, "completed_on", "Đã hoàn thành nhưng chưa ghi ngày hoàn thành; không xác định được "
                                                  "đúng hạn hay quá hạn.")
            if x < 100:
                f.add(i, WARNING, "progress", f"Đã hoàn thành nhưng tiến độ ghi {_pct(x)}.")
        else:
            if done_on[i] is not None:
                f.add(i, WARNING, "completed_on", f"Tình trạng «{s}» nhưng có ghi ngày hoàn thành; ngày này không "
                                                  "được dùng.")
                done_on[i] = None
            if s == L.STATUS_NOT_STARTED and x > 0:
                f.add(i, WARNING, "progress", f"Chưa thực hiện nhưng tiến độ ghi {_pct(x)}.")
            if s == L.STATUS_ONGOING and x >= 100:
                f.add(i, WARNING, "progress", "Đang thực hiện nhưng tiến độ ghi 100%.")

    proposal_to, ministry = _addressees(t, text, f)

    ok = f.live()
    out = pd.DataFrame({
        "agency": agency, "task_id": tid, "status": status,
        "completed_on": pd.to_datetime(pd.Series(done_on, dtype=object)),
        "progress": progress,
        **text, "proposal_to": proposal_to, "proposal_ministry": ministry,
        "file": files, "sheet": L.SHEET_REPORT, "row": np.asarray(rows, dtype="int64"),
        "report_date": pd.to_datetime(pd.Series(report_dates, dtype=object)),
    })
    return out[ok][ROW_COLUMNS].reset_index(drop=True), f


def _differing(got: str, want: str, n: int = 60) -> tuple[str, str]:
    """Short snippets of two texts around their first difference ("…" marks what is left out)."""
    if len(got) <= n and len(want) <= n:
        return got, want
    start = 0
    while start < min(len(got), len(want)) and got[start] == want[start]:
        start += 1
    start = max(0, start - 20)
    def cut(s: str) -> str:
        part = s[start:start + n]
        return ("…" if start else "") + part + ("…" if start + n < len(s) else "")
    return cut(got), cut(want)


_TARGET_LOOKUP = {fold(w): w for w in L.PROPOSAL_TARGETS} | {
    fold("Ủy ban nhân dân tỉnh"): L.PROPOSAL_TO_PROVINCE, fold("UBND"): L.PROPOSAL_TO_PROVINCE,
    fold("Thủ tướng"): L.PROPOSAL_TO_PM, fold("Chính phủ"): L.PROPOSAL_TO_PM,
    fold("Bộ, ngành"): L.PROPOSAL_TO_MINISTRY, fold("Bộ ngành Trung ương"): L.PROPOSAL_TO_MINISTRY,
}


def _addressees(t: pd.DataFrame, text: dict[str, list[str]], f: "_Findings") -> tuple[list[str], list[str]]:
    """(proposal_to, proposal_ministry) per row; see the module docstring."""
    n = len(t)
    to, ministry = [""] * n, [""] * n
    raw_to = [_text_value(v) for v in t["proposal_to"].tolist()]
    version = t["_version"].tolist()
    col_to = L.COLUMN_BY_KEY["proposal_to"].title
    for i in np.flatnonzero(f.live()):
        proposal, named, typed = text["proposals"][i], text["proposal_ministry"][i], raw_to[i]
        if not proposal:
            if typed or named:
                f.add(i, WARNING, "proposal_to" if typed else "proposal_ministry",
                      "Có ghi nơi nhận kiến nghị nhưng không ghi đề xuất, kiến nghị; nội dung này không được dùng.")
            continue
        if version[i] == "1":
            to[i] = L.PROPOSAL_TO_PROVINCE
            continue
        target = _TARGET_LOOKUP.get(fold(typed)) if typed else None
        if typed and target is None:
            f.add(i, WARNING, "proposal_to", f"«{typed}» không thuộc danh sách {' / '.join(L.PROPOSAL_TARGETS)}; "
                                             f"kiến nghị được coi là gửi {L.PROPOSAL_TO_PROVINCE}.")
            target = L.PROPOSAL_TO_PROVINCE
        elif not typed and named:
            f.add(i, WARNING, "proposal_to", f"Chưa chọn «{col_to}» nhưng có ghi bộ, ngành «{named}»; kiến nghị được "
                                             f"coi là gửi {L.PROPOSAL_TO_MINISTRY}.")
            target = L.PROPOSAL_TO_MINISTRY
        elif not typed:
            f.add(i, WARNING, "proposal_to", f"Có đề xuất, kiến nghị nhưng chưa chọn «{col_to}»; kiến nghị được coi là "
                                             f"gửi {L.PROPOSAL_TO_PROVINCE}.")
            target = L.PROPOSAL_TO_PROVINCE
        to[i] = target
        if target == L.PROPOSAL_TO_MINISTRY:
            ministry[i] = named
            if not named:
                f.add(i, WARNING, "proposal_ministry", f"Kiến nghị với {L.PROPOSAL_TO_MINISTRY} nhưng chưa ghi tên bộ, "
                                                       "ngành nào.")
        elif named:
            f.add(i, WARNING, "proposal_ministry", f"Kiến nghị với {target} nên tên bộ, ngành «{named}» không được "
                                                   "dùng.")
    return to, ministry


# ---------------------------------------------------------------- driver


def collect(folder: Path, master: Master, period, size_limit: int = SIZE_LIMIT,
            on_file: Callable[[int, int, Path], None] | None = None, engine: str = "calamine", *,
            today: date | None = None, plan_number: str | None = None,
            plan_date: date | None = None, ignore: tuple[str, ...] = ()) -> Collection:
    """Read every file in `folder` (not recursive) but those named in `ignore` (the clerk's own files,
    read by their own stage); see the module docstring for the rules.

    `today` is the run date (completion and report dates after it are not facts); `plan_number`
    and `plan_date` identify the plan (None: forms are checked against the task list only).
    """
    folder = Path(folder)
    today = today or date.today()
    if not folder.is_dir():
        raise PipelineError(f"Không tìm thấy thư mục phiếu báo cáo «{display_name(str(folder))}».")
    entries = sorted((p for p in folder.iterdir() if p.name not in ignore), key=lambda p: os.fsencode(p.name))
    problems: list[Problem] = []
    files: list[FileResult] = []
    sheets: list[_Sheet] = []
    rejected_rows: list[pd.DataFrame] = []
    paths = [p for p in entries if p.is_file()]
    for p in entries:
        if not p.is_file():
            problems.append(Problem(display_name(p.name), "Thư mục con (hoặc mục không phải tệp) không được đọc.",
                                    WARNING))

    for i, path in enumerate(paths, start=1):
        if on_file:
            on_file(i, len(paths), path)
        result, data = _precheck(path, size_limit)
        files.append(result)
        if result.name != path.name:
            problems.append(Problem(result.name, "Tên tệp có ký tự không đọc được (thường gặp khi giải nén tệp .zip tạo "
                                                 "trên Windows); các byte lỗi được ghi dạng \\xNN. Nên đổi tên tệp.",
                                    WARNING))
        sheet = _Sheet(result, order=i)
        try:
            _check_container(path, data, result.size, size_limit)
            _read_workbook(sheet, data, engine)
            _check_meta(sheet.meta, master, period, result, plan_number)
            if not _filled(sheet.table):
                raise _Reject("Phiếu chưa được điền (không có ô nhập nào có nội dung); không được tính là đã báo cáo.",
                              WARNING)
        except _Reject as rej:
            result.outcome, result.reason = "rejected", str(rej)
            problems.append(Problem(result.name, str(rej), rej.severity, agency=result.agency))
            if sheet.table is not None and len(sheet.table):
                result.rows_read = len(sheet.table)
                rejected_rows.append(_rejected_frame(sheet, f"Cả tệp bị loại: {rej}"))
            continue
        _read_header(sheet, problems, period, today, plan_date)
        result.rows_read = len(sheet.table)
        sheets.append(sheet)

    winners = _pick_latest(sheets, problems)
    for s in sheets:
        if s.result.outcome == "superseded":
            rejected_rows.append(_rejected_frame(s, s.result.reason))

    accepted, row_problems = _validate(winners, master, period, rejected_rows, today)
    problems.extend(row_problems)
    problems.extend(_unchanged_forms(winners, accepted, master))
    for s in winners:
        s.result.rows_accepted = int((accepted["file"] == s.result.name).sum()) if len(accepted) else 0

    rejected = (pd.concat(rejected_rows, ignore_index=True) if rejected_rows
                else pd.DataFrame(columns=REJECTED_COLUMNS))[REJECTED_COLUMNS]
    reported = {s.result.agency for s in winners if s.result.rows_accepted}
    return Collection(
        rows=accepted, rejected=rejected, problems=_cap_per_file(problems), files=files,
        reported_agencies=[c for c in master.lead_codes() if c in reported],
        rows_read=sum(f.rows_read for f in files), rows_accepted=len(accepted), rows_rejected=len(rejected),
    )


def _unchanged_forms(winners: list[_Sheet], accepted: pd.DataFrame, master: Master) -> list[Problem]:
    """One warning per accepted form that carried answers and came back with nothing changed."""
    out = []
    fresh = [k for k in L.INPUT_KEYS if k not in L.CARRIED_KEYS]     # difficulties, proposals, addressee
    for s in winners:
        digests, locked = {}, set()
        for key, value in s.meta.items():
            for prefix in (L.META_CARRIED_PREFIX, L.META_LOCKED_PREFIX):
                if key.startswith(prefix) and len(key) > len(prefix):
                    digests[key[len(prefix):]] = value
                    if prefix == L.META_LOCKED_PREFIX:
                        locked.add(key[len(prefix):])
        if not digests or len(locked) >= len(master.tasks_of(s.result.agency)):
            continue
        table = s.table
        ids = table["task_id"].map(L.normalise_locked)
        others = table.loc[~ids.isin(digests), list(L.INPUT_KEYS)]
        if table[fresh].notna().any(axis=None) or others.notna().any(axis=None):
            continue
        mine = accepted[accepted["file"] == s.result.name]
        got = {r.task_id: L.answer_digest(r.status, r.completed_on, r.progress, r.results, r.output_doc)
               for r in mine.itertuples(index=False)}
        if any(got.get(task_id) != digest for task_id, digest in digests.items()):
            continue
        agency = master.agencies[s.result.agency]
        source = s.meta.get(L.META_CARRIED_FROM, "")
        try:
            before = parse_period(source).label if source else "kỳ trước"
        except PipelineError:
            before = f"kỳ trước ({source})"
        out.append(Problem(s.result.name, f"Cơ quan {agency.name} gửi lại phiếu nhưng không thay đổi nội dung nào so "
                                          f"với {before} ({len(digests)} câu trả lời điền sẵn giữ nguyên, không ghi khó "
                                          "khăn, đề xuất); các câu trả lời này được dùng cho kỳ này. Đề nghị kiểm tra "
                                          "lại với cơ quan nếu cần.", WARNING, sheet=L.SHEET_REPORT, agency=agency.code))
    return out


def _filled(table: pd.DataFrame) -> bool:
    """True when any input cell of any row holds something (a generated, never-filled form does not)."""
    keys = [k for k in L.INPUT_KEYS if k in table.columns]
    return bool(len(table)) and bool(table[keys].notna().any(axis=None))


def _cap_per_file(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE entries per file, then one entry with the count left out."""
    seen: dict[str, int] = {}
    out = []
    for p in problems:
        n = seen[p.file] = seen.get(p.file, 0) + 1
        if n <= MAX_PROBLEMS_PER_FILE:
            out.append(p)
    for name, n in seen.items():
        if n > MAX_PROBLEMS_PER_FILE:
            agency = next(p.agency for p in problems if p.file == name)
            out.append(Problem(name, f"Tệp còn {format_number(n - MAX_PROBLEMS_PER_FILE)} vấn đề khác không liệt kê "
                                     f"(chỉ liệt kê {MAX_PROBLEMS_PER_FILE} vấn đề đầu tiên của mỗi tệp; tổng cộng "
                                     f"{format_number(n)}). Đề nghị cơ quan kiểm tra lại cả phiếu.", ERROR,
                               agency=agency))
    return out


def _rejected_frame(sheet: _Sheet, reason: str) -> pd.DataFrame:
    t = sheet.table
    return pd.DataFrame({
        "agency": sheet.result.agency, "task_id": t["task_id"].map(L.normalise_locked),
        "file": sheet.result.name, "sheet": L.SHEET_REPORT, "row": t["row"].astype("int64"),
        "reason": reason,
    })


def _read_header(sheet: _Sheet, problems: list[Problem], period, today: date, plan_date: date | None) -> None:
    name = sheet.result.name
    h = sheet.header
    sheet.result.officer = make_safe(_text_value(h.get("officer_name")))[0]
    rd, err, _ = _parse_date(h.get("report_date"))
    f = L.HEADER_BY_KEY["report_date"]
    where = dict(sheet=L.SHEET_REPORT, row=int(f.value_cell[1:]), column=f.label.rstrip(":"),
                 agency=sheet.result.agency)
    if err:
        problems.append(Problem(name, f"Ngày báo cáo {err}.", WARNING, **where))
    elif rd is None:
        problems.append(Problem(name, "Chưa ghi ngày báo cáo.", WARNING, **where))
    else:
        earliest = max(period.start, plan_date) if plan_date else period.start
        why = ("sau ngày hôm nay " + format_date_short(today) if rd > today else
               "trước ngày bắt đầu kỳ số liệu " + format_date_short(earliest) if rd < earliest else "")
        if why:
            problems.append(Problem(name, f"Ngày báo cáo {format_date_short(rd)} không hợp lý ({why}); ngày này không "
                                          "được dùng để chọn phiếu mới nhất.", WARNING, **where))
            rd = None
    sheet.result.report_date = rd
    if not sheet.result.officer:
        f = L.HEADER_BY_KEY["officer_name"]
        problems.append(Problem(name, "Chưa ghi họ và tên người báo cáo.", WARNING, sheet=L.SHEET_REPORT,
                                row=int(f.value_cell[1:]), column=f.label.rstrip(":"), agency=sheet.result.agency))


def _pick_latest(sheets: list[_Sheet], problems: list[Problem]) -> list[_Sheet]:
    """Per agency, the file with the latest report date wins (ties or no usable date: the later
    generation time, then the later file name)."""
    by_agency: dict[str, list[_Sheet]] = {}
    for s in sheets:
        by_agency.setdefault(s.result.agency, []).append(s)
    winners = []
    for code, group in by_agency.items():
        group.sort(key=lambda s: (s.result.report_date or date.min, s.result.generated_at,
                                  os.fsencode(s.result.path.name)))
        win = group[-1]
        win.result.outcome = "accepted"
        winners.append(win)
        for s in group[:-1]:
            s.result.outcome = "superseded"
            when = format_date_short(win.result.report_date) if win.result.report_date else "không ghi hoặc không hợp lý"
            tie = (s.result.report_date == win.result.report_date)
            s.result.reason = (f"Cơ quan {code} gửi nhiều phiếu; dùng phiếu «{win.result.name}» "
                               f"(ngày báo cáo {when})" + (", xếp sau theo thời điểm tạo phiếu và tên tệp" if tie else "")
                               + "; phiếu này không được dùng.")
            problems.append(Problem(s.result.name, s.result.reason, WARNING, agency=code))
    winners.sort(key=lambda s: s.order)
    return winners


def _validate(winners: list[_Sheet], master: Master, period, rejected_rows: list[pd.DataFrame],
              today: date) -> tuple[pd.DataFrame, list[Problem]]:
    if not winners:
        types = {"completed_on": "datetime64[s]", "report_date": "datetime64[s]", "progress": "float64", "row": "int64"}
        return pd.DataFrame({c: pd.Series(dtype=types.get(c, "str")) for c in ROW_COLUMNS}), []
    frames = []
    for s in winners:
        t = s.table.copy()
        t["agency"] = s.result.agency
        t["file"] = s.result.name
        t["_version"] = s.version
        t["report_date"] = pd.Series([s.result.report_date] * len(t), index=t.index, dtype=object)
        t["_order"] = s.order
        frames.append(t)
    t = pd.concat(frames, ignore_index=True)
    for key in L.LOCKED_KEYS:
        t[key] = [L.normalise_locked(v) for v in t[key].tolist()]
    ref = {task.id: tuple(L.normalise_locked(v) for v in L.locked_values(task)) for task in master.tasks}
    rows, f = _check_rows(t, master, period, ref, today)

    order, row, file, agency = (t[c].tolist() for c in ("_order", "row", "file", "agency"))
    problems: list[tuple] = []
    for i, severity, key, message in f.items:
        problems.append(((order[i], row[i]), Problem(file[i], message, severity, sheet=L.SHEET_REPORT, row=int(row[i]),
                                                     column=L.COLUMN_BY_KEY[key].title, agency=agency[i])))
    problems.extend(_file_checks(winners, t, master, ref, f))
    problems.sort(key=lambda p: p[0])

    rej = sorted(f.rejected)
    if rej:
        rejected_rows.append(pd.DataFrame({
            "agency": [agency[i] for i in rej], "task_id": t["task_id"].take(rej).tolist(),
            "file": [file[i] for i in rej], "sheet": L.SHEET_REPORT,
            "row": np.asarray([row[i] for i in rej], dtype="int64"), "reason": [f.rejected[i] for i in rej],
        }))
    return rows, [p for _, p in problems]


def _file_checks(winners: list[_Sheet], t: pd.DataFrame, master: Master, ref: dict[str, tuple],
                 f: _Findings) -> list[tuple]:
    """Missing task rows; a changed task list; fingerprint mismatches no row finding explains (reordered rows)."""
    out = []
    file = t["file"].tolist()
    flagged = {file[i] for i, sev, key, _ in f.items if sev == ERROR and key in L.LOCKED_KEYS}
    groups = t.groupby("file", sort=False).indices
    locked = list(zip(*(t[k].tolist() for k in L.LOCKED_KEYS)))
    for s in winners:
        name, code = s.result.name, s.result.agency
        tasks = master.tasks_of(code)
        mine = [locked[i] for i in groups.get(name, [])]
        present = {r[0] for r in mine}
        where = dict(sheet=L.SHEET_REPORT, agency=code)
        for task in tasks:
            if task.id not in present:
                out.append(((s.order, 0), Problem(name, f"Phiếu thiếu dòng của nhiệm vụ {task.id}; nhiệm vụ này được "
                                                        "coi là chưa báo cáo.", WARNING, **where)))
        expected = L.fingerprint_rows((ref[task.id] for task in tasks), normalised=True)
        if s.meta.get(L.META_FINGERPRINT, expected) != expected:
            out.append(((s.order, 0), Problem(name, "Phiếu được tạo từ danh mục nhiệm vụ khác danh mục hiện hành; các "
                                                    "dòng được đối chiếu theo mã nhiệm vụ.", WARNING, **where)))
        elif (name not in flagged and present >= {x.id for x in tasks}
              and L.fingerprint_rows(mine, normalised=True) != expected):
            out.append(((s.order, 0), Problem(name, "Thứ tự hoặc số dòng nhiệm vụ đã bị thay đổi so với phiếu gốc; "
                                                    "các dòng được đối chiếu theo mã nhiệm vụ.", WARNING, **where)))
    return out
