"""The DOCX renderer and its Word template: content, FORMAT.md layout, determinism, checks.

The slow tests convert the DOCX with the real LibreOffice and read the PDF with poppler.
"""
from __future__ import annotations

import copy
import html
import json
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from fontTools.ttLib import TTFont

from pipeline.errors import PipelineError
from pipeline.documents.layout import plain
from pipeline.documents.render_docx import DEFAULT_TEMPLATE, check_template, render_docx

FIXTURE = Path(__file__).parent / "fixtures" / "context_sample.json"
FONT = "Times New Roman"
LIBERATION = Path("/usr/share/fonts/truetype/liberation2")  # same metrics as Times New Roman


# --------------------------------------------------------------------------- fixtures
@pytest.fixture
def context() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    ctx = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return render_docx(ctx, tmp_path_factory.mktemp("docx") / "bao-cao.docx")


@pytest.fixture(scope="module")
def doc(rendered):
    """The document as a reader sees its words: non-breaking spaces read as spaces (python-docx
    already reads Word's non-breaking hyphens as "-")."""
    document = Document(str(rendered))
    for t in document.element.body.iter(qn("w:t")):
        if t.text:
            t.text = plain(t.text)
    return document


@pytest.fixture(scope="module")
def raw_doc(rendered):
    return Document(str(rendered))


@pytest.fixture(scope="module")
def ctx() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- helpers
def paragraphs(doc) -> list[Paragraph]:
    """Every body paragraph in document order, table cells included."""
    return [Paragraph(p, doc) for p in doc.element.body.iter(qn("w:p"))]


def find(doc, text: str) -> Paragraph:
    hits = [p for p in paragraphs(doc) if p.text == text]
    assert hits, f"no paragraph reads {text!r}"
    return hits[0]


def style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def doc_default_size(doc) -> Pt:
    sz = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    return Pt(int(sz.get(qn("w:val"))) / 2)


def effective(doc, para: Paragraph, run, attr: str):
    """A run's font attribute (size, bold, italic) as Word resolves it."""
    value = getattr(run.font, attr) if run is not None else None
    if value is not None:
        return value
    for st in style_chain(para.style):
        value = getattr(st.font, attr)
        if value is not None:
            return value
    return doc_default_size(doc) if attr == "size" else False


def effective_pf(para: Paragraph, attr: str):
    value = getattr(para.paragraph_format, attr)
    if value is not None:
        return value
    for st in style_chain(para.style):
        value = getattr(st.paragraph_format, attr)
        if value is not None:
            return value
    return None


def text_runs(para: Paragraph):
    return [r for r in para.runs if r.text.strip()]


def assert_format(doc, para: Paragraph, size: float, bold: bool, italic: bool):
    runs = text_runs(para)
    assert runs, f"{para.text!r} has no text run"
    for run in runs:
        assert effective(doc, para, run, "size") == Pt(size), (para.text, run.text)
        assert bool(effective(doc, para, run, "bold")) is bold, (para.text, run.text)
        assert bool(effective(doc, para, run, "italic")) is italic, (para.text, run.text)


def text_width(text: str, pt: float, bold: bool = False) -> int:
    """Width in EMU of `text` set in Times New Roman (Liberation Serif metrics)."""
    font = TTFont(LIBERATION / f"LiberationSerif-{'Bold' if bold else 'Regular'}.ttf")
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    units = sum(hmtx[cmap[ord(c)]][0] for c in unicodedata.normalize("NFC", text))
    return int(Pt(pt * units / font["head"].unitsPerEm))


def rule_length(para: Paragraph, cell_width: int) -> int:
    """Length in EMU of the bottom border drawn by an empty paragraph in a cell/text block."""
    pf = para.paragraph_format
    return cell_width - (pf.left_indent or 0) - (pf.right_indent or 0)


def has_bottom_border(para: Paragraph) -> bool:
    bottom = para._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    return bottom is not None and bottom.get(qn("w:val")) == "single"


