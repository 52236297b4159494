"""Before a number is given: the issue date must be possible, and nothing that changes a printed fact is open.

Rules (issue 7 §1, §4):
- the issue date is not before the period's cut-off day (the data end there), not after today,
  and not more than a year after the cut-off (a mistyped year);
- it is not before the date of a document an agency reports (a report cannot cite what is signed after it);
- a lead's completion date after the issue date is an error for that row (a point the clerk settles);
- any other day after the issue date in printed text (a plan's «trước ngày …», an expected date) is a
  point the clerk settles with «Đã kiểm tra»;
- `issue_blockers` is the one gate: while a blocking point is unsettled (undated completion, rejected row,
  completion after the issue date, a stale edit, a future date), the editorial workbook has errors, the
  period record was set aside, or no body block is printed, the issued version is refused, naming each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.drafting.blocks import (DATE_AFTER_CUTOFF, DONE_AFTER_CUTOFF, DONE_AFTER_ISSUE, FUTURE_DATE,
                                      Block, Draft)
from pipeline.errors import ERROR, PipelineError, Problem
from pipeline.plan.model import Master
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


def dates_in(text: str) -> list[date]:
    """Every d/m/yyyy date written in a text."""
    found = []
    for d, m, y in _DATE.findall(text or ""):
        try:
            found.append(date(int(y), int(m), int(d)))
        except ValueError:
            continue
    return found


def check_document_dates(merged: Merged, when: date) -> None:
    """The hard rule: a report cannot cite a document dated after it is signed (an agency's output document)."""
    for task_id, st in merged.statuses.items():
        for lead in st.leads:
            later = [d for d in dates_in(lead.output_doc) if d > when] if lead.reported else []
            if later:
                raise PipelineError(
                    f"Ngày ban hành {format_date_short(when)} trước ngày {format_date_short(max(later))} của văn bản "
                    f"«{lead.output_doc}» mà {lead.agency_name} báo cáo cho nhiệm vụ {task_id} ({lead.file}, trang "
                    f"«{lead.sheet}», dòng {lead.row}); chọn ngày ban hành từ ngày này trở đi, hoặc đề nghị cơ quan "
                    "sửa phiếu.")


def mark_future_dates(draft: Draft, master: Master, period: Period, when: date | None) -> None:
    """A day after the cut-off in printed text («dự kiến trình trước ngày 08/12/2022», the plan's own
    «trước ngày 31/12/2022», a clerk's edit) is a point to read; once issued, a day after the issue date
    blocks until the clerk settles it (the draft listed it in the same words, so its mark counts)."""
    def mark(block: Block, text: str, where: str) -> None:
        later = sorted({d for d in dates_in(text) if d > period.end})
        if later:
            days = ", ".join(map(format_date_short, later))
            kind = FUTURE_DATE if when is not None and later[-1] > when else DATE_AFTER_CUTOFF
            block.point(kind, f"{where} có ngày {days}, sau ngày chốt số liệu {format_date_short(period.end)}: kiểm "
                              "tra đây là ngày dự kiến hay thời hạn (không phải việc đã xảy ra) rồi ghi «Đã kiểm tra»; "
                              "bản phát hành chỉ được lập khi điểm này đã được xử lý nếu ngày đó sau ngày ban hành.")

    for block in draft.blocks:
        mark(block, block.printed, "Nội dung khối")
    for task in master.tasks:
        block = draft.summaries.get(task.id)
        if block is not None and block.include:
            mark(block, task.content, f"Nội dung nhiệm vụ {task.id} (Phụ lục)")


def mark_done_after_issue(draft: Draft, merged: Merged, when: date) -> None:
    for task_id, st in merged.statuses.items():
        for lead in st.leads:
            if lead.reported and lead.status == STATUS_DONE and lead.completed_on and lead.completed_on > when:
                block = draft.summaries[task_id]
                day = format_date_short(lead.completed_on)
                # the draft showed this date as a completion after the cut-off: the clerk's mark on it counts
                twin = next((p for p in block.points if p.kind == DONE_AFTER_CUTOFF and lead.agency_name in p.message
                             and day in p.message), None)
                point = block.point(
                    DONE_AFTER_ISSUE, f"{lead.agency_name} ghi ngày hoàn thành nhiệm vụ {task_id} là "
                                      f"{day}, sau ngày ban hành "
                                      f"{format_date_short(when)} ({lead.file}, trang «{lead.sheet}», dòng {lead.row}).")
                point.key = (twin.key or twin.message) if twin else ""


@dataclass(frozen=True)
class Blocker:
    """One thing that stops a number being given, and where the clerk acts on it."""
    message: str
    file: str
    column: str = ""
    row: int | None = None
    code: str = ""          # the block («Mã khối»), when the point belongs to one

    def __str__(self) -> str:
        where = ", ".join(x for x in (self.file, f"dòng {self.row}" if self.row else "",
                                      f"cột «{self.column}»" if self.column else "") if x)
        return f"[{self.code}] {self.message} ({where})" if self.code else f"{self.message} ({where})"


def issue_blockers(draft: Draft, editorial_name: str, problems: list[Problem] = ()) -> list[Blocker]:
    """Everything that blocks issuing, each with the file and column to act in: an unsettled point (a
    stale edit among them), an error of the clerk's editorial workbook or of the period record
    (`problems`: those with severity ERROR count), and a report with no body block printed."""
    found = [Blocker(p.message, editorial_name, "Ghi chú", b.row, b.code)
             for b, p in draft.unsettled(blocking_only=True)]
    found += [Blocker(p.message, p.file, p.column, p.row) for p in problems if p.severity == ERROR]
    if not any(b.place == "body" and b.printed.strip() for b in draft.blocks):
        found.append(Blocker("Không khối nội dung nào của báo cáo (phần I–VI) được đưa vào báo cáo: một báo cáo "
                             "không có nội dung không thể ban hành.", editorial_name, "Đưa vào báo cáo"))
    return found


def blocker_line(b: Blocker, place=None) -> str:
    """One blocker as the gate, the problem list and `tinh-hinh` print it: «where to act. [block] message»."""
    return f"{place(b.code)}. [{b.code}] {b.message}" if place and b.code else str(b)


def refuse_if_blocked(blockers: list[Blocker], editorial_name: str, place=None) -> None:
    """`editorial_name`: the clerk's copy as the user finds it (input/<kỳ>/bien-tap.xlsx); `place(code)`: where to
    settle a block's point in it (file, row, columns)."""
    if blockers:
        lines = "\n".join(f"  - {blocker_line(b, place)}" for b in blockers)
        raise PipelineError(f"Chưa thể lập bản phát hành: còn {len(blockers)} điểm làm thay đổi nội dung báo cáo "
                            f"chưa được xử lý. Sửa khối tương ứng hoặc ghi «Đã kiểm tra» ở dòng đầu cột «Ghi chú» "
                            f"trong {editorial_name} (hoặc sửa tệp được nêu), rồi chạy lại:\n{lines}")
