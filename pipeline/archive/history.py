"""The record of each period: one SQLite file beside the outputs (output/lich-su.sqlite).

Every report run records what it counted as of the cut-off: per task (status, deadline in force,
completion date), per lead agency and task (what it reported), per agency (reported or not, counts).
A draft run replaces its period's draft record; an issued run adds the issued record and never
overwrites one. Each write is one transaction: a failed run leaves the earlier records as they were.
A clerk can read the file with any SQLite viewer; later features (trends, rankings) read it too.

The previous period of a quarter is the quarter before (Q1: the previous year's Q4); of the first
half, the previous year; of nine months, the first half; of a year, the year before.
"""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

from pipeline.status.compare import Answer, PeriodRecord
from pipeline.status.merge import DONE_STATUSES, OPEN_OVERDUE, Merged
from pipeline.plan.model import Master
from pipeline.plan.periods import Period, parse_period

FILENAME = "lich-su.sqlite"
SCHEMA_VERSION = 1
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
        return True
    finally:
        con.close()


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
        return PeriodRecord(period, run[1], statuses, run[2], answers)
    finally:
        con.close()
