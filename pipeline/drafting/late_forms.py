"""A form sent late: its facts are in the report, and the clerk decides whether that stands.

Rule: an agency whose form gives a report date after the submission deadline (PlanConfig.submission_deadline,
the công văn's reply-by date and the report's «gửi chậm»: one rule) has one LATE_FORM point, on
the appendix result of the first task it reported (where its facts are printed); a Word comment on the draft.
"""
from __future__ import annotations

from pipeline.drafting.blocks import LATE_FORM, Draft
from pipeline.plan.periods import sent_late
from pipeline.status.merge import Merged
from pipeline.text.vntext import format_date_short


def mark_late_forms(draft: Draft, merged: Merged, deadline) -> None:
    done: set[str] = set()
    for task_id, st in merged.statuses.items():
        for lead in st.leads:
            when = merged.report_dates.get(lead.agency)
            if not lead.reported or lead.agency in done or not sent_late(when, deadline):
                continue
            done.add(lead.agency)
            where = f" ({lead.file})" if lead.file else ""
            draft.summaries[task_id].point(
                LATE_FORM, f"Phiếu của {lead.agency_name}{where} ghi ngày báo cáo "
                           f"{format_date_short(when)}, sau hạn gửi phiếu {format_date_short(deadline)}: nội dung "
                           "phiếu đã được dùng trong báo cáo. Xác nhận dùng (ghi «Đã kiểm tra»), hoặc bỏ, sửa các "
                           "khối có nội dung của phiếu này.")
