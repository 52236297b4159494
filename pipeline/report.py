"""One report run: read, merge, build the context, write every output (folder rules: pipeline.outputs)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from pipeline import outputs as out
from pipeline.archive import file_record, portable_path, write_bytes_atomic, write_manifest
from pipeline.config import PlanConfig, load_config
from pipeline.consolidated import write_consolidated, write_problem_list
from pipeline.context import Issue, build_context
from pipeline.errors import WARNING, Problem
from pipeline.master import Master, load_master
from pipeline.merge import Merged, merge
from pipeline.periods import Period, parse_period


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
    config = load_config(config_path)
    period = parse_period(period_code, config.reporting_year)
    return config, load_master(config.master_path), period


def build_report(config_path: Path, period_code: str, output_root: Path, input_dir: Path | None = None,
                 issue: Issue | None = None, on_file: Callable | None = None,
                 with_pdf: bool = True, replace_issued: bool = False) -> ReportResult:
    """Build every output; a draft goes to <output_root>/<period>/, an issued report to
    <output_root>/<period>/phat-hanh/<số>/ (see pipeline.outputs for what is kept and replaced)."""
    from pipeline.collect import collect

    config, master, period = load_inputs(config_path, period_code)
    folder = Path(input_dir or config.input_dir / period.code)
    protected = [("thư mục phiếu của kỳ", folder), ("thư mục cấu hình", config.input_dir),
                 ("thư mục bảng nhiệm vụ", config.master_path.parent)]
    with out.period_run(Path(output_root) / period.code, f"Kỳ báo cáo {period.code}", protected,
                        issue.number if issue else None, replace_issued) as run:
        collection = collect(folder, master, period, on_file=on_file)
        merged = merge(master, period, collection.rows, collection.reported_agencies)
        context = build_context(config, master, merged, issue)
        problems = list(collection.problems)
        for code in merged.missing_agencies:  # the clerk has to chase these before the report goes out
            problems.append(Problem(folder.name, f"{master.agencies[code].name} chưa gửi phiếu báo cáo "
                                    f"{period.label}.", WARNING, agency=code))
        stamp = datetime.fromisoformat(context["meta"]["DocumentDate"])
        project = config.path.parent.parent  # paths are recorded relative to it: same bytes in any clone
        files = [{"path": portable_path(f.path, project, folder), "agency": f.agency, "outcome": f.outcome,
                  "reason": f.reason, "sha256": f.sha256, "size": f.size} for f in collection.files]
        with out.environment_errors(run.period_dir), out.staging(run.period_dir) as tmp_dir:
            outputs = _write_outputs(tmp_dir, config, master, period, merged, context, problems, files, stamp,
                                     collection, issue, project, with_pdf)
            done = out.commit(tmp_dir, run.target, [p.name for p in outputs.values()], draft_only=issue is None)
    target = run.target
    return ReportResult(
        out_dir=target, period=period, master=master, merged=merged, problems=problems,
        rows_read=collection.rows_read, rows_accepted=collection.rows_accepted,
        rows_rejected=collection.rows_rejected, files=files,
        outputs={k: target / p.name for k, p in outputs.items()}, kept_aside=done.kept_aside, notices=run.notices,
    )


def _write_outputs(tmp_dir: Path, config, master, period, merged, context, problems, files, stamp,
                   collection, issue, project, with_pdf) -> dict[str, Path]:
    from pipeline.render_docx import render_docx

    base = f"bao-cao-{period.code}"
    outputs = {
        "workbook": write_consolidated(tmp_dir / "tong-hop.xlsx", master, merged, problems, files, stamp),
        "problems": write_problem_list(tmp_dir / "van-de.txt", problems, period.label),
        "context": write_bytes_atomic(tmp_dir / "noi-dung.json", json.dumps(
            context, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")),
        "docx": render_docx(context, tmp_dir / f"{base}.docx"),
    }
    if with_pdf:
        from pipeline.render_pdf import render_pdf
        outputs["pdf"] = render_pdf(context, tmp_dir / f"{base}.pdf", attachments=[outputs["workbook"]])
    manifest = {
        "period": {"code": period.code, "label": period.label, "cutoff_start": period.start.isoformat(),
                   "cutoff_end": period.end.isoformat()},
        "draft": issue is None,
        "metadata": context["meta"],
        "configuration": file_record(config.path, project),
        "master": file_record(config.master_path, project),
        "inputs": sorted(({"path": f["path"], "sha256": f["sha256"], "size": f["size"], "agency": f["agency"],
                           "outcome": f["outcome"]} for f in files), key=lambda r: r["path"]),
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
