"""A period's record as plain data, and what changed since the previous period.

Done is cumulative: a record holds the completions in force after its period (`PeriodRecord.accepted`: in
which period each done task was accepted, and its leads' answers then); the next period's merge keeps them.
The comparison counts every move of a task between classes (done, in time, overdue, ongoing, not reported).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pipeline.plan.periods import Period
from pipeline.status.merge import (DONE_STATUSES, NOT_REPORTED, ONGOING, OPEN_IN_TIME, OPEN_OVERDUE, STATUS_LABELS,
                                   Completion, Merged)


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
    completions: dict[str, Completion] | None = None   # None: derived from the statuses (`accepted`)

    @property
    def accepted(self) -> dict[str, Completion]:
        """Task id -> its completion in force after this period: what the next period keeps."""
        if self.completions is not None:
            return self.completions
        return {task_id: Completion(self.period.code, status, _completed_on(self.answers, task_id),
                                    {agency: a for (t, agency), a in self.answers.items() if t == task_id})
                for task_id, status in self.statuses.items() if status in DONE_STATUSES}

    def carried_answers(self) -> dict[tuple[str, str], Answer]:
        """The answers a next period's form is pre-filled with: each lead's last answer, and for a done task
        the answer its completion was accepted on (whether or not the lead wrote in this period)."""
        out = dict(self.answers)
        for task_id, c in self.accepted.items():
            for agency, a in c.answers.items():
                out[(task_id, agency)] = Answer(a.status, a.completed_on, a.progress, a.results or "",
                                                a.output_doc or "")
        return out

    @property
    def by_status(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_LABELS, 0)
        for s in self.statuses.values():
            out[s] += 1
        return out


def _completed_on(answers: dict, task_id: str) -> date | None:
    dates = [a.completed_on for (t, _), a in answers.items() if t == task_id]
    return max(dates) if dates and None not in dates else None


DONE = "done"   # the class of every done status: a move is a change of class
CLASS_LABELS = {DONE: "đã hoàn thành", OPEN_IN_TIME: "chưa hoàn thành, trong hạn",
                OPEN_OVERDUE: "chưa hoàn thành, quá hạn", ONGOING: "thực hiện thường xuyên",
                NOT_REPORTED: "chưa báo cáo"}


def status_class(status: str) -> str:
    return DONE if status in DONE_STATUSES else status


@dataclass
class Comparison:
    """What changed since the previous period's record: every move of a task between classes (done, in time,
    overdue, ongoing, not reported), and the done tasks a form now contradicts (kept done: a point)."""
    previous: PeriodRecord
    current: Period
    moves: dict[tuple[str, str], list[str]] = field(default_factory=dict)   # (class then, class now) -> task ids
    contradicted: list[str] = field(default_factory=list)

    def _ids(self, keep) -> list[str]:
        return [t for (a, b), ids in self.moves.items() if keep(a, b) for t in ids]

    @property
    def completed(self) -> list[str]:
        """Not done then, done now."""
        return self._ids(lambda a, b: b == DONE)

    @property
    def overdue(self) -> list[str]:
        """Became overdue (from in time, ongoing or not reported)."""
        return self._ids(lambda a, b: b == OPEN_OVERDUE and a != DONE)

    @property
    def undone(self) -> list[str]:
        """Done then, not done now (done is kept from one period to the next: only a record made otherwise)."""
        return self._ids(lambda a, b: a == DONE)

    @property
    def other_moves(self) -> dict[tuple[str, str], list[str]]:
        """The moves none of the above tells: e.g. in time -> not reported, overdue -> in time (an extension)."""
        return {(a, b): ids for (a, b), ids in self.moves.items() if DONE not in (a, b) and b != OPEN_OVERDUE}

    @property
    def backwards(self) -> list[str]:
        """Done then, reported not done now: points for the clerk."""
        return self.undone + [t for t in self.contradicted if t not in self.undone]

    def previous_label(self, task_id: str) -> str:
        status = self.previous.statuses.get(task_id)
        return STATUS_LABELS[status] if status else ""


def record_of(merged: Merged, kind: str = "input") -> PeriodRecord:
    """A period's record straight from its merged data (a period never run, read from its input)."""
    answers = {(task_id, lead.agency): Answer(lead.status, lead.completed_on, lead.progress, lead.results,
                                              lead.output_doc)
               for task_id, st in merged.statuses.items() for lead in st.leads if lead.reported}
    completions = {t: c for t, st in merged.statuses.items() if (c := st.completion(merged.period.code))}
    return PeriodRecord(merged.period, kind, {t: st.status for t, st in merged.statuses.items()}, answers=answers,
                        completions=completions)


def compare(previous: PeriodRecord, merged: Merged) -> Comparison:
    c = Comparison(previous, merged.period)
    for task_id, st in merged.statuses.items():
        before = previous.statuses.get(task_id)
        if before is None:
            continue
        move = (status_class(before), status_class(st.status))
        if move[0] != move[1]:
            c.moves.setdefault(move, []).append(task_id)
        elif st.contradicted:
            c.contradicted.append(task_id)
    c.moves = dict(sorted(c.moves.items(), key=lambda m: (list(CLASS_LABELS).index(m[0][0]),
                                                          list(CLASS_LABELS).index(m[0][1]))))
    return c
