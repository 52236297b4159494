"""The sample report's pages as a văn thư checks them, in our PDF and in LibreOffice's rendering
of the DOCX: no number split at a line end, no large blank at a page foot inside a section,
nothing outside the page, and both renderings within one page of each other."""
from __future__ import annotations

import json
import subprocess

import pytest
from docx import Document

from pipeline.report import build_report
from tests import pagecheck as P
from tests.conftest import CONFIG, copy_sample, settle_all

MAX_BOTTOM_BLANK_MM = 40


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The signing copy: the draft after the clerk's review in bien-tap.xlsx, so without Word comments
    (LibreOffice lays out a commented document differently: its pages start 5.5 mm lower)."""
    folder = copy_sample(tmp_path_factory.mktemp("in"))
    review = build_report(CONFIG, "2022-Q3", tmp_path_factory.mktemp("review"), input_dir=folder, with_pdf=False)
    settle_all(review.outputs["editorial"], folder / "bien-tap.xlsx")
    out = tmp_path_factory.mktemp("out")
    result = build_report(CONFIG, "2022-Q3", out, input_dir=folder)
    assert not Document(result.outputs["docx"]).comments, "every point settled: no comment left"
    ctx = json.loads((result.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    lo_dir = tmp_path_factory.mktemp("lo")
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(lo_dir), str(result.outputs["docx"])],
                   check=True, capture_output=True, timeout=600)
    lo_pdf = lo_dir / (result.outputs["docx"].stem + ".pdf")
    return {"ctx": ctx, "ours": result.outputs["pdf"], "libreoffice": lo_pdf}


RENDERINGS = ("ours", "libreoffice")


@pytest.mark.slow
@pytest.mark.parametrize("which", RENDERINGS)
def test_no_line_ends_inside_a_document_number(sample, which):
    numbers = P.context_numbers(sample["ctx"])
    assert {"112/KH-UBND", "99/TB-VPCP"} <= numbers          # the sample cites them
    assert P.numbers_split_at_line_end(sample[which], numbers) == []


@pytest.mark.slow
@pytest.mark.parametrize("which", RENDERINGS)
def test_no_large_blank_at_the_foot_of_a_page(sample, which):
    body, appendix = P.sections(P.pages(sample[which]))
    for pages, margin in ((body, 20), (appendix, 15)):
        for n, page in enumerate(pages[:-1]):                  # followed by a page of its section
            assert page.bottom_space_mm(margin) < MAX_BOTTOM_BLANK_MM, (which, n + 1)


@pytest.mark.slow
@pytest.mark.parametrize("which", RENDERINGS)
def test_every_word_inside_the_page(sample, which):
    for n, page in enumerate(P.pages(sample[which]), start=1):
        for w in page.words:
            assert 0 <= w["xMin"] and w["xMax"] <= page.width, (which, n, w["text"])
            assert 0 <= w["yMin"] and w["yMax"] <= page.height, (which, n, w["text"])


@pytest.mark.slow
def test_docx_and_pdf_page_counts_within_one_page(sample):
    ours = P.sections(P.pages(sample["ours"]))
    lo = P.sections(P.pages(sample["libreoffice"]))
    assert abs(len(ours[0]) - len(lo[0])) <= 1, "body"
    assert abs(len(ours[1]) - len(lo[1])) <= 1, "appendix"


@pytest.mark.slow
def test_kinh_gui_at_the_same_height(sample):
    def y(pdf):
        return next(w["yMin"] for w in P.pages(pdf)[0].words if w["text"] == "Kính") / P.MM
    assert abs(y(sample["ours"]) - y(sample["libreoffice"])) < 4   # mm


def test_checker_sees_a_split_number():
    """The check above can fail: a line (or a table cell of a line) ending inside a number."""
    numbers = {"45/KH-UBND", "2021 - 2030", "Quý IV/2022"}
    assert P.split_numbers(["Theo Kế hoạch số 45/KH-", "UBND ngày 09/5/2022"], numbers)
    assert P.split_numbers(["1   Nội dung giai đoạn 2021 -      Sở Nội vụ"], numbers)
    assert P.split_numbers(["trong Quý IV/"], numbers)
    assert not P.split_numbers(["Theo Kế hoạch số 45/KH-UBND", "ngày 09/5/2022"], numbers)


def test_layout_keeps_numbers_and_periods_together():
    from pipeline.documents import layout
    text = "Theo Quyết định số 2927/QĐ-UBND, Quý II/2022, giai đoạn 2021 - 2030, đạt 70%."
    spans = [text[a:b] for a, b in layout.keep_spans(text)]
    for piece in ("2927/QĐ-UBND", "Quý II/2022", "2021 - 2030", "70%."):
        assert any(piece in s for s in spans), piece
    word = layout.nobreak_word(text)
    assert "2927/QĐ\u2011UBND" in word and "2021\u00a0\u2011\u00a02030" in word
    assert layout.plain(word) == text


def _page_texts(pdf) -> list[str]:
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [" ".join(page.split()) for page in out.split("\f")]


@pytest.mark.slow
@pytest.mark.parametrize("which", RENDERINGS)
def test_section_and_group_rows_stay_with_their_first_task(sample, which):
    rows = sample["ctx"]["appendix"]["rows"]
    groups = [i for i, r in enumerate(rows[:-1]) if r["kind"] in ("section", "group")]
    assert groups, "the sample has grouped tasks"
    pages = _page_texts(sample[which])
    for i in groups:
        group = " ".join(rows[i]["content"].split()[:4])
        task = " ".join(rows[i + 1]["content"].split()[:3])
        at = [n for n, text in enumerate(pages) if group in text]
        assert at, group
        assert task in pages[at[-1]], (which, rows[i]["content"])
