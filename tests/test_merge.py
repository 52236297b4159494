from datetime import date

import pytest

from pipeline.status.merge import (DONE_LATE, DONE_ON_TIME, DONE_UNDATED, NOT_REPORTED, ONGOING, OPEN_IN_TIME,
                            OPEN_OVERDUE, STATUS_LABELS, classify, merge)
from pipeline.plan.periods import parse_period
from tests.conftest import agency_rows as _rows

DONE, DOING = "Đã hoàn thành", "Đang thực hiện"
Q3 = parse_period("2022-Q3")  # cut-off 14/9/2022


def rep(status, on=None):
    return {"status": status, "completed_on": on}


@pytest.mark.parametrize("due, reports, expected", [
    (date(2022, 6, 30), [rep(DONE, date(2022, 6, 30))], DONE_ON_TIME),        # on the deadline day
    (date(2022, 6, 30), [rep(DONE, date(2022, 7, 1))], DONE_LATE),            # a day after
    (date(2022, 9, 30), [rep(DOING)], OPEN_IN_TIME),                          # due after the cut-off
    (date(2022, 9, 14), [rep(DOING)], OPEN_IN_TIME),                          # due on the cut-off day
    (date(2022, 9, 13), [rep(DOING)], OPEN_OVERDUE),                          # due the day before
    (None, [rep(DOING)], ONGOING),                                            # recurring: never late
    (None, [rep(DONE, date(2022, 8, 1))], ONGOING),
    (None, [None], NOT_REPORTED),
    (date(2022, 6, 30), [None, None], NOT_REPORTED),
    # multi-lead: done only when every lead reports done; the latest date counts
    (date(2022, 6, 30), [rep(DONE, date(2022, 6, 1)), rep(DONE, date(2022, 7, 5))], DONE_LATE),
    (date(2022, 6, 30), [rep(DONE, date(2022, 6, 1)), None], OPEN_OVERDUE),
    (date(2022, 12, 31), [rep(DONE, date(2022, 6, 1)), None], OPEN_IN_TIME),
    # done without a date: done, timeliness unknown, never guessed
    (date(2022, 9, 30), [rep(DONE, None)], DONE_UNDATED),
    (date(2022, 6, 30), [rep(DONE, None)], DONE_UNDATED),
    (date(2022, 6, 30), [rep(DONE, date(2022, 6, 1)), rep(DONE, None)], DONE_UNDATED),
    # done after the cut-off day (14/9): not done at the cut-off, judged by the deadline
    (date(2022, 9, 30), [rep(DONE, date(2022, 9, 15))], OPEN_IN_TIME),
    (date(2022, 6, 30), [rep(DONE, date(2022, 9, 30))], OPEN_OVERDUE),
    (date(2022, 9, 30), [rep(DONE, date(2022, 9, 14))], DONE_ON_TIME),     # on the cut-off day itself
    (date(2022, 6, 30), [rep(DONE, date(2022, 6, 1)), rep(DONE, date(2022, 9, 20))], OPEN_OVERDUE),
])
def test_classification_at_the_edges(due, reports, expected):
    assert classify(due, Q3.end, reports) == expected




def test_merge_multi_lead_task_with_one_lead_missing(master):
    rows = _rows(
        ("BCHQS", "I.2", DONE, "2022-08-01", 100.0, "Tổ chức diễn tập khu vực phòng thủ", "", "Thiếu kinh phí", ""),
        ("BDBP", "I.2", DOING, None, 70.0, "Tuần tra biên giới", "", "thiếu kinh phí.", "Bổ sung kinh phí"),
        ("SNGV", "III.4.1", DONE, "2022-09-30", 100.0, "Đã trao đổi với tỉnh Kampot", "CV 12/SNgV", "", ""),
        ("STNMT", "III.14", DONE, "2022-04-30", 100.0, "Đã tham mưu", "", "", "bổ sung kinh phí"),
        ("SKHDT", "II.7", DOING, None, 80.0, "Đang hoàn thiện dự thảo", "", "", ""),
    )
    m = merge(master, Q3, rows, ["BCHQS", "BDBP", "SNGV", "STNMT", "SKHDT"])
    i2 = m.statuses["I.2"]
    assert i2.status == ONGOING  # Thường xuyên
    assert [l.reported for l in i2.leads] == [True, True, False]
    assert m.statuses["III.4.1"].status == OPEN_IN_TIME  # done 30/9: after the cut-off 14/9, due 30/9
    assert m.statuses["III.14"].status == DONE_ON_TIME
    assert m.statuses["II.7"].status == OPEN_OVERDUE    # due 30/6/2022, still in progress at 14/9
    assert m.statuses["III.1"].status == NOT_REPORTED
    assert sum(m.by_status.values()) == 35
    assert int(m.by_section.loc["I", "total"]) == 8 and int(m.by_section["total"].sum()) == 35
    assert m.missing_agencies[0] == "VPTU" and "CA" in m.missing_agencies and "SKHDT" not in m.missing_agencies
    assert int(m.by_agency.loc["CA", "total"]) == 1 and not m.by_agency.loc["CA", "reported"]
    # duplicates merged (case, trailing dot), both agencies kept
    kinh_phi = [d for d in m.difficulties if d.text.lower().startswith("thiếu kinh phí")]
    assert len(kinh_phi) == 1 and kinh_phi[0].sources == [("I.2", "BCHQS"), ("I.2", "BDBP")]
    # proposals keep their task, their agency, and (no addressee column: a version-1 form) the UBND tỉnh
    assert [(p.text, p.sources, p.addressee) for p in m.proposals] == [
        ("Bổ sung kinh phí", [("I.2", "BDBP"), ("III.14", "STNMT")], "UBND tỉnh")]


