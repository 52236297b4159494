"""The report context: every heading, sentence, number and date the report shows, built once.

Both renderers (DOCX, PDF) take only this plain dict; its keys are described in
context_schema.md. Nothing here knows about Word or HTML.
"""
from __future__ import annotations

from datetime import date

from pipeline.plan.config import PlanConfig
from pipeline.errors import PipelineError
from pipeline.drafting.blocks import Draft, Figure, Heading
from pipeline.drafting.figures import report_charts
from pipeline.drafting.body import draft_report, load_phrasebook
from pipeline.drafting.body import subject as report_subject
from pipeline.drafting.phrasebook import Phrasebook
from pipeline.status.compare import Comparison
from pipeline.status.merge import Merged, TaskStatus
from pipeline.plan.periods import short_label
from pipeline.text.vntext import fold
from pipeline.plan.model import Master
from pipeline.drafting.letterhead import DRAFT_BLANK, Issue, Signature, archive_record, day_text, frame, \
    recipient_lines

__all__ = ["DRAFT_BLANK", "Issue", "build_context", "document_date", "report_signature"]
APPENDIX_COLUMNS = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tình trạng",
                    "Kết quả thực hiện, sản phẩm"]


def document_date(context: dict) -> date:
    """The one date an output file carries: the issue date, else the draft's DocumentDate."""
    meta = context["meta"]
    value = str(meta.get("IssuedDate") or meta["DocumentDate"])
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PipelineError(f"Ngày văn bản «{value}» trong nội dung báo cáo không đúng dạng NNNN-TT-NN.") from None


def _appendix_rows(master: Master, merged: Merged, draft: Draft, comparison: Comparison | None) -> list[dict]:
    rows, section, group = [], None, None
    blank = {"lead": "", "deadline": "", "status": "", "result": "", "previous": ""}
    for task in master.tasks:
        if task.section != section:
            section, group = task.section, None
            rows.append({"kind": "section", "tt": section, "content": task.section_title, **blank})
        if task.group and task.group != group:
            rows.append({"kind": "group", "tt": task.number.split(".")[0], "content": task.group, **blank})
        group = task.group or None
        lead = "; ".join(master.agencies[c].name for c in task.lead_codes)
        rows.append({
            "kind": "task", "tt": task.number, "content": task.content,
            "lead": lead + (f" ({task.lead_note})" if task.lead_note else ""),
            "deadline": task.deadline_text, "status": _status_cell(merged.statuses[task.id], comparison),
            "result": draft.summaries[task.id].printed,
            "previous": comparison.previous_label(task.id) if comparison else "",
        })
    return rows


def _status_cell(st: TaskStatus, comparison: Comparison | None) -> str:
    """The status at the cut-off, and beneath it when a done task was done («hoàn thành quý II/2022») or else
    the status in the previous period's record."""
    label, task_id = st.label, st.task_id
    if st.done_before:
        return f"{label}\n(hoàn thành {st.done_in})"
    before = comparison.previous_label(task_id) if comparison else ""
    if not before:
        return label
    then = short_label(comparison.previous.period, comparison.current)
    return f"{label}\n({then}: {before[:1].lower() + before[1:]})"


def _body(draft: Draft) -> list[dict]:
    out = []
    for item in draft.body:
        if isinstance(item, Heading):
            out.append({"style": item.style, "lead": "", "text": item.text, "id": "", "chart": ""})
        elif isinstance(item, Figure):
            out.append({"style": "figure", "lead": "", "text": item.caption, "id": "", "chart": item.chart})
        elif item.printed:
            out.append({"style": "paragraph", "lead": "", "text": item.printed, "id": item.code, "chart": ""})
    return out


def _review(draft: Draft) -> list[dict]:
    """The points the clerk must decide, for the draft's Word comments (never printed); the other points
    (automatic rewrites and the like) are listed in bien-tap.xlsx only."""
    out = []
    for block in draft.blocks:
        open_points = [p for p in block.points if not p.settled and p.decision]
        if open_points:
            out.append({"code": block.code, "place": block.place, "text": block.printed, "anchor": block.anchor,
                         "comments": [f"[{block.code}] " + ("Cần xử lý trước khi ban hành. " if p.blocking else "")
                                      + p.message for p in open_points]})
    return out


def draft_date(merged: Merged) -> date:
    """A draft is dated by the reporting deadline (the 25th of the period's last month, FORMAT.md §5), and never
    before the latest form it uses."""
    due = date(merged.period.year, merged.period.last_month, 25)
    return max([due, *merged.report_dates.values()])


def report_signature(config: PlanConfig, addressed: list[str] = ()) -> Signature:
    """`addressed`: the ministries the body's requests go to; each not yet in Nơi nhận is added after the
    Government's recipients."""
    listed = {fold(x) for x in (*config.recipients, *config.noi_nhan)}
    extra = tuple(dict.fromkeys(a for a in addressed if fold(a) not in listed))
    return Signature(parent_lines=(), issuer_lines=config.issuer_header_lines, issuer_name=config.issuer_name,
                     notation=config.notation, place=config.place, authority_lines=config.signer_authority_lines,
                     position=config.signer_position, name=config.signer_name, noi_nhan=extra + config.noi_nhan,
                     drafting_unit=config.drafting_unit, priority=config.priority)


def build_context(config: PlanConfig, master: Master, merged: Merged, issue: Issue | None = None,
                  draft: Draft | None = None, phrasebook: Phrasebook | None = None,
                  comparison: Comparison | None = None) -> dict:
    """The one structure both renderers take; `draft` carries the clerk's edits (default: a fresh draft);
    `comparison` the previous period's record (the appendix shows each task's status then)."""
    period = merged.period
    pb = phrasebook or load_phrasebook()
    draft = draft or draft_report(config, master, merged, phrasebook=pb, comparison=comparison,
                                  charts=report_charts(master, merged, comparison))
    subject = report_subject(config, period.label, pb)
    sign = report_signature(config, draft.addressed)
    draft_month = draft_date(merged)
    recipients = list(config.recipients)
    return {
        "document": "bao-cao",
        "period": {"code": period.code, "label": period.label},
        **frame(sign, issue, draft_month, recipient_lines(recipients)),
        "doc_type": "BÁO CÁO",
        "subject": subject,
        "body": _body(draft),
        "appendix": {
            "heading": "Phụ lục",
            "title": f"Kết quả thực hiện các nhiệm vụ theo Kế hoạch số {config.plan_number}, {period.label}".upper(),
            "attached_line": (f"(Kèm theo Báo cáo số{' ' + issue.number_text if issue else DRAFT_BLANK}"
                              f"/{config.notation} {day_text(issue, draft_month)} của {config.issuer_name})"),
            "columns": APPENDIX_COLUMNS,
            "rows": _appendix_rows(master, merged, draft, comparison),
            "previous_label": comparison.previous.period.label if comparison else "",
        },
        "meta": archive_record(sign, issue, "Báo cáo", subject, issue.date if issue else draft_month, recipients,
                               config.issued_amount, f"Báo cáo định kỳ {period.label} về kết quả thực hiện Kế hoạch "
                                                     f"số {config.plan_number}"),
        "charts": draft.charts,
        "review": [] if issue else _review(draft),
    }
