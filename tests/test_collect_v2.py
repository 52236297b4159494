"""Template version 2: proposal addressees, the plan's identity, version 1 still read; which form wins."""
from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from messy import PERIOD, PLAN_NUMBER, done, header, ongoing, small_master, templates
from pipeline.collection import sheet_layout as L
from bench.data import fill_workbook
from pipeline.collection.collect import ROW_COLUMNS, collect
from pipeline.errors import ERROR, WARNING
from pipeline.plan.model import Task
from pipeline.plan.deadlines import parse_deadline

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2022, 9, 20)


def test_the_contract_words_and_columns():
    # The lead's merge and drafting code relies on these exact names and words.
    assert (L.PROPOSAL_TO_PROVINCE, L.PROPOSAL_TO_PM, L.PROPOSAL_TO_MINISTRY) == (
        "UBND tỉnh", "Thủ tướng Chính phủ", "Bộ, ngành Trung ương")
    assert ROW_COLUMNS[ROW_COLUMNS.index("proposals") + 1:][:2] == ["proposal_to", "proposal_ministry"]
    assert L.TEMPLATE_VERSION == "2" and L.SUPPORTED_VERSIONS == {"1", "2"}


def _collect(tmp_path, answers, code="SKHDT", report_date=date(2022, 9, 12), **kw):
    blank = templates(tmp_path / "phieu")
    inbox = tmp_path / "inbox"
    fill_workbook(blank[code], inbox / "phieu.xlsx", header(report_date), answers)
    return collect(inbox, small_master(), PERIOD, today=TODAY, **kw)


def test_proposal_addressees(tmp_path):
    result = _collect(tmp_path, {
        "I.1": ongoing(proposals="Đề nghị Thủ tướng Chính phủ cho phép lùi thời hạn.", proposal_to="Thủ tướng Chính phủ"),
        "I.2": ongoing(proposals="Đề nghị Bộ Giao thông vận tải bố trí vốn.", proposal_to="Bộ, ngành Trung ương",
                       proposal_ministry="Bộ Giao thông vận tải"),
        "II.1": ongoing(proposals="Đề nghị bổ sung kinh phí."),                               # no addressee
        "II.2": ongoing(proposals="Đề nghị hướng dẫn.", proposal_to="Bộ, ngành Trung ương"),  # no ministry
    })
    rows = result.rows.set_index("task_id")
    assert list(rows.loc[["I.1", "I.2", "II.1", "II.2"], "proposal_to"]) == [
        "Thủ tướng Chính phủ", "Bộ, ngành Trung ương", "UBND tỉnh", "Bộ, ngành Trung ương"]
    assert list(rows.loc[["I.1", "I.2", "II.1", "II.2"], "proposal_ministry"]) == [
        "", "Bộ Giao thông vận tải", "", ""]
    found = {(p.row, p.column): p for p in result.problems}
    r_ii1, r_ii2 = int(rows.loc["II.1", "row"]), int(rows.loc["II.2", "row"])
    p = found[(r_ii1, "Kiến nghị với")]
    assert p.severity == WARNING and p.file == "phieu.xlsx" and p.sheet == "Báo cáo"
    assert p.message == "Có đề xuất, kiến nghị nhưng chưa chọn «Kiến nghị với»; kiến nghị được coi là gửi UBND tỉnh."
    p = found[(r_ii2, "Bộ, ngành (nếu kiến nghị Trung ương)")]
    assert p.severity == WARNING and p.message == "Kiến nghị với Bộ, ngành Trung ương nhưng chưa ghi tên bộ, ngành nào."
    assert len(result.rows) == 4


def test_no_proposal_leaves_both_columns_empty(tmp_path):
    result = _collect(tmp_path, {"I.1": ongoing(), "I.2": ongoing(), "II.1": ongoing(), "II.2": ongoing()})
    assert set(result.rows["proposal_to"]) == {""} and set(result.rows["proposal_ministry"]) == {""}


