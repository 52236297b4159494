"""Render the report context into the signing-ready DOCX (docxtpl template, Nghị định 30/2020).

The renderer only lays out: every string in the context is final. The output is written
atomically and is byte-identical for an identical context (fixed zip dates and order, core
properties dated from the context, never from the clock).
"""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from pathlib import Path

import jinja2
import jinja2.meta
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import nodes

from pipeline.documents import docx_layout, layout
from pipeline.documents.doctypes import TYPES, document_type
from pipeline.documents.docx_review import add_review_comments
from pipeline.files import normalize_zip_bytes, write_bytes_atomic
from pipeline.drafting.context import document_date
from pipeline.errors import PipelineError

DEFAULT_TEMPLATE = TYPES["bao-cao"].docx_template

BODY_STYLES = ("paragraph", "heading1", "heading2", "heading3", "figure")
FIGURE_STYLE = "BCFigure"   # the template's paragraph a chart's picture goes into

# docxtpl tags that remove their whole paragraph / row / cell ({%p …%}, {{p …}}, {#p …#}).
_STRUCTURAL_TAG = re.compile(r"\{([%{#])(p|tr|tc)\s")


def _env() -> jinja2.Environment:
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


# --------------------------------------------------------------------------- rendering
def render_docx(context: dict, out_path: Path, template: Path | None = None) -> Path:
    """Render `context` with the Word template of its document type (or `template`) into `out_path`."""
    out_path = Path(out_path)
    template = Path(template or document_type(context).docx_template)
    problems = check_template(template, context)
    if problems:
        raise PipelineError("; ".join(problems))
    _check_body_styles(context)

    tpl = DocxTemplate(str(template))
    try:
        tpl.render(context, _env())
    except jinja2.TemplateError as exc:
        raise PipelineError(f"Không kết xuất được mẫu Word «{template.name}»: {exc}") from exc
    _set_core_properties(tpl.docx, context)
    _place_charts(tpl.docx, context)
    docx_layout.apply(tpl.docx, context)
    add_review_comments(tpl.docx, context)   # the draft's points to settle (an issued context has none)

    raw = io.BytesIO()
    tpl.save(raw)
    write_bytes_atomic(out_path, normalize_zip_bytes(raw.getvalue()))
    return out_path


def _place_charts(document, context: dict) -> None:
    """Each figure paragraph of the template holds its chart's key: put the chart's picture there
    (drawn from the same data as the PDF's vector chart), with the chart's description as alt text."""
    from docx.shared import Mm

    from pipeline.documents import charts

    for p in document.paragraphs:
        if p.style is None or p.style.style_id != FIGURE_STYLE:
            continue
        key = p.text.strip()
        if key not in context.get("charts", {}):
            raise PipelineError(f"Mẫu Word có biểu đồ «{key}» không có trong nội dung báo cáo.")
        chart = charts.from_dict(context["charts"][key])
        png = charts.to_png(chart, width=charts.mm_to_pt(layout.CHART_WIDTH))
        for run in list(p.runs):
            run._r.getparent().remove(run._r)
        shape = p.add_run().add_picture(io.BytesIO(png), width=Mm(layout.CHART_WIDTH))
        shape._inline.docPr.set("descr", chart.alt)
        shape._inline.docPr.set("title", chart.title)


def _check_body_styles(context: dict) -> None:
    for i, item in enumerate(context.get("body", [])):
        style = item.get("style") if isinstance(item, dict) else None
        if style not in BODY_STYLES:
            raise PipelineError(
                f"Đoạn thứ {i + 1} của nội dung báo cáo có kiểu «{style}» không hợp lệ "
                f"(chỉ nhận: {', '.join(BODY_STYLES)})."
            )


def _set_core_properties(document, context: dict) -> None:
    meta = context.get("meta") or {}
    props = document.core_properties
    organ = str(meta.get("OrganName") or "")
    number = str(meta.get("CodeNumber") or "")
    notation = str(meta.get("CodeNotation") or "")
    props.title = str(meta.get("title") or context.get("subject") or "")
    props.subject = str(meta.get("Subject") or "")
    props.author = organ
    props.last_modified_by = organ
    props.category = str(meta.get("TypeName") or "")
    props.comments = str(meta.get("Description") or "")
    props.identifier = f"{number}/{notation}" if number else ""
    props.language = "vi-VN"
    props.revision = 1
    day = document_date(context)
    stamp = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    props.created = stamp
    props.modified = stamp


