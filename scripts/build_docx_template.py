"""Author the docxtpl Word templates: templates/docx/bao-cao.docx (the BÁO CÁO) and
templates/docx/cong-van.docx (the công văn, Phụ lục III Mẫu 1.5).

Run once (`.venv/bin/python scripts/build_docx_template.py`) to regenerate both templates from
scratch. The .docx files are the sources office staff edit in Word; this script documents how their
layout was built (FORMAT.md, Nghị định 30/2020 Phụ lục I) and can rebuild them. The parts every
Nghị định 30 document shares (header, Kính gửi, body styles, signature block, page numbers) are
built by the same functions for both.

Choices (all within FORMAT.md's ranges):
- portrait A4, margins top 20, bottom 20, left 30, right 15 mm -> text width 16.5 cm;
- landscape appendix A4, margins top 20, bottom 15, left 30, right 15 mm;
- body Times New Roman 14 pt, justified, first line 1.27 cm, 6 pt after, line spacing 1.2;
- page number 13 pt centred in the header, hidden on page 1 (title page on); the appendix
  restarts at 1 and shows its number on its own first page too.
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pipeline.documents import layout as L  # noqa: E402  (the measures shared with the PDF)
OUT = ROOT / "templates" / "docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {"w": W_NS, "r": R_NS}
FONT = "Times New Roman"


def cm(value: float) -> int:
    """Centimetres to twips (1/20 pt)."""
    return round(value * 1440 / 2.54)


def mm(value: float) -> int:
    return cm(value / 10)


# Page geometry (twips), from pipeline/documents/layout.py.
A4_SHORT, A4_LONG = 11906, 16838
PORTRAIT_MARGINS = {k: mm(v) for k, v in L.PORTRAIT.items()}
LANDSCAPE_MARGINS = {k: mm(v) for k, v in L.LANDSCAPE.items()}
HEADER_DISTANCE = mm(L.HEADER_DISTANCE)   # page number sits inside the 20 mm top margin
TEXT_WIDTH = A4_SHORT - PORTRAIT_MARGINS["left"] - PORTRAIT_MARGINS["right"]
LANDSCAPE_WIDTH = A4_LONG - LANDSCAPE_MARGINS["left"] - LANDSCAPE_MARGINS["right"]
CELL_MARGIN = round(L.CELL_PAD * 20)      # left/right cell padding

# Decree layout (Mẫu 1.4): header 6.75 + 10.0 cm, signature 5.3 + 11.1 cm, scaled to the text.
HEADER_COLS = [round(TEXT_WIDTH * L.HEADER_SPLIT)]
HEADER_COLS.append(TEXT_WIDTH - HEADER_COLS[0])
SIGN_COLS = [round(TEXT_WIDTH * L.SIGNATURE_SPLIT)]
SIGN_COLS.append(TEXT_WIDTH - SIGN_COLS[0])

# Lines drawn as paragraph borders (lengths in layout.py).
ISSUER_RULE = mm(L.ISSUER_RULE)
MOTTO_RULE = mm(L.MOTTO_RULE)
SUBJECT_RULE = mm(L.SUBJECT_RULE)

# "Kính gửi:" block: the label starts at KG_LEFT; recipients start at the hanging indent,
# so every dash lines up just after the colon.
KG_LEFT = mm(L.KG_LEFT)
KG_HANG = mm(L.KG_HANG)

# Appendix columns: placeholders; the renderer sets each document's widths from its text
# (layout.appendix_widths), the same widths the PDF uses.
APPX_COLS = [cm(1.2), cm(6.8), cm(3.6), cm(2.8), cm(3.4)]
APPX_COLS.append(LANDSCAPE_WIDTH - sum(APPX_COLS))


# --------------------------------------------------------------------------- xml helpers
def qn(tag: str) -> str:
    prefix, local = tag.split(":")
    return "{%s}%s" % ({"w": W_NS, "r": R_NS, "xml": XML_NS}[prefix], local)


def el(tag: str, attrs: dict | None = None, *children) -> etree._Element:
    """Build an element; attribute names without a prefix are w: attributes."""
    node = etree.Element(qn(tag), nsmap=NSMAP if tag == "w:document" else None)
    for key, value in (attrs or {}).items():
        node.set(qn(key if ":" in key else "w:" + key), str(value))
    for child in children:
        if child is not None:
            node.append(child)
    return node


def fonts() -> etree._Element:
    return el("w:rFonts", {"ascii": FONT, "hAnsi": FONT, "eastAsia": FONT, "cs": FONT})


def rpr(bold=False, italic=False, size=None, fonts_too=False) -> etree._Element:
    """Run properties in schema order: rFonts, b, bCs, i, iCs, color, sz, szCs."""
    node = el("w:rPr")
    if fonts_too:
        node.append(fonts())
    if bold:
        node.append(el("w:b"))
        node.append(el("w:bCs"))
    if italic:
        node.append(el("w:i"))
        node.append(el("w:iCs"))
    if fonts_too:
        node.append(el("w:color", {"val": "000000"}))
    if size:
        node.append(el("w:sz", {"val": int(size * 2)}))
        node.append(el("w:szCs", {"val": int(size * 2)}))
    return node


def border(side: str) -> etree._Element:
    return el(f"w:{side}", {"val": "single", "sz": 6, "space": 1, "color": "000000"})


def ppr(style=None, *, keep_next=False, rule=False, tabs=None, before=None, after=None,
        line=None, line_rule="auto", left=None, right=None, first=None, hanging=None,
        jc=None, sect=None) -> etree._Element:
    """Paragraph properties in schema order."""
    node = el("w:pPr")
    if style:
        node.append(el("w:pStyle", {"val": style}))
    if keep_next:
        node.append(el("w:keepNext"))
    if rule:
        node.append(el("w:pBdr", None, border("bottom")))
    if tabs:
        node.append(el("w:tabs", None, *[el("w:tab", {"val": "left", "pos": p}) for p in tabs]))
    spacing = {k: v for k, v in (("before", before), ("after", after), ("line", line)) if v is not None}
    if spacing:
        if line is not None:
            spacing["lineRule"] = line_rule
        node.append(el("w:spacing", spacing))
    ind = {k: v for k, v in (("left", left), ("right", right), ("firstLine", first),
                             ("hanging", hanging)) if v is not None}
    if ind:
        node.append(el("w:ind", ind))
    if jc:
        node.append(el("w:jc", {"val": jc}))
    if sect is not None:
        node.append(sect)
    return node


def text_run(text: str, props: etree._Element | None = None) -> etree._Element:
    t = el("w:t", {"xml:space": "preserve"})
    t.text = text
    return el("w:r", None, props, t)


def para(style: str | None, *runs, pprops: etree._Element | None = None) -> etree._Element:
    """A paragraph; plain strings become runs."""
    node = el("w:p", None, pprops if pprops is not None else (ppr(style) if style else None))
    for r in runs:
        node.append(text_run(r) if isinstance(r, str) else r)
    return node


def tag(text: str) -> etree._Element:
    """A docxtpl control paragraph ({%p …%}); removed from the output."""
    return para("BCTag", text)


def rule_para(length: int, room: int, after: int = 0) -> etree._Element:
    """An empty paragraph whose bottom border is a centred line `length` twips long."""
    side = (room - length) // 2
    return para(None, pprops=ppr("BCRule", rule=True, left=side, right=side, after=after))


# --------------------------------------------------------------------------- tables
def tbl_borders(kind: str) -> etree._Element:
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    if kind == "none":
        return el("w:tblBorders", None, *[el(f"w:{s}", {"val": "nil"}) for s in sides])
    return el("w:tblBorders", None,
              *[el(f"w:{s}", {"val": "single", "sz": 4, "space": 0, "color": "000000"}) for s in sides])


def cell(width: int, *paras, span: int = 1, valign: str | None = None) -> etree._Element:
    tcpr = el("w:tcPr", None, el("w:tcW", {"w": width, "type": "dxa"}))
    if span > 1:
        tcpr.append(el("w:gridSpan", {"val": span}))
    if valign:
        tcpr.append(el("w:vAlign", {"val": valign}))
    return el("w:tc", None, tcpr, *paras)


def row(*cells, header=False, cant_split=False) -> etree._Element:
    trpr = el("w:trPr")
    if cant_split:
        trpr.append(el("w:cantSplit"))
    if header:
        trpr.append(el("w:tblHeader"))
    return el("w:tr", None, trpr if len(trpr) else None, *cells)


def table(widths: list[int], rows: list, borders: str) -> etree._Element:
    tblpr = el("w:tblPr", None,
               el("w:tblW", {"w": sum(widths), "type": "dxa"}),
               el("w:tblInd", {"w": 0, "type": "dxa"}),
               tbl_borders(borders),
               el("w:tblLayout", {"type": "fixed"}),
               el("w:tblLook", {"val": "0000", "firstRow": 0, "lastRow": 0, "firstColumn": 0,
                                "lastColumn": 0, "noHBand": 1, "noVBand": 1}))
    grid = el("w:tblGrid", None, *[el("w:gridCol", {"w": w}) for w in widths])
    return el("w:tbl", None, tblpr, grid, *rows)


def control_row(text: str, widths: list[int]) -> etree._Element:
    """A {%tr …%} row: one cell across the table, removed from the output."""
    return row(cell(sum(widths), tag(text), span=len(widths)))


# --------------------------------------------------------------------------- parts
def section(landscape: bool, headers: dict[str, str], restart: bool, title_page: bool):
    sect = el("w:sectPr")
    for kind, rid in headers.items():
        sect.append(el("w:headerReference", {"type": kind, "r:id": rid}))
    sect.append(el("w:type", {"val": "nextPage"}))
    if landscape:
        sect.append(el("w:pgSz", {"w": A4_LONG, "h": A4_SHORT, "orient": "landscape"}))
        margins = LANDSCAPE_MARGINS
    else:
        sect.append(el("w:pgSz", {"w": A4_SHORT, "h": A4_LONG}))
        margins = PORTRAIT_MARGINS
    sect.append(el("w:pgMar", {**margins, "header": HEADER_DISTANCE, "footer": HEADER_DISTANCE,
                               "gutter": 0}))
    sect.append(el("w:pgNumType", {"fmt": "decimal", **({"start": 1} if restart else {})}))
    sect.append(el("w:cols", {"space": 720}))
    if title_page:
        sect.append(el("w:titlePg"))
    return sect


def header_table(subject_vv: bool = False) -> etree._Element:
    """Issuing body | national name; number | place and date. A công văn's V/v subject goes under
    its number, in the issuing body's column (Mẫu 1.5, ô 5b)."""
    left, right = HEADER_COLS
    number_cell = [para("BCNumber", "{{ header.number_line }}")]
    if subject_vv:
        number_cell.append(para("BCSubjectVV", "{{ subject }}"))
    return table(HEADER_COLS, [
        row(
            cell(left,
                 tag("{%p for line in header.parent_lines %}"),
                 para("BCIssuerParent", "{{ line }}"),
                 tag("{%p endfor %}"),
                 tag("{%p for line in header.issuer_lines %}"),
                 para("BCIssuer", "{{ line }}"),
                 tag("{%p endfor %}"),
                 rule_para(ISSUER_RULE, left - 2 * CELL_MARGIN)),
            cell(right,
                 para("BCNationalName", "{{ header.national_name }}"),
                 para("BCMotto", "{{ header.motto }}"),
                 rule_para(MOTTO_RULE, right - 2 * CELL_MARGIN)),
            cant_split=True),
        row(cell(left, *number_cell),
            cell(right, para("BCDate", "{{ header.date_line }}")),
            cant_split=True),
    ], borders="none")


