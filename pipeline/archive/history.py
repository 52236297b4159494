"""The record of each period: one SQLite file beside the outputs (output/lich-su.sqlite).

Every report run records what it counted as of the cut-off: per task (status, deadline in force,
completion date), per lead agency and task (what it reported), per agency (reported or not, counts).
A draft run replaces its period's draft record; an issued run adds the issued record and never
overwrites one. Each write is one transaction: a failed run leaves the earlier records as they were.
A clerk can read the file with any SQLite viewer; later features (trends, rankings) read it too.
Version 2 adds the completions in force after the run (`completion`, `completion_answer`: in which
period each done task was accepted, and its leads' answers then), so done stays done in every later
period; a version 1 file gets the two tables on first use (its records' completions are read from
their statuses and answers).

The previous period of a quarter is the quarter before (Q1: the previous year's Q4); of the first
half, the previous year; of nine months, the first half; of a year, the year before.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from pipeline.drafting.merge import (DONE_STATUSES, NOT_REPORTED, ONGOING, OPEN_IN_TIME, OPEN_OVERDUE,
                                     STATUS_LABELS, Completion, Merged)
from pipeline.plan.model import Master
from pipeline.plan.periods import Period, parse_period

FILENAME = "lich-su.sqlite"
SCHEMA_VERSION = 2
DRAFT, ISSUED = "draft", "issued"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS run (
    id INTEGER PRIMARY KEY,
    period_code TEXT NOT NULL,
    period_label TEXT NOT NULL,
    cutoff TEXT NOT NULL,                 -- the day statuses are judged at (ISO date)
    kind TEXT NOT NULL CHECK (kind IN ('draft', 'issued')),
    number TEXT NOT NULL DEFAULT '',      -- the issued number ('' for a draft)
    document_date TEXT NOT NULL,          -- the issue date, or the draft's date
    plan_number TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (period_code, kind, number)
);
CREATE TABLE IF NOT EXISTS task_status (
    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
    task_id TEXT NOT NULL,
    section TEXT NOT NULL,
    status TEXT NOT NULL,                 -- done_on_time, done_late, done_undated, open_in_time, open_overdue, ongoing, not_reported
    status_label TEXT NOT NULL,
    deadline TEXT NOT NULL,               -- as the report prints it (with an extension in force)
    due TEXT,                             -- the due date in force (ISO), NULL when none is fixed
    completed_on TEXT,
    PRIMARY KEY (run_id, task_id)
);
CREATE TABLE IF NOT EXISTS lead_report (
    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
    task_id TEXT NOT NULL,
    agency TEXT NOT NULL,
    reported INTEGER NOT NULL,
    status_word TEXT,                     -- the agency's own word: Đã hoàn thành / Đang thực hiện / Chưa thực hiện
    completed_on TEXT,
    progress REAL,
    results TEXT,
    output_doc TEXT,
    PRIMARY KEY (run_id, task_id, agency)
);
CREATE TABLE IF NOT EXISTS agency_summary (
    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
    agency TEXT NOT NULL,
    name TEXT NOT NULL,
    reported INTEGER NOT NULL,
    report_date TEXT,
    tasks INTEGER NOT NULL,
    done INTEGER NOT NULL,
    overdue INTEGER NOT NULL,
    PRIMARY KEY (run_id, agency)
);
CREATE TABLE IF NOT EXISTS completion (    -- version 2: every task done at the run's cut-off
    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
    task_id TEXT NOT NULL,
    done_in TEXT NOT NULL,                -- the period whose report first accepted the completion
    status TEXT NOT NULL,                 -- done_on_time, done_late, done_undated (as judged then)
    completed_on TEXT,
    PRIMARY KEY (run_id, task_id)
);
CREATE TABLE IF NOT EXISTS completion_answer (
    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
    task_id TEXT NOT NULL,
    agency TEXT NOT NULL,
    status_word TEXT,
    completed_on TEXT,
    progress REAL,
    results TEXT,
    output_doc TEXT,
    PRIMARY KEY (run_id, task_id, agency)
);
"""


