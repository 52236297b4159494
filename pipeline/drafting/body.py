"""Draft the report as the Committee's own: sections I–VI and each task's appendix summary.

Facts come from the merged statuses (judged at the cut-off); every sentence comes from the
phrasebook (templates/phrasebook/bao-cao.toml); agency text passes through `voice` before it is
printed. The result is a `Draft` of blocks the clerk reviews in bien-tap.xlsx.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.plan.config import PlanConfig
from pipeline.drafting.blocks import (DONE_AFTER_CUTOFF, REJECTED_ROW, REWRITTEN, SILENT_AGENCIES, STATUS_BACKWARDS,
                                      UNDATED_DONE, WITHHELD, Block, Draft, Figure, Heading)
from pipeline.drafting.phrasebook import Phrasebook
from pipeline.status.compare import Comparison
from pipeline.drafting.voice import Voiced, voice
from pipeline.status.merge import (DONE_LATE, DONE_ON_TIME, DONE_STATUSES, DONE_UNDATED, NOT_REPORTED, ONGOING,
                            OPEN_IN_TIME, OPEN_OVERDUE, STATUS_DONE, Attributed, LeadReport, Merged, split_items)
from pipeline.plan.model import ADD, EXTEND, Master, Task
from pipeline.drafting.names import short_name
from pipeline.plan.periods import following_window
from pipeline.collection.sheet_layout import PROPOSAL_TO_MINISTRY, PROPOSAL_TO_PM, PROPOSAL_TO_PROVINCE
from pipeline.text.vntext import end_sentence, fold, format_date_short, format_number, format_percent, lower_first

PHRASEBOOK = Path(__file__).resolve().parents[2] / "templates" / "phrasebook" / "bao-cao.toml"

# The slots the drafting fills, per phrase: the contract with the phrasebook file.
PHRASES: dict[str, tuple[str, ...]] = {
    "subject": ("directive_subject", "directive_citation", "period"),
    "opening": ("directive_citation", "issuer", "period"),
    "closing": ("issuer", "period", "directive_subject", "recipients"),
    "heading.deployment": (), "heading.results": (), "heading.results_overall": (),
    "heading.results_part": ("number", "part", "title"),
    "heading.assessment": (), "heading.difficulties": (), "heading.proposals": (), "heading.next": (),
    "heading.proposals_to": ("addressee",),
    "deployment.plan": ("issuer", "plan_number", "plan_date", "directive_citation", "tasks", "parts", "leads"),
    "deployment.part": ("part", "title", "tasks"),
    "deployment.reporting": ("start", "end"),
    "deployment.adjustments": ("items",),
    "deployment.extended": ("task", "deadline", "citation"),
    "deployment.added": ("task", "citation"),
    "deployment.dropped": ("task", "citation"),
    "figures.total": ("cutoff", "total", "done", "done_share", "on_time", "late", "open", "open_share",
                      "in_time", "overdue", "ongoing", "ongoing_share"),
    "figures.undated": ("count",),
    "figures.not_reported": ("count", "share"),
    "figures.silent": ("count", "agencies"),
    "figures.chart_caption": ("number", "title"),
    "figures.compare": ("previous", "previous_done", "total", "changes"),
    "figures.compare_completed": ("count", "tasks"),
    "figures.compare_overdue": ("count", "tasks"),
    "figures.compare_backwards": ("count", "tasks"),
    "figures.compare_none": (),
    "figures.silent_agency": ("agency", "tasks"),
    "part.counts": ("part", "total", "counts"),
    "part.count.done": ("count",), "part.count.open": ("count",), "part.count.overdue": ("count",),
    "part.count.ongoing": ("count",), "part.count.not_reported": ("count",),
    "part.done": ("count",),
    "part.done_item": ("task", "lead", "completed", "product"),
    "part.done_item_late": ("task", "lead", "completed", "deadline", "reason", "product"),
    "part.done_item_undated": ("task", "lead", "product"),
    "part.product": ("product",),
    "part.overdue": ("count",),
    "part.overdue_item": ("task", "lead", "deadline", "progress", "reason"),
    "part.progress": ("progress",),
    "part.in_time": ("count",),
    "part.no_reason": (),
    "assessment.results": ("cutoff", "due", "done_due", "share", "ongoing_reported", "ongoing"),
    "assessment.nothing_due": ("cutoff", "ongoing_reported", "ongoing"),
    "assessment.shortcomings": ("overdue", "overdue_tasks", "late", "late_tasks", "causes"),
    "assessment.no_overdue": (),
    "assessment.no_cause": (),
    "assessment.reporting": ("silent", "late_reporters"),
    "assessment.silent": ("count", "agencies"),
    "assessment.late_reporters": ("count", "cutoff", "agencies"),
    "assessment.reporting_ok": ("cutoff",),
    "difficulty.item": ("text", "tasks"),
    "difficulty.none": (),
    "proposal.item": ("text", "tasks"),
    "proposal.none": (),
    "proposal.to_ministries": (),
    "next.lead_in": ("next_period",),
    "next.overdue": ("tasks",),
    "next.due": ("next_period", "tasks"),
    "next.due_item": ("task", "deadline"),
    "next.recurring": ("plan_number",),
    "next.silent": ("agencies",),
    "task.ref": ("id", "name"),
    "task.ref_lead": ("id", "name", "lead"),
    "task.ref_code": ("id",),
    "task.ref_lead_code": ("id", "lead"),
    "summary.product": ("product",),
    "summary.completed": ("date",),
    "summary.progress": ("progress",),
    "summary.silent_lead": ("agency",),
    "summary.lead_prefix": ("agency", "text"),
}


# --------------------------------------------------------------------------- small wording helpers

def _task_ref(pb: Phrasebook, task: Task, lead: str = "") -> str:
    """A task in a sentence: its code and short name (and lead); the code alone when it has no name."""
    name = short_name(task)
    if name == task.id:
        return pb.say("task.ref_lead_code", id=task.id, lead=lead) if lead else pb.say("task.ref_code", id=task.id)
    return pb.say("task.ref_lead", id=task.id, name=name, lead=lead) if lead else pb.say("task.ref", id=task.id, name=name)


def _join(items: list[str]) -> str:
    return "; ".join(items)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


def _share(part: int, whole: int) -> str:
    return format_percent(100.0 * part / whole if whole else 0.0)


def _item(text: str) -> str:
    """A list item: "- " and a capital letter after it."""
    text = text.strip()
    body = text[2:] if text.startswith("- ") else text
    return "- " + body[:1].upper() + body[1:]


@dataclass
class _Ctx:
    config: PlanConfig
    master: Master
    merged: Merged
    pb: Phrasebook
    comparison: Comparison | None = None
    charts: dict[str, dict] = field(default_factory=dict)

    def agency_names(self, code: str) -> tuple[str, ...]:
        a = self.master.agencies[code]
        return (a.name, a.short_name, *a.aliases)

    def lead_names(self, task: Task) -> str:
        return _and([self.master.agencies[c].name for c in task.lead_codes])

    def ref(self, task: Task, with_lead: bool = False) -> str:
        return _task_ref(self.pb, task, self.lead_names(task) if with_lead else "")

    def voiced(self, block: Block, text: str, agency: str, cited: str = "") -> str:
        """Agency text through the voice rules; every rewrite or withheld sentence becomes a point."""
        v: Voiced = voice(text, self.agency_names(agency), cited)
        name = self.master.agencies[agency].name
        for e in v.events:
            block.point(WITHHELD if e.withheld else REWRITTEN, f"{name}: {e.describe()}")
        return v.text


# --------------------------------------------------------------------------- the draft

def draft_report(config: PlanConfig, master: Master, merged: Merged, rejected: pd.DataFrame | None = None,
                 superseded_files=(), phrasebook: Phrasebook | None = None,
                 comparison: Comparison | None = None, charts: dict[str, dict] | None = None) -> Draft:
    """`rejected`: the collection's rejected rows; rows of `superseded_files` (an agency's older form) are
    not points, the agency's later form stands for them. `comparison`: the previous period's record.
    `charts`: the charts (plain data) to show after the overall figures, captioned in order."""
    pb = phrasebook or load_phrasebook()
    c = _Ctx(config, master, merged, pb, comparison, charts or {})
    summaries = {t.id: _summary(c, t) for t in master.tasks}
    body: list = [_block(c, "mo-dau", "Mở đầu", pb.say("opening", directive_citation=config.directive_citation,
                                                         issuer=config.issuer_name, period=merged.period.label))]
    body += _deployment(c)
    body += _results(c, summaries)
    body += _assessment(c)
    body += _difficulties(c)
    body += _proposals(c)
    body += _next(c)
    body.append(_block(c, "ket-thuc", "Câu kết", closing(c)))
    _rejected_points(c, rejected, set(superseded_files), summaries, body)
    return Draft(body, summaries, c.charts)


def load_phrasebook(path: Path = PHRASEBOOK) -> Phrasebook:
    return Phrasebook(path, PHRASES)


def subject(config: PlanConfig, period_label: str, pb: Phrasebook) -> str:
    return pb.say("subject", directive_subject=config.directive_subject,
                  directive_citation=config.directive_citation, period=period_label)


def closing(c: _Ctx) -> str:
    return c.pb.say("closing", issuer=c.config.issuer_name, period=c.merged.period.label,
                    directive_subject=c.config.directive_subject, recipients=_and(list(c.config.recipients)))


def _block(c: _Ctx, code: str, label: str, text: str, anchor: str = "") -> Block:
    return Block(code, label, text, anchor=anchor)


def _sections(c: _Ctx) -> list[tuple[str, str, list[Task]]]:
    out = []
    for section in dict.fromkeys(t.section for t in c.master.tasks):
        tasks = [t for t in c.master.tasks if t.section == section]
        out.append((section, _sentence_case(tasks[0].section_title), tasks))
    return out


def _sentence_case(title: str) -> str:
    lower = title.lower()
    return lower[:1].upper() + lower[1:]


def _deployment(c: _Ctx) -> list:
    pb, cfg = c.pb, c.config
    parts = [pb.say("deployment.part", part=s, title=lower_first(title), tasks=format_number(len(tasks)))
             for s, title, tasks in _sections(c)]
    heading = pb.say("heading.deployment")
    return [
        Heading("heading1", heading),
        _block(c, "I.ke-hoach", "Phần I: việc ban hành Kế hoạch và giao nhiệm vụ", pb.say(
            "deployment.plan", issuer=cfg.issuer_name, plan_number=cfg.plan_number,
            plan_date=format_date_short(cfg.plan_date), directive_citation=cfg.directive_citation,
            tasks=format_number(len(c.master.tasks)), parts=_join(parts),
            leads=format_number(len(c.master.lead_codes()))), anchor=heading),
        *_adjustments(c, heading),
        _block(c, "I.ky-bao-cao", "Phần I: kỳ báo cáo và ngày chốt số liệu", pb.say(
            "deployment.reporting", start=format_date_short(c.merged.period.start),
            end=format_date_short(c.merged.period.end)), anchor=heading),
    ]


def _adjustments(c: _Ctx, heading: str) -> list:
    """Plan changes decided by the cut-off (sheet «Điều chỉnh»), each with its document."""
    pb, items = c.pb, []
    by_id = {t.id: t for t in c.master.tasks}
    for a in c.master.adjustments:
        if a.kind == EXTEND and a.task_id in by_id and by_id[a.task_id].extension == a:
            items.append(pb.say("deployment.extended", task=c.ref(by_id[a.task_id]), deadline=a.deadline.text,
                                citation=a.citation))
        elif a.kind == ADD and a.task_id in by_id:
            items.append(pb.say("deployment.added", task=c.ref(by_id[a.task_id]), citation=a.citation))
    for task, a in c.master.retired:
        items.append(pb.say("deployment.dropped", task=c.ref(task), citation=a.citation))
    if not items:
        return []
    return [_block(c, "I.dieu-chinh", "Phần I: điều chỉnh Kế hoạch", pb.say("deployment.adjustments", items=_join(items)),
                   anchor=heading)]


def _figures(c: _Ctx) -> list:
    pb, m = c.pb, c.merged
    s, n = m.by_status, len(c.master.tasks)
    done = sum(s[k] for k in DONE_STATUSES)
    open_ = s[OPEN_IN_TIME] + s[OPEN_OVERDUE]
    text = pb.say("figures.total", cutoff=format_date_short(m.period.end), total=format_number(n),
                  done=format_number(done), done_share=_share(done, n), on_time=format_number(s[DONE_ON_TIME]),
                  late=format_number(s[DONE_LATE]), open=format_number(open_), open_share=_share(open_, n),
                  in_time=format_number(s[OPEN_IN_TIME]), overdue=format_number(s[OPEN_OVERDUE]),
                  ongoing=format_number(s[ONGOING]), ongoing_share=_share(s[ONGOING], n))
    if s[DONE_UNDATED]:
        text += " " + pb.say("figures.undated", count=format_number(s[DONE_UNDATED]))
    if s[NOT_REPORTED]:
        text += " " + pb.say("figures.not_reported", count=format_number(s[NOT_REPORTED]),
                             share=_share(s[NOT_REPORTED], n))
    heading = pb.say("heading.results_overall")
    out = [Heading("heading2", heading), _block(c, "II.tong-so", "Phần II: số liệu chung", text, anchor=heading)]
    if c.comparison:
        out.append(_comparison(c, heading))
    if m.missing_agencies:
        items = []
        for code in m.missing_agencies:
            ids = ", ".join(t.id for t in c.master.tasks_of(code))
            items.append(pb.say("figures.silent_agency", agency=c.master.agencies[code].name, tasks=ids))
        block = _block(c, "II.chua-bao-cao", "Phần II: cơ quan chưa gửi báo cáo", pb.say(
            "figures.silent", count=format_number(len(m.missing_agencies)), agencies=_join(items)), anchor=heading)
        block.point(SILENT_AGENCIES, f"{len(m.missing_agencies)} cơ quan chủ trì chưa gửi phiếu báo cáo: "
                                     f"{_and([c.master.agencies[x].name for x in m.missing_agencies])}. "
                                     "Đôn đốc hoặc ghi «Đã kiểm tra» nếu vẫn trình ký như vậy.")
        out.append(block)
    for number, (key, chart) in enumerate(c.charts.items(), start=1):
        out.append(Figure(key, pb.say("figures.chart_caption", number=str(number), title=chart["title"])))
    return out


def _comparison(c: _Ctx, heading: str) -> Block:
    """What changed since the previous period's record; a status that went backwards is a point to read."""
    pb, cmp = c.pb, c.comparison
    prev = cmp.previous
    changes = []
    for key, ids in (("completed", cmp.completed), ("overdue", cmp.overdue), ("backwards", cmp.backwards)):
        if ids:
            changes.append(pb.say(f"figures.compare_{key}", count=format_number(len(ids)), tasks=", ".join(ids)))
    done_before = sum(n for s, n in prev.by_status.items() if s in DONE_STATUSES)
    block = _block(c, "II.so-sanh", "Phần II: so sánh với kỳ trước", pb.say(
        "figures.compare", previous=prev.period.label, previous_done=format_number(done_before),
        total=format_number(len(prev.statuses)), changes="; ".join(changes) or pb.say("figures.compare_none")),
        anchor=heading)
    for task_id in cmp.backwards:
        block.point(STATUS_BACKWARDS, f"Nhiệm vụ {task_id}: {prev.period.label} được tính là "
                                      f"«{cmp.previous_label(task_id).lower()}», kỳ này cơ quan báo cáo chưa hoàn "
                                      f"thành («{c.merged.statuses[task_id].label.lower()}»). Xác minh với cơ quan.")
    return block


