"""The record of each period: one SQLite file beside the outputs (output/lich-su.sqlite).

Every report run records what it counted as of the cut-off: per task (status, deadline in force,
completion date), per lead agency and task (what it reported), per agency (reported or not, counts).
A draft run replaces its period's draft record; an issued run adds the issued record and never
overwrites one, unless re-issued on purpose: then the old record stays, marked replaced. Each write is
one transaction (with a busy timeout) held open while the run's files are swapped in (`recording`):
files and record are committed together or not at all. Locked, read-only or damaged: one Vietnamese
sentence naming the file. A file that is not a database, or is of a newer schema, is set aside as
lich-su.hong-N.sqlite (`set_aside_if_damaged`); issuing waits until the clerk has looked at it.
A clerk can read the file with any SQLite viewer; later features (trends, rankings) read it too.
Version 2 adds the completions in force after the run (`completion`, `completion_answer`: in which
period each done task was accepted, and its leads' answers then), so done stays done in every later
period; a version 1 file gets the two tables on first use (its records' completions are read from
their statuses and answers).

The previous period of a quarter is the quarter before (Q1: the previous year's Q4); of the first
half, the previous year; of nine months, the first half; of a year, the year before.
"""
from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

from pipeline.errors import WARNING, PipelineError, Problem
from pipeline.status.compare import Answer, PeriodRecord
from pipeline.status.merge import Completion
from pipeline.status.merge import DONE_STATUSES, OPEN_OVERDUE, Merged
from pipeline.plan.model import Master
from pipeline.plan.periods import Period, parse_period

FILENAME = "lich-su.sqlite"
SET_ASIDE = re.compile(r"lich-su\.hong-(\d+)\.sqlite")
SCHEMA_VERSION = 2
DRAFT, ISSUED, REPLACED = "draft", "issued", "replaced"
BUSY_TIMEOUT = 5.0     # seconds to wait for another program's lock before saying the file is locked

_RUN = """
CREATE TABLE IF NOT EXISTS {name} (
    id INTEGER PRIMARY KEY,
    period_code TEXT NOT NULL,
    period_label TEXT NOT NULL,
    cutoff TEXT NOT NULL,                 -- the day statuses are judged at (ISO date)
    kind TEXT NOT NULL CHECK (kind IN ('draft', 'issued', 'replaced')),   -- replaced: an issue made again
    number TEXT NOT NULL DEFAULT '',      -- the issued number ('' for a draft)
    document_date TEXT NOT NULL,          -- the issue date, or the draft's date
    plan_number TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    replaced_on TEXT                      -- when a re-issue replaced this record (kind 'replaced')
);
"""
_INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS one_issue ON run (period_code, number) WHERE kind = 'issued';
CREATE UNIQUE INDEX IF NOT EXISTS one_draft ON run (period_code) WHERE kind = 'draft';
"""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
""" + _RUN.format(name="run") + """
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
""" + _INDEXES
_RUN_COLUMNS = "id, period_code, period_label, cutoff, kind, number, document_date, plan_number, recorded_at"


def previous_period(period: Period) -> Period:
    y = period.year
    if period.kind == "quarter":
        q = period.last_month // 3
        return parse_period(f"{y - 1}-Q4" if q == 1 else f"{y}-Q{q - 1}")
    if period.kind == "nine_months":
        return parse_period(f"{y}-H1")
    return parse_period(f"{y - 1}")   # the first half and the year: the previous year's report


class HistoryError(PipelineError):
    """The record file cannot be read or written: one sentence naming it and the cause."""


def _cause(exc: sqlite3.Error) -> str:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    text = str(exc).lower()
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
        return ("tệp đang bị một chương trình khác khóa (một trình xem SQLite đang ghi, hay một lần chạy khác); "
                "hãy đóng chương trình đó")
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH) \
            or "readonly" in text or "unable to open" in text:
        return "tệp hoặc thư mục chứa nó chỉ cho đọc (không đủ quyền ghi); hãy cấp quyền ghi cho tài khoản đang chạy"
    if code == sqlite3.SQLITE_FULL:
        return "đĩa đã đầy; hãy giải phóng chỗ trống"
    return "tệp bị hỏng (không phải cơ sở dữ liệu SQLite hợp lệ); hãy chạy lại để công cụ để riêng tệp hỏng"


