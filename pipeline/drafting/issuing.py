"""Before a number is given: the issue date must be possible, and nothing that changes a printed fact is open.

Rules (issue 7 §1, §4):
- the issue date is not before the period's cut-off day (the data end there), not after today,
  and not more than a year after the cut-off (a mistyped year);
- it is not before any date the report cites (a completion or a document date): a report cannot
  cite what happens after it is signed;
- a lead's completion date after the issue date is an error for that row (a point the clerk settles);
- while a blocking point is unsettled (undated completion, rejected row, completion after the issue
  date), the issued version is refused, naming each point.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from pipeline.drafting.blocks import DONE_AFTER_ISSUE, Draft
from pipeline.errors import PipelineError
from pipeline.status.merge import STATUS_DONE, Merged
from pipeline.plan.periods import Period
from pipeline.text.vntext import format_date_short

_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
MAX_LAG = timedelta(days=366)


def check_issue_date(when: date, period: Period, today: date) -> None:
    end = format_date_short(period.end)
    if when < period.end:
        raise PipelineError(f"Ngày ban hành {format_date_short(when)} trước ngày chốt số liệu {end} của {period.label}: "
                            "báo cáo không thể ban hành trước khi có đủ số liệu.")
    if when > today:
        raise PipelineError(f"Ngày ban hành {format_date_short(when)} sau ngày hôm nay ({format_date_short(today)}): "
                            "văn thư chỉ cấp số vào ngày ký ban hành.")
    if when > period.end + MAX_LAG:
        raise PipelineError(f"Ngày ban hành {format_date_short(when)} cách ngày chốt số liệu {end} của {period.label} "
                            "hơn một năm; kiểm tra lại năm của ngày ban hành.")


def cited_dates(context: dict) -> list[date]:
    """Every d/m/yyyy date the printed report cites (body and appendix)."""
    texts = [b["text"] for b in context["body"]]
    texts += [r[k] for r in context["appendix"]["rows"] for k in ("content", "result")]
    found = []
    for text in texts:
        for d, m, y in _DATE.findall(text):
            try:
                found.append(date(int(y), int(m), int(d)))
            except ValueError:
                continue
    return found


def check_cited_dates(context: dict, when: date) -> None:
    later = [d for d in cited_dates(context) if d > when]
    if later:
        raise PipelineError(f"Ngày ban hành {format_date_short(when)} trước ngày {format_date_short(max(later))} mà báo "
                            "cáo dẫn (ngày hoàn thành hoặc ngày văn bản); chọn ngày ban hành từ ngày này trở đi.")


def mark_done_after_issue(draft: Draft, merged: Merged, when: date) -> None:
    for task_id, st in merged.statuses.items():
        for lead in st.leads:
            if lead.reported and lead.status == STATUS_DONE and lead.completed_on and lead.completed_on > when:
                draft.summaries[task_id].point(
                    DONE_AFTER_ISSUE, f"{lead.agency_name} ghi ngày hoàn thành nhiệm vụ {task_id} là "
                                      f"{format_date_short(lead.completed_on)}, sau ngày ban hành "
                                      f"{format_date_short(when)} ({lead.file}, trang «{lead.sheet}», dòng {lead.row}).")


def refuse_if_unsettled(draft: Draft, editorial_name: str) -> None:
    open_points = draft.unsettled(blocking_only=True)
    if open_points:
        lines = "\n".join(f"  - [{b.code}] {p.message}" for b, p in open_points)
        raise PipelineError(f"Chưa thể lập bản phát hành: còn {len(open_points)} điểm làm thay đổi nội dung báo cáo "
                            f"chưa được xử lý. Sửa khối tương ứng hoặc ghi «Đã kiểm tra» ở cột «Ghi chú» trong "
                            f"{editorial_name}, rồi chạy lại:\n{lines}")