def _reason(c: _Ctx, block: Block, task: Task) -> str:
    """Why a task is late or overdue: its leads' difficulties, in the Committee's voice."""
    reasons = []
    for lead in c.merged.statuses[task.id].leads:
        if lead.reported and lead.difficulties:
            for item in split_items(lead.difficulties):
                text = c.voiced(block, item, lead.agency)
                if text:
                    reasons.append(lower_first(text.rstrip(".")))
    return _join(list(dict.fromkeys(reasons))) if reasons else c.pb.say("part.no_reason")


def _product(c: _Ctx, block: Block, task: Task) -> str:
    docs = []
    for lead in c.merged.statuses[task.id].leads:
        if lead.reported and lead.output_doc:
            text = c.voiced(block, lead.output_doc, lead.agency)
            if text:
                docs.append(text.rstrip("."))
    return c.pb.say("part.product", product=_join(docs)) if docs else ""


def _results(c: _Ctx, summaries: dict[str, Block]) -> list:
    pb, m = c.pb, c.merged
    out: list = [Heading("heading1", pb.say("heading.results")), *_figures(c)]
    for number, (section, title, tasks) in enumerate(_sections(c), start=2):
        heading = pb.say("heading.results_part", number=str(number), part=section, title=title)
        out.append(Heading("heading2", heading))
        st = {t.id: m.statuses[t.id].status for t in tasks}
        counts = []
        for key, statuses in (("done", DONE_STATUSES), ("open", (OPEN_IN_TIME, OPEN_OVERDUE)),
                              ("overdue", (OPEN_OVERDUE,)), ("ongoing", (ONGOING,)),
                              ("not_reported", (NOT_REPORTED,))):
            n = sum(s in statuses for s in st.values())
            if n:
                counts.append(pb.say(f"part.count.{key}", count=format_number(n)))
        out.append(_block(c, f"II.phan-{section}.tong-so", f"Phần II, nhóm {section}: số liệu", pb.say(
            "part.counts", part=section, total=format_number(len(tasks)), counts=", ".join(counts)), anchor=heading))

        done = [t for t in tasks if m.statuses[t.id].status in DONE_STATUSES]
        if done:
            out.append(_block(c, f"II.phan-{section}.hoan-thanh", f"Phần II, nhóm {section}: nhiệm vụ đã hoàn thành",
                              pb.say("part.done", count=format_number(len(done))), anchor=heading))
        for t in done:
            s = m.statuses[t.id]
            block = _block(c, f"II.hoan-thanh.{t.id}", f"Phần II: nhiệm vụ {t.id} đã hoàn thành", "", anchor=heading)
            product, lead = _product(c, block, t), c.lead_names(t)
            if s.status == DONE_UNDATED:
                text = pb.say("part.done_item_undated", task=c.ref(t), lead=lead, product=product)
            elif s.status == DONE_LATE:
                text = pb.say("part.done_item_late", task=c.ref(t), lead=lead, completed=format_date_short(s.completed_on),
                              deadline=t.deadline_text, reason=_reason(c, block, t), product=product)
            else:
                text = pb.say("part.done_item", task=c.ref(t), lead=lead, completed=format_date_short(s.completed_on),
                              product=product)
            block.auto = _item(text)
            out.append(block)

        overdue = [t for t in tasks if m.statuses[t.id].status == OPEN_OVERDUE]
        if overdue:
            out.append(_block(c, f"II.phan-{section}.qua-han", f"Phần II, nhóm {section}: nhiệm vụ quá hạn",
                              pb.say("part.overdue", count=format_number(len(overdue))), anchor=heading))
        for t in overdue:
            block = _block(c, f"II.qua-han.{t.id}", f"Phần II: nhiệm vụ {t.id} quá hạn", "", anchor=heading)
            progress = [l.progress for l in m.statuses[t.id].leads if l.reported and l.progress is not None]
            block.auto = _item(pb.say(
                "part.overdue_item", task=c.ref(t), lead=c.lead_names(t), deadline=t.deadline_text,
                progress=pb.say("part.progress", progress=format_percent(min(progress))) if progress else "",
                reason=_reason(c, block, t)))
            out.append(block)
        in_time = sum(s == OPEN_IN_TIME for s in st.values())
        if in_time:
            out.append(_block(c, f"II.phan-{section}.trong-han", f"Phần II, nhóm {section}: nhiệm vụ trong hạn",
                              pb.say("part.in_time", count=format_number(in_time)), anchor=heading))
    return out