def body_loop() -> list[etree._Element]:
    """One loop over `body`, one styled paragraph per style."""
    heading = "{{ p.lead }}{{ p.text }}"
    return [
        tag("{%p for p in body %}"),
        tag('{%p if p.style == "heading1" %}'),
        para("Heading1", heading),
        tag('{%p elif p.style == "heading2" %}'),
        para("Heading2", heading),
        tag('{%p elif p.style == "heading3" %}'),
        para("Heading3", heading),
        # a chart: its picture is put in the BCFigure paragraph after rendering (pipeline.documents.render_docx)
        tag('{%p elif p.style == "figure" %}'),
        para("BCFigure", "{{ p.chart }}"),
        para("BCCaption", "{{ p.text }}"),
        tag("{%p else %}"),
        para("BCBody", text_run("{{ p.lead }}", rpr(bold=True)), "{{ p.text }}"),
        tag("{%p endif %}"),
        tag("{%p endfor %}"),
    ]


def signature_table() -> etree._Element:
    left, right = SIGN_COLS
    blanks = [para("BCAuthority") for _ in range(L.SIGNATURE_SPACE)]   # signature and seal
    return table(SIGN_COLS, [row(
        cell(left,
             para("BCNoiNhanLabel", "{{ noi_nhan_label }}"),
             tag("{%p for line in noi_nhan %}"),
             para("BCNoiNhan", "{{ line }}"),
             tag("{%p endfor %}")),
        cell(right,
             tag("{%p for line in signer.authority_lines %}"),
             para("BCAuthority", "{{ line }}"),
             tag("{%p endfor %}"),
             *blanks,
             para("BCSigner", "{{ signer.name }}")),
        cant_split=True)], borders="none")


