"""`make bench`: time and peak memory of each stage, each measured in its own process.

Data half (national scale: 22 000 tasks, 100 agencies, one returned workbook each): generating the
agency workbooks; collect + validate + merge with calamine, and the same with openpyxl.
Report half: the sample report (DOCX, PDF); an appendix of 2 000 tasks: our DOCX, our PDF, and
LibreOffice converting that DOCX to PDF. Results go to output/bench/bench.json and the console.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "input" / "ke-hoach-112.toml"


def _peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _timed(fn):
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


# ------------------------------------------------------------------ stages (run in a child process)

def stage_generate(work: Path, n_tasks: int, n_agencies: int) -> dict:
    from datetime import datetime
    from pipeline.collection.agency_workbook import write_agency_workbooks
    from bench.data import synthetic_master
    from pipeline.plan.periods import parse_period

    master = synthetic_master(n_tasks, n_agencies)
    seconds, paths = _timed(lambda: write_agency_workbooks(
        master, parse_period("2022-Q3"), work / "phieu", generated_at=datetime(2022, 9, 1),
        plan_ref="Kế hoạch thử nghiệm số 1/KH-TN"))
    return {"seconds": seconds, "files": len(paths)}


def stage_returned(work: Path, n_tasks: int, n_agencies: int) -> dict:
    from bench.data import make_national_case
    seconds, _ = _timed(lambda: make_national_case(work / "nop", n_tasks, n_agencies))
    return {"seconds": seconds, "files": len(list((work / "nop").iterdir()))}


def stage_collect(work: Path, n_tasks: int, n_agencies: int, engine: str) -> dict:
    from bench.data import synthetic_master
    from pipeline.collection.collect import collect
    from pipeline.status.merge import merge
    from pipeline.plan.periods import parse_period

    master, period = synthetic_master(n_tasks, n_agencies), parse_period("2022-Q3")
    t_collect, col = _timed(lambda: collect(work / "nop", master, period, engine=engine))
    t_merge, merged = _timed(lambda: merge(master, period, col.rows, col.reported_agencies))
    assert col.rows_read == col.rows_accepted + col.rows_rejected
    return {"seconds": t_collect + t_merge, "collect_validate": t_collect, "merge": t_merge,
            "rows_read": col.rows_read, "rows_accepted": col.rows_accepted, "problems": len(col.problems)}


def stage_sample_report(work: Path) -> dict:
    from pipeline import report

    t0 = time.perf_counter()
    result = report.build_report(CONFIG, "2022-Q3", work / "out")
    total = time.perf_counter() - t0
    return {"seconds": total, "outputs": sorted(p.name for p in result.outputs.values())}


def stage_sample_follow_up(work: Path) -> dict:
    from pipeline.followup.run import build_follow_up

    t0 = time.perf_counter()
    result = build_follow_up(CONFIG, "2022-Q3", work / "out")
    total = time.perf_counter() - t0
    return {"seconds": total, "agencies": len(result.follow.concerned), "files": len(result.outputs)}


def stage_charts(work: Path, n_tasks: int, n_agencies: int) -> dict:
    """The charts' cost: importing the drawing code, and drawing both charts (SVG for the PDF, PNG for the
    DOCX) for the national case (one bar per lead agency) and for the sample."""
    t0 = time.perf_counter()
    import importlib
    from pipeline.documents import charts
    importlib.import_module("PIL.Image")   # what the PNG painter imports: counted here
    imported = time.perf_counter() - t0

    import pandas as pd
    from bench.data import synthetic_master
    from pipeline.drafting.figures import report_charts
    from pipeline.status.merge import merge
    from pipeline.plan.periods import parse_period

    def draw(data: dict) -> None:
        for chart in data.values():
            c = charts.from_dict(chart)
            charts.to_svg(c)
            charts.to_png(c)

    master = synthetic_master(n_tasks, n_agencies)
    merged = merge(master, parse_period("2022-Q3"), pd.DataFrame(), [])
    national, _ = _timed(lambda: draw(report_charts(master, merged, None)))
    return {"seconds": imported + national, "import_s": round(imported, 3), "draw_national_s": round(national, 3),
            "bars": len(master.lead_codes())}


def _big_context(n_tasks: int):
    import pandas as pd
    from bench.data import synthetic_master
    from pipeline.plan.config import load_config
    from pipeline.drafting.context import build_context
    from pipeline.status.merge import merge
    from pipeline.plan.periods import parse_period

    master = synthetic_master(n_tasks, 40)
    period = parse_period("2022-Q3")
    rows = pd.DataFrame({"agency": [t.lead_codes[0] for t in master.tasks], "task_id": [t.id for t in master.tasks],
                         "status": "Đang thực hiện", "completed_on": pd.NaT, "progress": 50.0,
                         "results": [t.product for t in master.tasks], "output_doc": "", "difficulties": "",
                         "proposals": ""})
    rows = rows[[len(t.lead_codes) == 1 for t in master.tasks]]
    merged = merge(master, period, rows, list(master.agencies))
    return build_context(load_config(CONFIG), master, merged)


def stage_big_docx(work: Path, n_tasks: int) -> dict:
    from pipeline.documents.render_docx import render_docx
    ctx = _big_context(n_tasks)
    seconds, path = _timed(lambda: render_docx(ctx, work / "big.docx"))
    return {"seconds": seconds, "size_kb": path.stat().st_size // 1024}


def stage_big_pdf(work: Path, n_tasks: int) -> dict:
    import pikepdf
    from pipeline.documents.render_pdf import render_pdf
    ctx = _big_context(n_tasks)
    cpu0 = time.process_time()
    seconds, path = _timed(lambda: render_pdf(ctx, work / "big.pdf"))
    cpu = time.process_time() - cpu0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    # CPU seconds of this process and of the forked appendix process: on a busy machine the
    # larger of the two is what the wall time would be on two idle cores.
    return {"seconds": seconds, "pages": pages, "pages_per_s": pages / seconds,
            "cpu_s": round(cpu, 2), "appendix_process_cpu_s": round(children.ru_utime + children.ru_stime, 2)}


def stage_big_libreoffice(work: Path) -> dict:
    import pikepdf
    profile = work / "lo-profile"
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(work / "lo"), str(work / "big.docx")]
    subprocess.run(cmd, check=True, capture_output=True, timeout=900)  # warm-up: profile creation
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, _ = _timed(lambda: subprocess.run(cmd, check=True, capture_output=True, timeout=900))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    with pikepdf.open(work / "lo" / "big.pdf") as pdf:
        pages = len(pdf.pages)
    return {"seconds": seconds, "pages": pages, "cpu_s": round(cpu, 2),
            "peak_mb_children": _peak_mb(resource.RUSAGE_CHILDREN)}


STAGES = {  # name -> (label, function of (work folder, parsed arguments))
    "generate": ("Tạo phiếu cho các cơ quan (openpyxl)", lambda w, a: stage_generate(w, a.tasks, a.agencies)),
    "returned": ("Dựng phiếu đã điền (dữ liệu thử)", lambda w, a: stage_returned(w, a.tasks, a.agencies)),
    "collect-calamine": ("Đọc + kiểm tra + hợp nhất (calamine)",
                         lambda w, a: stage_collect(w, a.tasks, a.agencies, "calamine")),
    "collect-openpyxl": ("Đọc + kiểm tra + hợp nhất (openpyxl)",
                         lambda w, a: stage_collect(w, a.tasks, a.agencies, "openpyxl")),
    "sample-report": ("Báo cáo mẫu quý III (DOCX + PDF + tổng hợp)", lambda w, a: stage_sample_report(w)),
    "sample-don-doc": ("Đôn đốc mẫu quý III (công văn DOCX + PDF, tệp và thư nháp từng cơ quan)",
                       lambda w, a: stage_sample_follow_up(w)),
    "charts": ("Biểu đồ: nạp mã vẽ + vẽ 2 biểu đồ SVG và PNG (cả nước)",
               lambda w, a: stage_charts(w, a.tasks, a.agencies)),
    "big-docx": ("Phụ lục 2.000 nhiệm vụ: DOCX (docxtpl)", lambda w, a: stage_big_docx(w, a.big)),
    "big-pdf": ("Phụ lục 2.000 nhiệm vụ: PDF/A (WeasyPrint)", lambda w, a: stage_big_pdf(w, a.big)),
    "big-libreoffice": ("Phụ lục 2.000 nhiệm vụ: LibreOffice DOCX → PDF", lambda w, a: stage_big_libreoffice(w)),
}


# A stage that reads what another one wrote brings it in when asked for alone.
NEEDS = {
    "collect-calamine": ("returned",),
    "collect-openpyxl": ("returned",),
    "big-libreoffice": ("big-docx",),
}


def with_needs(chosen: list[str]) -> list[str]:
    """The stages to run, in the table's order: the chosen ones and what they read."""
    wanted = set(chosen)
    for name in chosen:
        wanted.update(NEEDS.get(name, ()))
    return [name for name in STAGES if name in wanted]