def history_error(path: Path, exc: sqlite3.Error, writing: bool) -> HistoryError:
    from pipeline.archive.outputs import shown
    what = ("Không ghi được bản ghi của kỳ vào «{}»: {} rồi chạy lại (không tệp kết quả nào được thay)."
            if writing else "Không đọc được bản ghi các kỳ trong «{}»: {} rồi chạy lại.")
    return HistoryError(what.format(shown(path), _cause(exc)))


@contextmanager
def _errors(path: Path, writing: bool):
    try:
        yield
    except sqlite3.Error as exc:
        raise history_error(path, exc, writing) from exc


def _connect(path: Path) -> sqlite3.Connection:
    """Open the record (created or brought to this version when needed), autocommit: callers BEGIN."""
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        row = _version(con)
        if row is None or row != SCHEMA_VERSION:
            con.execute("BEGIN IMMEDIATE")
            row = _version(con)   # again, under the lock
            if row is not None and row > SCHEMA_VERSION:
                con.execute("ROLLBACK")
                raise PipelineError(f"Tệp lịch sử «{path.name}» theo cấu trúc phiên bản {row}, công cụ dùng phiên "
                                    f"bản {SCHEMA_VERSION}; không ghi đè. Chuyển tệp sang chỗ khác rồi chạy lại.")
            if row == 1:
                _migrate_v1(con)
            for statement in _SCHEMA.split(";\n"):   # not executescript: it would commit first
                if statement.strip():
                    con.execute(statement)
            if row is None:
                con.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
            elif row != SCHEMA_VERSION:
                con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
            if con.in_transaction:
                con.execute("COMMIT")
    except BaseException:
        con.close()
        raise
    return con


def _version(con: sqlite3.Connection) -> int | None:
    if not con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone():
        return None
    row = con.execute("SELECT version FROM schema_version").fetchone()
    return row[0] if row else None


def _migrate_v1(con: sqlite3.Connection) -> None:
    """Version 1 kept one issued record per number (a table constraint): rebuild `run` so a replaced issue
    can stay as history. Foreign keys are off meanwhile, so dropping the old table deletes nothing."""
    con.execute("COMMIT")
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("BEGIN IMMEDIATE")
    con.execute(_RUN.format(name="run_v2"))
    con.execute(f"INSERT INTO run_v2 ({_RUN_COLUMNS}) SELECT {_RUN_COLUMNS} FROM run")
    con.execute("DROP TABLE run")
    con.execute("ALTER TABLE run_v2 RENAME TO run")
    con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
    con.execute("COMMIT")
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("BEGIN IMMEDIATE")


def set_aside_if_damaged(path: Path) -> Problem | None:
    """A record file that is not a database, or of a newer schema, is renamed lich-su.hong-N.sqlite (never
    deleted), with a warning naming both; the run goes on as if there were no record. A locked or
    read-only file is not damaged: that raises HistoryError."""
    path = Path(path)
    if not path.is_file():
        return None
    why = None
    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
        try:
            if con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                why = "tệp bị hỏng"
            else:
                version = _version(con)
                if version is not None and version > SCHEMA_VERSION:
                    why = (f"tệp theo cấu trúc phiên bản {version}, mới hơn phiên bản {SCHEMA_VERSION} của công cụ "
                           "(do một phiên bản công cụ mới hơn ghi)")
        finally:
            con.close()
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT) or "not a database" in str(exc) \
                or "malformed" in str(exc):
            why = "tệp không phải cơ sở dữ liệu SQLite hợp lệ"
        else:
            raise history_error(path, exc, writing=False) from exc
    if why is None:
        return None
    aside = _aside_name(path)
    from pipeline.archive.outputs import environment_errors
    with environment_errors(path.parent):
        path.rename(aside)
    return Problem(path.name, f"Tệp bản ghi các kỳ «{path.name}» không dùng được ({why}); đã đổi tên thành "
                              f"«{aside.name}» (giữ nguyên nội dung) và lập tệp mới. Số liệu kỳ trước được lập lại từ "
                              f"phiếu của kỳ đó. Bản phát hành bị từ chối cho đến khi chuyển «{aside.name}» ra khỏi thư "
                              "mục kết quả sau khi đã xem.", WARNING)


def _aside_name(path: Path) -> Path:
    n = 1
    while (path.parent / f"lich-su.hong-{n}.sqlite").exists():
        n += 1
    return path.parent / f"lich-su.hong-{n}.sqlite"


