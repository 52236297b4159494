"""II. Kết quả thực hiện: the figures, then per group of the plan what the province did.

Rules:
- overall figures at the cut-off; every count has its zero form (a zero is left out, never «0 nhiệm vụ»);
- the silent agencies are named here and only here, with their tasks; a Party body is one whose report the
  Committee «has not received» (reading: co-quan-dang); elsewhere they are a count;
- each group: one counts line, then
  1. tasks with no fixed deadline: one paragraph, one sentence per actor (co-leads merged) with its
     results and products; per-agency percentages of recurring work stay in the appendix;
  2. tasks with a deadline, by outcome: done on time (results, products with their numbers); done late
     (the delay in days against the deadline); done with no date (the result, plainly; the clerk's point
     is on the appendix row); overdue (progress and what is being done); in time (what is being done, one
     sentence per actor, progress only for tasks due before the next period ends); not started (the cause
     the agency gave, if any);
- a missing reason is never printed: nothing is said at the task (III says it once, VI commits to it);
- units' routine reports (reading: bao-cao-dinh-ky) and coordinating agencies stay in the appendix.
"""
from __future__ import annotations

from pipeline.drafting.blocks import SILENT_AGENCIES, STATUS_BACKWARDS, Block, Figure, Heading
from pipeline.collection.sheet_layout import STATUS_NOT_STARTED
from pipeline.status.merge import (DONE_LATE, DONE_ON_TIME, DONE_STATUSES, DONE_UNDATED, NOT_REPORTED, ONGOING,
                                     OPEN_IN_TIME, OPEN_OVERDUE)
from pipeline.drafting.reading import party_body
from pipeline.drafting.sections.common import Drafting, and_join, bare, share
from pipeline.drafting.sections.deployment import sections_of
from pipeline.plan.model import Task
from pipeline.plan.periods import following_window
from pipeline.status.compare import CLASS_LABELS, DONE
from pipeline.text.vntext import format_date_short, format_number, format_percent, lower_first, upper_first

PHRASES: dict[str, tuple[str, ...]] = {
    "heading.results": (), "heading.results_overall": (), "heading.results_part": ("number", "part", "title"),
    "figures.total": ("cutoff", "total", "parts"),
    "figures.done": ("count", "share", "detail"),
    "figures.detail": ("items",),
    "figures.on_time": ("count",), "figures.late": ("count",), "figures.undated": ("count",),
    "figures.open": ("count", "share", "detail"),
    "figures.in_time": ("count",), "figures.overdue": ("count",),
    "figures.ongoing": ("count", "share"),
    "figures.not_reported": ("count", "share"),
    "figures.silent": ("count", "agencies"),
    "figures.silent_party": ("agencies",),
    "figures.silent_agency": ("agency", "tasks"),
    "figures.chart_caption": ("number", "title"),
    "figures.compare": ("previous", "previous_done", "total", "changes"),
    "figures.compare_completed": ("count", "tasks"),
    "figures.compare_overdue": ("count", "tasks"),
    "figures.compare_undone": ("count", "tasks", "now"),
    "figures.compare_move": ("count", "tasks", "before", "now"),
    "figures.compare_none": (),
    "part.counts": ("part", "total", "counts"),
    "part.count.done": ("count",), "part.count.open": ("count",), "part.count.overdue": ("count",),
    "part.count.ongoing": ("count",), "part.count.not_reported": ("count",),
    "part.recurring": ("sentences",),
    "part.on_time": ("count",),
    "part.late": ("count",),
    "part.overdue": ("count",),
    "part.in_time": ("count",),
    "part.not_started": ("count",),
    "part.item": ("task", "result"),
    "part.late_item": ("task", "result", "days", "deadline"),
    "part.overdue_item": ("task", "deadline", "result", "progress"),
    "part.overdue_item_silent": ("task", "deadline", "progress"),
    "part.progress": ("progress",),
    "part.in_time_item": ("result", "task", "progress"),
    "part.not_started_item": ("task", "actor", "cause"),
    "part.not_started_item_no_cause": ("task", "actor"),
    "label.figures": (), "label.compare": (), "label.silent": (),
    "label.part_counts": ("part",), "label.part_recurring": ("part",), "label.part_on_time": ("part",),
    "label.part_late": ("part",), "label.part_undated": ("part", "task"), "label.part_overdue": ("part",),
    "label.part_in_time": ("part",), "label.part_not_started": ("part",),
    "review.silent": ("number", "agencies"),
    "review.backwards": ("task", "previous", "then", "now"),
    "review.contradicted": ("task", "done_in", "status"),
    "part.done_before": ("count", "tasks"),
}


