"""Render the report context to the archival PDF/A (WeasyPrint + pikepdf).

Layout lives in templates/html (FORMAT.md §1–2); this module checks the context, renders it,
then rewrites the XMP packet with the archive record of FORMAT.md §7 (Nghị định 30/2020,
Phụ lục VI). The output depends only on the context and the attachments: no clock is read.
"""
from __future__ import annotations

import io
import logging
import os
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf
from fontTools.ttLib import TTFont
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup

from pipeline.documents import layout
from pipeline.documents.doctypes import document_type

from pipeline.files import atomic_path
from pipeline.drafting.context import document_date
from pipeline.errors import PipelineError
from pipeline.text.fonts import EMBEDDED_FAMILIES, FALLBACK_FAMILY, FONT_FACES, fallback_face, font_files, typeset_coverage

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "html"


# variant -> (pdfaid:part, pdfaid:conformance)
VARIANTS = {
    "pdf/a-1b": (1, "B"),
    "pdf/a-2b": (2, "B"),
    "pdf/a-3b": (3, "B"),
    "pdf/a-2u": (2, "U"),
    "pdf/a-3u": (3, "U"),
}
ATTACHMENT_RELATIONSHIP = "Data"
ATTACHMENT_DESCRIPTION = "Số liệu tổng hợp làm căn cứ lập báo cáo"

BODY_STYLES = ("paragraph", "heading1", "heading2", "heading3", "figure")
ROW_KINDS = ("section", "group", "task")
APPENDIX_COLUMNS = 6

VN_TZ = timezone(timedelta(hours=7))
# Archive record (Nghị định 30/2020, Phụ lục VI) as a PDF/A extension schema.
VBHC_NS = "urn:vn:nd30-2020:phuluc-vi#"
VBHC_PREFIX = "vbhc"
SIGNER_NS = "urn:vn:nd30-2020:phuluc-vi:signer#"
SIGNER_PREFIX = "vbhcSigner"
# name, XMP value type, description (Vietnamese: archive staff read it)
VBHC_PROPERTIES = (
    ("TypeName", "Text", "Tên loại văn bản"),
    ("CodeNumber", "Text", "Số của văn bản"),
    ("CodeNotation", "Text", "Ký hiệu của văn bản"),
    ("IssuedDate", "Date", "Ngày, tháng, năm văn bản"),
    ("OrganName", "Text", "Tên cơ quan, tổ chức ban hành văn bản"),
    ("Subject", "Text", "Trích yếu nội dung"),
    ("Language", "Text", "Ngôn ngữ"),
    ("PageAmount", "Integer", "Số trang của văn bản"),
    ("SignerInfo", "SignerInfo", "Thông tin người ký"),
    ("To", "seq Text", "Nơi nhận"),
    ("Priority", "Text", "Mức độ khẩn"),
    ("IssuedAmount", "Text", "Số lượng phát hành"),
    ("Description", "Text", "Ghi chú"),
)
SIGNER_FIELDS = (
    ("Position", "Text", "Chức vụ của người ký"),
    ("FullName", "Text", "Họ và tên người ký"),
)


# ---------------------------------------------------------------- fonts

def _strings(value, where: str):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]")


def check_glyphs(context: dict) -> None:
    """Refuse any typeset character the declared fonts lack, instead of letting Pango borrow a font.

    A last guard: collected agency text is already made safe (pipeline.text.textsafe).
    `meta` is skipped: it goes to the XMP packet, not onto the page.
    """
    covered = typeset_coverage()
    typeset = {k: v for k, v in context.items() if k != "meta"}
    for where, text in _strings(typeset, ""):
        for i, ch in enumerate(text):
            if ch in "\n\r\t" or ord(ch) in covered:
                continue
            snippet = text[max(0, i - 20):i + 21].replace("\n", " ")
            raise PipelineError(
                f"Phông chữ Liberation Serif (và phông dự phòng {FALLBACK_FAMILY}) thiếu ký tự «{ch}» (U+{ord(ch):04X}) "
                f"trong «{where}»: “{snippet}”")


# ---------------------------------------------------------------- context checks

