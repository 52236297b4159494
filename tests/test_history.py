"""The record of each period (output/lich-su.sqlite) and the comparison with the previous one."""
import json
import shutil
import sqlite3
from datetime import date

import pytest

from pipeline.archive.history import previous_period, read_record, write_record
from pipeline.status.compare import Answer, compare
from pipeline.status.merge import merge
from pipeline.plan.periods import parse_period
from pipeline.report import build_report
from tests.conftest import CONFIG, MASTER, copy_sample, agency_rows

Q2, Q3 = parse_period("2022-Q2"), parse_period("2022-Q3")


@pytest.mark.parametrize("code, previous", [
    ("2022-Q3", "2022-Q2"), ("2022-Q2", "2022-Q1"), ("2022-Q1", "2021-Q4"),
    ("2022-H1", "2021"), ("2022", "2021"), ("2022-9M", "2022-H1"),
])
def test_previous_period(code, previous):
    assert previous_period(parse_period(code)).code == previous


_rows = agency_rows


def _runs(db):
    with sqlite3.connect(db) as con:
        return con.execute("SELECT period_code, kind, number FROM run ORDER BY id").fetchall()


def test_draft_replaced_issued_kept(tmp_path, master):
    db = tmp_path / "lich-su.sqlite"
    done = merge(master, Q3, _rows(("SKHDT", "II.7", "Đã hoàn thành", "2022-06-20", 100.0, "Trình Đề án", "", "",
                                    "")), ["SKHDT"])
    silent = merge(master, Q3, _rows(), [])
    assert write_record(db, master, silent, "112/KH-UBND", date(2022, 9, 25))
    assert write_record(db, master, done, "112/KH-UBND", date(2022, 9, 25))          # replaces the draft
    assert _runs(db) == [("2022-Q3", "draft", "")]
    assert read_record(db, Q3).statuses["II.7"] == "done_on_time"
    assert write_record(db, master, done, "112/KH-UBND", date(2022, 9, 20), number="45")
    assert not write_record(db, master, silent, "112/KH-UBND", date(2022, 9, 21), number="45")   # never overwritten
    assert _runs(db) == [("2022-Q3", "draft", ""), ("2022-Q3", "issued", "45")]
    record = read_record(db, Q3)   # the issued record is the period's record
    assert record.kind == "issued" and record.number == "45" and record.statuses["II.7"] == "done_on_time"
    # what the agency said is kept, to carry into its next form
    assert record.answers == {("II.7", "SKHDT"): Answer("Đã hoàn thành", date(2022, 6, 20), 100.0, "Trình Đề án", "")}
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT version FROM schema_version").fetchone() == (1,)
        assert con.execute("SELECT COUNT(*) FROM task_status").fetchone() == (70,)
        assert con.execute("SELECT reported, done FROM agency_summary a JOIN run r ON r.id = a.run_id "
                           "WHERE r.kind = 'issued' AND agency = 'SKHDT'").fetchone() == (1, 1)


def test_a_failed_write_leaves_the_earlier_record(tmp_path, master):
    db = tmp_path / "lich-su.sqlite"
    merged = merge(master, Q3, _rows(), [])
    write_record(db, master, merged, "112/KH-UBND", date(2022, 9, 25))
    broken = merge(master, Q3, _rows(), [])
    broken.by_agency = broken.by_agency.rename(index={"SNV": "KHONG-CO"})   # fails half way, after the task rows
    with pytest.raises(KeyError):
        write_record(db, master, broken, "112/KH-UBND", date(2022, 9, 26))
    assert _runs(db) == [("2022-Q3", "draft", "")]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT document_date FROM run").fetchone() == ("2022-09-25",)
        assert con.execute("SELECT COUNT(*) FROM task_status").fetchone() == (35,)


def test_a_status_that_went_backwards_is_a_point_for_the_clerk(tmp_path, master):
    # Q2's record: III.5.2 reported done; in the Q3 sample SGTVT reports it in progress (60%)
    out = tmp_path / "out"
    out.mkdir()
    q2 = merge(master, Q2, _rows(("SGTVT", "III.5.2", "Đã hoàn thành", "2022-06-10", 100.0, "Xong", "", "", "")),
               ["SGTVT"])
    write_record(out / "lich-su.sqlite", master, q2, "112/KH-UBND", date(2022, 6, 25), number="30")
    result = build_report(CONFIG, "2022-Q3", out, with_pdf=False)
    ctx = json.loads((result.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    compare_text = next(b["text"] for b in ctx["body"] if b["text"].startswith("So với quý II năm 2022"))
    assert ("1 nhiệm vụ kỳ trước đã hoàn thành nhưng kỳ này cơ quan báo cáo chưa hoàn thành (III.5.2)"
            in compare_text)
    assert any("Nhiệm vụ III.5.2: quý II năm 2022 đã hoàn thành" in p.message for p in result.problems)
    assert any(r["code"] == "II.so-sanh" and "Xác minh với cơ quan" in r["comments"][0] for r in ctx["review"])
    row = next(r for r in ctx["appendix"]["rows"] if r["kind"] == "task" and r["tt"] == "5.2")
    # the appendix shows the status then beneath the status now
    assert row["previous"] == "Đã hoàn thành đúng hạn"
    assert row["status"] == "Chưa hoàn thành, quá hạn\n(quý II: đã hoàn thành đúng hạn)"
    assert ctx["appendix"]["previous_label"] == "quý II năm 2022"
    # this run recorded Q3 beside Q2
    assert _runs(out / "lich-su.sqlite") == [("2022-Q2", "issued", "30"), ("2022-Q3", "draft", "")]


def test_the_first_period_has_nothing_to_compare(tmp_path):
    result = build_report(CONFIG, "2022-Q1", tmp_path, input_dir=copy_sample(tmp_path / "in"), with_pdf=False)
    ctx = json.loads((result.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    assert not any(b["text"].startswith("So với") for b in ctx["body"])
    assert all(r["previous"] == "" for r in ctx["appendix"]["rows"]) and ctx["appendix"]["previous_label"] == ""


def test_a_previous_period_never_run_is_built_from_its_input(tmp_path):
    # a plan copy whose input has a 2022-Q2 folder but no record of it
    plan = tmp_path / "input"
    plan.mkdir()
    shutil.copy(CONFIG, plan / CONFIG.name)
    shutil.copy(MASTER, plan / MASTER.name)
    copy_sample(plan)
    (plan / "2022-Q2").mkdir()    # nobody reported in Q2
    result = build_report(plan / CONFIG.name, "2022-Q3", tmp_path / "out", with_pdf=False)
    note = next(p for p in result.problems if "chưa có bản ghi" in p.message)
    assert note.message == ("Kỳ trước (quý II năm 2022) chưa có bản ghi trong lich-su.sqlite; số liệu so sánh được "
                            "lập từ các phiếu trong thư mục 2022-Q2.")
    ctx = json.loads((result.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    compare_text = next(b["text"] for b in ctx["body"] if b["text"].startswith("So với quý II năm 2022"))
    assert "(đã hoàn thành 0/35 nhiệm vụ): hoàn thành thêm 7 nhiệm vụ (" in compare_text
    assert "chưa có bản ghi" not in json.dumps(ctx, ensure_ascii=False)   # a note for the clerk, not for the report
    assert compare(read_record(tmp_path / "out" / "lich-su.sqlite", Q3), result.merged).completed == []
