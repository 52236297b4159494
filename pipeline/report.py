"""One report run: read, merge, build the context, write every output into output/<period>/ at once."""
from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from pipeline.archive import file_record, write_bytes_atomic, write_manifest
from pipeline.config import PlanConfig, load_config
from pipeline.consolidated import write_consolidated, write_problem_list
from pipeline.context import Issue, build_context
from pipeline.errors import WARNING, Problem
from pipeline.master import Master, load_master
from pipeline.merge import Merged, merge
from pipeline.periods import Period, parse_period

KEPT_SUBFOLDERS = ("phieu",)  # generated agency workbooks survive a report run


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

    @property
    def clean(self) -> bool:
        return not self.problems


def load_inputs(config_path: Path, period_code: str) -> tuple[PlanConfig, Master, Period]:
    config = load_config(config_path)
    period = parse_period(period_code, config.reporting_year)
    return config, load_master(config.master_path), period


def _swap_in(tmp_dir: Path, out_dir: Path) -> None:
    """Replace out_dir by tmp_dir in (almost) one step, keeping the kept subfolders."""
    old = out_dir.with_name(f".{out_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        for name in KEPT_SUBFOLDERS:
            if (out_dir / name).is_dir() and not (tmp_dir / name).exists():
                shutil.copytree(out_dir / name, tmp_dir / name)
        out_dir.rename(old)
    tmp_dir.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)


def build_report(config_path: Path, period_code: str, output_root: Path, input_dir: Path | None = None,
                 issue: Issue | None = None, on_file: Callable | None = None,
                 with_pdf: bool = True) -> ReportResult:
    from pipeline.collect import collect, display_name
    from pipeline.render_docx import render_docx

    config, master, period = load_inputs(config_path, period_code)
    folder = input_dir or config.input_dir / period.code
    collection = collect(folder, master, period, on_file=on_file, plan_number=config.plan_number,
                         plan_date=config.plan_date)
    merged = merge(master, period, collection.rows, collection.reported_agencies)
    context = build_context(config, master, merged, issue)
    problems = list(collection.problems)
    for code in merged.missing_agencies:  # the clerk has to chase these before the report goes out
        problems.append(Problem(folder.name, f"{master.agencies[code].name} chưa gửi phiếu báo cáo {period.label}.",
                                WARNING, agency=code))
    stamp = datetime.fromisoformat(context["meta"]["DocumentDate"])

    # display_name: a file name that is not UTF-8 must not crash the workbook, the list or the JSON
    files = [{"path": display_name(str(f.path)), "agency": f.agency, "outcome": f.outcome, "reason": f.reason,
              "sha256": f.sha256, "size": f.size} for f in collection.files]
    out_dir = Path(output_root) / period.code
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{period.code}.", dir=out_dir.parent))
    try:
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
        root = Path.cwd()
        manifest = {
            "period": {"code": period.code, "label": period.label, "cutoff_start": period.start.isoformat(),
                       "cutoff_end": period.end.isoformat()},
            "draft": issue is None,
            "metadata": context["meta"],
            "configuration": file_record(config.path, root),
            "master": file_record(config.master_path, root),
            "inputs": sorted(({**(r := file_record(f.path, root)), "path": display_name(r["path"]), "agency": f.agency,
                               "outcome": f.outcome} for f in collection.files), key=lambda r: r["path"]),
            "outputs": {key: {**file_record(path, tmp_dir), "path": path.name} for key, path in outputs.items()},
            "counts": {"rows_read": collection.rows_read, "rows_accepted": collection.rows_accepted,
                       "rows_rejected": collection.rows_rejected, "problems": len(problems),
                       "by_status": merged.by_status},
        }
        if with_pdf:
            import pikepdf
            with pikepdf.open(outputs["pdf"]) as pdf:
                manifest["metadata"] = {**manifest["metadata"], "PageAmount": len(pdf.pages)}
        outputs["manifest"] = write_manifest(tmp_dir / "manifest.json", manifest)
        _swap_in(tmp_dir, out_dir)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return ReportResult(
        out_dir=out_dir, period=period, master=master, merged=merged, problems=problems,
        rows_read=collection.rows_read, rows_accepted=collection.rows_accepted,
        rows_rejected=collection.rows_rejected, files=files,
        outputs={k: out_dir / p.name for k, p in outputs.items()},
    )