def test_a_version_1_form_is_still_read_and_its_proposals_go_to_the_province():
    # tests/fixtures/v1-SNN-2022-Q3.xlsx was written by the version 1 generator (11 columns, no plan identity).
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp)
        shutil.copy(FIXTURES / "v1-SNN-2022-Q3.xlsx", inbox / "snn-v1.xlsx")
        result = collect(inbox, small_master(), PERIOD, today=TODAY, plan_number=PLAN_NUMBER)
    [f] = result.files
    assert f.outcome == "accepted" and f.agency == "SNN" and f.outcome_label == "được dùng"
    rows = result.rows.set_index("task_id")
    assert sorted(rows.index) == ["III.1", "III.2", "III.3", "III.4"]
    assert rows.loc["III.2", "proposal_to"] == "UBND tỉnh"
    assert rows.loc["III.2", "proposals"] == "Đề nghị UBND tỉnh bổ sung kinh phí hỗ trợ chuyển đổi nghề."
    assert rows.loc["III.1", "proposal_to"] == "" and rows.loc["III.1", "proposal_ministry"] == ""
    assert not [p for p in result.problems if "Kiến nghị" in p.column]
    assert result.reported_agencies == ["SNN"]


def _other_plan_master():
    m = small_master()
    extra = Task(id="IV.1", section="IV", section_title="PHẦN IV", number="1", group="", content="Nhiệm vụ khác",
                 lead_codes=("SKHDT",), lead_note="", coordinators="", deadline=parse_deadline("Năm 2022"),
                 product="", order=99)
    m.tasks.append(extra)
    return m


@pytest.mark.parametrize("how", ["other_number", "other_tasks"])
def test_a_form_for_another_plan_is_refused_and_never_beats_the_genuine_one(tmp_path, how):
    inbox = tmp_path / "inbox"
    genuine = templates(tmp_path / "phieu")
    if how == "other_number":
        other = templates(tmp_path / "khac", plan_number="99/KH-UBND")
    else:
        other = templates(tmp_path / "khac", master=_other_plan_master())
    fill_workbook(genuine["SKHDT"], inbox / "a-dung.xlsx", header(date(2022, 9, 5)), {"I.1": ongoing(20)})
    fill_workbook(other["SKHDT"], inbox / "b-ke-hoach-khac.xlsx", header(date(2022, 9, 13)), {"I.1": ongoing(90)})
    result = collect(inbox, small_master(), PERIOD, today=TODAY, plan_number=PLAN_NUMBER)
    outcomes = {f.path.name: (f.outcome, f.reason) for f in result.files}
    assert outcomes["a-dung.xlsx"][0] == "accepted"
    assert outcomes["b-ke-hoach-khac.xlsx"][0] == "rejected"
    reason = outcomes["b-ke-hoach-khac.xlsx"][1]
    if how == "other_number":
        assert reason.startswith("Phiếu được tạo cho kế hoạch «99/KH-UBND», không phải Kế hoạch số 7/KH-UBND")
    else:
        assert reason.startswith("Phiếu được tạo từ danh mục nhiệm vụ của một kế hoạch khác")
    assert result.rows.set_index("task_id").loc["I.1", "progress"] == 20
    assert result.reported_agencies == ["SKHDT"]


def test_a_blank_never_filled_form_is_not_a_submission(tmp_path):
    blank = templates(tmp_path / "phieu")
    inbox = tmp_path / "inbox"
    fill_workbook(blank["CA"], inbox / "ca-trong.xlsx", header(date(2022, 9, 13)), {})
    fill_workbook(blank["SKHDT"], inbox / "skhdt.xlsx", header(date(2022, 9, 12)), {"I.1": ongoing()})
    result = collect(inbox, small_master(), PERIOD, today=TODAY)
    ca = next(f for f in result.files if f.path.name == "ca-trong.xlsx")
    assert ca.outcome == "rejected" and "chưa được điền" in ca.reason
    assert result.reported_agencies == ["SKHDT"]


