"""Reporting periods: codes, Vietnamese labels and data cut-off windows (FORMAT.md §5)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.errors import PipelineError

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
REPORT_DUE_DAY = 25   # a provincial report reaches the Government by the 25th of the period's last month


@dataclass(frozen=True)
class Period:
    code: str        # "2022-Q3", "2022-H1", "2022-9M", "2022"
    kind: str        # "quarter" | "half" | "nine_months" | "year"
    year: int
    label: str       # "quý III năm 2022"
    start: date      # data cut-off window, first day (Nghị định 09/2019, Điều 12)
    end: date        # data cut-off window, last day: status is judged as of this day
    last_month: int  # the period's last calendar month (the report goes out that month)

    @property
    def closes(self) -> date:
        """The period's own last day (30/9 for quý III): the report goes out before it; tasks due by then are
        this period's to finish."""
        return _month_end(self.year, self.last_month)

    @property
    def window_text(self) -> str:
        from pipeline.text.vntext import format_date_short
        return f"từ {format_date_short(self.start)} đến {format_date_short(self.end)}"


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _quarter(year: int, q: int) -> Period:
    last = 3 * q
    first_prev = 3 * q - 3  # month before the quarter
    start = date(year - 1, 12, 15) if first_prev == 0 else date(year, first_prev, 15)
    return Period(f"{year}-Q{q}", "quarter", year, f"quý {_ROMAN[q]} năm {year}", start, date(year, last, 14), last)


def parse_period(code: str, default_year: int | None = None) -> Period:
    """`2022-Q3`, `2022-H1`, `2022-9M`, `2022`; `q3`/`h1`/`9m` use `default_year`."""
    raw = (code or "").strip().upper()
    m = re.fullmatch(r"(?:(\d{4})-?)?(Q[1-4]|H1|9M)?", raw)
    if not raw or not m or (m.group(1) is None and m.group(2) is None):
        raise PipelineError(
            f"Kỳ báo cáo «{code}» không hợp lệ; dùng dạng 2022-Q1 … 2022-Q4, 2022-H1 (6 tháng đầu năm), "
            "2022-9M (9 tháng) hoặc 2022 (cả năm)."
        )
    if m.group(1):
        year = int(m.group(1))
    elif default_year is not None:
        year = default_year
    else:
        raise PipelineError(f"Kỳ báo cáo «{code}» thiếu năm, ví dụ 2022-Q3.")
    part = m.group(2)
    prev_dec = date(year - 1, 12, 15)
    if part is None:
        return Period(f"{year}", "year", year, f"năm {year}", prev_dec, date(year, 12, 14), 12)
    if part == "H1":
        return Period(f"{year}-H1", "half", year, f"6 tháng đầu năm {year}", prev_dec, date(year, 6, 14), 6)
    if part == "9M":
        return Period(f"{year}-9M", "nine_months", year, f"9 tháng năm {year}", prev_dec, date(year, 9, 14), 9)
    return _quarter(year, int(part[1]))


def following_window(period: Period) -> tuple[str, date]:
    """The time after a period that section VI plans for: its label and its last day."""
    y = period.year
    if period.kind == "quarter":
        q = period.last_month // 3
        if q == 4:
            return f"quý I năm {y + 1}", date(y + 1, 3, 31)
        return f"quý {_ROMAN[q + 1]} năm {y}", date(y, 3 * (q + 1), 30 if q + 1 in (2, 3) else 31)
    if period.kind == "half":
        return f"6 tháng cuối năm {y}", date(y, 12, 31)
    if period.kind == "nine_months":
        return f"quý IV năm {y}", date(y, 12, 31)
    return f"năm {y + 1}", date(y + 1, 12, 31)


def short_label(period: Period, beside: Period) -> str:
    """"quý II" beside "quý III năm 2022": the year once is enough; another year keeps its year."""
    suffix = f" năm {period.year}"
    if period.year == beside.year and period.label.endswith(suffix):
        return period.label.removesuffix(suffix)
    return period.label


def compact_label(period: Period) -> str:
    """«quý II/2022» for a quarter (as a table cell says when something happened); other periods: their label."""
    if period.kind == "quarter":
        return f"quý {_ROMAN[period.last_month // 3]}/{period.year}"
    return period.label


def report_due(period: Period) -> date:
    """The day the province's report is due (FORMAT.md §5)."""
    return date(period.year, period.last_month, REPORT_DUE_DAY)


def submission_deadline(period: Period, answer_days: int) -> date:
    """The day the agencies' forms are due: `answer_days` before the report is due. The one rule for "on time"
    between documents: the công văn's reply-by date, and the report's «gửi chậm» (a form dated after it)."""
    return report_due(period) - timedelta(days=answer_days)


def sent_late(report_date: date | None, deadline: date) -> bool:
    """A form dated after the submission deadline was sent late (an undated form is not judged)."""
    return report_date is not None and report_date > deadline
