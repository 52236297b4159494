"""Join accepted rows to the master table and classify each task as of the period's cut-off.

Status words are those of FORMAT.md §6. Rules (decided here, written in the README):
- facts are judged at the cut-off day: a lead that reports done with a completion date after the
  cut-off had not finished at the cut-off, so for this period it counts as not done;
- a task is done only when every lead agency reports it done; its completion date is the latest
  of theirs; a done task without a completion date is done but its timeliness is unknown: it counts
  as done, in neither "on time" nor "late" (never guessed);
- done on or before the due date = on time; a day after = late;
- not done: within the deadline while the cut-off day is on or before the due date, else overdue;
- no fixed deadline (Thường xuyên, Hàng năm, …): "thực hiện thường xuyên", never late;
- the deadline is the one in force at the cut-off (an extension decided by then counts: `Master.as_of`);
- no lead agency sent a row for the task: "chưa báo cáo"; some leads reported: judged on the
  facts reported, the silent leads named in the task's results.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipeline.collection.collect import ROW_COLUMNS
from pipeline.plan.master import Master
from pipeline.collection.sheet_layout import PROPOSAL_TO_PROVINCE, STATUS_DONE
from pipeline.plan.periods import Period
from pipeline.text.vntext import fold


DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
DONE_UNDATED = "done_undated"
OPEN_IN_TIME = "open_in_time"
OPEN_OVERDUE = "open_overdue"
ONGOING = "ongoing"
NOT_REPORTED = "not_reported"

STATUS_ORDER = [DONE_ON_TIME, DONE_LATE, DONE_UNDATED, OPEN_IN_TIME, OPEN_OVERDUE, ONGOING, NOT_REPORTED]
STATUS_LABELS = {
    DONE_ON_TIME: "Đã hoàn thành đúng hạn",
    DONE_LATE: "Đã hoàn thành quá hạn",
    DONE_UNDATED: "Đã hoàn thành, chưa xác định đúng hạn",
    OPEN_IN_TIME: "Chưa hoàn thành, trong hạn",
    OPEN_OVERDUE: "Chưa hoàn thành, quá hạn",
    ONGOING: "Thực hiện thường xuyên",
    NOT_REPORTED: "Chưa báo cáo",
}


DONE_STATUSES = (DONE_ON_TIME, DONE_LATE, DONE_UNDATED)
OPEN_STATUSES = (OPEN_IN_TIME, OPEN_OVERDUE)


def done_at_cutoff(status: str, completed_on: date | None, cutoff: date) -> bool:
    """A lead's "done" holds at the cut-off unless its completion date is later."""
    return status == STATUS_DONE and (completed_on is None or completed_on <= cutoff)


def classify(due: date | None, cutoff: date, reports: list[dict]) -> str:
    """Status of one task from its leads' reports (one dict per lead; None-like = not reported)."""
    reported = [r for r in reports if r is not None]
    if not reported:
        return NOT_REPORTED
    if due is None:
        return ONGOING
    all_done = len(reported) == len(reports) and all(
        done_at_cutoff(r["status"], r["completed_on"], cutoff) for r in reported)
    if all_done:
        if any(r["completed_on"] is None for r in reported):
            return DONE_UNDATED
        finished = max(r["completed_on"] for r in reported)
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
    proposal_to: str = ""
    proposal_ministry: str = ""
    file: str = ""
    sheet: str = ""
    row: int | None = None
    done_at_cutoff: bool = False   # reported done, with no completion date after the cut-off

    @property
    def done_after_cutoff(self) -> bool:
        return self.status == STATUS_DONE and not self.done_at_cutoff


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
    """One difficulty or proposal, repeats merged; each source is the (task id, agency code) that wrote it."""
    text: str
    sources: list[tuple[str, str]]
    addressee: str = ""     # proposals: PROPOSAL_TO_* word
    ministry: str = ""      # proposals to a central ministry: which one, as the agency wrote it

    @property
    def task_ids(self) -> list[str]:
        return list(dict.fromkeys(t for t, _ in self.sources))



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
    report_dates: dict[str, date] = field(default_factory=dict)   # agency code -> its form's report date


def _none(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    return value


def _as_date(value) -> date | None:
    value = _none(value)
    if value is None:
        return None
    return value.date() if hasattr(value, "date") else value


def split_items(text: str) -> list[str]:
    """The items of one agency cell: one per line, list marks and end punctuation dropped."""
    items = (t.strip(" -•+\t").rstrip(" .;") for t in text.split("\n"))
    return [t[:1].upper() + t[1:] for t in items if t]


def _gather(entries: list[tuple[str, str, str, str, str]]) -> list[Attributed]:
    """(task, agency, text, addressee, ministry) -> items with repeats merged (compared loosely)."""
    out: dict[tuple, Attributed] = {}
    for task_id, agency, text, addressee, ministry in entries:
        for item in split_items(text):
            key = (fold(item), addressee, fold(ministry))
            entry = out.setdefault(key, Attributed(item, [], addressee, ministry))
            if (task_id, agency) not in entry.sources:
                entry.sources.append((task_id, agency))
    return list(out.values())


def _text(value) -> str:
    value = _none(value)
    return str(value) if value is not None else ""


def merge(master: Master, period: Period, rows: pd.DataFrame, reported_agencies) -> Merged:
    rows = rows.reindex(columns=ROW_COLUMNS) if not rows.empty else pd.DataFrame(columns=ROW_COLUMNS)
    tasks = pd.DataFrame(
        [{"task_id": t.id, "section": t.section, "order": t.order, "lead_codes": t.lead_codes,
          "due": t.deadline_in_force.due} for t in master.tasks]
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
        completed_on = _as_date(r.completed_on)
        lead = LeadReport(
            r.agency, name, True, status=r.status, completed_on=completed_on,
            progress=_none(r.progress), results=_text(r.results), output_doc=_text(r.output_doc),
            difficulties=_text(r.difficulties), proposals=_text(r.proposals),
            proposal_to=_text(r.proposal_to) or (PROPOSAL_TO_PROVINCE if _text(r.proposals) else ""),
            proposal_ministry=_text(r.proposal_ministry),
            file=_text(r.file), sheet=_text(r.sheet), row=None if _none(r.row) is None else int(r.row),
            done_at_cutoff=done_at_cutoff(r.status, completed_on, period.end),
        )
        leads_of[r.task_id].append(lead)
        if lead.difficulties:
            diffs.append((r.task_id, r.agency, lead.difficulties, "", ""))
        if lead.proposals:
            props.append((r.task_id, r.agency, lead.proposals, lead.proposal_to, lead.proposal_ministry))

    statuses: dict[str, TaskStatus] = {}
    for task in master.tasks:
        leads = leads_of[task.id]
        reports = [{"status": l.status, "completed_on": l.completed_on} if l.reported else None for l in leads]
        status = classify(task.deadline_in_force.due, period.end, reports)
        finished = None
        if status in (DONE_ON_TIME, DONE_LATE):
            finished = max(l.completed_on for l in leads)
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

    report_dates = {}
    for agency, when in zip(rows["agency"], rows["report_date"]):
        if _as_date(when) is not None:
            report_dates.setdefault(agency, _as_date(when))

    leads_in_order = master.lead_codes()
    return Merged(
        period=period, tasks=tasks, statuses=statuses, by_status=by_status, by_section=by_section,
        by_agency=by_agency,
        reported_agencies=[c for c in leads_in_order if c in reported],
        missing_agencies=[c for c in leads_in_order if c not in reported],
        difficulties=_gather(diffs), proposals=_gather(props), report_dates=report_dates,
    )