def appendix_table() -> etree._Element:
    cols = APPX_COLS
    head = row(*[cell(w, para("BCTableHead", "{{ appendix.columns[%d] }}" % i), valign="center")
                 for i, w in enumerate(cols)], header=True, cant_split=True)
    def centred():
        return ppr("BCTableText", jc="center")

    section_row = row(
        cell(cols[0], para(None, "{{ r.tt }}", pprops=ppr("BCTableSection", keep_next=True, jc="center"))),
        cell(sum(cols[1:]), para(None, "{{ r.content }}", pprops=ppr("BCTableSection", keep_next=True)),
             span=5),
        cant_split=True)
    group_row = row(
        cell(cols[0], para(None, "{{ r.tt }}", pprops=ppr("BCTableGroup", keep_next=True, jc="center"))),
        cell(sum(cols[1:]), para(None, "{{ r.content }}", pprops=ppr("BCTableGroup", keep_next=True)),
             span=5),
        cant_split=True)
    task_row = row(
        cell(cols[0], para(None, "{{ r.tt }}", pprops=centred())),
        cell(cols[1], para("BCTableText", "{{ r.content }}")),
        cell(cols[2], para("BCTableText", "{{ r.lead }}")),
        cell(cols[3], para(None, "{{ r.deadline }}", pprops=centred())),
        cell(cols[4], para("BCTableText", "{{ r.status }}")),
        cell(cols[5], para("BCTableText", "{{ r.result }}")))   # "\n" becomes a line break;
    # a task row may split across pages (the renderer keeps the short ones whole)
    return table(cols, [
        head,
        control_row("{%tr for r in appendix.rows %}", cols),
        control_row('{%tr if r.kind == "section" %}', cols),
        section_row,
        control_row('{%tr elif r.kind == "group" %}', cols),
        group_row,
        control_row("{%tr else %}", cols),
        task_row,
        control_row("{%tr endif %}", cols),
        control_row("{%tr endfor %}", cols),
    ], borders="single")


