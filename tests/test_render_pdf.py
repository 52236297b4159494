"""The PDF/A renderer, checked by opening what it writes (pdftotext, pdffonts, qpdf, pikepdf,
PDFBox Preflight)."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from openpyxl import Workbook

from pipeline.errors import PipelineError
from pipeline.documents.render_pdf import render_pdf

FIXTURE = Path(__file__).parent / "fixtures" / "context_sample.json"
MM = 72 / 25.4
TOP_BAND = 45  # pt from the top edge: inside the 20 mm top margin, above the text area

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "vbhc": "urn:vn:nd30-2020:phuluc-vi#",
    "vbhcSigner": "urn:vn:nd30-2020:phuluc-vi:signer#",
}


def load_context() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def make_xlsx(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    ws.append(["TT", "Nội dung nhiệm vụ", "Tình trạng"])
    ws.append(["1", "Nhiệm vụ thử số 1", "Chưa hoàn thành, trong hạn"])
    wb.save(path)
    return path


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False)


def text_of(pdf: Path, *extra: str) -> str:
    result = run("pdftotext", "-raw", "-r", "72", *extra, str(pdf), "-")
    assert result.returncode == 0, result.stderr
    return result.stdout


def body_text(pdf: Path) -> str:
    """Text below the top band (so page numbers don't cut through the running text)."""
    return text_of(pdf, "-x", "0", "-y", str(TOP_BAND), "-W", "2000", "-H", "2000")


def top_band(pdf: Path, page: int) -> str:
    return text_of(pdf, "-f", str(page), "-l", str(page),
                   "-x", "0", "-y", "0", "-W", "2000", "-H", str(TOP_BAND)).strip()


def norm(text: str) -> str:
    # Lines may break after a hyphen ("112/KH-" / "UBND"): drop whitespace after hyphens.
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"- ", "-", text)


def reading_order(ctx: dict) -> list[str]:
    """Every typeset context string, in the order the document shows it."""
    h, a = ctx["header"], ctx["appendix"]
    seq = [*h["issuer_lines"], h["national_name"], h["motto"], h["number_line"], h["date_line"],
           ctx["doc_type"], ctx["subject"], ctx["recipients_label"], *ctx["recipients"]]
    for block in ctx["body"]:
        seq += [block["lead"], block["text"]]
    seq += [ctx["noi_nhan_label"], *ctx["noi_nhan"], *ctx["signer"]["authority_lines"],
            ctx["signer"]["name"], a["heading"], a["title"], a["attached_line"], *a["columns"]]
    for row in a["rows"]:
        seq += [row["tt"], row["content"], row["lead"], row["deadline"], row["status"],
                row["result"]]
    return [s for s in seq if s.strip()]


def page_sizes(pdf_path: Path) -> list[tuple[float, float]]:
    with pikepdf.open(pdf_path) as pdf:
        sizes = []
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
            sizes.append((x1 - x0, y1 - y0))
        return sizes


def xmp_tree(pdf: pikepdf.Pdf):
    return etree.fromstring(pdf.Root.Metadata.read_bytes())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    xlsx = make_xlsx(folder / "tong-hop-2022-Q3.xlsx")
    out = render_pdf(load_context(), folder / "bao-cao.pdf", attachments=[xlsx])
    return out, xlsx


# ---------------------------------------------------------------- text

def test_every_context_string_appears_in_order(rendered):
    pdf, _ = rendered
    text = norm(body_text(pdf))
    pos = 0
    for expected in reading_order(load_context()):
        found = text.find(norm(expected), pos)
        assert found >= 0, f"missing or out of order: {expected[:80]!r}"
        pos = found + len(norm(expected))


def test_hostile_text_is_printed_as_typed(rendered):
    pdf, _ = rendered
    text = norm(body_text(pdf))
    assert "Đã triển khai <b>&amp; \"kế hoạch\" {{ x }} 'A & B' < >" in text
    assert "Nhiệm vụ thử số 1 & <kiểm tra> “ngoặc kép”" in text
    # result lines keep their break: the second agency starts a new line
    lines = body_text(pdf).splitlines()
    assert any(line.endswith("Sở Kế hoạch và Đầu tư: đã trình dự thảo.")
               or line.endswith("Sở Kế hoạch và Đầu tư: đã trình") for line in lines)
    assert "Sở Tài chính: chưa báo cáo." in lines


def test_blank_number_and_day_keep_their_room(rendered):
    pdf, _ = rendered
    words = word_boxes(pdf)[0]
    so = next(w for w in words if w["text"] == "Số:")
    code = next(w for w in words if w["text"] == "/BC-UBND")
    assert code["xMin"] - so["xMax"] > 15  # six spaces of 13 pt, not collapsed to one


# ---------------------------------------------------------------- pages and numbering

