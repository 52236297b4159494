"""I. Tình hình triển khai: how the plan was issued and assigned, how it changed, what period the figures cover.

Rules:
- the plan as issued: its number, date, tasks per group, the number of lead agencies;
- each change decided by the cut-off (sheet «Điều chỉnh») with its document; none: the paragraph is left out;
- the reporting window and the cut-off day at which every status is judged.
"""
from __future__ import annotations

from pipeline.drafting.blocks import Block, Heading
from pipeline.drafting.sections.common import Drafting
from pipeline.plan.model import ADD, EXTEND, Task
from pipeline.text.vntext import deadline_words, format_date_short, format_number, lower_first

PHRASES: dict[str, tuple[str, ...]] = {
    "heading.deployment": (),
    "deployment.plan": ("issuer", "plan_number", "plan_date", "directive_citation", "tasks", "parts", "leads"),
    "deployment.part": ("part", "title", "tasks"),
    "deployment.reporting": ("start", "end"),
    "deployment.adjustments": ("items",),
    "deployment.extended": ("task", "deadline", "citation"),
    "deployment.added": ("task", "citation"),
    "deployment.dropped": ("task", "citation"),
    "label.plan": (), "label.reporting": (), "label.adjustments": (),
}


def sections_of(d: Drafting) -> list[tuple[str, str, list[Task]]]:
    """The plan's groups in order: (Roman number, title in sentence case, tasks)."""
    out = []
    for section in dict.fromkeys(t.section for t in d.master.tasks):
        tasks = [t for t in d.master.tasks if t.section == section]
        lower = tasks[0].section_title.lower()
        out.append((section, lower[:1].upper() + lower[1:], tasks))
    return out


def deployment(d: Drafting) -> list:
    pb, cfg = d.pb, d.config
    parts = [pb.say("deployment.part", part=s, title=lower_first(title), tasks=format_number(len(tasks)))
             for s, title, tasks in sections_of(d)]
    heading = pb.say("heading.deployment")
    return [
        Heading("heading1", heading),
        Block("I.ke-hoach", pb.say("label.plan"), pb.say(
            "deployment.plan", issuer=cfg.issuer_name, plan_number=cfg.plan_number,
            plan_date=format_date_short(cfg.plan_date), directive_citation=cfg.directive_citation,
            tasks=format_number(len(d.master.tasks)), parts="; ".join(parts),
            leads=format_number(len(d.master.lead_codes()))), anchor=heading),
        *_adjustments(d, heading),
        Block("I.ky-bao-cao", pb.say("label.reporting"), pb.say(
            "deployment.reporting", start=format_date_short(d.merged.period.start),
            end=format_date_short(d.merged.period.end)), anchor=heading),
    ]


def _adjustments(d: Drafting, heading: str) -> list:
    """Plan changes decided by the cut-off (sheet «Điều chỉnh»), each with its document."""
    pb, items = d.pb, []
    by_id = {t.id: t for t in d.master.tasks}
    for a in d.master.adjustments:
        if a.kind == EXTEND and a.task_id in by_id and by_id[a.task_id].extension == a:
            items.append(pb.say("deployment.extended", task=d.ref(by_id[a.task_id]),
                                deadline=deadline_words(a.deadline.text), citation=a.citation))
        elif a.kind == ADD and a.task_id in by_id:
            items.append(pb.say("deployment.added", task=d.ref(by_id[a.task_id]), citation=a.citation))
    for task, a in d.master.retired:
        items.append(pb.say("deployment.dropped", task=d.ref(task), citation=a.citation))
    if not items:
        return []
    return [Block("I.dieu-chinh", pb.say("label.adjustments"), pb.say("deployment.adjustments", items="; ".join(items)),
                  anchor=heading)]
