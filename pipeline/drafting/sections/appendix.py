"""The appendix's «Kết quả thực hiện» of each task, and the points the clerk settles on it.

Rules:
- each lead's results after `voice`, its product, its completion date when it holds at the cut-off, its
  progress while not done; several leads: one line each, a silent lead said so;
- here stay what the body leaves out: units' routine reports, per-agency percentages of recurring work;
- a lead done with no date, or done after the cut-off, is a point for the clerk on the task's row;
- a row rejected from a form in use is a point on its task's row (or on the figures when the task is unknown).
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from pipeline.collection.sheet_layout import STATUS_DONE
from pipeline.drafting.blocks import DONE_AFTER_CUTOFF, REJECTED_ROW, UNDATED_DONE, Block
from pipeline.status.merge import LeadReport
from pipeline.drafting.sections.common import Drafting, bare
from pipeline.plan.model import Task
from pipeline.text.vntext import end_sentence, format_date_short, format_percent

PHRASES: dict[str, tuple[str, ...]] = {
    "summary.product": ("product",),
    "summary.completed": ("date",),
    "summary.progress": ("progress",),
    "summary.silent_lead": ("agency",),
    "summary.lead_prefix": ("agency", "text"),
    "label.summary": ("task",),
    "review.where": ("file", "sheet", "row"),
    "review.undated": ("agency", "task", "where"),
    "review.after_cutoff": ("agency", "task", "date", "cutoff", "where"),
    "review.rejected": ("file", "sheet", "row", "task", "reason"),
    "review.unknown_task": (),
}


def summary(d: Drafting, task: Task) -> Block:
    pb, st = d.pb, d.status(task)
    block = Block(f"PL.{task.id}", pb.say("label.summary", task=task.id), "", place="appendix",
                  anchor=task.content.splitlines()[0][:60])
    many = len(st.leads) > 1
    lines = []
    for lead in st.leads:
        if st.done_before and lead.reported and not lead.done_at_cutoff and lead.agency in st.earlier.answers:
            lead = _as_accepted(lead, st.earlier.answers[lead.agency], st.earlier.period_code)   # the facts accepted
        if not lead.has_answer:
            if many:
                lines.append(pb.say("summary.silent_lead", agency=lead.agency_name))
            continue
        text = _lead(d, block, task, lead)
        lines.append(pb.say("summary.lead_prefix", agency=d.master.agencies[lead.agency].short_name, text=text)
                     if many else text)
    block.auto = "\n".join(lines)
    return block


def _as_accepted(lead: LeadReport, answer, period_code: str) -> LeadReport:
    return replace(lead, status=answer.status, completed_on=answer.completed_on, progress=answer.progress,
                   results=answer.results or "", output_doc=answer.output_doc or "", done_at_cutoff=True,
                   reported=False, carried_from=period_code, file="")


def _lead(d: Drafting, block: Block, task: Task, lead: LeadReport) -> str:
    pb, period = d.pb, d.merged.period
    parts = []
    results = d.voiced(block, lead.results, lead.agency, lead.output_doc) if lead.results else ""
    if results:
        parts.append(results)
    if lead.output_doc:
        doc = d.voiced(block, lead.output_doc, lead.agency)
        if doc:
            parts.append(pb.say("summary.product", product=bare(doc)))
    where = pb.say("review.where", file=lead.file, sheet=lead.sheet, row=str(lead.row)) if lead.file else lead.agency_name
    if lead.status == STATUS_DONE and lead.done_at_cutoff and lead.completed_on:
        parts.append(pb.say("summary.completed", date=format_date_short(lead.completed_on)))
    elif lead.reported and lead.status == STATUS_DONE and lead.completed_on is None:
        block.point(UNDATED_DONE, pb.say("review.undated", agency=lead.agency_name, task=task.id, where=where))
    elif lead.done_after_cutoff:
        block.point(DONE_AFTER_CUTOFF, pb.say("review.after_cutoff", agency=lead.agency_name, task=task.id,
                                              date=format_date_short(lead.completed_on),
                                              cutoff=format_date_short(period.end), where=where))
    if (lead.status != STATUS_DONE or lead.done_after_cutoff) and lead.progress is not None:
        parts.append(pb.say("summary.progress", progress=format_percent(lead.progress)))
    return " ".join(end_sentence(p) for p in parts if p)


def rejected_points(d: Drafting, rejected: pd.DataFrame | None, superseded: set[str], summaries: dict[str, Block],
                    general: Block) -> None:
    """Rows rejected from the forms in use: the facts they held are missing from the report."""
    if rejected is None or rejected.empty:
        return
    retired = {task.id for task, _ in d.master.retired}
    for r in rejected.itertuples(index=False):
        if r.file in superseded or r.task_id in retired:   # an older form, or a task the plan no longer has
            continue
        target = summaries.get(str(r.task_id)) or general
        target.point(REJECTED_ROW, d.pb.say("review.rejected", file=r.file, sheet=r.sheet, row=str(r.row),
                                            task=r.task_id or d.pb.say("review.unknown_task"), reason=r.reason))


def rejected_count(d: Drafting, rejected: pd.DataFrame | None, superseded: set[str]) -> int:
    if rejected is None or rejected.empty:
        return 0
    return sum(1 for r in rejected.itertuples(index=False) if r.file not in superseded)