def expected_texts(ctx: dict) -> list[str]:
    """Every string of the context that the report prints, in reading order."""
    h = ctx["header"]
    out = [*h["issuer_lines"], h["national_name"], h["motto"], h["number_line"], h["date_line"],
           ctx["doc_type"], ctx["subject"], ctx["recipients_label"], *ctx["recipients"]]
    for item in ctx["body"]:
        out += [item["lead"], item["text"]]
    out += [ctx["noi_nhan_label"], *ctx["noi_nhan"], *ctx["signer"]["authority_lines"],
            ctx["signer"]["name"]]
    a = ctx["appendix"]
    out += [a["heading"], a["title"], a["attached_line"], *a["columns"]]
    for r in a["rows"]:
        out += [r["tt"], r["content"]]
        if r["kind"] == "task":
            out += [r["lead"], r["deadline"], r["status"], r["result"]]
    return [t for t in out if t]


# --------------------------------------------------------------------------- content
def test_every_context_text_appears_in_order(doc, ctx):
    full = "\n".join(p.text for p in paragraphs(doc))
    pos = 0
    for text in expected_texts(ctx):
        at = full.find(text, pos)
        assert at >= 0, f"missing or out of order: {text[:80]!r}"
        pos = at + len(text)


def test_no_template_tags_left(doc):
    full = "\n".join(p.text for p in paragraphs(doc))
    assert "{%" not in full and "%}" not in full
    # The only "{{" is the hostile body text, printed literally.
    assert full.count("{{") == 1


def test_hostile_text_is_literal(doc, ctx):
    para = next(p for p in paragraphs(doc) if "Đã triển khai" in p.text)
    for piece in ("<b>&amp;", '"kế hoạch"', "{{ x }}", "'A & B'", "< >"):
        assert piece in para.text
    row = next(p for p in paragraphs(doc) if p.text.startswith("Nhiệm vụ thử số 1 "))
    assert row.text == "Nhiệm vụ thử số 1 & <kiểm tra> “ngoặc kép”"


def test_draft_number_line_is_exact(tmp_path, config, master):
    # The real context of a Q3 draft, rendered: FORMAT.md §4 blanks, written out by hand here.
    import pandas as pd
    from pipeline.collection.collect import ROW_COLUMNS
    from pipeline.drafting.context import build_context
    from pipeline.status.merge import merge
    from pipeline.plan.periods import parse_period
    q3 = parse_period("2022-Q3")
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in ROW_COLUMNS})
    empty["completed_on"] = pd.to_datetime(empty["completed_on"])
    context = build_context(config, master, merge(master, q3, empty, []))
    texts = [p.text for p in paragraphs(Document(str(render_docx(context, tmp_path / "b.docx"))))]
    assert texts.count("Số:" + " " * 6 + "/BC-UBND") == 1
    assert texts.count("Kiên Giang, ngày" + " " * 6 + "tháng 9 năm 2022") == 1


def test_result_lines_are_line_breaks(doc, ctx):
    table = doc.tables[-1]
    cell = table.rows[2].cells[5]          # header, section row, first task
    assert cell.text == ctx["appendix"]["rows"][1]["result"]
    assert len(cell.paragraphs) == 1
    assert len(cell.paragraphs[0]._p.findall(f".//{qn('w:br')}")) == 1


# --------------------------------------------------------------------------- fonts and sizes
def test_times_new_roman_in_all_font_slots(doc):
    styles = doc.styles.element
    default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    holders = [default] + [s.find(qn("w:rPr")) for s in styles.findall(qn("w:style"))]
    assert len(holders) > 20
    for rpr in holders:
        assert rpr is not None
        fonts = rpr.find(qn("w:rFonts"))
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(qn(f"w:{slot}")) == FONT, (slot, rpr.getparent().get(qn("w:styleId")))
        assert not [k for k in fonts.attrib if "Theme" in k]
    assert default.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    # Runs never override the font with something else, and all text is black.
    for part in [doc.element] + [s.header._element for s in doc.sections]:
        for fonts in part.iter(qn("w:rFonts")):
            assert set(fonts.attrib.values()) == {FONT}
    for color in styles.iter(qn("w:color")):
        assert color.get(qn("w:val")) == "000000"
    assert not list(doc.element.body.iter(qn("w:color")))


