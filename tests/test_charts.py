"""The charts: one layout, SVG and PNG painters; printable in black and white; the right numbers."""
import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from tests.conftest import agency_rows
from pipeline.documents import charts
from pipeline.drafting.figures import completion_by_agency, report_charts, status_by_part
from pipeline.status.compare import PeriodRecord, compare
from pipeline.status.merge import merge
from pipeline.plan.periods import parse_period

Q2, Q3 = parse_period("2022-Q2"), parse_period("2022-Q3")
SVG = "{http://www.w3.org/2000/svg}"


_rows = agency_rows


@pytest.fixture(scope="module")
def merged(master):
    return merge(master, Q3, _rows(
        ("SKHDT", "II.7", "Đã hoàn thành", "2022-07-05", 100.0, "Đã trình", "", "", ""),        # due 30/6: late
        ("SKHDT", "III.9", "Đã hoàn thành", "2022-06-24", 100.0, "Đã thống nhất", "", "", ""),  # due 30/6: on time
        ("SGTVT", "III.5.1", "Đang thực hiện", None, 50.0, "Đang làm", "", "", ""),             # due 30/6: overdue
        ("SGTVT", "III.5.2", "Đã hoàn thành", "2022-06-30", 100.0, "Xong", "", "", ""),
        ("SNV", "I.6", "Đang thực hiện", None, 70.0, "Cải cách", "", "", ""),                   # recurring
    ), ["SKHDT", "SGTVT", "SNV"])


@pytest.fixture(scope="module")
def comparison(merged):
    before = {t: "not_reported" for t in merged.statuses} | {"III.9": "done_on_time"}
    return compare(PeriodRecord(Q2, "issued", before, "30"), merged)


def test_status_chart_counts_each_part(master, merged, comparison):
    chart = status_by_part(master, merged, comparison)
    assert [r.label for r in chart.rows] == ["Nhóm I (8 nhiệm vụ)", "Nhóm II (11 nhiệm vụ)", "Nhóm III (16 nhiệm vụ)"]
    for row, total in zip(chart.rows, (8, 11, 16)):
        assert [b.caption for b in row.bars] == ["quý II", "quý III"]   # the previous period first
        assert all(sum(s.value for s in b.segments) == total for b in row.bars)
    part3 = {chart.styles[s.style].name: s.value for s in chart.rows[2].bars[1].segments}
    assert part3 == {"Đã hoàn thành": 2, "Chưa hoàn thành, trong hạn": 0, "Chưa hoàn thành, quá hạn": 1,
                     "Thực hiện thường xuyên": 0, "Chưa báo cáo": 13}
    assert chart.note == "So sánh với quý II năm 2022."


def test_completion_chart_counts_what_is_due_sorted(master, merged, comparison):
    chart = completion_by_agency(master, merged, comparison)
    # SKHDT: II.7 and III.9 due by 14/9, both done; SGTVT: III.5.1 and III.5.2 due, one done; SNV: nothing due
    assert [(r.label, r.bars[-1].segments[0].text) for r in chart.rows[:2]] == [
        ("Sở KH&ĐT", "100% (2/2)"), ("Sở GTVT", "50% (1/2)")]
    assert all(not r.label.startswith("Sở Nội vụ") for r in chart.rows)
    assert "Không có nhiệm vụ đến hạn:" in chart.note and "Sở Nội vụ" in chart.note
    assert [s.name for s in chart.styles] == ["Tỷ lệ hoàn thành quý III năm 2022", "Tỷ lệ hoàn thành quý II năm 2022"]


def test_svg_is_vector_with_selectable_text_and_alt(master, merged, comparison):
    chart = status_by_part(master, merged, comparison)
    root = ET.fromstring(charts.to_svg(chart))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert chart.title in texts and "Chưa hoàn thành, quá hạn" in texts
    assert root.find(f"{SVG}title").text == chart.title
    assert root.find(f"{SVG}desc").text.startswith(chart.title + ". Nhóm I (8 nhiệm vụ):")
    assert {t.get("font-family") for t in root.iter(f"{SVG}text")} == {"BaoCao Serif, Liberation Serif, serif"}
    assert root.find(f".//{SVG}pattern") is None                     # PDF/A-1: no pattern (a transparency group)
    assert all(t.get("text-anchor") is None for t in root.iter(f"{SVG}text"))   # nor a shifted text
    assert len(root.findall(f"{SVG}path")) >= 3                                         # hatching drawn as lines
    assert root.find(f"{SVG}image") is None   # no bitmap inside


@pytest.mark.parametrize("kind", ["diagonal", "cross", "horizontal"])
def test_hatch_lines_stay_inside_their_bar(kind):
    lines = charts.hatch_lines(10.0, 20.0, 30.0, 11.0, kind)
    assert len(lines) >= 2
    for x1, y1, x2, y2 in lines:
        for x, y in ((x1, y1), (x2, y2)):
            assert 10.0 - 1e-9 <= x <= 40.0 + 1e-9 and 20.0 - 1e-9 <= y <= 31.0 + 1e-9


def test_every_box_stays_inside_the_chart(master, merged, comparison):
    for chart in (status_by_part(master, merged, comparison), completion_by_agency(master, merged, comparison)):
        lay = charts.layout(chart)
        for b in lay.boxes:
            if b.kind == "text":
                w = charts.text_width(b.text, b.size, b.bold)
                left = {"start": b.x, "middle": b.x - w / 2, "end": b.x - w}[b.anchor]
                assert -0.01 <= left and left + w <= lay.width + 0.01, b.text
            else:
                assert b.x >= 0 and b.x + b.w <= lay.width + 0.01
            assert 0 <= b.y <= lay.height


def test_png_is_grey_only_reproducible_and_200_dpi(master, merged, comparison):
    chart = completion_by_agency(master, merged, comparison)
    data = charts.to_png(chart)
    assert data == charts.to_png(chart)
    img = Image.open(io.BytesIO(data))
    assert round(img.info["dpi"][0]) == 200
    rgb = np.asarray(img.convert("RGB"))
    assert (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all()   # prints the same in B/W
    assert img.convert("L").getextrema() == (0, 255)


def test_charts_travel_as_plain_data(master, merged, comparison):
    data = report_charts(master, merged, comparison)
    assert set(data) == {"by_part", "by_agency"}
    again = charts.from_dict(data["by_part"])
    direct = status_by_part(master, merged, comparison)
    direct.draw_title = False     # the documents print the title as the caption
    assert charts.to_svg(again) == charts.to_svg(direct)
    assert direct.title not in [t.text for t in ET.fromstring(charts.to_svg(again)).iter(f"{SVG}text")]


def test_without_a_previous_period_one_bar_a_row(master, merged):
    chart = status_by_part(master, merged, None)
    assert all(len(r.bars) == 1 and r.bars[0].caption == "" for r in chart.rows) and chart.note == ""