def _assessment(c: _Ctx) -> list:
    pb, m = c.pb, c.merged
    cutoff = format_date_short(m.period.end)
    heading = pb.say("heading.assessment")
    due = [t for t in c.master.tasks if t.deadline_in_force.due and t.deadline_in_force.due <= m.period.end]
    done_due = [t for t in due if m.statuses[t.id].status in DONE_STATUSES]
    ongoing = [t for t in c.master.tasks if m.statuses[t.id].status == ONGOING or not t.deadline_in_force.fixed]
    ongoing_reported = [t for t in ongoing if any(l.reported for l in m.statuses[t.id].leads)]
    if due:
        results = pb.say("assessment.results", cutoff=cutoff, due=format_number(len(due)),
                         done_due=format_number(len(done_due)), share=_share(len(done_due), len(due)),
                         ongoing_reported=format_number(len(ongoing_reported)), ongoing=format_number(len(ongoing)))
    else:
        results = pb.say("assessment.nothing_due", cutoff=cutoff, ongoing_reported=format_number(len(ongoing_reported)),
                         ongoing=format_number(len(ongoing)))
    out = [Heading("heading1", heading), _block(c, "III.ket-qua", "Phần III: kết quả đạt được", results, anchor=heading)]

    block = _block(c, "III.han-che", "Phần III: hạn chế và nguyên nhân", "", anchor=heading)
    overdue = [t for t in c.master.tasks if m.statuses[t.id].status == OPEN_OVERDUE]
    late = [t for t in c.master.tasks if m.statuses[t.id].status == DONE_LATE]
    if overdue or late:
        causes = []
        for t in overdue + late:
            r = _reason(c, block, t)
            if r != pb.say("part.no_reason"):
                causes.append(r)
        block.auto = pb.say("assessment.shortcomings", overdue=format_number(len(overdue)),
                            overdue_tasks=", ".join(t.id for t in overdue) or "không",
                            late=format_number(len(late)), late_tasks=", ".join(t.id for t in late) or "không",
                            causes=_join(list(dict.fromkeys(causes))) if causes else pb.say("assessment.no_cause"))
    else:
        block.auto = pb.say("assessment.no_overdue")
    out.append(block)

    silent = [c.master.agencies[x].name for x in m.missing_agencies]
    late_reporters = [c.master.agencies[code].name for code in m.reported_agencies
                      if code in m.report_dates and m.report_dates[code] > m.period.end]
    if silent or late_reporters:
        text = pb.say("assessment.reporting",
                      silent=pb.say("assessment.silent", count=format_number(len(silent)), agencies=_and(silent))
                      if silent else "",
                      late_reporters=pb.say("assessment.late_reporters", count=format_number(len(late_reporters)),
                                            cutoff=cutoff, agencies=_and(late_reporters)) if late_reporters else "")
        text = re.sub(r"\s*;\s*(?=[.;]|$)", "", re.sub(r"^\s*;\s*", "", text)).strip()
    else:
        text = pb.say("assessment.reporting_ok", cutoff=cutoff)
    out.append(_block(c, "III.bao-cao", "Phần III: việc báo cáo của các cơ quan", end_sentence(text), anchor=heading))
    return out