def test_header_components(doc, ctx):
    h = ctx["header"]
    for line in h["issuer_lines"]:
        para = find(doc, line)
        assert_format(doc, para, 13, bold=True, italic=False)
        assert effective_pf(para, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert_format(doc, find(doc, h["national_name"]), 12, bold=True, italic=False)
    assert_format(doc, find(doc, h["motto"]), 13, bold=True, italic=False)
    assert_format(doc, find(doc, h["number_line"]), 13, bold=False, italic=False)
    # 13-14 pt (FORMAT.md §2); 14 pt as the PDF prints it (one set of measures)
    assert_format(doc, find(doc, h["date_line"]), 14, bold=False, italic=True)
    for text in (h["national_name"], h["motto"], h["number_line"], h["date_line"]):
        assert effective_pf(find(doc, text), "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_header_table_layout_and_lines(doc, ctx):
    table = doc.tables[0]
    assert table.cell(0, 0).text.split("\n")[:2] == ctx["header"]["issuer_lines"]
    assert table.cell(1, 0).text == ctx["header"]["number_line"]
    assert table.cell(1, 1).text == ctx["header"]["date_line"]   # same row as the number
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    text_width_emu = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    left, right = (c.width for c in table.columns)
    assert abs(left + right - text_width_emu) < Cm(0.05)
    assert abs(left / (left + right) - 6.75 / 16.75) < 0.01

    pad = Cm(0.19) * 2
    issuer_rule = next(p for p in table.cell(0, 0).paragraphs if has_bottom_border(p))
    issuer_text = max(text_width(t, 13, bold=True) for t in ctx["header"]["issuer_lines"])
    ratio = rule_length(issuer_rule, left - pad) / issuer_text
    assert 1 / 3 <= ratio <= 1 / 2
    motto_rule = next(p for p in table.cell(0, 1).paragraphs if has_bottom_border(p))
    motto_text = text_width(ctx["header"]["motto"], 13, bold=True)
    assert abs(rule_length(motto_rule, right - pad) - motto_text) < Cm(0.1)
    assert all("__" not in p.text for p in paragraphs(doc))


def test_title_subject_and_recipients(doc, ctx):
    assert_format(doc, find(doc, ctx["doc_type"]), 14, bold=True, italic=False)
    subject = find(doc, ctx["subject"])
    assert_format(doc, subject, 14, bold=True, italic=False)
    assert effective_pf(subject, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    body_paras = paragraphs(doc)
    i = next(n for n, p in enumerate(body_paras) if p.text == ctx["subject"])
    rule = body_paras[i + 1]
    assert rule.text == "" and has_bottom_border(rule)
    width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    assert width / 4 <= rule_length(rule, width) <= width / 2

    kg = body_paras[i + 2]
    assert kg.text == ctx["recipients_label"] + "\t" + "\n".join(ctx["recipients"])
    assert_format(doc, kg, 14, bold=False, italic=False)
    left = effective_pf(kg, "left_indent")
    first = effective_pf(kg, "first_line_indent")
    hanging = -first
    assert hanging > 0 and left > hanging
    # The recipients start at the hanging indent, just after "Kính gửi:".
    label = text_width(ctx["recipients_label"], 14)
    assert label < hanging < label + Cm(0.6)
    stops = [t.position for st in style_chain(kg.style) for t in st.paragraph_format.tab_stops]
    assert any(abs(s - left) < Cm(0.01) for s in stops)


def test_body_paragraphs(doc, ctx):
    levels = {"heading1": (True, False), "heading2": (True, False), "heading3": (True, True)}
    for item in ctx["body"]:
        para = next(p for p in paragraphs(doc) if p.text == item["lead"] + item["text"])
        assert effective_pf(para, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert abs(effective_pf(para, "first_line_indent") - Cm(1.27)) < Cm(0.01)
        assert effective_pf(para, "space_after") >= Pt(6)
        # an exact pitch between single (1.15 em for Times New Roman) and 1.5 lines, the
        # same pitch the PDF uses, so both break their pages alike
        assert effective_pf(para, "line_spacing_rule") == WD_LINE_SPACING.EXACTLY
        assert Pt(14 * 1.15) <= effective_pf(para, "line_spacing") <= Pt(14 * 1.15 * 1.5)
        if item["style"] == "paragraph":
            runs = text_runs(para)
            if item["lead"]:
                assert runs[0].text == item["lead"] and effective(doc, para, runs[0], "bold")
            assert runs[-1].text == item["text"]
            assert not effective(doc, para, runs[-1], "bold")
            for run in runs:
                assert effective(doc, para, run, "size") == Pt(14)
                assert not effective(doc, para, run, "italic")
        else:
            bold, italic = levels[item["style"]]
            assert_format(doc, para, 14, bold=bold, italic=italic)
    assert ctx["body"][-1]["text"].endswith("./.")


def test_noi_nhan_and_signature(doc, ctx):
    table = doc.tables[1]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    left, right = (c.width for c in table.columns)
    assert abs(left / (left + right) - 5.3 / 16.4) < 0.01

    label = table.cell(0, 0).paragraphs[0]
    assert label.text == ctx["noi_nhan_label"]
    assert_format(doc, label, 12, bold=True, italic=True)
    items = table.cell(0, 0).paragraphs[1:]
    assert [p.text for p in items] == ctx["noi_nhan"]
    for p in items:
        assert_format(doc, p, 11, bold=False, italic=False)

    signer = table.cell(0, 1).paragraphs
    n = len(ctx["signer"]["authority_lines"])
    assert [p.text for p in signer[:n]] == ctx["signer"]["authority_lines"]
    assert signer[-1].text == ctx["signer"]["name"]
    blanks = signer[n:-1]
    # about 30 mm for the signature and the seal (FORMAT.md §4: 3–4 blank lines; offices leave ~30 mm)
    assert 4 <= len(blanks) <= 5 and all(p.text == "" for p in blanks)
    for p in signer[:n] + [signer[-1]]:
        assert_format(doc, p, 14, bold=True, italic=False)
        assert effective_pf(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_page_number_header_is_13pt(doc):
    para = doc.sections[0].header.paragraphs[0]
    assert effective(doc, para, None, "size") == Pt(13)
    assert effective_pf(para, "alignment") == WD_ALIGN_PARAGRAPH.CENTER


# --------------------------------------------------------------------------- sections
def _has_page_field(header) -> bool:
    instr = "".join(t.text or "" for t in header._element.iter(qn("w:instrText")))
    simple = [f.get(qn("w:instr")) for f in header._element.iter(qn("w:fldSimple"))]
    return instr.split() == ["PAGE"] or any(s.split() == ["PAGE"] for s in simple if s)


def test_sections(doc):
    first, appendix = doc.sections
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert abs(first.page_width - Cm(21)) < Cm(0.01) and abs(first.page_height - Cm(29.7)) < Cm(0.01)
    for got, mm in ((first.top_margin, 20), (first.bottom_margin, 20),
                    (first.left_margin, 30), (first.right_margin, 15)):
        assert abs(got - Cm(mm / 10)) < Cm(0.01)
    assert first.different_first_page_header_footer
    assert _has_page_field(first.header)
    assert not _has_page_field(first.first_page_header)

    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix.page_width > appendix.page_height
    for got, mm in ((appendix.top_margin, 20), (appendix.bottom_margin, 15),
                    (appendix.left_margin, 30), (appendix.right_margin, 15)):
        assert abs(got - Cm(mm / 10)) < Cm(0.01)
    pg = appendix._sectPr.find(qn("w:pgNumType"))
    assert pg is not None and pg.get(qn("w:start")) == "1"
    assert first._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) is None
    # The appendix shows its number on its own first page: own header, no title page.
    assert not appendix.different_first_page_header_footer
    assert not appendix.header.is_linked_to_previous
    assert _has_page_field(appendix.header)


def test_appendix_heading_and_table(doc, ctx):
    a = ctx["appendix"]
    assert_format(doc, find(doc, a["heading"]), 14, bold=True, italic=False)
    assert_format(doc, find(doc, a["title"]), 14, bold=True, italic=False)
    assert_format(doc, find(doc, a["attached_line"]), 14, bold=False, italic=True)
    for text in (a["heading"], a["title"], a["attached_line"]):
        assert effective_pf(find(doc, text), "alignment") == WD_ALIGN_PARAGRAPH.CENTER

    table = doc.tables[-1]
    assert len(table.rows) == 1 + len(a["rows"])
    head = table.rows[0]
    assert [c.text for c in head.cells] == a["columns"]
    assert head._tr.trPr.find(qn("w:tblHeader")) is not None
    for cell in head.cells:
        assert_format(doc, cell.paragraphs[0], 12, bold=True, italic=False)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    widths = [c.width for c in table.columns]
    assert widths[1] > widths[2] and widths[5] > widths[2] and widths[0] < widths[3]
    sec = doc.sections[1]
    assert abs(sum(widths) - (sec.page_width - sec.left_margin - sec.right_margin)) < Cm(0.05)

    for row, data in zip(table.rows[1:], a["rows"]):
        tcs = row._tr.findall(qn("w:tc"))
        paras = [Paragraph(p, doc) for tc in tcs for p in tc.iter(qn("w:p"))]
        if data["kind"] == "task":
            assert len(tcs) == 6
            for p in paras:
                if p.text:
                    assert_format(doc, p, 12, bold=False, italic=False)
        else:
            assert len(tcs) == 2   # TT + content across the other five columns
            assert tcs[1].find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}").get(qn("w:val")) == "5"
            italic = data["kind"] == "group"
            for p in paras:
                assert_format(doc, p, 12, bold=True, italic=italic)


def test_section_break_paragraph_precedes_appendix(doc, ctx):
    body = doc.element.body
    carriers = [p for p in body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    assert len(carriers) == 1
    nxt = carriers[0].getnext()
    assert Paragraph(nxt, doc).text == ctx["appendix"]["heading"]
    # The appendix section does not end in a table.
    assert body[-1].tag == qn("w:sectPr") and body[-2].tag == qn("w:p")


# --------------------------------------------------------------------------- determinism, writing
def test_two_renders_are_byte_identical(context, tmp_path):
    a = render_docx(context, tmp_path / "a.docx")
    b = render_docx(copy.deepcopy(context), tmp_path / "b.docx")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_core_properties_come_from_context(context, tmp_path):
    draft = Document(str(render_docx(context, tmp_path / "draft.docx"))).core_properties
    assert draft.title == context["meta"]["title"]
    assert draft.author == context["meta"]["OrganName"]
    assert draft.created.isoformat().startswith(context["meta"]["DocumentDate"])  # never the clock
    assert draft.modified == draft.created

    issued = copy.deepcopy(context)
    issued["meta"].update(IssuedDate="2022-09-20", CodeNumber="45")
    props = Document(str(render_docx(issued, tmp_path / "issued.docx"))).core_properties
    assert props.created.isoformat().startswith("2022-09-20")
    assert props.identifier == "45/BC-UBND"


def test_failed_render_writes_nothing(context, tmp_path):
    del context["subject"]
    out = tmp_path / "out" / "bao-cao.docx"
    with pytest.raises(PipelineError, match="subject"):
        render_docx(context, out)
    assert not out.exists()
    assert not out.parent.exists() or not list(out.parent.iterdir())


def test_existing_output_is_replaced_whole(context, tmp_path):
    out = tmp_path / "bao-cao.docx"
    out.write_bytes(b"old")
    render_docx(context, out)
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.docx"]


def test_unknown_body_style_is_refused(context, tmp_path):
    context["body"][2]["style"] = "heading9"
    with pytest.raises(PipelineError, match="heading9"):
        render_docx(context, tmp_path / "x.docx")


# --------------------------------------------------------------------------- check_template
def test_check_template_accepts_the_real_template(context):
    assert check_template(DEFAULT_TEMPLATE, context) == []


def test_check_template_reports_missing_variables(context):
    del context["subject"]
    del context["header"]["motto"]
    del context["appendix"]["rows"][3]["result"]
    problems = check_template(DEFAULT_TEMPLATE, context)
    assert len(problems) == 3
    assert any("«subject»" in p for p in problems)
    assert any("«header.motto»" in p for p in problems)
    assert any("«appendix.rows[3].result»" in p for p in problems)
    assert all("dữ liệu báo cáo không có" in p for p in problems)


def _break_template(src: Path, dst: Path) -> None:
    """Put a {%p if %} tag into the paragraph that carries the portrait section break."""
    document = Document(str(src))
    body = document.element.body
    carrier = next(p for p in body.iter(qn("w:p"))
                   if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
    Paragraph(carrier, document).add_run("{%p if appendix.rows %}")
    closing = copy.deepcopy(body[-2])            # the plain paragraph after the appendix table
    for run in closing.findall(qn("w:r")):
        closing.remove(run)
    body.insert(len(body) - 1, closing)
    Paragraph(closing, document).add_run("{%p endif %}")
    document.save(str(dst))


def test_check_template_reports_tag_in_section_break_paragraph(context, tmp_path):
    broken = tmp_path / "hong.docx"
    _break_template(DEFAULT_TEMPLATE, broken)
    problems = check_template(broken, context)
    assert len(problems) == 1
    assert "ngắt phần" in problems[0] and "{%p" in problems[0]
    with pytest.raises(PipelineError, match="ngắt phần"):
        render_docx(context, tmp_path / "x.docx", template=broken)
    # Why it matters: rendered anyway, the landscape appendix section is gone.
    tpl = DocxTemplate(str(broken))
    tpl.render(context, autoescape=True)
    tpl.save(str(tmp_path / "lost.docx"))
    assert len(Document(str(tmp_path / "lost.docx")).sections) == 1


def test_check_template_reports_a_missing_file(context, tmp_path):
    problems = check_template(tmp_path / "khong-co.docx", context)
    assert len(problems) == 1 and "Không tìm thấy" in problems[0]


# --------------------------------------------------------------------------- LibreOffice
@pytest.fixture(scope="module")
def pdf(rendered, tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(outdir), str(rendered)],
        check=True, capture_output=True, timeout=600,
    )
    out = outdir / (rendered.stem + ".pdf")
    assert out.is_file()
    return out


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)],
                          check=True, capture_output=True, text=True).stdout
    return [(float(w), float(h)) for w, h in
            re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)]