# --------------------------------------------------------------------------- checking
def check_template(template: Path, context: dict) -> list[str]:
    """Problems that would break rendering `context` with `template` (Vietnamese; [] = OK)."""
    template = Path(template)
    name = template.name
    if not template.is_file():
        return [f"Không tìm thấy mẫu Word «{template}»."]
    try:
        problems = _section_break_tags(template)
        tpl = DocxTemplate(str(template))
        source = _template_source(tpl)
    except Exception as exc:  # not a .docx, damaged zip or xml
        return [f"Không đọc được mẫu Word «{name}»: {exc}."]
    try:
        ast = _env().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return problems + [f"Mẫu Word «{name}» có thẻ sai cú pháp (dòng {exc.lineno}): {exc.message}."]

    # Same answer as docxtpl's get_undeclared_template_variables, without parsing twice.
    undeclared = jinja2.meta.find_undeclared_variables(ast) - set(context)
    missing = sorted(undeclared)
    for path in _template_paths(ast):
        gap = _first_missing(context, path)
        if gap and gap not in missing and gap.split(".")[0].split("[")[0] not in undeclared:
            missing.append(gap)
    return [f"Mẫu Word «{name}» dùng biến «{m}» nhưng dữ liệu báo cáo không có." for m in missing] + problems


def _template_source(tpl: DocxTemplate) -> str:
    """The Jinja source docxtpl renders: body plus headers and footers."""
    document = Document(str(tpl.template_file))
    xml = tpl.patch_xml(tpl.xml_to_string(document.element.body))
    for rel in document.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and not rel.is_external:
            xml += tpl.patch_xml(tpl.xml_to_string(rel.target_part.element))
    return xml


def _template_paths(ast: nodes.Template) -> list[tuple]:
    """Context paths the template reads: ("header", "motto"), ("body", "[]", "text"), …

    Loop variables resolve to their list ("[]" = every element); locals are skipped.
    """
    found: list[tuple] = []

    def chain(node, scope):
        if isinstance(node, nodes.Name):
            return scope[node.name] if node.name in scope else (node.name,)
        if isinstance(node, nodes.Getattr):
            base = chain(node.node, scope)
            return base + (node.attr,) if base else None
        if isinstance(node, nodes.Getitem):
            base = chain(node.node, scope)
            if base and isinstance(node.arg, nodes.Const):
                return base + (node.arg.value,)
            return base
        return None

    def targets(node):
        if isinstance(node, nodes.Name):
            return [node.name]
        return [n.name for n in node.find_all(nodes.Name)]

    def visit(node, scope):
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            items = chain(node.iter, scope)
            inner = dict(scope, loop=None)
            for var in targets(node.target):
                inner[var] = items + ("[]",) if items else None
            for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
                visit(child, inner)
            return
        if isinstance(node, nodes.Assign):
            visit(node.node, scope)
            for var in targets(node.target):
                scope[var] = None
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            path = chain(node, scope)
            if path and path not in found:
                found.append(path)
            inner_node = node
            while isinstance(inner_node, (nodes.Getattr, nodes.Getitem)):
                if isinstance(inner_node, nodes.Getitem):
                    visit(inner_node.arg, scope)
                inner_node = inner_node.node
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(ast, {})
    return found


def _first_missing(data, path: tuple, shown: str = "") -> str | None:
    """The first spot along `path` that `data` does not provide, as «body[3].lead»."""
    for i, key in enumerate(path):
        if key == "[]":
            if not isinstance(data, (list, tuple)):
                return shown
            for n, item in enumerate(data):
                gap = _first_missing(item, path[i + 1:], f"{shown}[{n}]")
                if gap:
                    return gap
            return None
        if isinstance(key, int):
            if not isinstance(data, (list, tuple)) or not -len(data) <= key < len(data):
                return f"{shown}[{key}]"
            data, shown = data[key], f"{shown}[{key}]"
            continue
        shown = f"{shown}.{key}" if shown else str(key)
        if not isinstance(data, dict) or key not in data:
            return shown
        data = data[key]
    return None


def _section_break_tags(template: Path) -> list[str]:
    """Structural tags in a paragraph that carries a section break (they delete it)."""
    problems = []
    body = Document(str(template)).element.body
    for n, p in enumerate(body.iter(qn("w:p")), start=1):
        if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
            continue
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        m = _STRUCTURAL_TAG.search(text)
        if m:
            problems.append(
                f"Mẫu Word «{template.name}»: thẻ «{m.group(0).strip()} …» nằm trong đoạn thứ {n} "
                "là đoạn mang dấu ngắt phần (section break); khi kết xuất đoạn này bị xóa cùng "
                "thiết lập trang của phần đó (ví dụ trang ngang của phụ lục), hãy chuyển thẻ sang đoạn khác."
            )
    return problems