def _item_code(prefix: str, item: Attributed, taken: set[str]) -> str:
    task, agency = item.sources[0]
    code, n = f"{prefix}.{task}.{agency}", 2
    while code in taken:
        code, n = f"{prefix}.{task}.{agency}.{n}", n + 1
    taken.add(code)
    return code


def _tasks_of(c: _Ctx, item: Attributed) -> str:
    refs = []
    for task_id in item.task_ids:
        task = c.master.task(task_id)
        agencies = [c.master.agencies[a].name for t, a in item.sources if t == task_id]
        refs.append(_task_ref(c.pb, task, _and(agencies)))
    return _join(refs)


def _difficulties(c: _Ctx) -> list:
    heading = c.pb.say("heading.difficulties")
    out: list = [Heading("heading1", heading)]
    taken: set[str] = set()
    for item in c.merged.difficulties:
        block = _block(c, _item_code("IV", item, taken), f"Phần IV: khó khăn của nhiệm vụ {item.task_ids[0]}", "",
                       anchor=heading)
        text = c.voiced(block, item.text, item.sources[0][1])
        if text:
            block.auto = c.pb.say("difficulty.item", text=lower_first(text.rstrip(".")), tasks=_tasks_of(c, item))
        out.append(block)
    if len(out) == 1 or not any(isinstance(b, Block) and b.auto for b in out):
        out.append(_block(c, "IV.khong", "Phần IV: không có khó khăn", c.pb.say("difficulty.none"), anchor=heading))
    return out


