"""The công văn đôn đốc (Nghị định 30/2020, Phụ lục III, Mẫu 1.5) as a văn thư checks it: built from the
sample quý III forms, rendered by both renderers, opened with python-docx, pdftotext, pikepdf, PDFBox
and LibreOffice. Expected words are written from the rules (FORMAT.md §8) and the sample's facts."""
from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.shared import Pt

from pipeline.plan.master import load_master
from pipeline.collection.collect import collect
from pipeline.documents.render_docx import render_docx
from pipeline.documents.render_pdf import render_pdf
from pipeline.drafting.context import Issue
from pipeline.status.merge import merge
from pipeline.errors import PipelineError
from pipeline.followup.findings import find_follow_up
from pipeline.followup.letter import build_letter_context, letter_dates
from pipeline.plan.config import load_config
from pipeline.report import load_inputs
from tests import pagecheck as P
from tests.conftest import CONFIG, MASTER, SAMPLE

MM = 72 / 25.4


def follow_up(config_path=CONFIG, days=30):
    config, plan, period = load_inputs(config_path, "2022-Q3")
    master = plan.as_of(period.end)
    collection = collect(SAMPLE, master, period, plan_number=config.plan_number, plan_date=config.plan_date,
                         ignore=("bien-tap.xlsx",))
    merged = merge(master, period, collection.rows, collection.reported_agencies)
    return config, master, find_follow_up(master, merged, collection, collection.problems, days=days)


def letter(config_path=CONFIG, issue=None, answer_by=None):
    config, master, follow = follow_up(config_path)
    return build_letter_context(config, master, follow, letter_dates(config, follow, issue, answer_by), issue)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cv")
    ctx = letter()
    docx = render_docx(ctx, folder / "cong-van.docx")
    pdf = render_pdf(ctx, folder / "cong-van.pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    lo_dir = tmp_path_factory.mktemp("lo")
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(lo_dir), str(docx)], check=True, capture_output=True, timeout=600)
    return {"ctx": ctx, "docx": docx, "pdf": pdf, "lo": lo_dir / "cong-van.pdf"}