def _run_stage(name: str, work: Path, args) -> dict:
    out = STAGES[name][1](work, args)
    out["peak_mb"] = _peak_mb()
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Đo thời gian và bộ nhớ từng công đoạn.")
    p.add_argument("--tasks", type=int, default=22000)
    p.add_argument("--agencies", type=int, default=100)
    p.add_argument("--big", type=int, default=2000, help="số nhiệm vụ trong phụ lục lớn")
    p.add_argument("--only", help="chỉ đo các công đoạn này (tên cách nhau bằng dấu phẩy): "
                                  + ", ".join(STAGES))
    p.add_argument("--stage", help=argparse.SUPPRESS)
    p.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.stage:  # child process
        print(json.dumps(_run_stage(args.stage, args.work, args)))
        return 0

    work = Path(tempfile.mkdtemp(prefix="baocao-bench-"))
    results = {}
    try:
        chosen = [n.strip() for n in args.only.split(",")] if args.only else list(STAGES)
        unknown = [n for n in chosen if n not in STAGES]
        if unknown:
            print(f"Không có công đoạn: {', '.join(unknown)}. Các công đoạn: {', '.join(STAGES)}", file=sys.stderr)
            return 2
        for name in with_needs(chosen):
            label = STAGES[name][0]
            cmd = [sys.executable, "-m", "bench", "--stage", name, "--work", str(work),
                   "--tasks", str(args.tasks), "--agencies", str(args.agencies), "--big", str(args.big)]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            wall = time.perf_counter() - t0
            if proc.returncode != 0:
                print(f"{label}: LỖI\n{proc.stderr[-2000:]}", file=sys.stderr)
                results[name] = {"error": proc.stderr[-2000:]}
                continue
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            res["wall_with_startup"] = wall
            results[name] = res
            extra = {k: v for k, v in res.items() if k not in ("seconds", "peak_mb", "wall_with_startup")}
            print(f"{label:<48} {res['seconds']:7.2f} s  (cả khởi động {wall:6.2f} s)  "
                  f"đỉnh bộ nhớ {res['peak_mb']:7.0f} MB  {json.dumps(extra, ensure_ascii=False)}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if "big-pdf" in results and "big-libreoffice" in results and "error" not in results["big-pdf"] \
            and "error" not in results["big-libreoffice"]:
        ratio = results["big-pdf"]["seconds"] / results["big-libreoffice"]["seconds"]
        print(f"PDF của chúng ta / LibreOffice: {ratio:.2f}× (mục tiêu ≤ 1×)")
    out = ROOT / "output" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps({"machine": {"cpus": os.cpu_count()}, "args": vars(args) | {"work": None},
                                                "results": results}, ensure_ascii=False, indent=2, default=str))
    print(f"Kết quả chi tiết: {out / 'bench.json'}")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
