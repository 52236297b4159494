"""A form dated after the cut-off: its facts are in the report, and the clerk decides whether that stands.

Rule: an agency whose form gives a report date after the period's last cut-off day has one LATE_FORM point, on
the appendix result of the first task it reported (where its facts are printed); a Word comment on the draft.
"""
from __future__ import annotations

from pipeline.drafting.blocks import LATE_FORM, Draft
from pipeline.status.merge import Merged
from pipeline.text.vntext import format_date_short


def mark_late_forms(draft: Draft, merged: Merged) -> None:
    cutoff = merged.period.end
    done: set[str] = set()
    for task_id, st in merged.statuses.items():
        for lead in st.leads:
            when = merged.report_dates.get(lead.agency)
            if not lead.reported or lead.agency in done or when is None or when <= cutoff:
                continue
            done.add(lead.agency)
            where = f" ({lead.file})" if lead.file else ""
            draft.summaries[task_id].point(
                LATE_FORM, f"Phiếu của {lead.agency_name}{where} ghi ngày báo cáo "
                           f"{format_date_short(when)}, sau ngày chốt số liệu {format_date_short(cutoff)}: nội dung "
                           "phiếu đã được dùng trong báo cáo. Xác nhận dùng (ghi «Đã kiểm tra»), hoặc bỏ, sửa các "
                           "khối có nội dung của phiếu này.")