def pdf_text(pdf: Path, *extra: str) -> str:
    out = subprocess.run(["pdftotext", "-raw", *extra, str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def words(text: str) -> list[str]:
    """The running words, without page numbers (a line holding only digits)."""
    lines = [ln for ln in text.splitlines() if not re.fullmatch(r"\s*\d+\s*", ln)]
    return re.sub(r"-\s+", "-", " ".join(lines)).split()


# ---------------------------------------------------------------- what it says

def test_addressed_to_the_agencies_to_chase_by_name():
    ctx = letter()
    # Sample: VPTU, CA, SYT sent nothing; SCT had a row refused; SKHDT (II.4) and SNGV (III.4.1) have tasks due
    # on 30/9/2022, within 30 days after the cut-off 14/9/2022. Registry order.
    assert ctx["recipients"] == ["- Văn phòng Tỉnh ủy;", "- Công an tỉnh;", "- Sở Kế hoạch và Đầu tư;", "- Sở Y tế;",
                                 "- Sở Ngoại vụ;", "- Sở Công Thương."]
    assert ctx["subject"] == "V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch số 112/KH-UBND"
    assert ctx["header"]["number_line"] == "Số:      /UBND-TH"
    assert ctx["header"]["date_line"] == "Kiên Giang, ngày      tháng 9 năm 2022"
    assert "doc_type" not in ctx and "appendix" not in ctx          # no "CÔNG VĂN" line, no appendix
    assert ctx["noi_nhan"] == ["- Như trên;", "- CT, các PCT UBND tỉnh;", "- LĐVP;", "- Lưu: VT, TH."]
    assert ctx["meta"]["TypeName"] == "Công văn" and ctx["meta"]["CodeNotation"] == "UBND-TH"


def test_each_agency_is_told_what_is_missing_and_by_when():
    text = "\n".join(b["text"] for b in letter()["body"])
    headings = [b["text"] for b in letter()["body"] if b["style"] == "heading2"]
    assert headings == ["1. Văn phòng Tỉnh ủy", "2. Công an tỉnh", "3. Sở Kế hoạch và Đầu tư", "4. Sở Y tế",
                        "5. Sở Ngoại vụ", "6. Sở Công Thương"]
    assert "Đến nay, 12/15 cơ quan chủ trì đã gửi phiếu báo cáo quý III năm 2022; 3 cơ quan chưa gửi phiếu" in text
    name = load_master(MASTER).task("I.1").short_name   # a task by its code and short name
    assert f"Chưa gửi phiếu báo cáo quý III năm 2022 về 1 nhiệm vụ được giao chủ trì: nhiệm vụ I.1 ({name})." in text
    # SCT: the refused row, its cell and why; its report date
    assert ("Phiếu báo cáo ngày 13/9/2022 có 1 dòng chưa hợp lệ, chưa được tổng hợp: nhiệm vụ III.13 "
            f"({load_master(MASTER).task('III.13').short_name}): ") in text
    assert "cột «Tiến độ (%)», tiến độ «400» nằm ngoài khoảng 0–100." in text
    assert f"nhiệm vụ II.4 ({load_master(MASTER).task('II.4').short_name}), thời hạn tháng 9/2022" in text and "trước ngày 14/10/2022" in text
    # reply by: five days before the report is due on 25/9/2022
    assert text.endswith("trước ngày 20/9/2022 để tổng hợp, báo cáo Thủ tướng Chính phủ theo quy định./.")


def test_reply_by_date_and_issue_date_are_checked():
    config, master, follow = follow_up()
    assert letter_dates(config, follow, None, date(2022, 9, 22)).answer_by == date(2022, 9, 22)
    with pytest.raises(PipelineError, match=r"Hạn gửi phiếu 10/9/2022 không sau ngày chốt số liệu 14/9/2022"):
        letter_dates(config, follow, None, date(2022, 9, 10))
    with pytest.raises(PipelineError, match=r"Hạn gửi phiếu 20/9/2022 không sau ngày ban hành 21/9/2022 \(hạn mặc "
                                         r"định\); hãy ghi hạn trả lời bằng --han"):
        letter_dates(config, follow, Issue(7, date(2022, 9, 21)), None)
    with pytest.raises(PipelineError, match="không sau ngày chốt số liệu 14/9/2022"):
        letter_dates(config, follow, Issue(7, date(2022, 9, 14)), None)


def test_issued_letter_carries_number_and_date():
    ctx = letter(issue=Issue(7, date(2022, 9, 16)))
    assert ctx["header"]["number_line"] == "Số: 07/UBND-TH"
    assert ctx["header"]["date_line"] == "Kiên Giang, ngày 16 tháng 9 năm 2022"
    assert ctx["meta"]["IssuedDate"] == "2022-09-16" and not ctx["draft"]


def test_sent_by_the_van_phong_with_its_own_header_notation_and_signer(tmp_path):
    text = CONFIG.read_text(encoding="utf-8")
    section = text.index("[don_doc]")
    text = text[:section] + """[don_doc]
issuer_name = "Văn phòng Ủy ban nhân dân tỉnh Kiên Giang"
parent_lines = ["UBND TỈNH KIÊN GIANG"]
header_lines = ["VĂN PHÒNG"]
notation = "VP-TH"
authority_lines = ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"]
position = "Phó Chánh Văn phòng"
name = "Nguyễn Văn Mẫu"
"""
    cfg = tmp_path / "ke-hoach.toml"
    cfg.write_text(text, encoding="utf-8")
    (tmp_path / "nhiem-vu-112.xlsx").write_bytes((CONFIG.parent / "nhiem-vu-112.xlsx").read_bytes())
    assert load_config(cfg).follow_up.notation == "VP-TH"
    ctx = letter(cfg)
    assert ctx["header"]["number_line"] == "Số:      /VP-TH"
    assert ctx["meta"]["OrganName"] == "Văn phòng Ủy ban nhân dân tỉnh Kiên Giang"
    assert ctx["body"][1]["text"].endswith("Văn phòng Ủy ban nhân dân tỉnh Kiên Giang đề nghị các cơ quan thực "
                                          "hiện những nội dung sau:")
    assert "gửi phiếu báo cáo về Văn phòng Ủy ban nhân dân tỉnh Kiên Giang trước ngày" in ctx["body"][-1]["text"]
    doc = Document(render_docx(ctx, tmp_path / "vp.docx"))
    left = doc.tables[0].rows[0].cells[0].paragraphs
    left = [p for p in left if p.text]
    shown = [(p.text, p.style.style_id) for p in left]
    assert shown == [("UBND TỈNH KIÊN GIANG", "BCIssuerParent"), ("VĂN PHÒNG", "BCIssuer")]
    assert not left[0].style.font.bold and left[1].style.font.bold
    sign = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert sign == ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn Mẫu"]


def test_nobody_to_chase_is_said_in_one_sentence():
    config, master, follow = follow_up(days=0)
    for a in follow.agencies:
        a.silent, a.unreported, a.rejected, a.due_soon = False, [], [], []
    with pytest.raises(PipelineError, match="Không có cơ quan nào cần đôn đốc trong quý III năm 2022"):
        build_letter_context(config, master, follow, letter_dates(config, follow, None, None))


# ---------------------------------------------------------------- layout (Mẫu 1.5)

def test_docx_layout_points_of_a_cong_van(rendered):
    doc = Document(rendered["docx"])
    header = doc.tables[0]
    number_cell = header.rows[1].cells[0].paragraphs
    # (a number stays with the word before it: "số\u00a0112/KH-UBND")
    assert [p.text.replace("\u00a0", " ") for p in number_cell] == ["Số:      /UBND-TH",
                                             "V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch số 112/KH-UBND"]
    vv = number_cell[1].style
    # the V/v line: 12–13 pt, upright, not bold, centred, 6 pt below the number
    assert vv.font.size == Pt(12) and not vv.font.bold and not vv.font.italic
    assert vv.paragraph_format.alignment == 1 and vv.paragraph_format.space_before == Pt(6)
    texts = [p.text for p in doc.paragraphs]
    assert "CÔNG VĂN" not in texts and not any(t.upper() == t and "CÔNG VĂN" in t for t in texts)
    kg = next(p for p in doc.paragraphs if p.text.startswith("Kính gửi:"))
    assert kg.text.split("\n") == ["Kính gửi:\t- Văn phòng Tỉnh ủy;", "- Công an tỉnh;", "- Sở Kế hoạch và Đầu tư;",
                                   "- Sở Y tế;", "- Sở Ngoại vụ;", "- Sở Công Thương."]
    body = [p for p in doc.paragraphs if p.style.style_id in ("BCBody", "Heading2")]
    assert body[-1].text.endswith("./.") and body[0].paragraph_format.first_line_indent is None  # from the style
    assert body[0].style.paragraph_format.first_line_indent > 0
    sign = doc.tables[1].rows[0].cells
    noi_nhan = [p.text for p in sign[0].paragraphs if p.text]
    assert noi_nhan[0] == "Nơi nhận:" and noi_nhan[1] == "- Như trên;" and noi_nhan[-1] == "- Lưu: VT, TH."
    section = doc.sections[0]
    assert len(doc.sections) == 1 and section.different_first_page_header_footer
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    fonts = doc.styles.element.find(".//{*}docDefaults//{*}rFonts")
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{k}") for k in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}


def test_both_renderers_say_the_same_words(rendered):
    ours = words(pdf_text(rendered["pdf"]))
    lo = words(pdf_text(rendered["lo"]))
    assert ours == lo
    ctx = rendered["ctx"]
    joined = " ".join(ours)
    for piece in [*ctx["header"]["issuer_lines"], ctx["header"]["national_name"], ctx["subject"],
                  *(b["text"] for b in ctx["body"]), *ctx["noi_nhan"], ctx["signer"]["name"]]:
        assert " ".join(re.sub(r"-\s+", "-", piece).split()) in joined, piece


def test_subject_sits_under_the_number_in_the_left_column(rendered):
    for pdf in (rendered["pdf"], rendered["lo"]):
        page = P.pages(pdf)[0]
        by_text = {w["text"]: w for w in page.words}
        number, vv, date_word = by_text["Số:"], by_text["V/v"], by_text["Kiên"]
        assert vv["yMin"] > number["yMax"], pdf          # below the number
        assert vv["xMax"] < date_word["xMin"], pdf       # in the issuer's column, left of the date line
        kinh = by_text["Kính"]
        assert kinh["yMin"] > vv["yMax"], pdf            # Kính gửi comes after the header


def test_pages_are_numbered_from_the_second_and_words_stay_inside(rendered):
    for pdf in (rendered["pdf"], rendered["lo"]):
        pages = P.pages(pdf)
        assert len(pages) == 2, pdf
        top = pdf_text(pdf, "-f", "2", "-l", "2", "-x", "0", "-y", "0", "-W", "2000", "-H", "45").split()
        assert top == ["2"], pdf
        first_top = pdf_text(pdf, "-f", "1", "-l", "1", "-x", "0", "-y", "0", "-W", "2000", "-H", "45").split()
        assert first_top == rendered["ctx"]["draft_mark"].split() == ["DỰ", "THẢO"], pdf   # no number: a draft's mark
        for page in pages:
            for w in page.words:
                assert 0 <= w["xMin"] and w["xMax"] <= page.width and w["yMax"] <= page.height, (pdf, w)


def test_pdf_is_pdf_a_with_the_archive_record(rendered):
    with pikepdf.open(rendered["pdf"]) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        assert "<vbhc:TypeName>Công văn</vbhc:TypeName>" in xmp and "<vbhc:CodeNotation>UBND-TH</vbhc:CodeNotation>" in xmp
        assert "<rdf:li>Sở Công Thương</rdf:li>" in xmp
        assert str(pdf.docinfo["/Title"]) == "V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch số 112/KH-UBND"
        fonts = {str(f.get("/BaseFont")).split("+")[-1] for page in pdf.pages
                 for f in page.obj.Resources.Font.values()}
    assert fonts <= {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic"}
    assert subprocess.run(["qpdf", "--check", str(rendered["pdf"])], capture_output=True).returncode == 0


def test_pdfa1b_rendition_passes_pdfbox_preflight(tmp_path):
    from tests.test_render_pdf import preflight_classpath

    classpath = preflight_classpath()
    assert classpath, "Java and libpdfbox2-java are installed by make test"
    pdf = render_pdf(letter(), tmp_path / "cv-1b.pdf", variant="pdf/a-1b")
    out = subprocess.run(["java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b", str(pdf)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "is a valid PDF/A-1b file" in out.stdout, out.stdout[-2000:] + out.stderr[-2000:]


def test_no_line_ends_inside_a_document_number_or_date(rendered):
    numbers = P.context_numbers(rendered["ctx"])
    assert {"112/KH-UBND", "99/TB-VPCP", "14/9/2022", "20/9/2022"} <= numbers
    for pdf in (rendered["pdf"], rendered["lo"]):
        assert P.numbers_split_at_line_end(pdf, numbers) == [], pdf


def test_the_wording_is_the_phrasebook_and_check_template_checks_it(tmp_path):
    import shutil
    import sys

    from pipeline.followup.letter import PHRASEBOOK, PHRASES
    from pipeline.drafting.phrasebook import Phrasebook, check_phrasebook
    from tests.conftest import PROJECT

    assert check_phrasebook(PHRASEBOOK, PHRASES) == []
    edited = tmp_path / "cong-van.toml"
    shutil.copy(PHRASEBOOK, edited)
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "khẩn trương thực hiện, gửi phiếu", "khẩn trương gửi phiếu"), encoding="utf-8")
    config, master, follow = follow_up()
    ctx = build_letter_context(config, master, follow, letter_dates(config, follow, None, None),
                               phrasebook=Phrasebook(edited, PHRASES))
    assert ctx["body"][-1]["text"].startswith("Đề nghị các cơ quan nêu trên khẩn trương gửi phiếu báo cáo về")
    r = subprocess.run([sys.executable, "-m", "pipeline", "check-template"], capture_output=True, text=True, cwd=PROJECT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "cong-van.toml hợp lệ: đủ 20 câu" in r.stdout and "cong-van.docx hợp lệ" in r.stdout
