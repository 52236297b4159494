"""What every section of the body shares: the drafting context, how a task and its actor are named, how an
agency's result becomes a clause of the Committee's report.

Rules:
- a task is named by `short_name` (the master's short name, else its code alone): never a cut text;
- co-leads of one task are one actor when the master names them together (Task.leads_as), else their names
  joined; a product with the Committee's notation makes the Committee the actor (reading: van-ban-ubnd);
- an agency's result passes through `voice` first; every rewrite or withheld sentence is a point;
- a result that already names its actor is said as it is; an act gets the actor as subject; a fact is said
  as the actor's report (reading: hanh-dong / su-kien);
- every word comes from the phrasebook; deadlines are quoted through `deadline_words`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.status.compare import Comparison
from pipeline.drafting.blocks import REWRITTEN, WITHHELD, Block
from pipeline.status.merge import LeadReport, Merged
from pipeline.drafting.names import short_name
from pipeline.drafting.phrasebook import Phrasebook
from pipeline.drafting.reading import committee_document, routine_report, states_a_fact
from pipeline.drafting.voice import COMMITTEE, voice
from pipeline.plan.config import PlanConfig
from pipeline.plan.model import Master, Task
from pipeline.text.vntext import deadline_words, fold, format_percent, lower_first

PHRASES: dict[str, tuple[str, ...]] = {
    "join.and": ("items", "last"),
    "task.ref": ("id", "name"),
    "task.ref_code": ("id",),
    "result.act": ("actor", "text"),
    "result.fact": ("actor", "text"),
    "result.product": ("text", "product"),
    "result.product_only": ("actor", "product"),
    "review.rewritten": ("agency", "event"),
}


def and_join(pb: Phrasebook, names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return "".join(names)
    return pb.say("join.and", items=", ".join(names[:-1]), last=names[-1])


def share(part: int, whole: int) -> str:
    return format_percent(100.0 * part / whole if whole else 0.0)


def bare(text: str) -> str:
    """An agency's text to go inside a sentence: no list mark, no full stop."""
    return text.strip().lstrip("-–•+ ").rstrip(" .;")


@dataclass
class Drafting:
    config: PlanConfig
    master: Master
    merged: Merged
    pb: Phrasebook
    comparison: Comparison | None = None
    charts: dict[str, dict] = field(default_factory=dict)
    addressed: list[str] = field(default_factory=list)     # ministries addressed in V: they are in Nơi nhận
    extension_requests: list = field(default_factory=list)  # (proposal, point text): rerouted to the leaders' sheet

    # ------------------------------------------------------------------ names
    def agency_names(self, code: str) -> tuple[str, ...]:
        a = self.master.agencies[code]
        return (a.name, a.short_name, *a.aliases)

    def name(self, code: str) -> str:
        return self.master.agencies[code].name

    def refs(self, tasks: list[Task]) -> str:
        """Several tasks in one breath: by name where they have one; codes alone share one «nhiệm vụ»."""
        coded = [t for t in tasks if short_name(t) == t.id]
        named = [self.ref(t) for t in tasks if t not in coded]
        if coded:
            named.append(self.pb.say("task.ref_code", id=", ".join(t.id for t in coded)))
        return "; ".join(named)

    def code(self, task: Task) -> str:
        """The task by its code alone: inside a parenthesis after the clause that says what it is."""
        return self.pb.say("task.ref_code", id=task.id)

    def ref(self, task: Task) -> str:
        name = short_name(task)
        if name == task.id:
            return self.pb.say("task.ref_code", id=task.id)
        return self.pb.say("task.ref", id=task.id, name=name)

    def actor(self, task: Task, codes: list[str] | None = None) -> str:
        """Who did it: the co-leads as the master names them together, else each by name."""
        codes = codes or list(task.lead_codes)
        if task.leads_as and len(task.lead_codes) > 1:
            return task.leads_as
        return and_join(self.pb, [self.name(c) for c in codes])

    @staticmethod
    def deadline(task: Task) -> str:
        return deadline_words(task.deadline_text)

    def status(self, task: Task):
        return self.merged.statuses[task.id]

    def reported(self, task: Task) -> list[LeadReport]:
        return [l for l in self.status(task).leads if l.reported]

    # ------------------------------------------------------------------ agency text
    def voiced(self, block: Block, text: str, agency: str, cited: str = "") -> str:
        """Agency text through the voice rules; every rewrite or withheld sentence becomes a point."""
        v = voice(text, self.agency_names(agency), cited)
        for e in v.events:
            block.point(WITHHELD if e.withheld else REWRITTEN,
                        self.pb.say("review.rewritten", agency=self.name(agency), event=e.describe()))
        return v.text

    def product(self, block: Block, task: Task, lead: LeadReport) -> str:
        """The lead's product as the body cites it; "" for a unit's routine report (left to the appendix)."""
        if not lead.output_doc or routine_report(lead.output_doc, task.deadline_in_force.fixed):
            return ""
        return bare(self.voiced(block, lead.output_doc, lead.agency))

    def result(self, block: Block, task: Task, leads: list[LeadReport] | None = None, actor: str = "",
               go_on: bool = False) -> str:
        """What the task's leads reported, as one clause of the Committee's report ("" when nothing).
        `go_on`: the clause continues a sentence whose subject is already the actor (no subject repeated)."""
        leads = self.reported(task) if leads is None else leads
        texts, products = [], []
        for lead in leads:
            text = self.voiced(block, lead.results, lead.agency, lead.output_doc) if lead.results else ""
            if text:
                texts.append(bare(text))
            doc = self.product(block, task, lead)
            if doc:
                products.append(doc)
        if not texts and not products:
            return ""
        who = actor or self._actor_of(task, leads)
        if not texts:
            return self.pb.say("result.product_only", actor=who, product="; ".join(products))
        clause = self._said_by(who, texts, [l.agency for l in leads], go_on)
        if products:
            clause = self.pb.say("result.product", text=clause, product="; ".join(products))
        return clause

    def _actor_of(self, task: Task, leads: list[LeadReport]) -> str:
        if leads and all(committee_document(l.output_doc) for l in leads):
            return COMMITTEE
        return self.actor(task, [l.agency for l in leads] if len(leads) < len(task.lead_codes) else None)

    def _said_by(self, who: str, texts: list[str], agencies: list[str], go_on: bool = False) -> str:
        names = [who, COMMITTEE, *(n for a in agencies for n in self.agency_names(a))]
        named = lambda t: any(n and fold(t).startswith(fold(n)) for n in names)   # noqa: E731
        first = texts[0]
        rest = [t if named(t) else lower_first(t) for t in texts[1:]]
        if named(first):
            return "; ".join([first, *rest])
        if go_on:
            return "; ".join([lower_first(first), *rest])
        if states_a_fact(first):
            return self.pb.say("result.fact", actor=who, text="; ".join([lower_first(first), *rest]))
        return self.pb.say("result.act", actor=who, text="; ".join([lower_first(first), *rest]))

    @staticmethod
    def progress(leads: list[LeadReport]) -> float | None:
        values = [l.progress for l in leads if l.progress is not None]
        return min(values) if values else None
