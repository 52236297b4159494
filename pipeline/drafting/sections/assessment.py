"""III. Đánh giá chung, in two parts computed from the figures.

Rules:
1. Kết quả đạt được: the share of tasks due by the cut-off that are done; the central-facing tasks done
   (reading: trung-uong); the recurring tasks maintained (reported on) out of all of them.
2. Tồn tại, hạn chế và nguyên nhân: the late, overdue, undetermined, not-started counts and the silent
   agencies (a count: they are named in II.1); then the causes
   - khách quan: the dependencies read in IV (on central bodies, on another task, on capital or a sponsor);
   - chủ quan: proactivity (tasks late or overdue), reporting discipline (silent and late forms, rejected
     rows), and, once, that the lead agencies did not report the causes of late or overdue tasks.
   A cause is never invented: with no dependency found, no objective cause is printed.
Every count has its zero form; a part with nothing to say has its own sentence.
"""
from __future__ import annotations

from pipeline.drafting.blocks import Block, Heading
from pipeline.status.merge import DONE_LATE, DONE_STATUSES, DONE_UNDATED, ONGOING, OPEN_IN_TIME, OPEN_OVERDUE
from pipeline.drafting.reading import NO_MEANS, WAIT_CENTRAL, WAIT_TASK, central_facing, party_body
from pipeline.drafting.sections.common import Drafting, share
from pipeline.drafting.sections.difficulties import found_dependencies
from pipeline.drafting.sections.results import not_started as _not_started
from pipeline.plan.periods import sent_late
from pipeline.text.vntext import format_date_short, format_number

PHRASES: dict[str, tuple[str, ...]] = {
    "heading.assessment": (), "heading.assessment_results": (), "heading.assessment_shortcomings": (),
    "assessment.results": ("count", "cutoff", "done"),
    "assessment.done_due": ("count", "share"),
    "assessment.central": ("count", "tasks"),
    "assessment.recurring": ("count", "total"),
    "assessment.shortcomings": ("items",),
    "assessment.shortcomings_none": (),
    "assessment.late": ("count", "tasks"),
    "assessment.overdue": ("count", "tasks"),
    "assessment.undated": ("count", "tasks"),
    "assessment.not_started": ("count", "tasks"),
    "assessment.silent": ("count",),
    "assessment.objective": ("causes",),
    "assessment.objective_central": ("count", "tasks"),
    "assessment.objective_other_task": ("count", "tasks"),
    "assessment.objective_means": ("count", "tasks"),
    "assessment.subjective": ("causes",),
    "assessment.subjective_proactive": ("count",),
    "assessment.subjective_silent": ("count",),
    "assessment.subjective_late_forms": ("count", "deadline"),
    "assessment.subjective_rejected": ("count",),
    "assessment.subjective_no_cause": ("count",),
    "label.assessment_results": (), "label.assessment_shortcomings": (), "label.assessment_causes": (),
}


def tasks_late_or_overdue_without_cause(d: Drafting) -> list:
    """Late or overdue tasks whose leads reported no difficulty: the causes III says are missing, VI asks for."""
    return [t for t in d.master.tasks if d.status(t).status in (DONE_LATE, OPEN_OVERDUE)
            and not any(l.difficulties for l in d.reported(t))]


def assessment(d: Drafting, rejected_rows: int = 0) -> list:
    pb, m = d.pb, d.merged
    cutoff = format_date_short(m.period.end)
    status = {t.id: m.statuses[t.id].status for t in d.master.tasks}
    ids = lambda tasks: ", ".join(t.id for t in tasks)   # noqa: E731  (the count is said, then the codes)
    with_status = lambda *s: [t for t in d.master.tasks if status[t.id] in s]   # noqa: E731

    due = [t for t in d.master.tasks if t.deadline_in_force.due and t.deadline_in_force.due <= m.period.end]
    done_due = [t for t in due if status[t.id] in DONE_STATUSES]
    central = [t for t in with_status(*DONE_STATUSES) if central_facing(t.content, t.product)]
    recurring = [t for t in d.master.tasks if status[t.id] == ONGOING or not t.deadline_in_force.fixed]
    maintained = [t for t in recurring if d.reported(t)]
    achieved = [pb.count("assessment.results", len(due), cutoff=cutoff,
                         done=pb.count("assessment.done_due", len(done_due), share=share(len(done_due), len(due)))),
                pb.count("assessment.central", len(central), tasks=ids(central)),
                pb.count("assessment.recurring", len(maintained), total=format_number(len(recurring)))]

    heading = pb.say("heading.assessment")
    first, second = pb.say("heading.assessment_results"), pb.say("heading.assessment_shortcomings")
    out: list = [Heading("heading1", heading), Heading("heading2", first),
                 Block("III.ket-qua", pb.say("label.assessment_results"), " ".join(a for a in achieved if a),
                       anchor=first),
                 Heading("heading2", second)]

    not_started = [t for t in with_status(OPEN_IN_TIME, OPEN_OVERDUE) if _not_started(d, t)]
    items = [
        pb.count("assessment.late", len(with_status(DONE_LATE)), tasks=ids(with_status(DONE_LATE))),
        pb.count("assessment.overdue", len(with_status(OPEN_OVERDUE)), tasks=ids(with_status(OPEN_OVERDUE))),
        pb.count("assessment.undated", len(with_status(DONE_UNDATED)), tasks=ids(with_status(DONE_UNDATED))),
        pb.count("assessment.not_started", len(not_started), tasks=ids(not_started)),
        pb.count("assessment.silent", len(m.missing_agencies)),
    ]
    items = [i for i in items if i]
    shortcomings = pb.say("assessment.shortcomings", items="; ".join(items)) if items \
        else pb.say("assessment.shortcomings_none")
    out.append(Block("III.han-che", pb.say("label.assessment_shortcomings"), shortcomings, anchor=second))

    deps = found_dependencies(d)
    on = lambda rule: list(dict.fromkeys(f.task for f in deps if f.dependency.rule == rule))   # noqa: E731
    objective = [pb.count("assessment.objective_central", len(on(WAIT_CENTRAL)), tasks=ids(on(WAIT_CENTRAL))),
                 pb.count("assessment.objective_other_task", len(on(WAIT_TASK)), tasks=ids(on(WAIT_TASK))),
                 pb.count("assessment.objective_means", len(on(NO_MEANS)), tasks=ids(on(NO_MEANS)))]
    deadline = d.config.submission_deadline(m.period)   # the công văn's reply-by date: one rule
    late_forms = [c for c in m.reported_agencies if sent_late(m.report_dates.get(c), deadline)]
    subjective = [pb.count("assessment.subjective_proactive", len(with_status(DONE_LATE, OPEN_OVERDUE))),
                  pb.count("assessment.subjective_silent", len([c for c in m.missing_agencies
                                                                 if not party_body(d.name(c))])),
                  pb.count("assessment.subjective_late_forms", len(late_forms),
                           deadline=format_date_short(deadline)),
                  pb.count("assessment.subjective_rejected", rejected_rows),
                  pb.count("assessment.subjective_no_cause", len(tasks_late_or_overdue_without_cause(d)))]
    causes = []
    if any(objective):
        causes.append(pb.say("assessment.objective", causes="; ".join(c for c in objective if c)))
    if any(subjective):
        causes.append(pb.say("assessment.subjective", causes="; ".join(c for c in subjective if c)))
    if causes:
        out.append(Block("III.nguyen-nhan", pb.say("label.assessment_causes"), " ".join(causes), anchor=second))
    return out
