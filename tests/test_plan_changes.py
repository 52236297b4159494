"""Plan changes (sheet «Điều chỉnh»): status is judged against the deadline in force at the cut-off."""
import json
import shutil
from datetime import date

import openpyxl
import pytest

from pipeline.errors import PipelineError
from pipeline.plan.master import ADJUSTMENT_SHEET, load_master
from pipeline.report import build_report
from tests.conftest import CONFIG, MASTER, copy_sample

VPCP = "Văn phòng Chính phủ"


def _plan(tmp_path, rows):
    """A copy of the configuration, master (with `rows` in «Điều chỉnh») and sample input in tmp/input."""
    plan = tmp_path / "input"
    plan.mkdir()
    shutil.copy(CONFIG, plan / CONFIG.name)
    wb = openpyxl.load_workbook(MASTER)
    ws = wb[ADJUSTMENT_SHEET]
    for r in rows:
        ws.append(list(r))
    wb.save(plan / MASTER.name)
    copy_sample(plan)
    return plan / CONFIG.name


def _task_row(result, task_id):
    return result.merged.statuses[task_id]


def test_the_committed_master_has_an_empty_adjustment_sheet(master):
    wb = openpyxl.load_workbook(MASTER)
    assert wb[ADJUSTMENT_SHEET].max_row == 1 and master.adjustments == []


def test_an_extension_turns_overdue_into_within_the_deadline(tmp_path):
    # III.5.2 is due Quý II/2022 and in progress at 14/9/2022: overdue, unless extended by then
    config = _plan(tmp_path, [("III.5.2", "Gia hạn", "Quý IV/2022", "5678/VPCP-CN", date(2022, 8, 15), VPCP, "")])
    result = build_report(config, "2022-Q3", tmp_path / "out", with_pdf=False)
    assert _task_row(result, "III.5.2").label == "Chưa hoàn thành, trong hạn"
    ctx_text = (result.out_dir / "noi-dung.json").read_text(encoding="utf-8")
    cited = ("Quý II/2022, đã được gia hạn đến quý IV/2022 (Văn bản số 5678/VPCP-CN ngày 15/8/2022 của "
             "Văn phòng Chính phủ)")
    assert cited in ctx_text   # the appendix's deadline cell
    name = load_master(MASTER).task("III.5.2").short_name   # the body names a task by its short name and code
    assert (f"Kế hoạch đã được điều chỉnh: gia hạn {name} (nhiệm vụ III.5.2) đến quý IV/2022 (Văn bản số "
            "5678/VPCP-CN") in ctx_text
    # without the extension the same data make it overdue
    plain = build_report(CONFIG, "2022-Q3", tmp_path / "plain", with_pdf=False)
    assert _task_row(plain, "III.5.2").label == "Chưa hoàn thành, quá hạn"


def test_an_extension_decided_after_the_cutoff_does_not_count_yet(tmp_path):
    config = _plan(tmp_path, [("III.5.2", "Gia hạn", "Quý IV/2022", "6000/VPCP-CN", "20/9/2022", VPCP, "")])
    result = build_report(config, "2022-Q3", tmp_path / "out", with_pdf=False)
    assert _task_row(result, "III.5.2").label == "Chưa hoàn thành, quá hạn"
    assert "6000/VPCP-CN" not in (result.out_dir / "noi-dung.json").read_text(encoding="utf-8")


def test_a_dropped_task_leaves_the_counts_from_its_period(tmp_path):
    config = _plan(tmp_path, [("III.8", "Bãi bỏ", "", "4321/VPCP-CN", date(2022, 8, 1), VPCP, "")])
    q3 = build_report(config, "2022-Q3", tmp_path / "q3", with_pdf=False)
    assert "III.8" not in q3.merged.statuses and sum(q3.merged.by_status.values()) == 34
    text = (q3.out_dir / "noi-dung.json").read_text(encoding="utf-8")
    assert f"bãi bỏ {load_master(MASTER).task('III.8').short_name} (nhiệm vụ III.8) (Văn bản số 4321/VPCP-CN" in text
    # SGTVT's form still has the row: it is set aside with the reason, not counted, and not a point to settle
    p = next(p for p in q3.problems if "III.8 đã được bãi bỏ" in p.message)
    assert p.file.startswith("2022-Q3_SGTVT") and p.row is not None
    review = json.loads(text)["review"]   # a rejected row would be a point to settle; this one is not
    assert not [c for r in review for c in r["comments"] if "III.8" in c]
    # the period before the decision still counts it
    q2 = build_report(config, "2022-Q2", tmp_path / "q2", input_dir=tmp_path / "input" / "2022-Q3", with_pdf=False)
    assert "III.8" in q2.merged.statuses and sum(q2.merged.by_status.values()) == 35


def test_every_bad_adjustment_row_is_named(tmp_path):
    _plan(tmp_path, [
        ("IX.9", "Gia hạn", "Quý IV/2022", "1/VPCP", date(2022, 8, 1), VPCP, ""),
        ("II.4", "Lùi hạn", "", "2/VPCP", date(2022, 8, 1), VPCP, ""),
        ("II.5", "Gia hạn", "sớm nhất có thể", "3/VPCP", date(2022, 8, 1), VPCP, ""),
        ("II.6", "Bãi bỏ", "", "", "32/13/2022", "", ""),
    ])
    with pytest.raises(PipelineError) as err:
        load_master(tmp_path / "input" / MASTER.name)
    message = str(err.value)
    for fragment in ("trang «Điều chỉnh», dòng 2, cột «Mã nhiệm vụ»: mã nhiệm vụ «IX.9» không có",
                     "dòng 3, cột «Loại điều chỉnh»: loại điều chỉnh «Lùi hạn» không hợp lệ",
                     "dòng 4, cột «Thời hạn mới»: nhiệm vụ II.5:",
                     "dòng 5, cột «Số văn bản»: thiếu số, ký hiệu văn bản",
                     "dòng 5, cột «Cơ quan ban hành»: thiếu cơ quan ban hành",
                     "dòng 5, cột «Ngày văn bản»: ngày văn bản «32/13/2022» không đọc được"):
        assert fragment in message, fragment
    assert message.count("\n  - ") == 6