def test_status_labels_are_the_government_office_words():
    # FORMAT.md §6, each key pinned to its own words; plus the one state the rules add (done, date unknown)
    assert STATUS_LABELS == {
        DONE_ON_TIME: "Đã hoàn thành đúng hạn", DONE_LATE: "Đã hoàn thành quá hạn",
        DONE_UNDATED: "Đã hoàn thành, chưa xác định đúng hạn",
        OPEN_IN_TIME: "Chưa hoàn thành, trong hạn", OPEN_OVERDUE: "Chưa hoàn thành, quá hạn",
        ONGOING: "Thực hiện thường xuyên", NOT_REPORTED: "Chưa báo cáo"}


@pytest.mark.parametrize("due, expected", [
    (date(2022, 6, 30), OPEN_OVERDUE),     # deadline passed at the cut-off
    (date(2022, 12, 31), OPEN_IN_TIME),    # deadline still ahead
])
def test_multi_lead_task_with_one_lead_done_and_the_other_in_progress_is_not_done(due, expected):
    # README: a task with several leads is done only when every lead reports it done.
    reports = [rep(DONE, date(2022, 6, 1)), rep(DOING)]
    assert classify(due, Q3.end, reports) == expected
    assert classify(due, Q3.end, list(reversed(reports))) == expected


def test_multi_lead_task_done_by_every_lead_takes_the_latest_date():
    reports = [rep(DONE, date(2022, 6, 1)), rep(DONE, date(2022, 6, 30)), rep(DONE, date(2022, 6, 15))]
    assert classify(date(2022, 6, 30), Q3.end, reports) == DONE_ON_TIME
    reports[1] = rep(DONE, date(2022, 7, 1))
    assert classify(date(2022, 6, 30), Q3.end, reports) == DONE_LATE


@pytest.fixture(scope="module")
def sample_merged(master):
    from pipeline.collection.collect import collect
    from tests.conftest import ROOT
    col = collect(ROOT / "input" / "2022-Q3", master, Q3, today=date(2022, 9, 20))
    return merge(master, Q3, col.rows, col.reported_agencies)


@pytest.mark.parametrize("task_id, label", [
    # Written by hand from the sample (scripts/make_sample_input.py), the plan's deadlines and the rules
    # (cut-off 14/9/2022; done on the deadline day is on time; done without a date: timeliness unknown).
    ("III.5.1", "Đã hoàn thành đúng hạn"),       # done 30/6/2022, Quý II/2022 (30/6): on the day
    ("III.14", "Đã hoàn thành đúng hạn"),        # done 25/4/2022, Tháng 4/2022
    ("III.9", "Đã hoàn thành đúng hạn"),         # done 24/6/2022, Quý II/2022
    ("II.7", "Đã hoàn thành quá hạn"),           # done 28/7/2022, Tháng 6/2022
    ("III.1", "Đã hoàn thành quá hạn"),          # done 15/7/2022, Quý II/2022
    ("III.5.2", "Chưa hoàn thành, quá hạn"),     # in progress, Quý II/2022 passed
    ("II.4", "Chưa hoàn thành, trong hạn"),      # in progress, Tháng 9/2022 ends after 14/9
    ("III.4.1", "Chưa hoàn thành, trong hạn"),   # in progress, Quý III/2022 ends 30/9
    ("II.8", "Chưa hoàn thành, trong hạn"),      # not started, Quý IV/2022
    ("III.6", "Chưa hoàn thành, trong hạn"),     # in progress, Giai đoạn 2021-2025
    ("III.2", "Đã hoàn thành, chưa xác định đúng hạn"),   # "Đã Hoàn Thành " with no date, Quý II/2022
    ("I.2", "Thực hiện thường xuyên"),           # Thường xuyên; two of three leads reported
    ("II.9", "Thực hiện thường xuyên"),          # Theo kế hoạch
    ("I.1", "Chưa báo cáo"),                     # VPTU sent nothing
    ("I.4", "Chưa báo cáo"),                     # SYT sent nothing
])
def test_sample_task_status_labels(sample_merged, task_id, label):
    assert sample_merged.statuses[task_id].label == label
