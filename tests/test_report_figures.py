"""The charts and the leaders' sheet in the produced files: DOCX picture, PDF vector, native Excel charts."""
import json
import subprocess
import zipfile

import openpyxl
import pikepdf
import pytest
from docx import Document
from docx.shared import Mm

from pipeline.report import build_report
from tests.conftest import CONFIG

CAPTIONS = ("Biểu đồ 1. Tình trạng thực hiện nhiệm vụ theo nhóm, quý III năm 2022",
            "Biểu đồ 2. Tỷ lệ hoàn thành nhiệm vụ đến hạn theo cơ quan chủ trì, quý III năm 2022")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    result = build_report(CONFIG, "2022-Q3", tmp_path_factory.mktemp("out"))
    ctx = json.loads((result.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    return result, ctx


def test_the_charts_follow_the_overall_figures(report):
    _, ctx = report
    styles = [b["style"] for b in ctx["body"]]
    figures = [i for i, s in enumerate(styles) if s == "figure"]
    assert [ctx["body"][i]["text"] for i in figures] == list(CAPTIONS)
    assert [ctx["body"][i]["chart"] for i in figures] == ["by_part", "by_agency"]
    headings = [b["text"] for b in ctx["body"]]
    assert headings.index("1. Kết quả chung") < figures[0] < figures[1] < next(
        i for i, t in enumerate(headings) if t.startswith("2. Nhóm I"))


def test_docx_carries_each_chart_as_a_picture_with_alt_text(report):
    result, ctx = report
    doc = Document(result.outputs["docx"])
    shapes = list(doc.inline_shapes)
    assert len(shapes) == 2
    for shape, key in zip(shapes, ("by_part", "by_agency")):
        assert abs(shape.width - Mm(150)) < Mm(0.1)
        doc_pr = shape._inline.docPr
        assert doc_pr.get("descr") == ctx["charts"][key]["alt"] and doc_pr.get("descr").startswith(
            ctx["charts"][key]["title"])
    paragraphs = [p.text for p in doc.paragraphs]
    for caption in CAPTIONS:
        assert caption in paragraphs


def test_pdf_draws_the_charts_as_vectors_with_selectable_text(report):
    result, _ = report
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "3", "-enc", "UTF-8", str(result.outputs["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    for label in ("Nhóm I (8 nhiệm vụ)", "Nhóm III (16 nhiệm vụ)", "Chưa hoàn thành, quá hạn", "Thực hiện thường xuyên",
                  "Sở KH&ĐT", "100% (2/2)", "Tỷ lệ hoàn thành quý III năm 2022"):
        assert label in text, label
    with pikepdf.open(result.outputs["pdf"]) as pdf:
        for page in pdf.pages[:4]:
            xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
            assert not [k for k, x in xobjects.items() if x.get("/Subtype") == "/Image"], "no bitmap chart"


def test_the_workbook_has_native_charts_with_the_same_figures(report):
    result, ctx = report
    with zipfile.ZipFile(result.outputs["workbook"]) as z:
        chart_xml = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    assert len(chart_xml) == 2
    assert '<grouping val="stacked"/>' in chart_xml[0] and '<barDir val="bar"/>' in chart_xml[0]
    assert '<grouping val="clustered"/>' in chart_xml[1]
    ws = openpyxl.load_workbook(result.outputs["workbook"])["Biểu đồ"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    part3 = next(r for r in ctx["charts"]["by_part"]["rows"] if r["label"].startswith("Nhóm III"))
    key = part3["label"] + (f" – {part3['bars'][-1]['caption']}" if part3["bars"][-1]["caption"] else "")
    assert list(rows[key][:5]) == [s["value"] for s in part3["bars"][-1]["segments"]]


def test_proposals_to_the_province_go_to_the_leaders_sheet_not_the_report(report):
    result, ctx = report
    ws = openpyxl.load_workbook(result.outputs["workbook"])["Kiến nghị với UBND tỉnh"]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
    texts = [r[3] for r in rows]
    assert "Đề nghị UBND tỉnh có văn bản đôn đốc các bộ, ngành sớm góp ý" in texts
    ii4 = next(r for r in rows if r[0] == "II.4")
    assert ii4[2] == "Sở Kế hoạch và Đầu tư" and ii4[4].endswith(", dòng 12")
    body = " ".join(b["text"] for b in ctx["body"])
    appendix = " ".join(r["result"] for r in ctx["appendix"]["rows"])
    for text in texts:
        assert text not in body and text not in appendix
    assert "UBND tỉnh" not in body