def test_an_agency_whose_every_row_is_rejected_has_not_reported(tmp_path):
    result = _collect(tmp_path, {"I.1": {"status": "Tạm dừng"}})
    assert result.files[0].outcome == "accepted" and len(result.rows) == 0
    assert result.reported_agencies == []


@pytest.mark.parametrize("typed, why", [
    (date(2202, 9, 10), "sau ngày hôm nay 20/9/2022"),
    (date(2022, 3, 1), "trước ngày bắt đầu kỳ số liệu 15/6/2022"),
    (date(2022, 9, 21), "sau ngày hôm nay 20/9/2022"),
])
def test_an_implausible_report_date_is_a_warning_and_does_not_decide(tmp_path, typed, why):
    # The older, incomplete form carries the implausible date; the genuine later one must win.
    blank = templates(tmp_path / "phieu")
    inbox = tmp_path / "inbox"
    fill_workbook(blank["SKHDT"], inbox / "a-cu.xlsx", header(typed), {"I.1": ongoing(10)})
    late = templates(tmp_path / "phieu2", generated=datetime(2022, 9, 8, 9, 0))
    fill_workbook(late["SKHDT"], inbox / "0-moi.xlsx", header(date(2022, 9, 12)), {"I.1": ongoing(70)})
    result = collect(inbox, small_master(), PERIOD, today=TODAY)
    assert {f.path.name: f.outcome for f in result.files} == {"0-moi.xlsx": "accepted", "a-cu.xlsx": "superseded"}
    [p] = [p for p in result.problems if p.file == "a-cu.xlsx" and p.column == "Ngày báo cáo"]
    assert p.severity == WARNING and p.row == 5 and why in p.message
    assert result.rows.set_index("task_id").loc["I.1", "progress"] == 70


def test_without_usable_report_dates_the_later_generated_form_wins(tmp_path):
    inbox = tmp_path / "inbox"
    early = templates(tmp_path / "p1", generated=datetime(2022, 9, 1, 8, 0))
    late = templates(tmp_path / "p2", generated=datetime(2022, 9, 8, 8, 0))
    fill_workbook(late["SKHDT"], inbox / "a.xlsx", header(date(2202, 9, 10)), {"I.1": ongoing(70)})
    fill_workbook(early["SKHDT"], inbox / "b.xlsx", header(None), {"I.1": ongoing(10)})
    result = collect(inbox, small_master(), PERIOD, today=TODAY)
    assert {f.path.name: f.outcome for f in result.files} == {"a.xlsx": "accepted", "b.xlsx": "superseded"}


def test_a_completion_date_after_today_is_an_error_for_that_row(tmp_path):
    result = _collect(tmp_path, {"I.1": done(date(2022, 9, 21)), "I.2": done(date(2022, 9, 10))},
                      report_date=date(2022, 9, 12))
    rows = result.rows.set_index("task_id")
    assert "I.1" not in rows.index and rows.loc["I.2", "completed_on"] == pd.Timestamp(2022, 9, 10)
    [p] = [p for p in result.problems if p.severity == ERROR and p.column == "Ngày hoàn thành"]
    assert p.row == int(result.rows.set_index("task_id").loc["I.2", "row"]) - 1
    assert p.message == "Ngày hoàn thành 21/9/2022 sau ngày hôm nay 20/9/2022: chưa thể là ngày đã hoàn thành."


def test_outcome_labels_are_vietnamese(tmp_path):
    inbox = tmp_path / "inbox"
    blank = templates(tmp_path / "phieu")
    fill_workbook(blank["SKHDT"], inbox / "1.xlsx", header(date(2022, 9, 5)), {"I.1": ongoing()})
    fill_workbook(blank["SKHDT"], inbox / "2.xlsx", header(date(2022, 9, 12)), {"I.1": ongoing()})
    (inbox / "3.csv").write_text("x")
    result = collect(inbox, small_master(), PERIOD, today=TODAY)
    assert [f.outcome_label for f in result.files] == ["bị thay thế", "được dùng", "bị loại"]
