from datetime import date

import pytest

from pipeline.plan.deadlines import parse_deadline
from pipeline.errors import PipelineError
from pipeline.plan.periods import parse_period


@pytest.mark.parametrize("text, due, kind", [
    ("Quý II/2022", date(2022, 6, 30), "quarter"),
    ("Quý III/2022", date(2022, 9, 30), "quarter"),
    ("Quý IV/2022", date(2022, 12, 31), "quarter"),
    ("quý 1/2023", date(2023, 3, 31), "quarter"),
    ("Tháng 9/2022", date(2022, 9, 30), "month"),
    ("Tháng 4/2022", date(2022, 4, 30), "month"),
    ("Tháng 2/2024", date(2024, 2, 29), "month"),
    ("Năm 2022", date(2022, 12, 31), "year"),
    ("Giai đoạn 2021 - 2025", date(2025, 12, 31), "stage"),
    ("Giai đoạn 2021-2025", date(2025, 12, 31), "stage"),
    ("Giai đoạn 2021 – 2030", date(2030, 12, 31), "stage"),
    ("Năm 2022 - 2023", date(2023, 12, 31), "years"),
    ("  Quý  II/2022 ", date(2022, 6, 30), "quarter"),
    # Written from the calendar, not from the code: the last day of the quarter or month.
    ("Quý I/2023", date(2023, 3, 31), "quarter"),
    ("quý 4/2022", date(2022, 12, 31), "quarter"),
    ("Quý 2/2022", date(2022, 6, 30), "quarter"),
    ("Quý III.2022", date(2022, 9, 30), "quarter"),
    ("Quý IV-2022", date(2022, 12, 31), "quarter"),
    ("Quý I/năm 2023", date(2023, 3, 31), "quarter"),
    ("Tháng 1/2023", date(2023, 1, 31), "month"),
    ("Tháng 10/2022", date(2022, 10, 31), "month"),
    ("Tháng 11/2022", date(2022, 11, 30), "month"),
    ("Tháng 12/2022", date(2022, 12, 31), "month"),
    ("Tháng 6.2022", date(2022, 6, 30), "month"),
    ("Tháng 3-2023", date(2023, 3, 31), "month"),
    ("Tháng 2/2023", date(2023, 2, 28), "month"),
])
def test_fixed_deadlines(text, due, kind):
    d = parse_deadline(text)
    assert (d.due, d.kind, d.fixed) == (due, kind, True)


@pytest.mark.parametrize("text, kind", [
    ("Thường xuyên", "recurring"), ("Hàng năm", "annual"), ("Hằng năm", "annual"),
    ("Theo kế hoạch", "per_plan"), ("Theo quyết định phê duyệt của Thủ tướng", "per_decision"),
])
def test_open_deadlines_keep_their_kind(text, kind):
    d = parse_deadline(text)
    assert d.due is None and d.kind == kind and not d.fixed and d.text == text


@pytest.mark.parametrize("text", ["", "Sớm", "Quý V/2022", "Tháng 13/2022", "Giai đoạn 2025 - 2021", "2022", "Cuối năm"])
def test_anything_else_is_an_error_not_a_guess(text):
    with pytest.raises(ValueError) as err:
        parse_deadline(text)
    assert "thời hạn" in str(err.value)


def test_all_deadlines_of_the_plan_parse(master):
    assert all(t.deadline.text for t in master.tasks)
    assert {t.id: t.deadline.due for t in master.tasks}["III.13"] == date(2023, 12, 31)


@pytest.mark.parametrize("code, label, start, end", [
    ("2022-Q1", "quý I năm 2022", date(2021, 12, 15), date(2022, 3, 14)),
    ("2022-Q2", "quý II năm 2022", date(2022, 3, 15), date(2022, 6, 14)),
    ("2022-Q3", "quý III năm 2022", date(2022, 6, 15), date(2022, 9, 14)),
    ("2022-Q4", "quý IV năm 2022", date(2022, 9, 15), date(2022, 12, 14)),
    ("2022-H1", "6 tháng đầu năm 2022", date(2021, 12, 15), date(2022, 6, 14)),
    ("2022-9M", "9 tháng năm 2022", date(2021, 12, 15), date(2022, 9, 14)),
    ("2022", "năm 2022", date(2021, 12, 15), date(2022, 12, 14)),
])
def test_periods_follow_decree_09_windows(code, label, start, end):
    p = parse_period(code)
    assert (p.code, p.label, p.start, p.end) == (code, label, start, end)


@pytest.mark.parametrize("code, last_month, end", [
    # FORMAT.md §5: the report goes out in the period's last month; data end on the 14th of it.
    ("2022-Q1", 3, date(2022, 3, 14)), ("2022-Q2", 6, date(2022, 6, 14)), ("2022-Q3", 9, date(2022, 9, 14)),
    ("2022-Q4", 12, date(2022, 12, 14)), ("2022-H1", 6, date(2022, 6, 14)), ("2022-9M", 9, date(2022, 9, 14)),
    ("2022", 12, date(2022, 12, 14)), ("2023-Q1", 3, date(2023, 3, 14)),
])
def test_last_month_and_cut_off_of_every_kind_of_period(code, last_month, end):
    p = parse_period(code)
    assert (p.last_month, p.end) == (last_month, end)


def test_a_first_quarter_window_starts_in_the_previous_year():
    p = parse_period("2023-Q1")
    assert (p.start, p.end, p.window_text) == (date(2022, 12, 15), date(2023, 3, 14), "từ 15/12/2022 đến 14/3/2023")


def test_short_period_codes_take_the_configured_year():
    assert parse_period("q3", 2022).code == "2022-Q3"
    assert parse_period("h1", 2023).label == "6 tháng đầu năm 2023"


@pytest.mark.parametrize("code", ["2022-Q5", "Q3", "quý 3", "", "2022-H2"])
def test_bad_periods_are_refused_in_vietnamese(code):
    with pytest.raises(PipelineError) as err:
        parse_period(code)
    assert "Kỳ báo cáo" in str(err.value)