def recipients_para() -> etree._Element:
    return para("BCRecipients", "{{ recipients_label }}", el("w:r", None, el("w:tab")),
                '{{ recipients|join("\\n") }}')


def letter_xml() -> etree._Element:
    """The công văn: no document-type line, the V/v subject in the header, one portrait section."""
    portrait = section(False, {"first": "rIdHeaderFirst", "default": "rIdHeaderPage"},
                       restart=False, title_page=True)
    body = el("w:body", None,
              para("BCLead"),
              header_table(subject_vv=True),
              recipients_para(),
              *body_loop(),
              para("BCSpacer"),
              signature_table(),
              para("BCSpacer"),   # LibreOffice drops a section's page setup when the section ends in a table
              portrait)
    return el("w:document", None, body)


def document_xml() -> etree._Element:
    portrait = section(False, {"first": "rIdHeaderFirst", "default": "rIdHeaderPage"},
                       restart=False, title_page=True)
    landscape = section(True, {"default": "rIdHeaderAppendix"}, restart=True, title_page=False)
    body = el("w:body", None,
              para("BCLead"),
              header_table(),
              para("BCDocType", "{{ doc_type }}"),
              para("BCSubject", "{{ subject }}"),
              rule_para(SUBJECT_RULE, TEXT_WIDTH, after=120),
              recipients_para(),
              *body_loop(),
              para("BCSpacer"),
              signature_table(),
              # Plain paragraph carrying the portrait section break: never put a
              # {%p %} tag here, it would delete the paragraph and the section with it.
              para(None, pprops=ppr("BCSpacer", sect=portrait)),
              para("BCAppendixHeading", "{{ appendix.heading }}"),
              para("BCAppendixTitle", "{{ appendix.title }}"),
              para("BCAppendixNote", "{{ appendix.attached_line }}"),
              appendix_table(),
              # LibreOffice drops a section's page setup when the section ends in a table.
              para("BCSpacer"),
              landscape)
    return el("w:document", None, body)


