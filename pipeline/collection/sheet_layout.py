"""The agency workbook layout: the one place writer and reader agree on.

Sheet "Báo cáo": title rows, a header block for the reporting officer, then a table with one row
per task. Sheet "Hướng dẫn": instructions. Sheet "_meta" (very hidden): key/value pairs that
identify the file (agency, period, template version, task fingerprint, plan) without trusting its name.

Version 2 adds the addressee of a proposal (`Kiến nghị với`, and which ministry) and the plan's
identity; version 1 files are still read (their proposals are addressed to the UBND tỉnh).

A form may carry the agency's answers of the previous period (pre-filled, pale blue; tasks done on
time then are locked, grey). Its hidden sheet then also holds `carried_from` (the period code) and
one `carried:<task id>` row per carried answer (`carried_locked:<task id>` for a locked one), valued
`answer_digest(...)` of what was pre-filled, so the reader can tell an answer sent back unchanged. These keys are optional: a form without them
(any form made before) is a form without carried answers; the template version stays 2.
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from pipeline.plan.model import Task

TEMPLATE_VERSION = "2"
# Versions the reader still accepts; a returned file of any other version is refused.
SUPPORTED_VERSIONS = frozenset({"1", TEMPLATE_VERSION})

SHEET_REPORT = "Báo cáo"
SHEET_GUIDE = "Hướng dẫn"
SHEET_META = "_meta"

FONT_NAME = "Times New Roman"

STATUS_DONE = "Đã hoàn thành"
STATUS_ONGOING = "Đang thực hiện"
STATUS_NOT_STARTED = "Chưa thực hiện"
STATUSES = (STATUS_DONE, STATUS_ONGOING, STATUS_NOT_STARTED)

# Addressees of a proposal (column "Kiến nghị với"); the drafting code relies on these exact words.
PROPOSAL_TO_PROVINCE = "UBND tỉnh"
PROPOSAL_TO_PM = "Thủ tướng Chính phủ"
PROPOSAL_TO_MINISTRY = "Bộ, ngành Trung ương"
PROPOSAL_TARGETS = (PROPOSAL_TO_PROVINCE, PROPOSAL_TO_PM, PROPOSAL_TO_MINISTRY)


@dataclass(frozen=True)
class Column:
    key: str        # field name used by the reader's DataFrame
    title: str      # header text printed in the sheet
    width: float    # Excel column width (characters)
    locked: bool    # task cells (from the master) vs input cells (filled by the agency)

    @property
    def letter(self) -> str:
        return chr(ord("A") + COLUMNS.index(self))


COLUMNS: tuple[Column, ...] = (
    # Widths (12 pt digits) add up to about 165: the form prints landscape, one page wide, at 9 pt or more.
    Column("task_id", "Mã nhiệm vụ", 9, True),
    Column("content", "Nội dung nhiệm vụ", 26, True),
    Column("deadline", "Thời hạn", 11, True),
    Column("product", "Sản phẩm dự kiến", 15, True),
    Column("status", "Tình trạng", 13, False),
    Column("completed_on", "Ngày hoàn thành", 11, False),
    Column("progress", "Tiến độ (%)", 8, False),
    Column("results", "Kết quả thực hiện", 20, False),
    Column("output_doc", "Số, ký hiệu văn bản / sản phẩm", 13, False),
    Column("difficulties", "Khó khăn, vướng mắc", 11, False),
    Column("proposals", "Đề xuất, kiến nghị", 11, False),
    Column("proposal_to", "Kiến nghị với", 10, False),
    Column("proposal_ministry", "Bộ, ngành (nếu kiến nghị Trung ương)", 11, False),
)
# Version 1 forms end with the proposals column.
COLUMNS_V1 = COLUMNS[:11]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
LOCKED_KEYS = tuple(c.key for c in COLUMNS if c.locked)
INPUT_KEYS = tuple(c.key for c in COLUMNS if not c.locked)
LAST_COLUMN = COLUMNS[-1].letter

# Rows of the "Báo cáo" sheet (1-based, as Excel numbers them).
TITLE_ROW = 1          # "PHIẾU BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ"
PLAN_ROW = 2           # plan reference and period
AGENCY_ROW = 3         # reporting agency's name
HEADER_ROW = 8         # table header
FIRST_DATA_ROW = HEADER_ROW + 1


@dataclass(frozen=True)
class HeaderField:
    key: str
    label: str
    label_cell: str
    value_cell: str
    merge_to: str      # last cell of the merged value range ("" = no merge)


HEADER_FIELDS: tuple[HeaderField, ...] = (
    HeaderField("officer_name", "Họ và tên người báo cáo:", "B4", "C4", "D4"),
    HeaderField("officer_title", "Chức vụ:", "G4", "H4", "H4"),
    HeaderField("officer_phone", "Điện thoại:", "B5", "C5", "D5"),
    HeaderField("report_date", "Ngày báo cáo:", "G5", "H5", "H5"),
    HeaderField("note", "Ghi chú:", "B6", "C6", "K6"),
)
HEADER_BY_KEY = {f.key: f for f in HEADER_FIELDS}

# Keys of the "_meta" sheet (column A = key, column B = value).
META_AGENCY = "agency_code"
META_PERIOD = "period_code"
META_VERSION = "template_version"
META_GENERATED = "generated_at"
META_FINGERPRINT = "task_fingerprint"
META_TASK_COUNT = "task_count"
META_PLAN_NUMBER = "plan_number"            # version 2
META_PLAN_FINGERPRINT = "plan_fingerprint"  # version 2
META_KEYS = (META_AGENCY, META_PERIOD, META_VERSION, META_GENERATED, META_FINGERPRINT, META_TASK_COUNT,
             META_PLAN_NUMBER, META_PLAN_FINGERPRINT)
# Optional, after META_KEYS: where carried answers come from, then one row per carried task.
META_CARRIED_FROM = "carried_from"          # the previous period's code, e.g. 2022-Q3
META_CARRIED_PREFIX = "carried:"            # carried:<task id> -> answer_digest of the pre-filled values
META_LOCKED_PREFIX = "carried_locked:"      # the same for a task done on time then (its row is locked)
# The input cells an answer is carried in (difficulties and proposals belong to each period).
CARRIED_KEYS = ("status", "completed_on", "progress", "results", "output_doc")
LEGEND_ROW = 7         # "Báo cáo" sheet: the legend of pre-filled and locked rows (forms with carried answers)
# Cells of the "_meta" sheet holding the addressee list the dropdown refers to (the third word has a
# comma, so it cannot be written in an inline list).
TARGETS_RANGE = "$D$1:$D$3"



def columns_for(version: str) -> tuple[Column, ...]:
    """The table columns of a form of this template version (unknown versions: the current layout)."""
    return COLUMNS_V1 if version == "1" else COLUMNS


def plan_fingerprint(plan_number: str, task_ids: Iterable[str]) -> str:
    """Identity of a plan: its number and the ids of all its tasks (contents may be corrected later)."""
    return fingerprint_rows([[plan_number], list(task_ids)])


def normalise_locked(value) -> str:
    """Canonical text of a locked cell: NFC, whitespace collapsed (line breaks count as spaces)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN: an empty cell read by pandas
            return ""
        if value.is_integer():
            value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def locked_values(task: Task) -> tuple[str, str, str, str]:
    """The locked cells of a task's row, in column order."""
    return (task.id, task.content, task.deadline.text, task.product)