def set_aside_files(folder: Path) -> list[Path]:
    """Damaged record files set aside and still waiting for the clerk (issuing is refused meanwhile)."""
    folder = Path(folder)
    return sorted(p for p in folder.glob("lich-su.hong-*.sqlite") if SET_ASIDE.fullmatch(p.name)) \
        if folder.is_dir() else []


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@contextmanager
def recording(path: Path, master: Master, merged: Merged, plan_number: str, document_date: date,
              number: str = "", replace: bool = False):
    """Write a run's record in one transaction and keep it open for the block (the files are swapped in
    there): committed when the block ends, rolled back when it fails. An issued number already recorded
    for the period is refused, unless `replace`: then the old record stays, marked replaced."""
    path = Path(path)
    kind = ISSUED if number else DRAFT
    with _errors(path, writing=True):
        con = _connect(path)
    try:
        with _errors(path, writing=True):
            # exclusive from the start: a reader (a SQLite viewer left open) can then never make the COMMIT
            # fail after the files were swapped in; it makes this BEGIN wait, then fail, before any swap
            con.execute("BEGIN EXCLUSIVE")
            now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
            if kind == ISSUED:
                if con.execute("SELECT 1 FROM run WHERE period_code=? AND kind=? AND number=?",
                               (merged.period.code, ISSUED, number)).fetchone():
                    if not replace:
                        con.execute("ROLLBACK")
                        raise PipelineError(f"Bản phát hành số {number} của {merged.period.label} đã có bản ghi trong "
                                            f"«{path.name}» và không bị ghi đè; nếu thật sự cần lập lại, chạy lại với "
                                            "--ghi-de-ban-phat-hanh.")
                    con.execute("UPDATE run SET kind=?, replaced_on=? WHERE period_code=? AND kind=? AND number=?",
                                (REPLACED, now, merged.period.code, ISSUED, number))
            else:
                con.execute("DELETE FROM run WHERE period_code=? AND kind=?", (merged.period.code, DRAFT))
            _insert(con, master, merged, plan_number, document_date, number, kind, now)
        try:
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        with _errors(path, writing=True):
            con.execute("COMMIT")
    finally:
        con.close()


def write_record(path: Path, master: Master, merged: Merged, plan_number: str, document_date: date,
                 number: str = "", replace: bool = False) -> None:
    """Record a run on its own (see `recording`)."""
    with recording(path, master, merged, plan_number, document_date, number, replace):
        pass


def _insert(con, master: Master, merged: Merged, plan_number: str, document_date: date, number: str, kind: str,
            now: str) -> None:
    run_id = con.execute(
        "INSERT INTO run (period_code, period_label, cutoff, kind, number, document_date, plan_number, "
        "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (merged.period.code, merged.period.label, merged.period.end.isoformat(), kind, number,
         document_date.isoformat(), plan_number, now)).lastrowid
    con.executemany("INSERT INTO task_status VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        (run_id, t.id, t.section, merged.statuses[t.id].status, merged.statuses[t.id].label, t.deadline_text,
         _iso(t.deadline_in_force.due), _iso(merged.statuses[t.id].completed_on)) for t in master.tasks])
    # what each lead reported in this period (a silent lead's kept answer lives in completion_answer)
    con.executemany("INSERT INTO lead_report VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        (run_id, t.id, lead.agency, 1, lead.status or None, _iso(lead.completed_on), lead.progress,
         lead.results or None, lead.output_doc or None) if lead.reported else
        (run_id, t.id, lead.agency, 0, None, None, None, None, None)
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


def issued_in_year(path: Path, year: int, number: str) -> list[tuple[str, str]]:
    """(period code, issue date) of every issued record with this number dated in `year`."""
    if not Path(path).is_file():
        return []
    with _errors(Path(path), writing=False):
        con = _connect(path)
        try:
            return con.execute("SELECT period_code, document_date FROM run WHERE kind=? AND number=? AND "
                               "substr(document_date, 1, 4)=? ORDER BY document_date",
                               (ISSUED, number, str(year))).fetchall()
        finally:
            con.close()


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
    with _errors(Path(path), writing=False):
        return _read_record(path, period)


def _read_record(path: Path, period: Period) -> PeriodRecord | None:
    con = _connect(path)
    try:
        run = con.execute("SELECT id, kind, number FROM run WHERE period_code=? AND kind IN ('draft', 'issued') "
                          "ORDER BY kind = 'issued' DESC, document_date DESC, id DESC LIMIT 1",
                          (period.code,)).fetchone()
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