def _check_context(context: dict) -> None:
    try:
        _check_shape(context)
    except KeyError as exc:
        raise PipelineError(f"Dữ liệu báo cáo thiếu mục «{exc.args[0]}»") from None


def _check_shape(context: dict) -> None:
    for i, block in enumerate(context["body"]):
        if block.get("style") not in BODY_STYLES:
            raise PipelineError(
                f"Kiểu đoạn «{block.get('style')}» không hợp lệ trong «body[{i}]» "
                f"(chỉ nhận: {', '.join(BODY_STYLES)})")
    if not document_type(context).appendix:
        return
    appendix = context["appendix"]
    if len(appendix["columns"]) != APPENDIX_COLUMNS:
        raise PipelineError(
            f"Bảng phụ lục phải có {APPENDIX_COLUMNS} cột, nhận được {len(appendix['columns'])}")
    for i, row in enumerate(appendix["rows"]):
        if row.get("kind") not in ROW_KINDS:
            raise PipelineError(
                f"Loại dòng «{row.get('kind')}» không hợp lệ trong «appendix.rows[{i}]» "
                f"(chỉ nhận: {', '.join(ROW_KINDS)})")


# ---------------------------------------------------------------- HTML

@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )
    env.filters["nb"] = lambda text, width=None: layout.nobreak_pdf(text, width or None)
    return env


def _charts_svg(context: dict) -> dict[str, Markup]:
    """The charts as inline SVG: vector, with their text as text (selectable), in the report's font."""
    from pipeline.documents import charts
    width = charts.mm_to_pt(layout.CHART_WIDTH)
    return {key: Markup(charts.to_svg(charts.from_dict(data), width=width))
            for key, data in context.get("charts", {}).items()}


def render_html(context: dict, part: str = "all") -> str:
    """The report as HTML (also handy to inspect the layout in a browser).

    part: "all", or "body" / "appendix" to render the two page sequences as documents of
    their own (the appendix starts on a new page and is numbered from 1 anyway).
    """
    faces = [
        {"url": path.as_uri(), "weight": weight, "style": style}
        for path, (_, weight, style) in zip(font_files(), FONT_FACES)
    ]
    kind = document_type(context)
    page_layout = {"css": Markup(layout.css_rules()), "heading_keeps": layout.heading_keeps,
                   "appendix": layout.plan_appendix(context["appendix"]) if kind.appendix else None}
    name = kind.html_template
    try:
        return _environment().get_template(name).render(
            **context, font_faces=faces, fallback_face=fallback_face(), layout=page_layout, part=part,
            charts_svg=_charts_svg(context) if part != "appendix" else {})
    except TemplateError as exc:
        raise PipelineError(f"Mẫu HTML {name} không dựng được: {exc}") from exc


# ---------------------------------------------------------------- XMP

def _pdf_date(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hh:02d}'{mm:02d}'"


def _xmp_schema_block() -> str:
    def prop(name, value_type, description):
        return (
            '<rdf:li rdf:parseType="Resource">'
            f"<pdfaProperty:name>{name}</pdfaProperty:name>"
            f"<pdfaProperty:valueType>{value_type}</pdfaProperty:valueType>"
            "<pdfaProperty:category>external</pdfaProperty:category>"
            f"<pdfaProperty:description>{escape(description)}</pdfaProperty:description>"
            "</rdf:li>")

    def field(name, value_type, description):
        return (
            '<rdf:li rdf:parseType="Resource">'
            f"<pdfaField:name>{name}</pdfaField:name>"
            f"<pdfaField:valueType>{value_type}</pdfaField:valueType>"
            f"<pdfaField:description>{escape(description)}</pdfaField:description>"
            "</rdf:li>")

    return (
        '<rdf:Description rdf:about=""'
        ' xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
        ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"'
        ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"'
        ' xmlns:pdfaType="http://www.aiim.org/pdfa/ns/type#"'
        ' xmlns:pdfaField="http://www.aiim.org/pdfa/ns/field#">\n'
        "<pdfaExtension:schemas><rdf:Bag>"
        '<rdf:li rdf:parseType="Resource">'
        "<pdfaSchema:schema>Thông tin văn bản đi (Nghị định 30/2020/NĐ-CP, Phụ lục VI)"
        "</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{VBHC_NS}</pdfaSchema:namespaceURI>"
        f"<pdfaSchema:prefix>{VBHC_PREFIX}</pdfaSchema:prefix>"
        "<pdfaSchema:property><rdf:Seq>"
        + "".join(prop(*p) for p in VBHC_PROPERTIES)
        + "</rdf:Seq></pdfaSchema:property>"
        "<pdfaSchema:valueType><rdf:Seq>"
        '<rdf:li rdf:parseType="Resource">'
        "<pdfaType:type>SignerInfo</pdfaType:type>"
        f"<pdfaType:namespaceURI>{SIGNER_NS}</pdfaType:namespaceURI>"
        f"<pdfaType:prefix>{SIGNER_PREFIX}</pdfaType:prefix>"
        "<pdfaType:description>Người ký văn bản</pdfaType:description>"
        "<pdfaType:field><rdf:Seq>"
        + "".join(field(*f) for f in SIGNER_FIELDS)
        + "</rdf:Seq></pdfaType:field>"
        "</rdf:li>"
        "</rdf:Seq></pdfaSchema:valueType>"
        "</rdf:li>"
        "</rdf:Bag></pdfaExtension:schemas>\n"
        "</rdf:Description>\n")


