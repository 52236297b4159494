"""A form dated after the submission deadline: one point per agency, where its first result is printed, for the clerk to decide."""
from pipeline.drafting.blocks import LATE_FORM
from pipeline.drafting.body import draft_report
from pipeline.drafting.late_forms import mark_late_forms
from pipeline.plan.periods import parse_period
from pipeline.status.merge import merge
from tests.conftest import ROW_COLUMNS, agency_rows

Q3 = parse_period("2022-Q3")   # cut-off 14/9/2022


def test_one_point_per_agency_whose_form_is_dated_after_the_cut_off(config, master):
    import pandas as pd
    rows = agency_rows(
        ("SKHDT", "II.4", "Đang thực hiện", None, 85, "Đã trình thẩm định.", "", "", "", "2022-09-21"),
        ("SKHDT", "II.7", "Đã hoàn thành", "2022-07-28", 100, "Đã gửi dự thảo.", "", "", "", "2022-09-21"),
        # after the cut-off (14/9) but on the submission deadline (20/9 = 25/9 less answer_days): on time
        ("SNV", "II.11", "Đã hoàn thành", "2022-08-19", 100, "Đã ban hành.", "", "", "", "2022-09-20"),
        columns=[*ROW_COLUMNS, "report_date"])
    rows["report_date"] = pd.to_datetime(rows["report_date"])
    merged = merge(master, Q3, rows, ["SKHDT", "SNV"])
    draft = draft_report(config, master, merged)
    deadline = config.submission_deadline(Q3)
    assert deadline.isoformat() == "2022-09-20"
    mark_late_forms(draft, merged, deadline)
    marked = {code: [p for p in b.points if p.kind == LATE_FORM] for code, b in draft.summaries.items()}
    assert [code for code, points in marked.items() if points] == ["II.4"]     # SKHDT's first task, once
    [point] = marked["II.4"]
    assert "Sở Kế hoạch và Đầu tư" in point.message and "21/9/2022, sau hạn gửi phiếu 20/9/2022" in point.message
    assert point.decision and not point.blocking
