"""Apply the shared page rules (pipeline/documents/layout.py) to a rendered Word document.

docxtpl fills a fixed template; what depends on the document's own text is set here, after
rendering: the appendix column widths and which rows may split, which headings keep with the
next paragraph, and the stretches of text (numbers, dates, periods) that must not break.
"""
from __future__ import annotations

import copy

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.documents import layout

_HEADINGS = {"Heading1": "heading1", "Heading2": "heading2", "Heading3": "heading3"}
_PROTECTED = ("BCBody", "BCSubject", "BCSubjectVV", "BCAppendixTitle", "BCAppendixNote")


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _split_nb_hyphens(t) -> None:
    """A w:t holding U+2011 becomes text runs with Word's own non-breaking hyphen between."""
    text = t.text or ""
    if layout.NB_HYPHEN not in text:
        return
    parts = text.split(layout.NB_HYPHEN)
    t.text = parts[0]
    anchor = t
    for part in parts[1:]:
        hyphen = OxmlElement("w:noBreakHyphen")
        anchor.addnext(hyphen)
        anchor = hyphen
        if part:
            nt = copy.deepcopy(t)
            nt.text = part
            anchor.addnext(nt)
            anchor = nt


def _protect(p, phrase_width: float | None = None) -> None:
    for t in list(p.iter(qn("w:t"))):
        if t.text:
            t.text = layout.nobreak_word(t.text, phrase_width)
            _split_nb_hyphens(t)


def _set_keep_next(p, on: bool) -> None:
    ppr = p.get_or_add_pPr()
    keep = ppr.find(qn("w:keepNext"))
    if keep is None:
        keep = OxmlElement("w:keepNext")
        ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, keep)
    keep.set(qn("w:val"), "1" if on else "0")


def _appendix_table(body):
    for tbl in body.iter(qn("w:tbl")):
        if tbl.find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
            return tbl
    return None


def _set_widths(tbl, widths_mm: list[float]) -> None:
    twips = [round(w * 1440 / 25.4) for w in widths_mm]
    for col, w in zip(tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"), twips):
        col.set(qn("w:w"), str(w))
    for tr in tbl.findall(qn("w:tr")):
        i = 0
        for tc in tr.findall(qn("w:tc")):
            span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            tcw = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if tcw is not None:
                tcw.set(qn("w:w"), str(sum(twips[i:i + span])))
                tcw.set(qn("w:type"), "dxa")
            i += span


def _set_cant_split(tr, on: bool) -> None:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = OxmlElement("w:trPr")
        tr.insert(0, trpr)
    existing = trpr.find(qn("w:cantSplit"))
    if on and existing is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))
    elif not on and existing is not None:
        trpr.remove(existing)


def apply(document, context: dict) -> None:
    """Lay the rendered document out by the shared rules (in place)."""
    body = document.element.body
    tbl = _appendix_table(body)
    in_table = set(tbl.iter(qn("w:p"))) if tbl is not None else set()
    for p in body.iter(qn("w:p")):
        if p in in_table:
            continue
        style = p.pPr.pStyle.val if p.pPr is not None and p.pPr.pStyle is not None else ""
        if style in _PROTECTED or style in _HEADINGS:
            _protect(p)
        if style in _HEADINGS:
            block = {"style": _HEADINGS[style], "lead": "", "text": _text(p)}
            if not layout.heading_keeps(block):
                _set_keep_next(p, False)
    if tbl is None:
        return
    plan = layout.plan_appendix(context["appendix"])
    _set_widths(tbl, plan.widths)
    rows = [tr for tr in tbl.findall(qn("w:tr"))
            if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None]
    if len(rows) != len(context["appendix"]["rows"]):
        return  # an edited template: leave its rows as they are
    for tr, row, keep in zip(rows, context["appendix"]["rows"], plan.keep_rows):
        _set_cant_split(tr, keep)
        cells = tr.findall(qn("w:tc"))
        if len(cells) == len(layout.APPENDIX_KEYS):
            for tc, width in zip(cells, plan.phrase_width):
                for p in tc.iter(qn("w:p")):
                    _protect(p, width or None)
        else:
            for tc in cells:
                for p in tc.iter(qn("w:p")):
                    _protect(p)
