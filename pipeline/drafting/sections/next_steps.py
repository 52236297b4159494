"""VI. Nhiệm vụ trọng tâm thời gian tới, ordered by due window relative to the period's end.

Rules (each window one short sentence, left out when empty):
1. tasks overdue at the cut-off; then tasks not done whose deadline falls before the period itself ends
   (quý III: by 30/9);
2. tasks due in the next period (`following_window`: quý IV → quý I of the next year; 6 tháng → 6 tháng
   cuối năm; 9 tháng → quý IV; năm → the next year);
3. long-range tasks (due after the next period) and recurring tasks (no fixed deadline);
4. follow-ups the plan names after a product (reading: buoc-tiep-theo), e.g. a draft Đề án still to go to
   the Prime Minister;
then the commitment to have the lead agencies explain late or overdue tasks with no cause reported, and to
chase the silent agencies (a count; a Party body is never chased by the Committee).
A task sits only under a window its deadline is in; tasks no lead reported are chased, not listed.
"""
from __future__ import annotations

from pipeline.drafting.blocks import Block, Heading
from pipeline.status.merge import DONE_STATUSES, NOT_REPORTED, ONGOING, OPEN_OVERDUE
from pipeline.drafting.reading import next_step, party_body
from pipeline.drafting.sections.assessment import tasks_late_or_overdue_without_cause
from pipeline.drafting.sections.common import Drafting
from pipeline.plan.model import Task
from pipeline.plan.periods import following_window
from pipeline.text.vntext import format_date_short

PHRASES: dict[str, tuple[str, ...]] = {
    "heading.next": (),
    "next.lead_in": (),
    "next.overdue": ("count", "tasks"),
    "next.due_now": ("count", "period", "closes", "tasks"),
    "next.due_next": ("count", "next_period", "tasks"),
    "next.long_range": ("count", "next_period", "tasks"),
    "next.recurring": ("count", "plan_number"),
    "next.follow_up": ("step", "task"),
    "next.causes": ("count",),
    "next.silent": ("count",),
    "label.next": ("window",),
}


def windows(d: Drafting) -> dict[str, list[Task]]:
    """The open tasks per window (see the module's rules), in the plan's order."""
    m, period = d.merged, d.merged.period
    _, horizon = following_window(period)
    out: dict[str, list[Task]] = {"overdue": [], "due_now": [], "due_next": [], "long_range": [], "recurring": []}
    for t in d.master.tasks:
        status = m.statuses[t.id].status
        if status in DONE_STATUSES or status == NOT_REPORTED:
            continue
        due = t.deadline_in_force.due
        if status == OPEN_OVERDUE:
            out["overdue"].append(t)
        elif status == ONGOING or due is None:
            out["recurring"].append(t)
        elif due <= period.closes:
            out["due_now"].append(t)
        elif due <= horizon:
            out["due_next"].append(t)
        else:
            out["long_range"].append(t)
    return out


def next_steps(d: Drafting) -> list:
    pb, m = d.pb, d.merged
    label, _ = following_window(m.period)
    heading = pb.say("heading.next")
    out: list = [Heading("heading1", heading), Block("VI.chung", pb.say("label.next", window=""), pb.say("next.lead_in"),
                                                     anchor=heading)]
    refs = d.refs
    w = windows(d)
    sentences = {
        "qua-han": pb.count("next.overdue", len(w["overdue"]), tasks=refs(w["overdue"])),
        "den-han": pb.count("next.due_now", len(w["due_now"]), period=m.period.label,
                            closes=format_date_short(m.period.closes), tasks=refs(w["due_now"])),
        "ky-toi": pb.count("next.due_next", len(w["due_next"]), next_period=label, tasks=refs(w["due_next"])),
        "dai-han": pb.count("next.long_range", len(w["long_range"]), next_period=label, tasks=refs(w["long_range"])),
        "thuong-xuyen": pb.count("next.recurring", len(w["recurring"]), plan_number=d.config.plan_number),
    }
    for t in d.master.tasks:
        step = next_step(t.content, t.product) if m.statuses[t.id].status in DONE_STATUSES else ""
        if step:
            sentences[f"tiep-theo.{t.id}"] = pb.say("next.follow_up", step=step, task=d.code(t))
    sentences["nguyen-nhan"] = pb.count("next.causes", len(tasks_late_or_overdue_without_cause(d)))
    chased = [c for c in m.missing_agencies if not party_body(d.name(c))]
    sentences["chua-bao-cao"] = pb.count("next.silent", len(chased))
    for code, text in sentences.items():
        if text:
            out.append(Block(f"VI.{code}", pb.say("label.next", window=code), text, anchor=heading))
    return out