def results(d: Drafting) -> list:
    pb = d.pb
    out: list = [Heading("heading1", pb.say("heading.results")), *_figures(d)]
    for number, (section, title, tasks) in enumerate(sections_of(d), start=2):
        heading = pb.say("heading.results_part", number=str(number), part=section, title=title)
        out.append(Heading("heading2", heading))
        out.extend(_group(d, section, tasks, heading))
    return out


# --------------------------------------------------------------------------- overall figures

def _figures(d: Drafting) -> list:
    pb, m = d.pb, d.merged
    s, n = m.by_status, len(d.master.tasks)
    done = sum(s[k] for k in DONE_STATUSES)
    open_ = s[OPEN_IN_TIME] + s[OPEN_OVERDUE]

    def detail(*items: str) -> str:
        items = [i for i in items if i]
        return pb.say("figures.detail", items=", ".join(items)) if items else ""

    parts = [
        pb.count("figures.done", done, share=share(done, n), detail=detail(
            pb.count("figures.on_time", s[DONE_ON_TIME]), pb.count("figures.late", s[DONE_LATE]),
            pb.count("figures.undated", s[DONE_UNDATED]))),
        pb.count("figures.open", open_, share=share(open_, n), detail=detail(
            pb.count("figures.in_time", s[OPEN_IN_TIME]), pb.count("figures.overdue", s[OPEN_OVERDUE]))),
        pb.count("figures.ongoing", s[ONGOING], share=share(s[ONGOING], n)),
        pb.count("figures.not_reported", s[NOT_REPORTED], share=share(s[NOT_REPORTED], n)),
    ]
    text = pb.say("figures.total", cutoff=format_date_short(m.period.end), total=format_number(n),
                  parts="; ".join(p for p in parts if p))
    heading = pb.say("heading.results_overall")
    out = [Heading("heading2", heading), Block("II.tong-so", pb.say("label.figures"), text, anchor=heading)]
    if d.comparison:
        out.append(_comparison(d, heading))
    silent = _silent(d, heading)
    if silent:
        out.append(silent)
    for number, (key, chart) in enumerate(d.charts.items(), start=1):
        out.append(Figure(key, pb.say("figures.chart_caption", number=str(number), title=chart["title"])))
    return out


def _silent(d: Drafting, heading: str) -> Block | None:
    """The agencies with no form, named once, with their tasks; a Party body's report «was not received»."""
    pb, missing = d.pb, d.merged.missing_agencies
    if not missing:
        return None

    def named(codes: list[str]) -> list[str]:
        return [pb.say("figures.silent_agency", agency=d.name(c), tasks=", ".join(
            t.id for t in d.master.tasks_of(c) if not d.merged.statuses[t.id].done_before))   # done: not waiting
                for c in codes]

    party = [c for c in missing if party_body(d.name(c))]
    state = [c for c in missing if c not in party]
    sentences = []
    if party:
        sentences.append(pb.say("figures.silent_party", agencies=and_join(pb, named(party))))
    sentences.append(pb.count("figures.silent", len(state), agencies="; ".join(named(state))))
    block = Block("II.chua-bao-cao", pb.say("label.silent"), " ".join(s for s in sentences if s), anchor=heading)
    block.point(SILENT_AGENCIES, pb.say("review.silent", number=format_number(len(missing)),
                                        agencies=and_join(pb, [d.name(c) for c in missing])))
    return block