_ADDRESS_PREFIX = re.compile(r"^(?:kính\s+)?(?:đề\s+nghị|kiến\s+nghị|đề\s+xuất)\s+", re.IGNORECASE)


def _strip_addressee(text: str, addressee: str) -> str:
    """"Đề nghị Thủ tướng Chính phủ cho phép …" under the heading "Đề nghị Thủ tướng Chính phủ" -> "Cho phép …"."""
    m = _ADDRESS_PREFIX.match(text)
    if not m:
        return text
    rest = text[m.end():]
    for name in (addressee, "Thủ tướng Chính phủ", "Thủ tướng", "Chính phủ", "các bộ, ngành Trung ương",
                 "các bộ, ngành", "Bộ"):
        if fold(rest).startswith(fold(name)) and name != "Bộ":
            rest = rest[len(name):]
            break
    rest = rest.lstrip(" ,:")
    return rest[:1].upper() + rest[1:] if rest else text


def _addressee_name(c: _Ctx, item: Attributed) -> str:
    if item.addressee == PROPOSAL_TO_PM:
        return PROPOSAL_TO_PM
    ministry = " ".join(item.ministry.split())
    return ministry[:1].upper() + ministry[1:] if ministry else c.pb.say("proposal.to_ministries")


def _proposals(c: _Ctx) -> list:
    pb = c.pb
    heading = pb.say("heading.proposals")
    out: list = [Heading("heading1", heading)]
    to_government = [p for p in c.merged.proposals if p.addressee in (PROPOSAL_TO_PM, PROPOSAL_TO_MINISTRY)]
    groups: dict[str, list[Attributed]] = {}
    for item in to_government:   # the Prime Minister first, then each ministry in first-seen order
        groups.setdefault(_addressee_name(c, item), []).append(item)
    order = sorted(groups, key=lambda name: (name != PROPOSAL_TO_PM, list(groups).index(name)))
    taken: set[str] = set()
    for name in order:
        group_heading = pb.say("heading.proposals_to", addressee=name)
        out.append(Heading("heading3", group_heading))
        for item in groups[name]:
            block = _block(c, _item_code("V", item, taken), f"Phần V: kiến nghị với {name}, nhiệm vụ "
                           f"{item.task_ids[0]}", "", anchor=group_heading)
            text = c.voiced(block, _strip_addressee(item.text, name), item.sources[0][1])
            if text:
                block.auto = pb.say("proposal.item", text=lower_first(text.rstrip(".")), tasks=_tasks_of(c, item))
            out.append(block)
    if not to_government:
        out.append(_block(c, "V.khong", "Phần V: không có kiến nghị với Trung ương", pb.say("proposal.none"),
                          anchor=heading))
    return out


