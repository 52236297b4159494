"""The document types the renderers know: each is a context builder's output plus its two templates.

A context names its type in `document` (a report context made before types existed has none: a báo cáo).
What every Nghị định 30 document shares — header, Kính gửi, body paragraphs, signature block, page
numbers, the archive record — is laid out once: in the Word templates by the one builder
(scripts/build_docx_template.py), in HTML by templates/html/_nd30.html and nd30.css. Adding a type
(a tờ trình) is a context builder, a Word template, an HTML template and one line here.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class DocumentType:
    key: str
    docx_template: Path
    html_template: str        # in templates/html/
    appendix: bool            # ends with the landscape appendix table (context["appendix"])


TYPES = {
    "bao-cao": DocumentType("bao-cao", TEMPLATES / "docx" / "bao-cao.docx", "bao-cao.html", appendix=True),
    "cong-van": DocumentType("cong-van", TEMPLATES / "docx" / "cong-van.docx", "cong-van.html", appendix=False),
}


def document_type(context: dict) -> DocumentType:
    key = context.get("document", "bao-cao")
    if key not in TYPES:
        raise PipelineError(f"Loại văn bản «{key}» không được hỗ trợ (chỉ nhận: {', '.join(TYPES)}).")
    return TYPES[key]