def _comparison(d: Drafting, heading: str) -> Block:
    """What changed since the previous period's record: every move between classes has its sentence; a done
    task no longer counted done, or kept done against its agency's form, is a point to read."""
    pb, cmp = d.pb, d.comparison
    prev = cmp.previous
    changes = [pb.count(f"figures.compare_{key}", len(ids), tasks=", ".join(ids))
               for key, ids in (("completed", cmp.completed), ("overdue", cmp.overdue))]
    changes += [pb.count("figures.compare_undone", len(ids), tasks=", ".join(ids), now=CLASS_LABELS[now])
                for (before, now), ids in cmp.moves.items() if before == DONE]
    changes += [pb.count("figures.compare_move", len(ids), tasks=", ".join(ids), before=CLASS_LABELS[before],
                         now=CLASS_LABELS[now]) for (before, now), ids in cmp.other_moves.items()]
    changes = [c for c in changes if c]
    done_before = sum(n for s, n in prev.by_status.items() if s in DONE_STATUSES)
    block = Block("II.so-sanh", pb.say("label.compare"), pb.say(
        "figures.compare", previous=prev.period.label, previous_done=format_number(done_before),
        total=format_number(len(prev.statuses)), changes="; ".join(changes) or pb.say("figures.compare_none")),
        anchor=heading)
    for task_id in cmp.undone:
        block.point(STATUS_BACKWARDS, pb.say("review.backwards", task=task_id, previous=prev.period.label,
                                             then=cmp.previous_label(task_id).lower(),
                                             now=d.merged.statuses[task_id].label.lower()))
    for task_id in cmp.contradicted:
        st = d.merged.statuses[task_id]
        block.point(STATUS_BACKWARDS, pb.say("review.contradicted", task=task_id, done_in=st.done_in,
                                             status=st.label.lower()))
    return block


# --------------------------------------------------------------------------- one group of the plan

def _group(d: Drafting, section: str, tasks: list[Task], heading: str) -> list:
    pb, m = d.pb, d.merged
    st = {t.id: m.statuses[t.id].status for t in tasks}
    counts = []
    for key, statuses in (("done", DONE_STATUSES), ("open", (OPEN_IN_TIME, OPEN_OVERDUE)),
                          ("overdue", (OPEN_OVERDUE,)), ("ongoing", (ONGOING,)), ("not_reported", (NOT_REPORTED,))):
        counts.append(pb.count(f"part.count.{key}", sum(s in statuses for s in st.values())))
    out = [Block(f"II.phan-{section}.tong-so", pb.say("label.part_counts", part=section), pb.say(
        "part.counts", part=section, total=format_number(len(tasks)), counts=", ".join(c for c in counts if c)),
        anchor=heading)]

    def block(code: str, label: str, **slots) -> Block:
        b = Block(f"II.phan-{section}.{code}", pb.say(f"label.part_{label}", part=section, **slots), "", anchor=heading)
        out.append(b)
        return b

    of = lambda *statuses: [t for t in tasks if st[t.id] in statuses]   # noqa: E731
    _recurring(d, block("thuong-xuyen", "recurring"), of(ONGOING))
    _done(d, block("dung-han", "on_time"), "part.on_time", of(DONE_ON_TIME))
    _done(d, block("cham", "late"), "part.late", of(DONE_LATE), late=True)
    for t in of(DONE_UNDATED):
        b = block(f"hoan-thanh.{t.id}", "undated", task=t.id)
        result = d.result(b, t)
        b.auto = pb.say("part.item", task=upper_first(d.ref(t)), result=result) if result else ""
    _overdue(d, block("qua-han", "overdue"), of(OPEN_OVERDUE))
    in_time = of(OPEN_IN_TIME)
    unstarted = [t for t in in_time if not_started(d, t)]
    _in_time(d, block("trong-han", "in_time"), [t for t in in_time if t not in unstarted])
    _not_started_block(d, block("chua-trien-khai", "not_started"), unstarted)
    return [b for b in out if b.auto or b.points]


def not_started(d: Drafting, task: Task) -> bool:
    leads = d.reported(task)
    return bool(leads) and all(l.status == STATUS_NOT_STARTED for l in leads)