def test_page_numbers(rendered):
    pdf, _ = rendered
    sizes = page_sizes(pdf)
    assert top_band(pdf, 1) == load_context()["draft_mark"] == "DỰ THẢO"   # page 1: no number, a draft's mark
    assert top_band(pdf, 2) == "2"
    first_appendix = next(i for i, (w, h) in enumerate(sizes) if w > h)
    assert first_appendix >= 2
    assert all(w < h for w, h in sizes[:first_appendix])
    assert all(w > h for w, h in sizes[first_appendix:])
    numbers = [top_band(pdf, i + 1) for i in range(first_appendix, len(sizes))]
    assert len(numbers) >= 2
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


def test_page_sizes_are_a4(rendered):
    pdf, _ = rendered
    for w, h in page_sizes(pdf):
        assert sorted((round(w / MM), round(h / MM))) == [210, 297]


def test_appendix_header_row_repeats_on_every_appendix_page(rendered):
    pdf, _ = rendered
    sizes = page_sizes(pdf)
    header = norm(" ".join(load_context()["appendix"]["columns"]))
    for i, (w, h) in enumerate(sizes):
        if w > h:
            page = norm(text_of(pdf, "-f", str(i + 1), "-l", str(i + 1)))
            assert header in page, f"page {i + 1}"


def word_boxes(pdf: Path) -> list[list[dict]]:
    result = run("pdftotext", "-bbox", str(pdf), "-")
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", result.stdout, re.S):
        words = []
        for m in re.finditer(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                page):
            x0, y0, x1, y1, word = m.groups()
            words.append({"xMin": float(x0), "yMin": float(y0), "xMax": float(x1),
                          "yMax": float(y1), "text": html.unescape(word)})
        pages.append(words)
    return pages


def test_text_stays_inside_the_margins(rendered):
    pdf, _ = rendered
    sizes = page_sizes(pdf)
    for (w, h), words in zip(sizes, word_boxes(pdf)):
        body = [x for x in words if x["yMin"] > TOP_BAND]
        left, right = 30 * MM, w - 15 * MM
        bottom = h - (20 if w < h else 15) * MM
        # pdftotext measures with the PDF's rounded glyph widths: allow 1.5 pt (1 mm = 2.8 pt)
        assert min(x["xMin"] for x in body) >= left - 0.5
        assert max(x["xMax"] for x in body) <= right + 1.5
        assert max(x["yMax"] for x in body) <= bottom + 1
    # justified body text reaches both margins on page 1
    page1 = word_boxes(pdf)[0]
    assert min(x["xMin"] for x in page1) == pytest.approx(30 * MM, abs=0.5)
    assert max(x["xMax"] for x in page1) == pytest.approx(sizes[0][0] - 15 * MM, abs=1.5)


def test_recipients_line_up_under_each_other(rendered):
    pdf, _ = rendered
    words = word_boxes(pdf)[0]
    label = next(i for i, w in enumerate(words) if w["text"] == "gửi:")
    dashes = [w for w in words[label + 1:] if w["text"] == "-"][:2]
    assert len(dashes) == 2
    assert dashes[0]["xMin"] == pytest.approx(dashes[1]["xMin"], abs=0.3)
    assert dashes[0]["xMin"] > words[label]["xMax"]
    assert dashes[1]["yMin"] > dashes[0]["yMax"] - 1  # on the next line


def test_signature_block_is_never_split(tmp_path):
    """Grow the body a line at a time until the signature block moves to the next page."""
    base = load_context()
    base["appendix"]["rows"] = base["appendix"]["rows"][:2]
    first_page = None
    for extra in range(30):
        ctx = json.loads(json.dumps(base))
        fillers = [{"style": "paragraph", "lead": "", "text": f"Nội dung bổ sung số {k}."}
                   for k in range(extra)]
        ctx["body"][-1:-1] = fillers
        pages = text_of(render_pdf(ctx, tmp_path / f"s{extra}.pdf")).split("\f")
        label = [i for i, page in enumerate(pages) if "Nơi nhận:" in page]
        name = [i for i, page in enumerate(pages) if "Lâm Minh Thành" in page]
        authority = [i for i, page in enumerate(pages) if "TM. ỦY BAN NHÂN DÂN" in page]
        last_list_item = [i for i, page in enumerate(pages) if "- Lưu: VT, KT." in page]
        assert len(label) == 1 and label == name == authority == last_list_item, extra
        if first_page is None:
            first_page = label[0]
        elif label[0] != first_page:
            return  # it moved as a whole
    pytest.fail("the signature block never reached a page break")


# ---------------------------------------------------------------- fonts, syntax

