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
from pipeline.drafting.editorial import apply_edits, carry_edits, read_edits
from pipeline.documents.editorial_workbook import write_editorial
from pipeline.drafting.late_forms import mark_late_forms
from pipeline.drafting.issuing import check_cited_dates, check_issue_date, mark_done_after_issue, refuse_if_unsettled
from pipeline.errors import WARNING, Problem
from pipeline.archive.history import FILENAME as HISTORY_FILE
from pipeline.archive.history import previous_period, read_record, write_record
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

    @property
    def clean(self) -> bool:
        return not self.problems


def load_inputs(config_path: Path, period_code: str) -> tuple[PlanConfig, Master, Period]:
    """The configuration, the plan as written (all its changes; `.as_of(cut-off)` gives it in force), the period."""
    config = load_config(config_path)
    period = parse_period(period_code, config.reporting_year)
    return config, load_master(config.master_path), period


def previous_record(config: PlanConfig, plan: Master, period: Period, history: Path,
                    problems: list[Problem]) -> PeriodRecord | None:
    """The previous period's record; never run: built from input/<previous>/ on the fly, and said so."""
    from pipeline.collection.collect import collect

    before = previous_period(period)
    record = read_record(history, before)
    folder = config.input_dir / before.code
    if record is None and folder.is_dir():
        master = plan.as_of(before.end)
        collection = collect(folder, master, before, ignore=(EDITORIAL_FILE,))
        merged = merge(master, before, collection.rows, collection.reported_agencies)
        record = record_of(merged)
        problems.append(Problem(folder.name, f"Kỳ trước ({before.label}) chưa có bản ghi trong {HISTORY_FILE}; số liệu "
                                             f"so sánh được lập từ các phiếu trong thư mục {folder.name}.", WARNING))
    return record


def silent_agency_problems(master: Master, merged: Merged, folder: Path) -> list[Problem]:
    """One warning per lead agency with no accepted form: the clerk has to chase it."""
    return [Problem(folder.name, f"{master.agencies[code].name} chưa gửi phiếu báo cáo {merged.period.label}.",
                    WARNING, agency=code) for code in merged.missing_agencies]


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
    """The previous period's answers to pre-fill an agency's form with (tasks done on time then are locked)."""
    from pipeline.collection.agency_workbook import Carried
    from pipeline.status.merge import DONE_ON_TIME

    if record is None:
        return None
    return Carried(record.period.code, record.period.label, record.answers,
                   frozenset(t for t, s in record.statuses.items() if s == DONE_ON_TIME))


def _draft(config: PlanConfig, master: Master, merged: Merged, collection, folder: Path, issue: Issue | None,
           problems: list[Problem], comparison: Comparison | None) -> tuple[Draft, dict, Path | None]:
    """The drafted report with the clerk's edits (input/<period>/bien-tap.xlsx) applied."""
    superseded = [f.path.name for f in collection.files if f.outcome == "superseded"]
    draft = draft_report(config, master, merged, collection.rejected, superseded, comparison=comparison,
                         charts=report_charts(master, merged, comparison))
    mark_late_forms(draft, merged)
    if issue:
        mark_done_after_issue(draft, merged, issue.date)
    edits, editorial_in = {}, folder / EDITORIAL_FILE
    if editorial_in.is_file():
        edits, found = read_edits(editorial_in, merged.period.code, config.plan_number)
        problems.extend(found)
        problems.extend(apply_edits(draft, edits, editorial_in.name))
    else:   # the period's first review: the previous period's edits of unchanged blocks are offered again
        before = previous_period(merged.period)
        editorial_in = folder.parent / before.code / EDITORIAL_FILE
        if editorial_in.is_file():
            previous, found = read_edits(editorial_in, before.code, config.plan_number)
            problems.extend(found)
            edits = carry_edits(draft, previous, before.label)
            problems.extend(apply_edits(draft, edits, editorial_in.name))
        if not edits:
            editorial_in = None
    if issue:
        refuse_if_unsettled(draft, f"{folder.name}/{EDITORIAL_FILE}")
    return draft, edits, editorial_in