def fingerprint_rows(rows: Iterable[Sequence], normalised: bool = False) -> str:
    """SHA-256 over the normalised locked cells of the rows, in order."""
    h = hashlib.sha256()
    for row in rows:
        for value in row:
            h.update((value if normalised else normalise_locked(value)).encode("utf-8"))
            h.update(b"\x1f")  # unit separator: "ab","c" differs from "a","bc"
        h.update(b"\x1e")
    return h.hexdigest()


def task_fingerprint(tasks: Iterable[Task]) -> str:
    return fingerprint_rows(locked_values(t) for t in tasks)


def _canonical_date(value) -> str:
    if value is None or value != value:     # None, NaN, NaT
        return ""
    if hasattr(value, "date") and callable(value.date):   # datetime, pandas Timestamp
        value = value.date()
    return value.isoformat() if hasattr(value, "isoformat") else normalise_locked(value)


def _canonical_number(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    try:
        return f"{float(value):.6g}"
    except (TypeError, ValueError):
        return normalise_locked(value)


def answer_digest(status, completed_on, progress, results, output_doc) -> str:
    """A short hash of one carried answer: the status word, the completion date (ISO), the progress,
    the results and the output document, each in a canonical form (text as `normalise_locked`, so
    spacing and Unicode composition do not count; 80, 80.0 and "80" are one progress)."""
    values = (normalise_locked(status), _canonical_date(completed_on), _canonical_number(progress),
              normalise_locked(results), normalise_locked(output_doc))
    return fingerprint_rows([values], normalised=True)[:16]