def _by_actor(d: Drafting, tasks: list[Task], clause) -> list[str]:
    """One sentence per actor, in the plan's order: its clauses (one per task) joined, the subject said once.
    `clause(task, leads, go_on)` gives one task's clause."""
    sentences: dict[str, list[str]] = {}
    for t in tasks:
        leads = d.reported(t)
        if not leads:
            continue
        actor = d.actor(t, [l.agency for l in leads])
        text = clause(t, leads, actor in sentences)
        if text:
            sentences.setdefault(actor, []).append(text)
    return [upper_first("; ".join(clauses)) + "." for clauses in sentences.values()]


def _recurring(d: Drafting, b: Block, tasks: list[Task]) -> None:
    sentences = _by_actor(d, tasks, lambda t, leads, go_on: d.result(b, t, leads, go_on=go_on))
    b.auto = d.pb.say("part.recurring", sentences=" ".join(sentences)) if sentences else ""


def _done(d: Drafting, b: Block, intro: str, tasks: list[Task], late: bool = False) -> None:
    """Done now: each task with its products (and its delay); done in an earlier period: counted, named by code."""
    pb, items = d.pb, []
    before = [t for t in tasks if d.status(t).done_before]
    for t in (t for t in tasks if t not in before):
        s = d.status(t)
        result = d.result(b, t)
        task = upper_first(d.ref(t))
        if late:
            days = (s.completed_on - t.deadline_in_force.due).days
            items.append(pb.say("part.late_item", task=task, result=result, days=format_number(days),
                                deadline=d.deadline(t)))
        elif result:
            items.append(pb.say("part.item", task=task, result=result))
    head = pb.count(intro, len(tasks))
    earlier = pb.count("part.done_before", len(before), tasks=", ".join(t.id for t in before))
    b.auto = " ".join(x for x in [head, *items, earlier] if x)


def _overdue(d: Drafting, b: Block, tasks: list[Task]) -> None:
    pb, items = d.pb, []
    for t in tasks:
        leads = d.reported(t)
        p = d.progress(leads)
        progress = pb.say("part.progress", progress=format_percent(p)) if p is not None else ""
        result = d.result(b, t, leads)
        if result:
            items.append(pb.say("part.overdue_item", task=upper_first(d.ref(t)), deadline=d.deadline(t),
                                result=result, progress=progress))
        else:
            items.append(pb.say("part.overdue_item_silent", task=upper_first(d.ref(t)), deadline=d.deadline(t),
                                progress=progress))
    head = pb.count("part.overdue", len(tasks))
    b.auto = " ".join(x for x in [head, *items] if x)


def _in_time(d: Drafting, b: Block, tasks: list[Task]) -> None:
    """What is being done, one sentence per actor; progress only for tasks due before the next period ends."""
    pb = d.pb
    _, horizon = following_window(d.merged.period)

    def clause(t: Task, leads, go_on: bool) -> str:
        result = d.result(b, t, leads, go_on=go_on)
        if not result:
            return ""
        p = d.progress(leads)
        matters = p is not None and t.deadline_in_force.due <= horizon
        return pb.say("part.in_time_item", result=result, task=d.code(t),
                      progress=pb.say("part.progress", progress=format_percent(p)) if matters else "")

    sentences = _by_actor(d, tasks, clause)
    head = pb.count("part.in_time", len(tasks))
    b.auto = " ".join(x for x in [head, *sentences] if x)


def _not_started_block(d: Drafting, b: Block, tasks: list[Task]) -> None:
    pb, items = d.pb, []
    for t in tasks:
        leads = d.reported(t)
        actor = d.actor(t, [l.agency for l in leads])
        causes = [bare(d.voiced(b, l.results, l.agency)) for l in leads if l.results]
        causes = [lower_first(c) for c in causes if c]
        if causes:
            items.append(pb.say("part.not_started_item", task=upper_first(d.ref(t)), actor=actor,
                                cause="; ".join(causes)))
        else:
            items.append(pb.say("part.not_started_item_no_cause", task=upper_first(d.ref(t)), actor=actor))
    head = pb.count("part.not_started", len(tasks))
    b.auto = " ".join(x for x in [head, *items] if x)