def page_lines(pdf: Path, n: int) -> list[str]:
    text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.slow
def test_pdf_page_numbers_and_orientation(pdf, ctx):
    sizes = page_sizes(pdf)
    portrait = [i + 1 for i, (w, h) in enumerate(sizes) if w < h]
    landscape = [i + 1 for i, (w, h) in enumerate(sizes) if w > h]
    assert len(portrait) >= 2 and len(landscape) >= 2
    assert portrait == list(range(1, len(portrait) + 1))       # the appendix comes last

    first = page_lines(pdf, 1)
    assert not first[0].isdigit()
    assert first[0] == ctx["draft_mark"] == "DỰ THẢO"          # a draft: the mark above the header
    assert ctx["header"]["issuer_lines"][0] in first[1]
    for n in portrait[1:]:
        assert page_lines(pdf, n)[0] == str(n)
    # The appendix is numbered on its own from 1, its first page included.
    for i, n in enumerate(landscape, start=1):
        assert page_lines(pdf, n)[0] == str(i)


@pytest.mark.slow
def test_pdf_appendix_repeats_table_header(pdf, ctx):
    landscape = [i + 1 for i, (w, h) in enumerate(page_sizes(pdf)) if w > h]
    first = page_lines(pdf, landscape[0])
    assert first[1] == ctx["appendix"]["heading"]
    for n in landscape:
        lines = page_lines(pdf, n)
        header_at = next(i for i, line in enumerate(lines) if line.startswith("TT"))
        assert "Nội dung nhiệm vụ" in lines[header_at] and "Tình trạng" in lines[header_at]
        if n != landscape[0]:
            # right under the page number (a wrapped header cell may print its first line first)
            titles = " ".join(ctx["appendix"]["columns"])
            assert all(line in titles for line in lines[1:header_at]), lines[:header_at + 1]
            assert header_at <= 2
    # The last row ends the last page (layout mode interleaves wrapped cells: first words only).
    last_row = " ".join(ctx["appendix"]["rows"][-1]["content"].split()[:5])
    assert last_row in squash(" ".join(page_lines(pdf, landscape[-1])))