def previous_period(period: Period) -> Period:
    y = period.year
    if period.kind == "quarter":
        q = period.last_month // 3
        return parse_period(f"{y - 1}-Q4" if q == 1 else f"{y}-Q{q - 1}")
    if period.kind == "nine_months":
        return parse_period(f"{y}-H1")
    return parse_period(f"{y - 1}")   # the first half and the year: the previous year's report


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")
    with con:
        con.executescript(_SCHEMA)
        row = con.execute("SELECT version FROM schema_version").fetchone()
        if row is None:
            con.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
        elif row[0] == 1:   # the completion tables were just created; its records derive theirs
            con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:
            from pipeline.errors import PipelineError
            raise PipelineError(f"Tệp lịch sử «{path.name}» theo cấu trúc phiên bản {row[0]}, công cụ dùng phiên bản "
                                f"{SCHEMA_VERSION}; không ghi đè. Chuyển tệp sang chỗ khác rồi chạy lại.")
    return con


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def write_record(path: Path, master: Master, merged: Merged, plan_number: str, document_date: date,
                 number: str = "") -> bool:
    """Record a run; False when an issued record with this number already exists (it is kept)."""
    kind = ISSUED if number else DRAFT
    con = _connect(path)
    try:
        with con:   # one transaction: all or nothing
            if kind == ISSUED:
                if con.execute("SELECT 1 FROM run WHERE period_code=? AND kind=? AND number=?",
                               (merged.period.code, ISSUED, number)).fetchone():
                    return False
            else:
                con.execute("DELETE FROM run WHERE period_code=? AND kind=?", (merged.period.code, DRAFT))
            run_id = con.execute(
                "INSERT INTO run (period_code, period_label, cutoff, kind, number, document_date, plan_number, "
                "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (merged.period.code, merged.period.label, merged.period.end.isoformat(), kind, number,
                 document_date.isoformat(), plan_number,
                 datetime.now(timezone.utc).replace(microsecond=0).isoformat())).lastrowid
            con.executemany("INSERT INTO task_status VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                (run_id, t.id, t.section, merged.statuses[t.id].status, merged.statuses[t.id].label, t.deadline_text,
                 _iso(t.deadline_in_force.due), _iso(merged.statuses[t.id].completed_on)) for t in master.tasks])
            con.executemany("INSERT INTO lead_report VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                (run_id, t.id, lead.agency, int(lead.reported), lead.status or None, _iso(lead.completed_on),
                 lead.progress, lead.results or None, lead.output_doc or None)
                for t in master.tasks for lead in merged.statuses[t.id].leads])
            rows = []
            for code, rec in merged.by_agency.iterrows():
                rows.append((run_id, code, master.agencies[code].name, int(bool(rec["reported"])),
                             _iso(merged.report_dates.get(code)), int(rec["total"]),
                             int(sum(rec[s] for s in DONE_STATUSES)), int(rec[OPEN_OVERDUE])))
            con.executemany("INSERT INTO agency_summary VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            done = {t.id: merged.statuses[t.id].completion(merged.period.code) for t in master.tasks}
            done = {task_id: c for task_id, c in done.items() if c is not None}
            con.executemany("INSERT INTO completion VALUES (?, ?, ?, ?, ?)", [
                (run_id, task_id, c.period_code, c.status, _iso(c.completed_on)) for task_id, c in done.items()])
            con.executemany("INSERT INTO completion_answer VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                (run_id, task_id, agency, a.status or None, _iso(a.completed_on), a.progress, a.results or None,
                 a.output_doc or None) for task_id, c in done.items() for agency, a in c.answers.items()])
        return True
    finally:
        con.close()


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


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _completions(con: sqlite3.Connection, run_id: int) -> dict[str, Completion] | None:
    rows = con.execute("SELECT task_id, done_in, status, completed_on FROM completion WHERE run_id=?",
                       (run_id,)).fetchall()
    if not rows:
        return None   # a version 1 record, or nothing done: derived from the statuses
    answers: dict[str, dict[str, Answer]] = {}
    for task, agency, word, done, progress, results, doc in con.execute(
            "SELECT task_id, agency, status_word, completed_on, progress, results, output_doc FROM completion_answer "
            "WHERE run_id=?", (run_id,)):
        answers.setdefault(task, {})[agency] = Answer(word or "", _date(done), progress, results or "", doc or "")
    return {task: Completion(done_in, status, _date(done), answers.get(task, {}))
            for task, done_in, status, done in rows}


def read_record(path: Path, period: Period) -> PeriodRecord | None:
    """The period's record: the latest issued one, else the draft; None when never run."""
    if not Path(path).is_file():
        return None
    con = _connect(path)
    try:
        run = con.execute("SELECT id, kind, number FROM run WHERE period_code=? ORDER BY kind = 'issued' DESC, "
                          "document_date DESC, id DESC LIMIT 1", (period.code,)).fetchone()
        if run is None:
            return None
        statuses = dict(con.execute("SELECT task_id, status FROM task_status WHERE run_id=?", (run[0],)).fetchall())
        answers = {(task, agency): Answer(word, date.fromisoformat(done) if done else None, progress, results or "",
                                          doc or "")
                   for task, agency, word, done, progress, results, doc in con.execute(
                       "SELECT task_id, agency, status_word, completed_on, progress, results, output_doc "
                       "FROM lead_report WHERE run_id=? AND reported=1", (run[0],))}
        return PeriodRecord(period, run[1], statuses, run[2], answers, _completions(con, run[0]))
    finally:
        con.close()


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