def draft_mark_run() -> etree._Element:
    """«{{ draft_mark }}» in a box: a run border, so the box is as long as the word."""
    props = rpr(bold=True, size=L.STYLES["draft_mark"].size)
    props.append(el("w:bdr", {"val": "single", "sz": round(L.DRAFT_MARK_BORDER * 8),   # after sz (schema order)
                              "space": L.DRAFT_MARK_PAD, "color": "000000"}))
    return text_run("{{ draft_mark }}", props)


def header_part(page_number: bool, draft_mark: bool = False) -> etree._Element:
    """A page header: the page number, or on page 1 (`draft_mark`) a draft's boxed «DỰ THẢO» at the left
    (the issued document's page 1 keeps an empty header). Either stays one line inside the top margin."""
    hdr = etree.Element(qn("w:hdr"), nsmap=NSMAP)
    if draft_mark:
        for node in (tag("{%p if draft_mark %}"), para("BCDraftMark", draft_mark_run()), tag("{%p else %}")):
            hdr.append(node)
    p = para("Header")
    if page_number:
        field = [("fldChar", "begin"), ("instrText", " PAGE "), ("fldChar", "separate"),
                 ("t", "1"), ("fldChar", "end")]
        for kind, value in field:
            if kind == "fldChar":
                p.append(el("w:r", None, el("w:fldChar", {"fldCharType": value})))
            else:
                node = el(f"w:{kind}", {"xml:space": "preserve"})
                node.text = value
                p.append(el("w:r", None, node))
    hdr.append(p)
    if draft_mark:
        hdr.append(tag("{%p endif %}"))
    return hdr


def shared(name: str, **extra) -> tuple[dict, bool, bool, float]:
    """Paragraph props, bold, italic, size of a style of pipeline/documents/layout.py."""
    st = L.STYLES[name]
    props = {"line": round(st.line * 20), "line_rule": "exact",
             "jc": {"justify": "both"}.get(st.align, st.align)}
    if st.before:
        props["before"] = round(st.before * 20)
    if st.after:
        props["after"] = round(st.after * 20)
    if st.first_indent:
        props["first"] = mm(st.first_indent)
    if st.keep_next:
        props["keep_next"] = True
    props.update(extra)
    return props, st.bold, st.italic, st.size


def bc(sid: str, name: str, shared_name: str, based: str = "Normal", **extra):
    props, bold, italic, size = shared(shared_name, **extra)
    return (sid, name, "paragraph", based, props, bold, italic, size)


# (style id, name, kind, based on, paragraph props, bold, italic, size)
STYLES = [
    ("Normal", "Normal", "paragraph", None, {}, False, False, 14),
    ("Header", "header", "paragraph", "Normal", {"jc": "center"}, False, False, L.PAGE_NUMBER_SIZE),
    ("BCTag", "BC - Thẻ mẫu (bị xóa khi kết xuất)", "paragraph", "Normal", {}, False, False, 10),
    ("BCRule", "BC - Đường kẻ", "paragraph", "Normal",
     {"line": L.RULE_LINE * 20, "line_rule": "exact", "jc": "center"}, False, False, 2),
    ("BCSpacer", "BC - Dòng đệm", "paragraph", "Normal",
     {"line": 120, "line_rule": "exact"}, False, False, 6),
    # 1 pt before the header table: a document that starts with a table and carries Word comments gets
    # an empty paragraph of its own in LibreOffice (page 1 then starts 5.5 mm lower than the PDF).
    ("BCLead", "BC - Dòng đầu văn bản", "paragraph", "Normal",
     {"line": 20, "line_rule": "exact"}, False, False, 1),
    bc("BCDraftMark", "BC - Dấu dự thảo", "draft_mark"),
    bc("BCIssuerParent", "BC - Cơ quan chủ quản", "issuer_parent"),
    bc("BCIssuer", "BC - Cơ quan ban hành", "issuer"),
    bc("BCNumber", "BC - Số, ký hiệu", "number"),
    bc("BCNationalName", "BC - Quốc hiệu", "national_name"),
    bc("BCMotto", "BC - Tiêu ngữ", "motto"),
    bc("BCDate", "BC - Địa danh, ngày tháng", "date"),
    bc("BCDocType", "BC - Tên loại văn bản", "doc_type"),
    bc("BCSubject", "BC - Trích yếu", "subject"),
    bc("BCSubjectVV", "BC - Trích yếu công văn (V/v)", "subject_vv"),
    bc("BCRecipients", "BC - Kính gửi", "recipients", tabs=[KG_LEFT + KG_HANG],
       left=KG_LEFT + KG_HANG, hanging=KG_HANG),
    bc("BCBody", "BC - Đoạn văn", "body"),
    bc("Heading1", "heading 1", "heading1", based="BCBody", outline=0),
    bc("Heading2", "heading 2", "heading2", based="BCBody", outline=1),
    bc("Heading3", "heading 3", "heading3", based="BCBody", outline=2),
    bc("BCFigure", "BC - Biểu đồ", "figure", line=240, line_rule="auto"),   # a picture: never an exact pitch
    bc("BCCaption", "BC - Chú thích biểu đồ", "caption"),
    bc("BCNoiNhanLabel", "BC - Nơi nhận", "noi_nhan_label"),
    bc("BCNoiNhan", "BC - Danh sách nơi nhận", "noi_nhan"),
    bc("BCAuthority", "BC - Thẩm quyền ký", "authority"),
    bc("BCSigner", "BC - Họ tên người ký", "signer"),
    bc("BCAppendixHeading", "BC - Phụ lục", "appendix_heading"),
    bc("BCAppendixTitle", "BC - Tên phụ lục", "appendix_title"),
    bc("BCAppendixNote", "BC - Kèm theo", "appendix_note"),
    bc("BCTableHead", "BC - Bảng: tiêu đề cột", "table_head"),
    bc("BCTableText", "BC - Bảng: nội dung", "table_text"),
    bc("BCTableSection", "BC - Bảng: mục", "table_section", based="BCTableText"),
    bc("BCTableGroup", "BC - Bảng: nhóm nhiệm vụ", "table_group", based="BCTableText"),
]