def test_only_liberation_serif_embedded(rendered):
    pdf, _ = rendered
    result = run("pdffonts", str(pdf))
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()[2:]
    assert len(rows) >= 4  # regular, bold, italic, bold-italic
    for row in rows:
        cols = row.split()
        name, emb = cols[0], cols[-5]
        assert re.fullmatch(r"[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?", name), row
        assert emb == "yes", row


def test_qpdf_check_passes(rendered):
    pdf, _ = rendered
    result = run("qpdf", "--check", str(pdf))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


# ---------------------------------------------------------------- metadata, attachment

def test_xmp_and_docinfo(rendered):
    pdf_path, _ = rendered
    ctx = load_context()
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == ctx["subject"]
        assert set(meta["dc:language"]) == {"vi"}
        assert str(pdf.Root.Lang) == "vi"
        assert str(pdf.docinfo["/Title"]) == ctx["subject"]
        # no clock: dates come from the period (2022-Q3, the 25th of its last month)
        assert str(pdf.docinfo["/CreationDate"]) == "D:20220925000000+07'00'"
        assert meta["xmp:CreateDate"] == "2022-09-25T00:00:00+07:00"

        xmp = xmp_tree(pdf)
        one = lambda path: xmp.xpath(path, namespaces=NS)  # noqa: E731
        assert one("string(//vbhc:CodeNotation)") == "BC-UBND"
        assert one("string(//vbhc:OrganName)") == "Ủy ban nhân dân tỉnh Kiên Giang"
        assert one("string(//vbhc:TypeName)") == "Báo cáo"
        assert one("string(//vbhc:Subject)") == ctx["subject"]
        assert one("string(//vbhc:SignerInfo/vbhcSigner:Position)") == "Chủ tịch"
        assert one("string(//vbhc:SignerInfo/vbhcSigner:FullName)") == "Lâm Minh Thành"
        assert one("//vbhc:To/rdf:Seq/rdf:li/text()") == ["Thủ tướng Chính phủ",
                                                           "Văn phòng Chính phủ"]
        assert int(one("string(//vbhc:PageAmount)")) == len(pdf.pages)
        assert one("//vbhc:IssuedDate") == []  # a draft has no issued date

        # every vbhc property used is declared in the PDF/A extension schema
        declared = set(one("//pdfaSchema:property//pdfaProperty:name/text()"))
        used = {etree.QName(e).localname for e in xmp.iter()
                if isinstance(e.tag, str) and etree.QName(e).namespace == NS["vbhc"]}
        assert used and used <= declared
        assert one("string(//pdfaSchema:namespaceURI)") == NS["vbhc"]


def test_attachment_is_embedded_as_associated_file(rendered):
    pdf_path, xlsx = rendered
    with pikepdf.open(pdf_path) as pdf:
        assert list(pdf.attachments) == [xlsx.name]
        spec = pdf.attachments[xlsx.name]
        assert spec.get_file().read_bytes() == xlsx.read_bytes()
        assert spec.obj.AFRelationship == pikepdf.Name.Data
        assert [f.objgen for f in pdf.Root.AF] == [spec.obj.objgen]
        assert str(spec.get_file().obj.Subtype) == (
            "/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_issued_date_and_number_when_issued(tmp_path):
    ctx = load_context()
    ctx["meta"]["IssuedDate"] = "2022-09-20"
    ctx["meta"]["CodeNumber"] = "45"
    out = render_pdf(ctx, tmp_path / "issued.pdf")
    with pikepdf.open(out) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20220920000000+07'00'"
        assert str(pdf.docinfo["/ModDate"]) == "D:20220920000000+07'00'"
        xmp = xmp_tree(pdf)
        assert xmp.xpath("string(//vbhc:IssuedDate)", namespaces=NS) == "2022-09-20"
        assert xmp.xpath("string(//vbhc:CodeNumber)", namespaces=NS) == "45"
        assert len(pdf.attachments) == 0


# ---------------------------------------------------------------- determinism, atomicity

def test_two_renders_are_byte_identical(rendered, tmp_path):
    first, xlsx = rendered
    # same content, different file on disk (other mtime): must not matter
    copy_of = tmp_path / xlsx.name
    shutil.copyfile(xlsx, copy_of)
    second = render_pdf(load_context(), tmp_path / "again.pdf", attachments=[copy_of])
    assert first.read_bytes() == second.read_bytes()
    with pikepdf.open(second) as pdf:
        assert len(pdf.trailer.ID) == 2


# ---------------------------------------------------------------- refusals

@pytest.mark.parametrize("where, char", [
    (("body", 2, "text"), "漢"),
    (("appendix", "rows", 3, "result"), "𝔸"),
])
def test_missing_glyph_is_refused(tmp_path, where, char):
    ctx = load_context()
    node = ctx
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] += f" ký hiệu {char} lạ"
    out = tmp_path / "x.pdf"
    with pytest.raises(PipelineError) as err:
        render_pdf(ctx, out)
    message = str(err.value)
    assert f"«{char}»" in message
    assert f"U+{ord(char):04X}" in message
    assert where[0] in message and str(where[-2]) in message
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_pdfa1_refuses_attachments(tmp_path):
    xlsx = make_xlsx(tmp_path / "t.xlsx")
    with pytest.raises(PipelineError, match="PDF/A-1B"):
        render_pdf(load_context(), tmp_path / "x.pdf", attachments=[xlsx], variant="pdf/a-1b")