def _xmp_record(meta: dict, page_count: int) -> str:
    """The vbhc:* properties; empty text fields are kept, an empty IssuedDate is left out."""
    parts = []
    for name, value_type, _ in VBHC_PROPERTIES:
        if name == "PageAmount":
            parts.append(f"<vbhc:PageAmount>{page_count}</vbhc:PageAmount>")
        elif name == "SignerInfo":
            signer = meta.get("SignerInfo") or {}
            parts.append(
                '<vbhc:SignerInfo rdf:parseType="Resource">'
                + "".join(
                    f"<{SIGNER_PREFIX}:{f}>{escape(str(signer.get(f, '')))}</{SIGNER_PREFIX}:{f}>"
                    for f, _, _ in SIGNER_FIELDS)
                + "</vbhc:SignerInfo>")
        elif name == "To":
            items = "".join(f"<rdf:li>{escape(str(t))}</rdf:li>" for t in meta.get("To") or [])
            parts.append(f"<vbhc:To><rdf:Seq>{items}</rdf:Seq></vbhc:To>")
        elif name == "IssuedDate":
            if (meta.get("IssuedDate") or "").strip():
                parts.append(f"<vbhc:IssuedDate>{escape(meta['IssuedDate'].strip())}</vbhc:IssuedDate>")
        else:
            parts.append(f"<vbhc:{name}>{escape(str(meta.get(name, '')))}</vbhc:{name}>")
    return (
        f'<rdf:Description rdf:about="" xmlns:{VBHC_PREFIX}="{VBHC_NS}"'
        f' xmlns:{SIGNER_PREFIX}="{SIGNER_NS}">\n'
        + "\n".join(parts)
        + "\n</rdf:Description>\n")


def build_xmp(meta: dict, *, part: int, conformance: str, title: str, language: str,
              producer: str, moment: datetime, page_count: int) -> bytes:
    """The whole XMP packet: PDF/A id, Dublin Core, dates, the archive record and its schema."""
    stamp = moment.isoformat()
    xml = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        f"<pdfaid:part>{part}</pdfaid:part>"
        f"<pdfaid:conformance>{conformance}</pdfaid:conformance>"
        "</rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:format>application/pdf</dc:format>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<pdf:Producer>{escape(producer)}</pdf:Producer>"
        "</rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate>"
        f"<xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate>"
        "</rdf:Description>\n"
        + _xmp_record(meta, page_count)
        + _xmp_schema_block()
        + "</rdf:RDF>\n</x:xmpmeta>\n"
        + (" " * 99 + "\n") * 20  # padding lets tools edit the packet in place
        + '<?xpacket end="w"?>')
    return xml.encode("utf-8")


# ---------------------------------------------------------------- PDF

