"""«DỰ THẢO»: a draft circulates with the mark boxed at the top left of its first page, above the issuing
body and outside the text; the issued document (number and date given) carries no such mark."""
from __future__ import annotations

import html
import re
import subprocess
from datetime import date

import pandas as pd
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from pipeline.documents.render_docx import render_docx
from pipeline.documents.render_pdf import render_pdf
from pipeline.drafting.context import Issue, build_context
from pipeline.plan.periods import parse_period
from pipeline.status.merge import merge

MARK = "DỰ THẢO"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, config, master):
    period = parse_period("2022-Q3")
    plan = master.as_of(period.end)
    merged = merge(plan, period, pd.DataFrame(), [])
    out = tmp_path_factory.mktemp("mark")
    files = {}
    for kind, issue in (("draft", None), ("issued", Issue(45, date(2022, 9, 20)))):
        ctx = build_context(config, plan, merged, issue)
        files[kind] = (render_docx(ctx, out / f"{kind}.docx"), render_pdf(ctx, out / f"{kind}.pdf"), ctx)
    return files


def _words(pdf, page: int) -> list[dict]:
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [{"x0": float(a), "y0": float(b), "x1": float(c), "y1": float(d), "text": html.unescape(t)}
            for a, b, c, d, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]


def _all_docx_text(document) -> str:
    """Every text of the package's main part and its headers and footers."""
    texts = ["".join(t.text or "" for t in document.element.body.iter(qn("w:t")))]
    for rel in document.part.rels.values():
        if "header" in rel.reltype or "footer" in rel.reltype:
            texts.append("".join(t.text or "" for t in rel.target_part.element.iter(qn("w:t"))))
    return "\n".join(texts)


def test_the_context_says_whether_it_is_a_draft(rendered):
    assert rendered["draft"][2]["draft_mark"] == MARK and rendered["draft"][2]["draft"] is True
    assert rendered["issued"][2]["draft_mark"] == "" and rendered["issued"][2]["draft"] is False


def test_draft_docx_has_the_boxed_mark_at_the_left_of_page_ones_header(rendered):
    document = Document(rendered["draft"][0])
    section = document.sections[0]
    assert section.different_first_page_header_footer          # page 1 has its own header
    [p] = [p for p in section.first_page_header.paragraphs if p.text.strip()]
    assert p.text == MARK
    assert p.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT) and p.style.paragraph_format.alignment in (
        None, WD_ALIGN_PARAGRAPH.LEFT)
    [run] = [r for r in p.runs if r.text.strip()]
    assert run.bold or p.style.font.bold
    border = run._r.rPr.find(qn("w:bdr"))
    assert border is not None and border.get(qn("w:val")) == "single"      # a box round the word
    # on page 1 only: the other pages' header holds the page number, not the mark
    assert MARK not in "".join(p.text for p in section.header.paragraphs)
    assert _all_docx_text(document).count(MARK) == 1


def test_issued_docx_has_no_mark(rendered):
    document = Document(rendered["issued"][0])
    assert MARK not in _all_docx_text(document)
    assert all(not p.text.strip() for p in document.sections[0].first_page_header.paragraphs)


def test_draft_pdf_has_the_mark_top_left_of_page_one_only(rendered):
    pdf = rendered["draft"][1]
    words = _words(pdf, 1)
    mark = [w for w in words if w["text"] in MARK.split()]
    assert [w["text"] for w in mark] == MARK.split()
    issuer = next(w for w in words if w["text"] == "ỦY")
    top_margin = 20 * MM
    assert all(w["y1"] < top_margin for w in mark)              # in the top margin: no room taken from the text
    assert all(w["y1"] < issuer["y0"] for w in mark)            # above the issuing body
    assert mark[0]["x0"] < issuer["x0"] and mark[0]["x0"] < 297 * MM / 4   # at the left
    assert abs(mark[0]["x0"] - 30 * MM) < 5 * MM                # from the left margin
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count(MARK) == 1


def test_issued_pdf_has_no_mark(rendered):
    text = subprocess.run(["pdftotext", str(rendered["issued"][1]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert MARK not in text and "Số: 45/BC-UBND" in text


def test_the_mark_moves_nothing_and_is_read_first(rendered):
    """The header stands where it stands without the mark; the mark is the page's first words, as Word's page
    header is (so both renderings read alike)."""
    def place(pdf):
        found = {w["text"]: (round(w["x0"], 1), round(w["y0"], 1)) for w in _words(pdf, 1)}
        return [found[t] for t in ("ỦY", "CỘNG", "BÁO", "Kính")]
    assert place(rendered["draft"][1]) == place(rendered["issued"][1])
    raw = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "1", str(rendered["draft"][1]), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert raw.split()[:2] == MARK.split()
