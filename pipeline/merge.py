"""Join accepted rows to the master table and classify each task as of the period's cut-off.

Status words are those of FORMAT.md §6. Rules (decided here, written in the README):
- a task is done only when every lead agency reports it done; its completion date is the latest
  of theirs; a done task without a completion date is judged as completed on the cut-off day;
- done on or before the due date = on time; a day after = late;
- not done: within the deadline while the cut-off day is on or before the due date, else overdue;
- no fixed deadline (Thường xuyên, Hàng năm, …): "thực hiện thường xuyên", never late;
- no lead agency sent a row for the task: "chưa báo cáo"; some leads reported: judged on the
  facts reported, the silent leads named in the task's results.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipeline.collect import ROW_COLUMNS
from pipeline.master import Master
from pipeline.sheet_layout import STATUS_DONE
from pipeline.periods import Period
from pipeline.vntext import fold


DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OPEN_IN_TIME = "open_in_time"
OPEN_OVERDUE = "open_overdue"
ONGOING = "ongoing"
NOT_REPORTED = "not_reported"

STATUS_ORDER = [DONE_ON_TIME, DONE_LATE, OPEN_IN_TIME, OPEN_OVERDUE, ONGOING, NOT_REPORTED]
STATUS_LABELS = {
    DONE_ON_TIME: "Đã hoàn thành đúng hạn",
    DONE_LATE: "Đã hoàn thành quá hạn",
    OPEN_IN_TIME: "Chưa hoàn thành, trong hạn",
    OPEN_OVERDUE: "Chưa hoàn thành, quá hạn",
    ONGOING: "Thực hiện thường xuyên",
    NOT_REPORTED: "Chưa báo cáo",
}


def classify(due: date | None, cutoff: date, reports: list[dict]) -> str:
    """Status of one task from its leads' reports (one dict per lead; None-like = not reported)."""
    reported = [r for r in reports if r is not None]
    if not reported:
        return NOT_REPORTED
    if due is None:
        return ONGOING
    all_done = len(reported) == len(reports) and all(r["status"] == STATUS_DONE for r in reported)
    if all_done:
        finished = max(r["completed_on"] or cutoff for r in reported)
        return DONE_ON_TIME if finished <= due else DONE_LATE
    return OPEN_IN_TIME if cutoff <= due else OPEN_OVERDUE


@dataclass
class LeadReport:
    agency: str          # code
    agency_name: str
    reported: bool
    status: str = ""     # the agency's own word: Đã hoàn thành / Đang thực hiện / Chưa thực hiện
    completed_on: date | None = None
    progress: float | None = None
    results: str = ""
    output_doc: str = ""
    difficulties: str = ""
    proposals: str = ""


@dataclass
class TaskStatus:
    task_id: str
    status: str                       # one of STATUS_ORDER
    completed_on: date | None
    leads: list[LeadReport]

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Attributed:
    text: str
    agencies: list[str]   # official names, in first-seen order


@dataclass
class Merged:
    period: Period
    tasks: pd.DataFrame                 # one row per task, master order
    statuses: dict[str, TaskStatus]
    by_status: dict[str, int]
    by_section: pd.DataFrame            # rows: section, columns: statuses + total
    by_agency: pd.DataFrame             # rows: lead agency code
    reported_agencies: list[str]
    missing_agencies: list[str]
    difficulties: list[Attributed] = field(default_factory=list)
    proposals: list[Attributed] = field(default_factory=list)


def _none(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    return value


def _as_date(value) -> date | None:
    value = _none(value)
    if value is None:
        return None
    return value.date() if hasattr(value, "date") else value


def _gather(pairs: list[tuple[str, str]]) -> list[Attributed]:
    """Merge duplicate texts (compared loosely), keeping every agency that wrote them."""
    out: dict[str, Attributed] = {}
    for agency, text in pairs:
        for item in (t.strip(" -•\t") for t in text.split("\n")):
            if not item:
                continue
            item = item.rstrip(" .;")
            entry = out.setdefault(fold(item), Attributed(item[:1].upper() + item[1:], []))
            if agency not in entry.agencies:
                entry.agencies.append(agency)
    return list(out.values())


def merge(master: Master, period: Period, rows: pd.DataFrame, reported_agencies) -> Merged:
    rows = rows.reindex(columns=ROW_COLUMNS) if not rows.empty else pd.DataFrame(columns=ROW_COLUMNS)
    tasks = pd.DataFrame(
        [{"task_id": t.id, "section": t.section, "order": t.order, "lead_codes": t.lead_codes,
          "due": t.deadline.due} for t in master.tasks]
    )
    pairs = tasks.explode("lead_codes").rename(columns={"lead_codes": "agency"})
    joined = pairs.merge(rows, on=["task_id", "agency"], how="left", validate="one_to_one", indicator="found")

    leads_of: dict[str, list[LeadReport]] = {t.id: [] for t in master.tasks}
    diffs, props = [], []
    for r in joined.itertuples(index=False):
        name = master.agencies[r.agency].name
        if r.found != "both":
            leads_of[r.task_id].append(LeadReport(r.agency, name, False))
            continue
        lead = LeadReport(
            r.agency, name, True, status=r.status, completed_on=_as_date(r.completed_on),
            progress=_none(r.progress), results=_none(r.results) or "", output_doc=_none(r.output_doc) or "",
            difficulties=_none(r.difficulties) or "", proposals=_none(r.proposals) or "",
        )
        leads_of[r.task_id].append(lead)
        if lead.difficulties:
            diffs.append((name, lead.difficulties))
        if lead.proposals:
            props.append((name, lead.proposals))

    statuses: dict[str, TaskStatus] = {}
    for task in master.tasks:
        leads = leads_of[task.id]
        reports = [{"status": l.status, "completed_on": l.completed_on} if l.reported else None for l in leads]
        status = classify(task.deadline.due, period.end, reports)
        done_dates = [l.completed_on for l in leads if l.completed_on]
        finished = max(done_dates) if status in (DONE_ON_TIME, DONE_LATE) and done_dates else None
        statuses[task.id] = TaskStatus(task.id, status, finished, leads)

    tasks["status"] = tasks["task_id"].map(lambda i: statuses[i].status)
    by_status = {s: int((tasks["status"] == s).sum()) for s in STATUS_ORDER}
    by_section = (pd.crosstab(tasks["section"], tasks["status"])
                  .reindex(index=list(dict.fromkeys(tasks["section"])), columns=STATUS_ORDER, fill_value=0))
    by_section["total"] = by_section.sum(axis=1)

    per_agency = pairs.assign(status=pairs["task_id"].map(lambda i: statuses[i].status))
    by_agency = (pd.crosstab(per_agency["agency"], per_agency["status"])
                 .reindex(index=master.lead_codes(), columns=STATUS_ORDER, fill_value=0))
    by_agency["total"] = by_agency.sum(axis=1)
    reported = set(reported_agencies)
    by_agency["reported"] = [code in reported for code in by_agency.index]

    leads_in_order = master.lead_codes()
    return Merged(
        period=period, tasks=tasks, statuses=statuses, by_status=by_status, by_section=by_section,
        by_agency=by_agency,
        reported_agencies=[c for c in leads_in_order if c in reported],
        missing_agencies=[c for c in leads_in_order if c not in reported],
        difficulties=_gather(diffs), proposals=_gather(props),
    )
