"""Word comments on the draft DOCX: one at each point the clerk must decide (never on an issued report).

The points come from the context's `review` list; each is anchored to the paragraph that prints its
block (a body paragraph, or the appendix result cell), else to the block's anchor text (the
section heading, or the task's content cell) when the block prints nothing.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pipeline.drafting.context import document_date

AUTHOR = "Công cụ lập báo cáo"
INITIALS = "CC"
# Characters a renderer may use to keep words together; ignored when matching text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\u00ad"), None) | {0x00A0: " ", 0x2011: "-", 0x202F: " "}


def _norm(text: str) -> str:
    return " ".join(text.translate(_INVISIBLE).split())


def _paragraphs(document):
    """(paragraph, in_table) in document order."""
    for p in document.paragraphs:
        yield p, False
    for table in document.tables:
        seen = set()
        for row in table.rows:
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                for p in cell.paragraphs:
                    yield p, True


def _find(paragraphs, target: str, in_table: bool):
    want = _norm(target)
    if not want:
        return None
    for p, table in paragraphs:
        if table == in_table and p.runs and _norm(p.text).startswith(want):
            return p
    return None


def add_review_comments(document, context: dict) -> int:
    """Add the context's review points as comments to a rendered document (in place); return how many."""
    review = context.get("review") or []
    if not review:
        return 0
    paragraphs = list(_paragraphs(document))
    when = datetime.combine(document_date(context), datetime.min.time(), tzinfo=timezone.utc)
    added = 0
    for item in review:
        in_table = item["place"] == "appendix"
        first_line = item["text"].split("\n")[0]
        p = _find(paragraphs, first_line, in_table) or _find(paragraphs, item["anchor"], in_table) \
            or _find(paragraphs, item["anchor"], not in_table)
        if p is None:
            continue
        for message in item["comments"]:
            comment = document.add_comment(p.runs, text=message, author=AUTHOR, initials=INITIALS)
            comment._comment_elm.date = when   # the document's own date, so equal inputs give equal bytes
            added += 1
    return added