@pytest.mark.slow
def test_pdf_holds_all_body_text(pdf, ctx):
    portrait = [i + 1 for i, (w, h) in enumerate(page_sizes(pdf)) if w < h]
    pages = []
    for n in portrait:
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                              check=True, capture_output=True, text=True).stdout
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and lines[0].strip().isdigit():
            lines = lines[1:]                                    # the page number
        pages.append(" ".join(lines))
    full = squash(" ".join(pages))
    for item in ctx["body"]:
        assert squash(item["lead"] + item["text"]) in full, item["text"][:60]
    for text in (ctx["subject"], ctx["signer"]["name"], *ctx["noi_nhan"]):
        assert squash(text) in full


@pytest.mark.slow
def test_pdf_recipient_dashes_line_up(pdf, ctx):
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    words = [(float(x0), float(y0), float(x1), html.unescape(w)) for x0, y0, x1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)]
    at = next(i for i, w in enumerate(words) if w[3] == "gửi:")
    colon_end, label_y = words[at][2], words[at][1]
    dashes = [w for w in words[at + 1:] if w[3] == "-"][:len(ctx["recipients"])]
    assert len(dashes) == 2
    assert abs(dashes[0][1] - label_y) < 2                      # first recipient on the label's line
    assert dashes[1][1] > dashes[0][1] + 5                      # the next one on its own line
    assert abs(dashes[0][0] - dashes[1][0]) < 1                 # dashes aligned
    assert 0 < dashes[0][0] - colon_end < 20                    # right after "Kính gửi:"


