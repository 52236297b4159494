"""A period's record as plain data, and what changed since the previous period."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pipeline.plan.periods import Period
from pipeline.status.merge import DONE_STATUSES, OPEN_OVERDUE, OPEN_STATUSES, STATUS_LABELS, Merged


@dataclass(frozen=True)
class Answer:
    """What one lead agency reported on one task in a period (carried into the next period's form)."""
    status: str
    completed_on: date | None
    progress: float | None
    results: str
    output_doc: str


@dataclass
class PeriodRecord:
    period: Period
    kind: str                        # DRAFT | ISSUED | "input" (built on the fly from input/<period>/)
    statuses: dict[str, str]         # task id -> status key
    number: str = ""
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)   # (task id, agency) -> its answer

    @property
    def by_status(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_LABELS, 0)
        for s in self.statuses.values():
            out[s] += 1
        return out


@dataclass
class Comparison:
    """What changed since the previous period's record."""
    previous: PeriodRecord
    current: Period
    completed: list[str] = field(default_factory=list)    # not done then, done now
    overdue: list[str] = field(default_factory=list)      # became overdue
    backwards: list[str] = field(default_factory=list)    # done then, reported not done now

    def previous_label(self, task_id: str) -> str:
        status = self.previous.statuses.get(task_id)
        return STATUS_LABELS[status] if status else ""


def record_of(merged: Merged, kind: str = "input") -> PeriodRecord:
    """A period's record straight from its merged data (a period never run, read from its input)."""
    answers = {(task_id, lead.agency): Answer(lead.status, lead.completed_on, lead.progress, lead.results,
                                              lead.output_doc)
               for task_id, st in merged.statuses.items() for lead in st.leads if lead.reported}
    return PeriodRecord(merged.period, kind, {t: st.status for t, st in merged.statuses.items()}, answers=answers)


def compare(previous: PeriodRecord, merged: Merged) -> Comparison:
    c = Comparison(previous, merged.period)
    for task_id, st in merged.statuses.items():
        before, now = previous.statuses.get(task_id), st.status
        if before is None:
            continue
        if now in DONE_STATUSES and before not in DONE_STATUSES:
            c.completed.append(task_id)
        if now == OPEN_OVERDUE and before != OPEN_OVERDUE and before not in DONE_STATUSES:
            c.overdue.append(task_id)
        if before in DONE_STATUSES and now in OPEN_STATUSES:
            c.backwards.append(task_id)
    return c