def build_report(config_path: Path, period_code: str, output_root: Path, input_dir: Path | None = None,
                 issue: Issue | None = None, on_file: Callable | None = None,
                 with_pdf: bool = True, replace_issued: bool = False, today: date | None = None) -> ReportResult:
    """Build every output; a draft goes to <output_root>/<period>/, an issued report to
    <output_root>/<period>/phat-hanh/<số>/ (see pipeline.archive.outputs for what is kept and replaced); the run's
    record goes to <output_root>/lich-su.sqlite."""
    from pipeline.collection.collect import collect

    config, plan, period = load_inputs(config_path, period_code)
    if issue:
        check_issue_date(issue.date, period, today or date.today())
    master = plan.as_of(period.end)
    folder = Path(input_dir or config.input_dir / period.code)
    protected = [("thư mục phiếu của kỳ", folder), ("thư mục cấu hình", config.input_dir),
                 ("thư mục bảng nhiệm vụ", config.master_path.parent)]
    history = Path(output_root) / HISTORY_FILE
    with out.period_run(Path(output_root) / period.code, f"Kỳ báo cáo {period.code}", protected,
                        issue.number if issue else None, replace_issued) as run:
        collection = collect(folder, master, period, on_file=on_file, today=today, plan_number=config.plan_number,
                             plan_date=config.plan_date, ignore=(EDITORIAL_FILE,))
        merged = merge(master, period, collection.rows, collection.reported_agencies)
        problems = [*master.warnings, *collection.problems]   # e.g. a malformed e-mail address in the registry
        previous = previous_record(config, plan, period, history, problems)
        comparison = compare(previous, merged) if previous else None
        for task_id in comparison.backwards if comparison else ():
            problems.append(Problem(folder.name, f"Nhiệm vụ {task_id}: {previous.period.label} đã hoàn thành, kỳ này "
                                                 "cơ quan báo cáo chưa hoàn thành; cần xác minh.", WARNING))
        draft, edits, editorial_in = _draft(config, master, merged, collection, folder, issue, problems, comparison)
        context = build_context(config, master, merged, issue, draft, comparison=comparison)
        if issue:
            check_cited_dates(context, issue.date)
        problems += silent_agency_problems(master, merged, folder)
        stamp = datetime.fromisoformat(context["meta"]["DocumentDate"])
        project = config.path.parent.parent  # paths are recorded relative to it: same bytes in any clone
        files = file_records(collection, project, folder)
        editorial = {"draft": draft, "edits": edits, "source": editorial_in}
        with out.environment_errors(run.period_dir), out.staging(run.period_dir) as tmp_dir:
            outputs = _write_outputs(tmp_dir, config, master, period, merged, context, problems, files, stamp,
                                     collection, issue, project, with_pdf, editorial)
            done = out.commit(tmp_dir, run.target, [p.name for p in outputs.values()], draft_only=issue is None)
        with out.environment_errors(history.parent):
            write_record(history, master, merged, config.plan_number, stamp.date(), issue.number_text if issue else "")
    target = run.target
    return ReportResult(
        out_dir=target, period=period, master=master, merged=merged, problems=problems,
        rows_read=collection.rows_read, rows_accepted=collection.rows_accepted,
        rows_rejected=collection.rows_rejected, files=files,
        outputs={k: target / p.name for k, p in outputs.items()}, kept_aside=done.kept_aside, notices=run.notices,
    )


def _write_outputs(tmp_dir: Path, config, master, period, merged, context, problems, files, stamp,
                   collection, issue, project, with_pdf, editorial: dict) -> dict[str, Path]:
    from pipeline.documents.render_docx import render_docx

    base = f"bao-cao-{period.code}"
    outputs = {
        "workbook": write_consolidated(tmp_dir / "tong-hop.xlsx", master, merged, problems, files, stamp,
                                       context["charts"], config.follow_up.due_soon_days),
        "problems": write_problem_list(tmp_dir / "van-de.txt", problems, period.label),
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
