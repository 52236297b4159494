"""Who must be chased before the report can go out, and for what (pure data from one collection).

Per lead agency, after `collect` and `merge` of a period:
- silent: no accepted form (nothing sent, or every file it sent refused: `refused_files` says why);
- unreported: tasks it leads with no accepted row from it (a silent agency: all of them);
- rejected: rows of its form that were refused, each with the cells at fault and why;
- due_soon: tasks it leads, not done at the cut-off, whose deadline in force falls within
  `days` days after the anchor date (by default the cut-off day: the chase follows the cut-off);
- problems: every entry of the check list that concerns it (its files, or naming it).

An agency is concerned when any of these calls for action: it must send (again) a form when it is
silent, has unreported tasks or rejected rows; an agency with only tasks falling due is reminded.
Rows of a superseded file are not "rejected": the agency's later form replaced them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from pipeline.collection.collect import Collection
from pipeline.status.merge import DONE_STATUSES, Merged
from pipeline.errors import ERROR, Problem
from pipeline.plan.model import Agency, Master, Task
from pipeline.plan.periods import Period
from pipeline.status.due import DUE_SOON_DAYS, DueTask, due_soon

@dataclass(frozen=True)
class CellFault:
    """One cell of a rejected row and why it was refused ("" column: the row as a whole)."""
    column: str          # the column title as printed in the form («Tiến độ (%)»)
    reason: str


@dataclass(frozen=True)
class RejectedRow:
    task_id: str
    file: str
    sheet: str
    row: int
    faults: tuple[CellFault, ...]

    @property
    def reasons(self) -> str:
        """The faults in one sentence-like line: «Tiến độ (%): …; Ngày hoàn thành: …»."""
        return "; ".join(f"{f.column}: {f.reason}" if f.column else f.reason for f in self.faults)


@dataclass
class AgencyFollowUp:
    agency: Agency
    tasks: list[Task]                         # the tasks it leads, plan order
    silent: bool
    file: str = ""                            # its accepted form ("" when silent)
    report_date: date | None = None
    refused_files: list[tuple[str, str]] = field(default_factory=list)   # (file, reason)
    unreported: list[str] = field(default_factory=list)                  # task ids
    rejected: list[RejectedRow] = field(default_factory=list)
    due_soon: list[DueTask] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Tasks an accepted form has no row for (a refused row's task is told as refused, not missing)."""
        if self.silent:
            return []
        refused = {r.task_id for r in self.rejected}
        return [t for t in self.unreported if t not in refused]

    @property
    def must_send(self) -> bool:
        """A (corrected) form is needed from it."""
        return self.silent or bool(self.unreported) or bool(self.rejected)

    @property
    def concerned(self) -> bool:
        return self.must_send or bool(self.due_soon)


@dataclass
class FollowUp:
    period: Period
    anchor: date                  # due-soon window: (anchor, anchor + days]
    days: int
    agencies: list[AgencyFollowUp]   # every lead agency, registry order

    @property
    def concerned(self) -> list[AgencyFollowUp]:
        return [a for a in self.agencies if a.concerned]

    @property
    def window_end(self) -> date:
        return self.anchor + timedelta(days=self.days)


def _faults(problems: list[Problem], file: str, row: int, fallback: str) -> tuple[CellFault, ...]:
    found = tuple(CellFault(p.column, p.message) for p in problems
                  if p.severity == ERROR and p.file == file and p.row == row)
    return found or (CellFault("", fallback),)


def find_follow_up(master: Master, merged: Merged, collection: Collection, problems: list[Problem],
                   anchor: date | None = None, days: int = DUE_SOON_DAYS) -> FollowUp:
    """The follow-up of every lead agency (see the module docstring); `master` is the plan in force."""
    period = merged.period
    anchor = anchor or period.end
    soon = due_soon(master, merged, anchor, days)
    accepted_file = {f.agency: f for f in collection.files if f.outcome == "accepted"}
    superseded = {f.name for f in collection.files if f.outcome == "superseded"}
    rows: pd.DataFrame = collection.rows
    answered = set(zip(rows["agency"], rows["task_id"])) if len(rows) else set()
    rejected: pd.DataFrame = collection.rejected
    agencies = []
    for code in master.lead_codes():
        agency = master.agencies[code]
        tasks = master.tasks_of(code)
        winner = accepted_file.get(code)
        silent = code not in collection.reported_agencies
        follow = AgencyFollowUp(agency=agency, tasks=tasks, silent=silent,
                                file=winner.name if winner and not silent else "",
                                report_date=winner.report_date if winner and not silent else None)
        follow.refused_files = [(f.name, f.reason) for f in collection.files
                                if f.agency == code and f.outcome == "rejected"]
        follow.unreported = [t.id for t in tasks if (code, t.id) not in answered]
        if not silent and len(rejected):
            mine = rejected[(rejected["agency"] == code) & (rejected["file"] == follow.file)
                            & ~rejected["file"].isin(superseded)]
            seen = set()
            for r in mine.itertuples(index=False):
                if (r.file, int(r.row)) in seen:
                    continue
                seen.add((r.file, int(r.row)))
                follow.rejected.append(RejectedRow(str(r.task_id), r.file, r.sheet, int(r.row),
                                                   _faults(problems, r.file, int(r.row), str(r.reason))))
        follow.due_soon = soon.get(code, [])
        names = {f.name for f in collection.files if f.agency == code}
        follow.problems = [p for p in problems if p.agency == code or p.file in names]
        agencies.append(follow)
    return FollowUp(period=period, anchor=anchor, days=days, agencies=agencies)
