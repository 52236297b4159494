"""Deadlines as the plan writes them -> a due date, or an open deadline with its kind."""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from pipeline.plan.model import Deadline

_ROMAN_QUARTER = {"I": 1, "II": 2, "III": 3, "IV": 4}

_OPEN = [
    ("recurring", re.compile(r"^thường xuyên$")),
    ("annual", re.compile(r"^(hàng|hằng) năm$")),
    ("per_plan", re.compile(r"^theo kế hoạch$")),
    ("per_decision", re.compile(r"^theo quyết định phê duyệt của (thủ tướng|thủ tướng chính phủ|cấp có thẩm quyền)$")),
]

_YEAR = r"(\d{4})"
_DASH = r"\s*[-–—]\s*"
_FIXED = [
    ("quarter", re.compile(rf"^quý\s+(i{{1,3}}|iv|[1-4])\s*[/.-]\s*(?:năm\s+)?{_YEAR}$")),
    ("month", re.compile(rf"^tháng\s+(\d{{1,2}})\s*[/.-]\s*{_YEAR}$")),
    ("stage", re.compile(rf"^giai đoạn\s+{_YEAR}{_DASH}{_YEAR}$")),
    ("years", re.compile(rf"^năm\s+{_YEAR}{_DASH}{_YEAR}$")),
    ("year", re.compile(rf"^năm\s+{_YEAR}$")),
]


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def parse_deadline(text: str) -> Deadline:
    """Parse a deadline as written; raise ValueError (Vietnamese) for anything else."""
    raw = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()
    key = _key(raw)
    if not key:
        raise ValueError("thời hạn bị bỏ trống")
    for kind, pattern in _OPEN:
        if pattern.match(key):
            return Deadline(raw, kind, None)
    for kind, pattern in _FIXED:
        m = pattern.match(key)
        if not m:
            continue
        if kind == "quarter":
            q = m.group(1).upper()
            quarter = _ROMAN_QUARTER.get(q) or int(q)
            return Deadline(raw, kind, _last_day(int(m.group(2)), 3 * quarter))
        if kind == "month":
            month = int(m.group(1))
            if not 1 <= month <= 12:
                break
            return Deadline(raw, kind, _last_day(int(m.group(2)), month))
        if kind == "year":
            return Deadline(raw, kind, date(int(m.group(1)), 12, 31))
        first, last = int(m.group(1)), int(m.group(2))
        if last < first:
            break
        return Deadline(raw, kind, date(last, 12, 31))
    raise ValueError(
        f"không hiểu thời hạn «{raw}» (dạng được chấp nhận: Quý II/2022, Tháng 9/2022, Năm 2022, "
        "Năm 2022 - 2023, Giai đoạn 2021 - 2025, Thường xuyên, Hàng năm, Theo kế hoạch, "
        "Theo quyết định phê duyệt của Thủ tướng)"
    )