def style_ppr(props: dict) -> etree._Element | None:
    props = dict(props)
    outline = props.pop("outline", None)
    node = ppr(None, **props) if props else el("w:pPr")
    if outline is not None:
        node.append(el("w:outlineLvl", {"val": outline}))
    return node if len(node) else None


def comment_styles() -> list[etree._Element]:
    """Word's comment styles (the ids python-docx's comments use), defined here at the body's size: left
    undefined, Word falls back to a size of its own."""
    size = L.STYLES["body"].size

    def style(kind, sid, name, based=None, bold=False):
        node = el("w:style", {"type": kind, "styleId": sid}, el("w:name", {"val": name}))
        if based:
            node.append(el("w:basedOn", {"val": based}))
        if sid == "CommentSubject":
            node.append(el("w:next", {"val": "CommentText"}))
        for flag in ("w:uiPriority", "w:semiHidden", "w:unhideWhenUsed"):
            node.append(el(flag, {"val": 99}) if flag == "w:uiPriority" else el(flag))
        if kind == "paragraph":
            node.append(el("w:pPr", None, el("w:spacing", {"after": 0, "line": 240, "lineRule": "auto"})))
        node.append(rpr(bold, False, size, fonts_too=True))
        return node

    return [style("character", "CommentReference", "annotation reference"),
            style("paragraph", "CommentText", "annotation text", based="Normal"),
            style("paragraph", "CommentSubject", "annotation subject", based="CommentText", bold=True)]


def styles_xml() -> etree._Element:
    root = etree.Element(qn("w:styles"), nsmap=NSMAP)
    default_rpr = el("w:rPr", None, fonts(), el("w:color", {"val": "000000"}),
                     el("w:sz", {"val": 28}), el("w:szCs", {"val": 28}),
                     el("w:lang", {"val": "vi-VN", "eastAsia": "vi-VN", "bidi": "ar-SA"}))
    default_ppr = el("w:pPr", None, el("w:widowControl"),
                     el("w:spacing", {"before": 0, "after": 0, "line": 240, "lineRule": "auto"}))
    root.append(el("w:docDefaults", None, el("w:rPrDefault", None, default_rpr),
                   el("w:pPrDefault", None, default_ppr)))
    for sid, name, kind, based, props, bold, italic, size in STYLES:
        attrs = {"type": kind, "styleId": sid}
        if sid == "Normal":
            attrs["default"] = 1
        st = el("w:style", attrs, el("w:name", {"val": name}))
        if based:
            st.append(el("w:basedOn", {"val": based}))
        st.append(el("w:qFormat"))
        paragraph = style_ppr(props)
        if paragraph is not None:
            st.append(paragraph)
        st.append(rpr(bold, italic, size, fonts_too=True))
        root.append(st)
    for node in comment_styles():
        root.append(node)
    # Default table style: no borders, the usual 0.19 cm cell padding.
    table_style = el("w:style", {"type": "table", "default": 1, "styleId": "TableNormal"},
                     el("w:name", {"val": "Normal Table"}),
                     el("w:uiPriority", {"val": 99}), el("w:semiHidden"),
                     el("w:rPr", None, fonts(), el("w:color", {"val": "000000"})),
                     el("w:tblPr", None, el("w:tblInd", {"w": 0, "type": "dxa"}),
                        el("w:tblCellMar", None,
                           el("w:top", {"w": 0, "type": "dxa"}),
                           el("w:left", {"w": CELL_MARGIN, "type": "dxa"}),
                           el("w:bottom", {"w": 0, "type": "dxa"}),
                           el("w:right", {"w": CELL_MARGIN, "type": "dxa"}))))
    root.append(table_style)
    return root