def province_proposals(merged: Merged) -> list[Attributed]:
    """Proposals the agencies addressed to the UBND tỉnh: for the leaders' sheet, never the report."""
    return [p for p in merged.proposals if p.addressee in ("", PROPOSAL_TO_PROVINCE)]


def _next(c: _Ctx) -> list:
    pb, m = c.pb, c.merged
    label, last_day = following_window(m.period)
    heading = pb.say("heading.next")
    out: list = [Heading("heading1", heading),
                 _block(c, "VI.chung", "Phần VI: mở đầu", pb.say("next.lead_in", next_period=label), anchor=heading)]
    overdue = [t for t in c.master.tasks if m.statuses[t.id].status == OPEN_OVERDUE]
    if overdue:
        out.append(_block(c, "VI.qua-han", "Phần VI: nhiệm vụ quá hạn cần hoàn thành", pb.say(
            "next.overdue", tasks=_join([c.ref(t, with_lead=True) for t in overdue])), anchor=heading))
    due_next = [t for t in c.master.tasks if t.deadline_in_force.due and m.period.end < t.deadline_in_force.due <= last_day
                and m.statuses[t.id].status not in DONE_STATUSES]
    if due_next:
        items = [pb.say("next.due_item", task=c.ref(t, with_lead=True), deadline=t.deadline_text) for t in due_next]
        out.append(_block(c, "VI.den-han", "Phần VI: nhiệm vụ đến hạn kỳ tới", pb.say(
            "next.due", next_period=label, tasks=_join(items)), anchor=heading))
    out.append(_block(c, "VI.thuong-xuyen", "Phần VI: nhiệm vụ thường xuyên", pb.say(
        "next.recurring", plan_number=c.config.plan_number), anchor=heading))
    if m.missing_agencies:
        out.append(_block(c, "VI.chua-bao-cao", "Phần VI: cơ quan chưa báo cáo", pb.say(
            "next.silent", agencies=_and([c.master.agencies[x].name for x in m.missing_agencies])), anchor=heading))
    return out