def test_failed_render_keeps_the_previous_file(tmp_path):
    out = tmp_path / "bao-cao.pdf"
    out.write_bytes(b"old")
    ctx = load_context()
    ctx["body"][0]["style"] = "tieu-de"
    with pytest.raises(PipelineError, match="tieu-de"):
        render_pdf(ctx, out)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.pdf"]


# ---------------------------------------------------------------- independent validator

def preflight_classpath() -> str | None:
    jars = ["preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging",
            "javax.activation", "jaxb-api"]
    paths = [Path("/usr/share/java") / f"{name}.jar" for name in jars]
    if shutil.which("java") is None or not all(p.is_file() for p in paths):
        return None
    return ":".join(str(p) for p in paths)


@pytest.mark.slow
def test_pdfa1b_passes_pdfbox_preflight(tmp_path):
    classpath = preflight_classpath()
    if classpath is None:
        pytest.skip("chưa cài Java hoặc libpdfbox2-java (PDFBox Preflight kiểm tra PDF/A): make setup-test cài chúng")
    out = render_pdf(load_context(), tmp_path / "a1b.pdf", variant="pdf/a-1b")
    with pikepdf.open(out) as pdf:
        assert pdf.open_metadata()["pdfaid:part"] == "1"
    result = run("java", "-cp", classpath, "org.apache.pdfbox.preflight.Validator_A1b", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is a valid PDF/A-1b file" in result.stdout


# ---------------------------------------------------------------- long appendix (two processes)

def test_long_appendix_rendered_in_parallel_matches_one_process(tmp_path, monkeypatch):
    """Past PARALLEL_MIN_ROWS the appendix is laid out in a second process: same pages, same
    text, numbering from 1, attachment kept, one tag per font subset."""
    from pipeline.documents import render_pdf as R
    ctx = load_context()
    task = next(r for r in ctx["appendix"]["rows"] if r["kind"] == "task")
    rows = [dict(task, tt=str(i + 1)) for i in range(R.PARALLEL_MIN_ROWS)]
    ctx["appendix"]["rows"] = rows
    xlsx = make_xlsx(tmp_path / "tong-hop.xlsx")
    both = R.render_pdf(ctx, tmp_path / "parallel.pdf", attachments=[xlsx])
    monkeypatch.setattr(R, "PARALLEL_MIN_ROWS", 10 ** 9)
    one = R.render_pdf(ctx, tmp_path / "one.pdf", attachments=[xlsx])

    def layout_text(pdf):
        return run("pdftotext", "-layout", str(pdf), "-").stdout
    assert layout_text(both) == layout_text(one)
    sizes = page_sizes(both)
    first_appendix = next(i for i, (w, h) in enumerate(sizes) if w > h)
    numbers = [top_band(both, i + 1) for i in range(first_appendix, len(sizes))]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and len(numbers) > 10
    with pikepdf.open(both) as pdf:
        tree = xmp_tree(pdf)
        amount = tree.xpath("string(//vbhc:PageAmount)", namespaces=NS)
        assert int(amount) == len(sizes)
        assert "tong-hop.xlsx" in pdf.attachments
    fonts = run("pdffonts", str(both)).stdout.splitlines()[2:]
    names = [row.split()[0] for row in fonts]
    assert len(names) == len(set(names)) >= 4
    assert all(re.fullmatch(r"[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?", n) for n in names)
    assert run("qpdf", "--check", str(both)).returncode == 0


def test_a_long_unbroken_word_stays_inside_the_page(tmp_path):
    ctx = load_context()
    token = "https://dichvucong.kiengiang.gov.vn/" + "thutuchanhchinh" * 12
    row = next(r for r in ctx["appendix"]["rows"] if r["kind"] == "task")
    row["result"] = f"Xem {token} để biết thêm."
    row["lead"] = "Sở" + "Thôngtinvàtruyềnthông" * 3
    ctx["body"][1]["text"] = token
    pdf = render_pdf(ctx, tmp_path / "long.pdf")
    for (w, h), words in zip(page_sizes(pdf), word_boxes(pdf)):
        assert words and max(x["xMax"] for x in words) <= w - 15 * MM + 1.5
    assert token in norm(body_text(pdf)).replace(" ", "")