class _WarningCollector(logging.Handler):
    """WeasyPrint reports missing fonts, bad CSS and unreadable files only as log warnings."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _weasyprint_pdf(html: str, variant: str, attachments, moment: datetime) -> tuple[bytes, int]:
    from weasyprint import HTML, Attachment  # slow import: only when rendering

    logger = logging.getLogger("weasyprint")
    collector = _WarningCollector()
    logger.addHandler(collector)
    try:
        document = HTML(string=html, base_url=str(TEMPLATE_DIR) + os.sep).render()
        document.metadata.created = document.metadata.modified = moment.isoformat()
        naive_utc = moment.astimezone(timezone.utc).replace(tzinfo=None)
        files = [
            Attachment(filename=str(path), name=path.name, description=ATTACHMENT_DESCRIPTION,
                       created=naive_utc, modified=naive_utc,
                       relationship=ATTACHMENT_RELATIONSHIP)
            for path in attachments
        ]
        data = document.write_pdf(pdf_variant=variant, attachments=files)
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise PipelineError(
            "WeasyPrint báo lỗi khi dựng PDF: " + "; ".join(collector.messages[:3]))
    return data, len(document.pages)


# An appendix this long is laid out in a second process while the body is laid out in this
# one (2 cores: LibreOffice uses one). Below it the fork costs more than it saves.
PARALLEL_MIN_ROWS = 150


def _child_pdf(conn, context: dict, variant: str, moment: datetime) -> None:
    try:  # the HTML is built here too: the other process is busy with the body
        conn.send(("ok", _weasyprint_pdf(render_html(context, "appendix"), variant, [], moment)))
    except PipelineError as exc:
        conn.send(("error", str(exc)))
    except Exception as exc:  # reported by the parent as a render failure
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _render_parallel(context: dict, variant: str, attachments, moment: datetime) -> tuple[bytes, int]:
    """Body here, appendix in a forked process; the appendix's pages appended to the body's."""
    import multiprocessing

    fork = multiprocessing.get_context("fork")
    parent_end, child_end = fork.Pipe(duplex=False)
    child = fork.Process(target=_child_pdf, args=(child_end, context, variant, moment))
    child.start()
    child_end.close()
    try:
        body, body_pages = _weasyprint_pdf(render_html(context, "body"), variant, attachments, moment)
        try:
            status, payload = parent_end.recv()
        except EOFError:  # the other process died without a word
            status, payload = "error", f"tiến trình dựng phụ lục dừng bất thường (mã {child.exitcode})"
    finally:
        child.join()
    if status != "ok":
        raise PipelineError(payload if "WeasyPrint" in payload
                            else f"Không dựng được phụ lục PDF: {payload}")
    appendix, appendix_pages = payload
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(body)) as pdf, pikepdf.open(io.BytesIO(appendix)) as tail:
        _retag_subsets(tail)
        pdf.pages.extend(tail.pages)
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue(), body_pages + appendix_pages


def _retag_subsets(pdf: pikepdf.Pdf) -> None:
    """Give each font subset of the appended part its own tag (ABCDEF+), taken from its bytes:
    the two parts are subset separately, and one tag must name one subset."""
    import hashlib

    seen = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen or "/DescendantFonts" not in font:
                continue
            seen.add(font.objgen)
            descendant = font.DescendantFonts[0]
            program = descendant.get("/FontDescriptor", {}).get("/FontFile2")
            if program is None:
                continue
            digest = hashlib.sha256(b"appendix" + program.read_raw_bytes()).digest()
            tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])
            name = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
            font.BaseFont = descendant.BaseFont = descendant.FontDescriptor.FontName = \
                pikepdf.Name(f"/{tag}+{name}")


def _render(context: dict, variant: str, attachments, moment: datetime) -> tuple[bytes, int]:
    if document_type(context).appendix and len(context["appendix"]["rows"]) >= PARALLEL_MIN_ROWS and (os.cpu_count() or 1) >= 2:
        return _render_parallel(context, variant, attachments, moment)
    return _weasyprint_pdf(render_html(context), variant, attachments, moment)


def _postscript_name(font: pikepdf.Dictionary) -> tuple[str, str] | None:
    """(family, PostScript name) of the embedded program of a Type0 font, if it is a declared font."""
    descriptor = font.DescendantFonts[0].get("/FontDescriptor", {})
    program = descriptor.get("/FontFile2")
    if program is None:
        return None
    with TTFont(io.BytesIO(program.read_bytes()), lazy=True) as ttf:
        family = ttf["name"].getDebugName(1)
        if family not in EMBEDDED_FAMILIES:
            return None
        return family, ttf["name"].getDebugName(6)


def _name_fonts(pdf: pikepdf.Pdf) -> None:
    """Check every embedded font is Liberation Serif or the declared fallback; name it by its PostScript name.

    WeasyPrint names fonts after the CSS family ("BaoCao-Serif-Bold"); the PDF convention,
    and what pdffonts shows, is the font's own PostScript name ("LiberationSerif-Bold").
    """
    seen = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            old_name = str(font.get("/BaseFont", ""))
            found = _postscript_name(font) if "/DescendantFonts" in font else None
            if not found:
                raise PipelineError(f"PDF dùng phông chữ ngoài Liberation Serif và {FALLBACK_FAMILY}: {old_name}")
            family, ps_name = found
            prefix = old_name.lstrip("/").split("+")[0]
            descendant = font.DescendantFonts[0]
            name = pikepdf.Name(f"/{prefix}+{ps_name}")
            font.BaseFont = descendant.BaseFont = descendant.FontDescriptor.FontName = name
            descendant.FontDescriptor.FontFamily = pikepdf.String(family)


def _dedupe_associated_files(pdf: pikepdf.Pdf) -> None:
    # WeasyPrint 70 lists each attachment twice in /AF (once via the name tree, once by scan).
    if "/AF" not in pdf.Root:
        return
    unique, seen = [], set()
    for spec in pdf.Root.AF:
        if spec.objgen not in seen:
            seen.add(spec.objgen)
            unique.append(spec)
    pdf.Root.AF = pikepdf.Array(unique)


def _finish(data: bytes, context: dict, part: int, conformance: str,
            moment: datetime, page_count: int, target: Path) -> None:
    meta = context["meta"]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _name_fonts(pdf)
        _dedupe_associated_files(pdf)
        producer = str(pdf.docinfo.get("/Producer", "WeasyPrint"))
        xmp = build_xmp(
            meta, part=part, conformance=conformance, title=meta["title"],
            language=meta.get("language") or "vi", producer=producer, moment=moment,
            page_count=page_count)
        pdf.Root.Metadata = pdf.make_stream(
            xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        pdf.docinfo["/Title"] = meta["title"]
        pdf.docinfo["/Producer"] = producer
        pdf.docinfo["/CreationDate"] = _pdf_date(moment)
        pdf.docinfo["/ModDate"] = _pdf_date(moment)
        # fix_metadata_version=False: otherwise pikepdf re-serialises our XMP packet.
        buffer = io.BytesIO()  # saved in memory: a full disk then raises OSError below, not a C++ abort in qpdf
        pdf.save(buffer, deterministic_id=True, fix_metadata_version=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    Path(target).write_bytes(buffer.getvalue())


def render_pdf(context: dict, out_path: Path, attachments: list[Path] = (),
               variant: str = "pdf/a-3b") -> Path:
    """Write the report as PDF/A to out_path (atomically) and return out_path.

    attachments are embedded as PDF/A-3 associated files (AFRelationship /Data).
    """
    if variant not in VARIANTS:
        raise PipelineError(
            f"Biến thể PDF «{variant}» không được hỗ trợ (chỉ nhận: {', '.join(VARIANTS)})")
    part, conformance = VARIANTS[variant]
    attachments = [Path(a) for a in attachments]
    if attachments and part < 3:
        raise PipelineError(
            f"{variant.upper()} không cho phép đính kèm tệp; hãy dùng PDF/A-3")
    for path in attachments:
        if not path.is_file():
            raise PipelineError(f"Không tìm thấy tệp đính kèm: {path}")

    _check_context(context)
    check_glyphs(context)
    day = document_date(context)
    moment = datetime(day.year, day.month, day.day, tzinfo=VN_TZ)

    data, page_count = _render(context, variant, attachments, moment)

    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        _finish(data, context, part, conformance, moment, page_count, tmp)
    return out_path
