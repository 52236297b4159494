"""The sample quý II (input/2022-Q2): sample data made by scripts/make_sample_input.py, so that the
quý III report compares with the quarter before out of the box."""
import hashlib
import json
import shutil
import subprocess
import sys
from datetime import date

import openpyxl
import pytest

from pipeline.collection import sheet_layout as L
from pipeline.collection.collect import collect
from pipeline.errors import ERROR
from pipeline.plan.periods import parse_period
from pipeline.report import build_report
from tests.conftest import CONFIG, MASTER, ROOT, SAMPLE, SAMPLE_Q2

Q2 = parse_period("2022-Q2")
SAMPLE_NOTE = "DỮ LIỆU MẪU – không phải báo cáo thật"


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_the_q2_sample_is_marked_and_read_cleanly(master):
    files = sorted(SAMPLE_Q2.glob("*.xlsx"))
    assert len(files) == 10
    for path in files:
        assert path.name.startswith("2022-Q2_")
        wb = openpyxl.load_workbook(path)
        ws = wb[L.SHEET_REPORT]
        assert ws[L.HEADER_BY_KEY["note"].value_cell].value == SAMPLE_NOTE, path.name
        assert "(dữ liệu mẫu)" in ws[L.HEADER_BY_KEY["officer_name"].value_cell].value
        report_date = ws[L.HEADER_BY_KEY["report_date"].value_cell].value
        assert date(2022, 6, 8) <= report_date.date() <= date(2022, 6, 13)
        meta = {r[0]: r[1] for r in wb[L.SHEET_META].iter_rows(min_col=1, max_col=2, values_only=True) if r[0]}
        assert (meta["period_code"], meta["template_version"], meta["generated_at"]) == (
            "2022-Q2", "2", "2022-06-01T08:00:00")
    result = collect(SAMPLE_Q2, master, Q2, today=date(2022, 6, 20))
    assert set(master.lead_codes()) - set(result.reported_agencies) == {"VPTU", "SYT", "CA", "BQLKKTPQ", "SCT"}
    assert not [p for p in result.problems if p.severity == ERROR]
    assert result.rows_rejected == 0 and result.rows_read == result.rows_accepted == 31   # 1+1+9+6+2+2+1+2+2+5
    rows = result.rows.set_index("task_id")
    # only III.14 is done (on 25/4/2022); the tasks due in quý II are still in progress
    assert list(rows.index[rows["status"] == L.STATUS_DONE]) == ["III.14"]
    for task_id, progress in (("III.9", 80), ("II.7", 60), ("III.5.1", 70), ("III.5.2", 40), ("III.1", 50),
                              ("III.3", 80)):
        assert (rows.loc[task_id, "status"], rows.loc[task_id, "progress"]) == (L.STATUS_ONGOING, progress)


def test_the_q3_report_compares_with_the_sample_q2(tmp_path):
    result = build_report(CONFIG, "2022-Q3", tmp_path, with_pdf=False)
    ctx = json.loads((result.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    compare_text = [b["text"] for b in ctx["body"] if b["text"].startswith("So với quý II năm 2022")]
    # Q2: III.14 done; Q3: II.7, III.1 (late), III.2 (undated), III.3, III.5.1, III.9 (on time) done as well;
    # III.5.2 (Quý II/2022) still in progress: in time at 14/6, overdue at 14/9; II.6 and III.12 (BQLKKTPQ, SCT:
    # no Q2 sample form) now reported: every move between classes has its words.
    assert compare_text == ["So với quý II năm 2022 (đã hoàn thành 1/35 nhiệm vụ): hoàn thành thêm 6 nhiệm vụ "
                            "(II.7, III.1, III.2, III.3, III.5.1, III.9); 1 nhiệm vụ chuyển sang quá hạn (III.5.2); "
                            "1 nhiệm vụ chuyển từ chưa báo cáo sang chưa hoàn thành, trong hạn (II.6); 1 nhiệm vụ "
                            "chuyển từ chưa báo cáo sang thực hiện thường xuyên (III.12)."]
    assert any(p.file == "2022-Q2" and "lập từ các phiếu trong thư mục 2022-Q2" in p.message for p in result.problems)
    assert not any("quý II năm 2022 đã hoàn thành" in p.message for p in result.problems), "nothing went backwards"
    row = next(r for r in ctx["appendix"]["rows"] if r["kind"] == "task" and r["tt"] == "5.2")
    assert (row["previous"], row["status"]) == (
        "Chưa hoàn thành, trong hạn", "Chưa hoàn thành, quá hạn\n(quý II: chưa hoàn thành, trong hạn)")


@pytest.mark.parametrize("period_args", [[], ["--period", "2022-Q2"]])
def test_the_script_reproduces_the_sample_and_keeps_other_files(tmp_path, period_args):
    project = tmp_path / "input"
    project.mkdir()
    shutil.copy(CONFIG, project / CONFIG.name)
    shutil.copy(MASTER, project / MASTER.name)
    q2 = project / "2022-Q2"
    q2.mkdir()
    (q2 / "bien-tap.xlsx").write_bytes(b"the clerk's edits")
    (q2 / "2022-Q2_SCT_phieu-that.xlsx").write_bytes(b"a real form from SCT")
    shutil.copy(SAMPLE_Q2 / "2022-Q2_SNV_So-Noi-vu.xlsx", q2 / "2022-Q2_SCT_So-Cong-Thuong.xlsx")  # stale sample
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_input.py"), "--config",
                          str(project / CONFIG.name), *period_args], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert f"Đã tạo 10 phiếu mẫu trong {q2}" in run.stdout
    kept = {"bien-tap.xlsx": hashlib.sha256(b"the clerk's edits").hexdigest(),
            "2022-Q2_SCT_phieu-that.xlsx": hashlib.sha256(b"a real form from SCT").hexdigest()}
    assert _hashes(q2) == {**_hashes(SAMPLE_Q2), **kept}
    if not period_args:
        assert _hashes(project / "2022-Q3") == _hashes(SAMPLE)
    else:
        assert not (project / "2022-Q3").exists()