# --------------------------------------------------------------------------- appendix summaries

def _summary(c: _Ctx, task: Task) -> Block:
    """The appendix «Kết quả thực hiện» of one task: what its leads reported, as facts at the cut-off."""
    pb, st = c.pb, c.merged.statuses[task.id]
    block = Block(f"PL.{task.id}", f"Phụ lục: kết quả nhiệm vụ {task.id}", "", place="appendix",
                  anchor=task.content.splitlines()[0][:60])
    many = len(st.leads) > 1
    lines = []
    for lead in st.leads:
        text = _lead_summary(c, block, task, lead)
        if not lead.reported:
            if many:
                lines.append(pb.say("summary.silent_lead", agency=lead.agency_name))
            continue
        lines.append(pb.say("summary.lead_prefix", agency=c.master.agencies[lead.agency].short_name, text=text)
                     if many else text)
    block.auto = "\n".join(lines)
    return block


def _lead_summary(c: _Ctx, block: Block, task: Task, lead: LeadReport) -> str:
    pb, period = c.pb, c.merged.period
    if not lead.reported:
        return ""
    parts = []
    results = c.voiced(block, lead.results, lead.agency, lead.output_doc) if lead.results else ""
    if results:
        parts.append(results)
    if lead.output_doc:
        doc = c.voiced(block, lead.output_doc, lead.agency)
        if doc:
            parts.append(pb.say("summary.product", product=doc.rstrip(".")))
    where = f"{lead.file}, trang «{lead.sheet}», dòng {lead.row}" if lead.file else lead.agency_name
    if lead.status == STATUS_DONE and lead.done_at_cutoff and lead.completed_on:
        parts.append(pb.say("summary.completed", date=format_date_short(lead.completed_on)))
    elif lead.status == STATUS_DONE and lead.completed_on is None:
        block.point(UNDATED_DONE, f"{lead.agency_name} báo cáo nhiệm vụ {task.id} đã hoàn thành nhưng không ghi ngày "
                                  f"hoàn thành ({where}), nên chưa xác định được đúng hạn hay quá hạn. Xác minh ngày "
                                  "với cơ quan rồi sửa nội dung, hoặc ghi «Đã kiểm tra».")
    elif lead.done_after_cutoff:
        block.point(DONE_AFTER_CUTOFF, f"{lead.agency_name} báo cáo hoàn thành nhiệm vụ {task.id} ngày "
                                       f"{format_date_short(lead.completed_on)}, sau ngày chốt số liệu "
                                       f"{format_date_short(period.end)} ({where}): trong kỳ này nhiệm vụ được tính là "
                                       "chưa hoàn thành; ngày hoàn thành sẽ được tính ở kỳ sau.")
    if lead.status != STATUS_DONE or lead.done_after_cutoff:
        if lead.progress is not None:
            parts.append(pb.say("summary.progress", progress=format_percent(lead.progress)))
    return " ".join(end_sentence(p) for p in parts if p)


def _rejected_points(c: _Ctx, rejected: pd.DataFrame | None, superseded: set[str], summaries: dict[str, Block],
                     body: list) -> None:
    """Rows rejected from the forms in use: the facts they held are missing from the report."""
    if rejected is None or rejected.empty:
        return
    general = next(b for b in body if isinstance(b, Block) and b.code == "II.tong-so")
    retired = {task.id for task, _ in c.master.retired}
    for r in rejected.itertuples(index=False):
        if r.file in superseded or r.task_id in retired:   # an older form, or a task the plan no longer has
            continue
        target = summaries.get(str(r.task_id)) or general
        target.point(REJECTED_ROW, f"Dòng bị loại: {r.file}, trang «{r.sheet}», dòng {r.row} "
                                   f"(nhiệm vụ {r.task_id or 'không rõ'}): {r.reason} Nội dung dòng này chưa có trong "
                                   "báo cáo; đề nghị cơ quan gửi lại phiếu, hoặc ghi «Đã kiểm tra».")
