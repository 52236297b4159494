"""One report run: read, merge, build the context, write every output (folder rules: pipeline.archive.outputs)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from pipeline.archive import outputs as out
from pipeline.files import file_record, portable_path, write_bytes_atomic, write_manifest
from pipeline.plan.config import PlanConfig, load_config
from pipeline.documents.consolidated import write_consolidated, write_problem_list
from pipeline.drafting.context import Issue, build_context
from pipeline.drafting.blocks import Draft
from pipeline.drafting.body import draft_report
from pipeline.drafting.editorial import FILENAME as EDITORIAL_FILE
from pipeline.drafting.figures import report_charts
from pipeline.drafting.editorial import apply_edits, carry_edits, read_edits, settle_points
from pipeline.documents.editorial_workbook import write_editorial
from pipeline.drafting.review import Review, review_of
from pipeline.drafting.issuing import (Blocker, check_document_dates, check_issue_date, issue_blockers, mark_done_after_issue,
                                       mark_future_dates, refuse_if_blocked)
from pipeline.errors import ERROR, WARNING, PipelineError, Problem
from pipeline.drafting.late_forms import mark_late_forms
from pipeline.archive.history import FILENAME as HISTORY_FILE
from pipeline.archive.history import (issued_in_year, previous_period, read_record, recording, set_aside_files,
                                      set_aside_if_damaged)
from pipeline.status.compare import Comparison, PeriodRecord, compare, record_of
from pipeline.plan.master import Master, load_master
from pipeline.status.merge import Merged, merge
from pipeline.plan.periods import Period, parse_period


@dataclass
class ReportResult:
    out_dir: Path
    period: Period
    master: Master
    merged: Merged
    problems: list[Problem]
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    files: list[dict] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    kept_aside: list[tuple[str, str]] = field(default_factory=list)  # files in the way, renamed (name, new)
    notices: list[str] = field(default_factory=list)  # what was moved for safety, for the user
    review: Review | None = None                       # what was done with the clerk's bien-tap.xlsx

    @property
    def blockers(self) -> list[Blocker]:
        """What would stop issuing this draft (issuing.issue_blockers)."""
        return self.review.blocking if self.review else []

    @property
    def clean(self) -> bool:
        return not self.problems


def load_inputs(config_path: Path, period_code: str) -> tuple[PlanConfig, Master, Period]:
    """The configuration, the plan as written (all its changes; `.as_of(cut-off)` gives it in force), the period."""
    config = load_config(config_path)
    period = parse_period(period_code, config.reporting_year)
    return config, load_master(config.master_path), period


RECORDS_BACK = 8   # how many periods back a missing record is looked for (two years of quarters)


def previous_record(config: PlanConfig, plan: Master, period: Period, history: Path,
                    problems: list[Problem]) -> PeriodRecord | None:
    """The previous period's record; never run: built from input/<previous>/ on the fly (keeping what was done
    before it, from its own previous record), and said so. A damaged record file is set aside first: it never
    blocks the work, the periods are rebuilt from their inputs."""
    damaged = set_aside_if_damaged(history)
    if damaged:
        problems.append(damaged)
    return _previous_record(config, plan, period, history, problems, RECORDS_BACK)


def _previous_record(config: PlanConfig, plan: Master, period: Period, history: Path, problems: list[Problem],
                     depth: int) -> PeriodRecord | None:
    from pipeline.collection.collect import collect

    before = previous_period(period)
    record = read_record(history, before)
    folder = config.input_dir / before.code
    if record is None and folder.is_dir():
        earlier = _previous_record(config, plan, before, history, [], depth - 1) if depth > 1 else None
        master = plan.as_of(before.end)
        collection = collect(folder, master, before, ignore=(EDITORIAL_FILE,))
        merged = merge(master, before, collection.rows, collection.reported_agencies,
                       accepted_before(history, before, earlier, depth - 1))
        record = record_of(merged)
        problems.append(Problem(folder.name, f"Kỳ trước ({before.label}) chưa có bản ghi trong {HISTORY_FILE}; số liệu "
                                             f"so sánh được lập từ các phiếu trong thư mục {folder.name}.", WARNING))
    return record


def latest_record(history: Path, period: Period, depth: int = RECORDS_BACK) -> PeriodRecord | None:
    """The latest record before `period` (the previous period's, else the one before it, …), None when none."""
    before = period
    for _ in range(max(depth, 0)):
        before = previous_period(before)
        record = read_record(history, before)
        if record is not None:
            return record
    return None


def accepted_before(history: Path, period: Period, previous: PeriodRecord | None, depth: int = RECORDS_BACK) -> dict:
    """The completions accepted before `period` (task id -> Completion): from the previous period's record, or,
    when that period has neither record nor forms, from the latest record before it."""
    record = previous or latest_record(history, period, depth)
    return record.accepted if record else {}


def silent_agency_problems(master: Master, merged: Merged, folder: Path) -> list[Problem]:
    """One warning per lead agency with no accepted form and tasks not done yet: the clerk has to chase it."""
    return [Problem(folder.name, f"{master.agencies[code].name} chưa gửi phiếu báo cáo {merged.period.label}.",
                    WARNING, agency=code) for code in merged.missing_agencies]


def backwards_problems(comparison: Comparison | None, merged: Merged, where: str) -> list[Problem]:
    """A done task that a later form contradicts (kept done) or that is no longer counted done: one warning each."""
    if comparison is None:
        return []
    out = []
    then = comparison.previous.period.label
    for task_id in comparison.backwards:
        st = merged.statuses[task_id]
        if task_id in comparison.contradicted:
            out.append(Problem(where, f"Nhiệm vụ {task_id}: đã hoàn thành từ {done_in_label(st)}, kỳ này cơ quan báo cáo "
                                      "chưa hoàn thành; báo cáo vẫn tính là đã hoàn thành. Cần xác minh với cơ quan.",
                               WARNING))
        else:
            out.append(Problem(where, f"Nhiệm vụ {task_id}: {then} đã hoàn thành, kỳ này được tính là «{st.label}»; "
                                      "cần xác minh.", WARNING))
    return out


def done_in_label(st) -> str:
    from pipeline.plan.periods import parse_period

    return parse_period(st.earlier.period_code).label if st.earlier else ""


def file_records(collection, project: Path, folder: Path) -> list[dict]:
    """The files read, for the workbook and the manifest: paths relative to the project (same bytes in any
    clone), shown safely (a name that is not UTF-8 must not crash the workbook, the list or the JSON)."""
    from pipeline.collection.collect import display_name

    return [{"path": display_name(portable_path(f.path, project, folder)), "agency": f.agency,
             "outcome": f.outcome, "reason": f.reason, "sha256": f.sha256, "size": f.size}
            for f in collection.files]


def manifest_inputs(files: list[dict]) -> list[dict]:
    return sorted(({"path": f["path"], "sha256": f["sha256"], "size": f["size"], "agency": f["agency"],
                    "outcome": f["outcome"]} for f in files), key=lambda r: r["path"])


def carried_of(record: PeriodRecord | None):
    """The previous period's answers to pre-fill an agency's form with; a task done by then with its date
    (on time or late, in that period or before) is pre-filled with its completion's answer and locked, whether
    or not its agency wrote in that period. An undated completion stays open to take its date."""
    from pipeline.collection.agency_workbook import Carried
    from pipeline.status.merge import DONE_LATE, DONE_ON_TIME

    if record is None:
        return None
    return Carried(record.period.code, record.period.label, record.carried_answers(),
                   frozenset(t for t, c in record.accepted.items() if c.status in (DONE_ON_TIME, DONE_LATE)))


def _draft(config: PlanConfig, master: Master, merged: Merged, collection, folder: Path, issue: Issue | None,
           problems: list[Problem], comparison: Comparison | None, draft_copy: str, history: Path,
           gate: bool = True) -> tuple[Draft, dict, Path | None, Review]:
    """The drafted report with the clerk's edits (input/<period>/bien-tap.xlsx) applied, what was done with them
    and what blocks issuing it; an issued version is refused here, before anything is written (`gate` False: the
    blockers are only told)."""
    superseded = [f.path.name for f in collection.files if f.outcome == "superseded"]
    draft = draft_report(config, master, merged, collection.rejected, superseded, comparison=comparison,
                         charts=report_charts(master, merged, comparison))
    mark_late_forms(draft, merged, config.submission_deadline(merged.period))
    if issue:
        mark_done_after_issue(draft, merged, issue.date)
    edits, editorial_in, read_problems = {}, folder / EDITORIAL_FILE, []
    found = editorial_in.is_file()
    if found:
        edits, read_problems = read_edits(editorial_in, merged.period.code, config.plan_number)
        problems.extend(read_problems)
        problems.extend(apply_edits(draft, edits, editorial_in.name))
    else:   # the period's first review: the previous period's edits of unchanged blocks are offered again
        before = previous_period(merged.period)
        earlier_copy = folder.parent / before.code / EDITORIAL_FILE
        if earlier_copy.is_file():
            previous, earlier_problems = read_edits(earlier_copy, before.code, config.plan_number)
            problems.extend(earlier_problems)
            edits = carry_edits(draft, previous, before.label)
            problems.extend(apply_edits(draft, edits, earlier_copy.name))
            if edits:
                editorial_in = earlier_copy
    mark_future_dates(draft, master, merged.period, issue.date if issue else None)
    settle_points(draft, edits)
    # paths as the clerk finds them from the project («input/2022-Q3/bien-tap.xlsx»); the same bytes in any clone
    source = portable_path(folder / EDITORIAL_FILE, config.path.parent.parent, folder)
    blockers = issue_blockers(draft, source, [*read_problems, *_records_set_aside(history)])
    review = review_of(draft, edits, source, found, draft_copy, blockers)
    if issue and gate:
        refuse_if_blocked(blockers, review.editable, review.place)
    return draft, edits, editorial_in if found or edits else None, review


def _records_set_aside(history: Path) -> list[Problem]:
    """Damaged record files set aside: issuing waits until the clerk has looked and moved them away."""
    return [Problem(p.name, f"Tệp bản ghi hỏng «{p.name}» đã được để riêng; xem tệp đó rồi chuyển nó ra khỏi thư mục "
                            f"«{p.parent.name}» trước khi lập bản phát hành.", ERROR)
            for p in set_aside_files(history.parent)]


def _number_used_elsewhere(history: Path, period: Period, issue: Issue) -> list[Problem]:
    """Numbers are unique per issuing body and calendar year (Nghị định 30/2020): another period's use is a warning."""
    return [Problem(HISTORY_FILE, f"Số {issue.number_text} đã được dùng cho báo cáo kỳ {other} ban hành ngày {day}; số "
                                  "văn bản là duy nhất trong một năm (Nghị định 30/2020): kiểm tra lại số do văn thư "
                                  "cấp.", WARNING)
            for other, day in issued_in_year(history, issue.date.year, issue.number_text) if other != period.code]


@dataclass
class Prepared:
    """A period read and drafted, nothing written: what a report run writes, and what `tinh-hinh` tells."""
    config: PlanConfig
    master: Master
    period: Period
    folder: Path
    collection: object
    merged: Merged
    previous: PeriodRecord | None
    comparison: Comparison | None
    problems: list[Problem]
    draft: Draft
    edits: dict
    editorial_in: Path | None
    review: Review


def prepare(config_path: Path, period_code: str, output_root: Path, input_dir: Path | None = None,
            issue: Issue | None = None, on_file: Callable | None = None, today: date | None = None,
            loaded: tuple | None = None, gate: bool = True) -> Prepared:
    """Read the period's forms, keep what was done before, draft, apply the clerk's edits (and, for an issued
    version, pass the gate; `gate` False: its points are only listed); writes nothing. `loaded`: load_inputs(...)
    already done."""
    from pipeline.collection.collect import collect

    config, plan, period = loaded or load_inputs(config_path, period_code)
    if issue:
        check_issue_date(issue.date, period, today or date.today())
    master = plan.as_of(period.end)
    folder = Path(input_dir or config.input_dir / period.code)
    history = Path(output_root) / HISTORY_FILE
    collection = collect(folder, master, period, on_file=on_file, today=today, plan_number=config.plan_number,
                         plan_date=config.plan_date, ignore=(EDITORIAL_FILE,))
    problems = [*master.warnings, *collection.problems]   # e.g. a malformed e-mail address in the registry
    previous = previous_record(config, plan, period, history, problems)
    merged = merge(master, period, collection.rows, collection.reported_agencies,
                   accepted_before(history, period, previous))
    comparison = compare(previous, merged) if previous else None
    problems += backwards_problems(comparison, merged, folder.name)
    if issue:
        check_document_dates(merged, issue.date)
        problems += _number_used_elsewhere(history, period, issue)
    draft_copy = portable_path(Path(output_root) / period.code / EDITORIAL_FILE, config.path.parent.parent,
                               Path(output_root) / period.code)
    draft, edits, editorial_in, review = _draft(config, master, merged, collection, folder, issue, problems,
                                                comparison, draft_copy, history, gate)
    return Prepared(config, master, period, folder, collection, merged, previous, comparison, problems, draft, edits,
                    editorial_in, review)


def build_report(config_path: Path, period_code: str, output_root: Path, input_dir: Path | None = None,
                 issue: Issue | None = None, on_file: Callable | None = None,
                 with_pdf: bool = True, replace_issued: bool = False, today: date | None = None) -> ReportResult:
    """Build every output; a draft goes to <output_root>/<period>/, an issued report to
    <output_root>/<period>/phat-hanh/<số>/ (see pipeline.archive.outputs for what is kept and replaced); the run's
    record goes to <output_root>/lich-su.sqlite."""
    config, plan, period = load_inputs(config_path, period_code)
    folder = Path(input_dir or config.input_dir / period.code)
    out.check_folder(Path(output_root) / period.code)
    if not folder.is_dir():   # before the output folder is made: a mistyped period leaves nothing behind
        raise PipelineError(f"Không tìm thấy thư mục phiếu báo cáo «{out.shown(folder)}» của {period.label}; "
                            "chép phiếu các cơ quan vào thư mục đó rồi chạy lại.")
    protected = [("thư mục phiếu của kỳ", folder), ("thư mục cấu hình", config.input_dir),
                 ("thư mục bảng nhiệm vụ", config.master_path.parent)]
    history = Path(output_root) / HISTORY_FILE
    if issue:   # before the folder is locked
        check_issue_date(issue.date, period, today or date.today())
    with out.period_run(Path(output_root) / period.code, f"Kỳ báo cáo {period.code}", protected,
                        issue.number if issue else None, replace_issued) as run:
        p = prepare(config_path, period_code, output_root, input_dir, issue, on_file, today, (config, plan, period))
        master, merged, collection, problems, draft = p.master, p.merged, p.collection, p.problems, p.draft
        context = build_context(config, master, merged, issue, draft, comparison=p.comparison)
        problems += silent_agency_problems(master, merged, folder)
        stamp = datetime.fromisoformat(context["meta"]["DocumentDate"])
        project = config.path.parent.parent  # paths are recorded relative to it: same bytes in any clone
        files = file_records(collection, project, folder)
        editorial = {"draft": draft, "edits": p.edits, "source": p.editorial_in, "review": p.review}
        with out.environment_errors(run.period_dir), out.staging(run.period_dir) as tmp_dir:
            outputs = _write_outputs(tmp_dir, config, master, period, merged, context, problems, files, stamp,
                                     collection, issue, project, with_pdf, editorial)
            # the record first, in a transaction held open while the files are swapped in: both or neither
            with recording(history, master, merged, config.plan_number, stamp.date(),
                           issue.number_text if issue else "", replace=replace_issued):
                done = out.commit(tmp_dir, run.target, [p.name for p in outputs.values()], draft_only=issue is None)
    target = run.target
    return ReportResult(
        out_dir=target, period=period, master=master, merged=merged, problems=problems,
        rows_read=collection.rows_read, rows_accepted=collection.rows_accepted,
        rows_rejected=collection.rows_rejected, files=files,
        outputs={k: target / p.name for k, p in outputs.items()}, kept_aside=done.kept_aside, notices=run.notices,
        review=p.review,
    )


def _write_outputs(tmp_dir: Path, config, master, period, merged, context, problems, files, stamp,
                   collection, issue, project, with_pdf, editorial: dict) -> dict[str, Path]:
    from pipeline.documents.render_docx import render_docx

    base = f"bao-cao-{period.code}"
    outputs = {
        "workbook": write_consolidated(tmp_dir / "tong-hop.xlsx", master, merged, problems, files, stamp,
                                       context["charts"], config.follow_up.due_soon_days,
                                       config.submission_deadline(period)),
        "problems": write_problem_list(tmp_dir / "van-de.txt", problems, period.label, editorial["review"].lines()),
        "context": write_bytes_atomic(tmp_dir / "noi-dung.json", json.dumps(
            context, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")),
        "editorial": write_editorial(tmp_dir / EDITORIAL_FILE, editorial["draft"], period.code, period.label,
                                     config.plan_number, editorial["edits"], stamp),
        "docx": render_docx(context, tmp_dir / f"{base}.docx"),
    }
    if with_pdf:
        from pipeline.documents.render_pdf import render_pdf
        outputs["pdf"] = render_pdf(context, tmp_dir / f"{base}.pdf", attachments=[outputs["workbook"]])
    manifest = {
        "period": {"code": period.code, "label": period.label, "cutoff_start": period.start.isoformat(),
                   "cutoff_end": period.end.isoformat()},
        "draft": issue is None,
        "metadata": context["meta"],
        "configuration": file_record(config.path, project),
        "master": file_record(config.master_path, project),
        "editorial": file_record(editorial["source"], project) if editorial["source"] else None,
        "inputs": manifest_inputs(files),
        "outputs": {key: {**file_record(path, tmp_dir), "path": path.name} for key, path in outputs.items()},
        "counts": {"rows_read": collection.rows_read, "rows_accepted": collection.rows_accepted,
                   "rows_rejected": collection.rows_rejected, "problems": len(problems),
                   "by_status": merged.by_status},
    }
    if with_pdf:
        import pikepdf
        with pikepdf.open(outputs["pdf"]) as pdf:
            manifest["metadata"] = {**manifest["metadata"], "PageAmount": len(pdf.pages)}
    outputs["manifest"] = write_manifest(tmp_dir / out.MANIFEST, manifest)
    return outputs