def settings_xml() -> etree._Element:
    root = etree.Element(qn("w:settings"), nsmap=NSMAP)
    for node in (
        el("w:zoom", {"percent": 100}),
        el("w:defaultTabStop", {"val": 720}),
        el("w:characterSpacingControl", {"val": "doNotCompress"}),
        el("w:compat", None, el("w:compatSetting", {
            "name": "compatibilityMode", "uri": "http://schemas.microsoft.com/office/word",
            "val": 15})),
        el("w:themeFontLang", {"val": "vi-VN"}),
        el("w:decimalSymbol", {"val": ","}),
        el("w:listSeparator", {"val": ";"}),
    ):
        root.append(node)
    return root


def font_table_xml() -> etree._Element:
    root = etree.Element(qn("w:fonts"), nsmap=NSMAP)
    root.append(el("w:font", {"name": FONT}, el("w:panose1", {"val": "02020603050405020304"}),
                   el("w:charset", {"val": "00"}), el("w:family", {"val": "roman"}),
                   el("w:pitch", {"val": "variable"})))
    return root


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/header3.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>
"""

PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>
"""

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
DOCUMENT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdStyles" Type="{_REL}styles" Target="styles.xml"/>
<Relationship Id="rIdSettings" Type="{_REL}settings" Target="settings.xml"/>
<Relationship Id="rIdFonts" Type="{_REL}fontTable" Target="fontTable.xml"/>
<Relationship Id="rIdHeaderFirst" Type="{_REL}header" Target="header1.xml"/>
<Relationship Id="rIdHeaderPage" Type="{_REL}header" Target="header2.xml"/>
<Relationship Id="rIdHeaderAppendix" Type="{_REL}header" Target="header3.xml"/>
</Relationships>
"""

CORE_TITLES = {"bao-cao": "Mẫu báo cáo của Ủy ban nhân dân tỉnh (Nghị định 30/2020/NĐ-CP)",
               "cong-van": "Mẫu công văn của Ủy ban nhân dân tỉnh (Nghị định 30/2020/NĐ-CP, Mẫu 1.5)"}
DOCUMENTS = {"bao-cao": document_xml, "cong-van": letter_xml}

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>{title}</dc:title>
<dc:language>vi-VN</dc:language>
<cp:revision>1</cp:revision>
<dcterms:created xsi:type="dcterms:W3CDTF">2022-01-01T00:00:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2022-01-01T00:00:00Z</dcterms:modified>
</cp:coreProperties>
"""


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build(out: Path, kind: str = "bao-cao") -> Path:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": PACKAGE_RELS.encode(),
        "docProps/core.xml": CORE.replace("{title}", CORE_TITLES[kind]).encode(),
        "word/_rels/document.xml.rels": DOCUMENT_RELS.encode(),
        "word/document.xml": serialise(DOCUMENTS[kind]()),
        "word/styles.xml": serialise(styles_xml()),
        "word/settings.xml": serialise(settings_xml()),
        "word/fontTable.xml": serialise(font_table_xml()),
        "word/header1.xml": serialise(header_part(page_number=False, draft_mark=True)),
        "word/header2.xml": serialise(header_part(page_number=True)),
        "word/header3.xml": serialise(header_part(page_number=True)),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    tmp.replace(out)
    return out


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    for kind in DOCUMENTS:
        print(f"Đã tạo mẫu: {build(folder / f'{kind}.docx', kind)}")