# --------------------------------------------------------------------------- shared page rules
def test_appendix_columns_rows_and_numbers_follow_the_shared_rules(raw_doc, ctx):
    from pipeline.documents import layout
    plan = layout.plan_appendix(ctx["appendix"])
    assert abs(sum(plan.widths) - layout.LANDSCAPE_TEXT_WIDTH) < 0.2
    table = raw_doc.tables[-1]
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == [round(w * 1440 / 25.4) for w in plan.widths]       # the PDF's widths
    rows = table._tbl.findall(qn("w:tr"))[1:]
    assert len(rows) == len(ctx["appendix"]["rows"])
    for tr, row, keep in zip(rows, ctx["appendix"]["rows"], plan.keep_rows):
        assert (tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None) == keep
        if row["kind"] in ("section", "group"):
            for p in tr.iter(qn("w:p")):
                assert Paragraph(p, raw_doc).paragraph_format.keep_with_next or \
                    p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
    # numbers and notations never break: Word's non-breaking hyphen inside them
    xml = raw_doc.element.body.xml
    assert "<w:noBreakHyphen/>" in xml
    checked = 0
    for p in raw_doc.element.body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) in ("BCBody", "BCAppendixTitle"):
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            checked += "112/KH" in text
            assert not re.search(r"\d+/[^\W_]+-", text), text        # "112/KH-" never breakable
    assert checked


def test_long_headings_do_not_keep_with_next(context, tmp_path):
    long_text = "1. " + "Tiêu đề rất dài của một khoản trong báo cáo " * 6
    context["body"][1:1] = [{"style": "heading2", "lead": "", "text": "2. Tiêu đề ngắn", "id": "", "chart": ""},
                            {"style": "heading2", "lead": "", "text": long_text, "id": "", "chart": ""}]
    doc = Document(str(render_docx(context, tmp_path / "h.docx")))
    short = next(p for p in doc.paragraphs if plain(p.text) == "2. Tiêu đề ngắn")
    long_ = next(p for p in doc.paragraphs if plain(p.text).startswith("1. Tiêu đề rất dài"))
    assert effective_pf(short, "keep_with_next") is True
    assert long_.paragraph_format.keep_with_next is False
