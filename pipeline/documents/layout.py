"""One set of measures for both renderers, and the text rules that keep tokens on one line.

The Word template builder (scripts/build_docx_template.py) writes its paragraph styles from
STYLES; the PDF renderer writes the same values as CSS (css_rules). Every line pitch is exact
(not "single" or "1.2 lines", whose height differs between Word, LibreOffice and WeasyPrint),
so both engines put the same number of lines on a page and break pages in the same places
wherever their line breaking agrees.

Appendix column widths are computed per document from the text the columns hold
(appendix_widths); both renderers take the same widths.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

MM = 72 / 25.4  # points per millimetre

# ---------------------------------------------------------------- page (FORMAT.md §1)
PORTRAIT = {"top": 20, "right": 15, "bottom": 20, "left": 30}      # mm
LANDSCAPE = {"top": 20, "right": 15, "bottom": 15, "left": 30}     # mm
PORTRAIT_TEXT_WIDTH = 210 - PORTRAIT["left"] - PORTRAIT["right"]   # 165 mm
LANDSCAPE_TEXT_WIDTH = 297 - LANDSCAPE["left"] - LANDSCAPE["right"]  # 252 mm
HEADER_DISTANCE = 10   # mm from the top edge to the page number line
PAGE_NUMBER_SIZE = 13  # pt


@dataclass(frozen=True)
class Style:
    size: float             # pt
    line: float             # exact line pitch, pt
    bold: bool = False
    italic: bool = False
    align: str = "left"     # left | center | justify
    before: float = 0       # pt
    after: float = 0        # pt
    first_indent: float = 0  # mm
    keep_next: bool = False


# Paragraph styles (FORMAT.md §2). Names are shared: the Word template uses them as style
# ids (prefixed "BC" by the builder), the CSS as class names.
STYLES: dict[str, Style] = {
    # a draft's «DỰ THẢO», boxed, in the top margin of page 1 above the issuing body (not in the text flow)
    "draft_mark": Style(12, 14, bold=True),
    "issuer": Style(13, 15, bold=True, align="center"),
    "issuer_parent": Style(13, 15, align="center"),       # the parent body above a subordinate issuer
    "national_name": Style(12, 14, bold=True, align="center"),
    "motto": Style(13, 15, bold=True, align="center"),
    "number": Style(13, 15, align="center", before=6),
    "date": Style(14, 16, italic=True, align="center", before=6),
    "doc_type": Style(14, 17, bold=True, align="center", before=18, keep_next=True),
    "subject": Style(14, 17, bold=True, align="center", keep_next=True),
    # a công văn's subject: the "V/v …" line under its number (Mẫu 1.5, ô 5b), upright, 6 pt below it
    "subject_vv": Style(12, 15, align="center", before=6),
    "recipients": Style(14, 18, before=6, after=12),
    "body": Style(14, 18, align="justify", after=6, first_indent=12.7),
    "heading1": Style(14, 18, bold=True, align="justify", after=6, first_indent=12.7, keep_next=True),
    "heading2": Style(14, 18, bold=True, align="justify", after=6, first_indent=12.7, keep_next=True),
    "heading3": Style(14, 18, bold=True, italic=True, align="justify", after=6, first_indent=12.7,
                      keep_next=True),
    "figure": Style(14, 18, align="center", before=6, keep_next=True),   # the chart: its picture
    "caption": Style(13, 16, italic=True, align="center", after=8),      # under it: "Biểu đồ 1. …"
    "noi_nhan_label": Style(12, 15, bold=True, italic=True),
    "noi_nhan": Style(11, 13),
    "authority": Style(14, 17, bold=True, align="center"),
    "signer": Style(14, 17, bold=True, align="center"),
    "appendix_heading": Style(14, 17, bold=True, align="center", keep_next=True),
    "appendix_title": Style(14, 17, bold=True, align="center", keep_next=True),
    "appendix_note": Style(14, 17, italic=True, align="center", after=8, keep_next=True),
    "table_head": Style(12, 14, bold=True, align="center", before=2, after=2),
    "table_text": Style(12, 14, before=2, after=2),
    "table_center": Style(12, 14, align="center", before=2, after=2),
    "table_section": Style(12, 14, bold=True, before=2, after=2),
    "table_group": Style(12, 14, bold=True, italic=True, before=2, after=2),
}

# Rules under the issuing body, the motto and the subject (mm), and their paragraph.
CHART_WIDTH = 150.0    # mm: a chart in the portrait body, a little narrower than the text
ISSUER_RULE = 18.0
MOTTO_RULE = 56.1      # "Độc lập - Tự do - Hạnh phúc" in bold 13 pt
SUBJECT_RULE = 50.0
RULE_LINE = 4          # pt: the empty paragraph whose bottom border is the rule
DRAFT_MARK_BORDER = 0.75   # pt: the box drawn round «DỰ THẢO»
DRAFT_MARK_PAD = 2         # pt between the box and the letters
# Header 6.75 + 10.0 cm and signature 5.3 + 11.1 cm (Mẫu 1.4), as shares of the text width.
HEADER_SPLIT = 6.75 / 16.75
SIGNATURE_SPLIT = 5.3 / 16.4
SIGNATURE_SPACE = 5    # blank authority lines (17 pt each, 30 mm) for the signature and the seal
# "Kính gửi:" starts KG_LEFT from the margin; recipients hang at KG_LEFT + KG_HANG.
KG_LEFT = 40.0
KG_HANG = 22.0

# Table cells: left/right padding (Word's default 0.19 cm), borders 0.5 pt.
CELL_PAD = 108 / 20    # pt
APPENDIX_FONT_SIZE = 12

# A heading is kept with the paragraph after it only when it is this short (lines of the
# text width): a long heading kept with its paragraph can push a whole page of blank.
HEADING_KEEP_LINES = 2
# A task row of at most this many lines is not split across pages (a longer one may split,
# the header row repeated); a group row always stays with the row after it.
ROW_KEEP_LINES = 6


def css_rules() -> str:
    """CSS for the shared styles: `.s-<name>` classes, plus the @page geometry."""
    out = []
    for name, s in STYLES.items():
        out.append(
            f".s-{name} {{ font-size: {s.size}pt; line-height: {s.line}pt; "
            f"font-weight: {'bold' if s.bold else 'normal'}; "
            f"font-style: {'italic' if s.italic else 'normal'}; text-align: {s.align}; "
            f"margin: {s.before}pt 0 {s.after}pt; text-indent: {s.first_indent}mm; }}")
    out.append(f".signature-space {{ height: {SIGNATURE_SPACE * STYLES['authority'].line}pt; }}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- measuring text

@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    from pipeline.text.fonts import font_files  # the Liberation Serif files
    path = font_files()[1 if bold else 0]
    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap()
        hmtx = font["hmtx"]
        widths = {cp: hmtx[name][0] for cp, name in cmap.items()}
        return widths, font["head"].unitsPerEm


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in pt of `text` on one line (Liberation Serif = Times New Roman metrics)."""
    widths, upem = _advances(bold)
    fallback = widths.get(ord("n"), upem // 2)
    return sum(widths.get(ord(ch), fallback) for ch in text) * size / upem


# ---------------------------------------------------------------- keeping tokens together

_LETTER = r"[^\W_]"
# Numbers and notations, dates, periods: "2927/QĐ-UBND", "05/4/2022", "Quý II/2022", "/BC-UBND".
_SLASHED = rf"{_LETTER}*(?:/{_LETTER}+(?:-{_LETTER}+)*)+"
_PATTERNS = [
    # a word that introduces a number keeps it: "số 45/KH-UBND", "ngày 05/4/2022", "Quý IV/2022"
    rf"\b(?:[Ss]ố|[Nn]gày|[Tt]háng|[Nn]ăm|Quý|quý|Khóa|khóa)[ ]+(?:{_SLASHED}|\d+|[IVX]+\b)",
    _SLASHED,
    r"\d{4}[ ]*[-–][ ]*\d{4}",                      # "2021 - 2030"
    r"\d+(?:[.,]\d+)*[ ]?%",                       # "28,6 %"
    r"\b[IVX]+(?:\.\d+)+\b",                         # a task's code: "II.6", "III.4.1"
]
_PROTECT = [re.compile(p) for p in _PATTERNS]
# Short words that end a paragraph or a line are bound to the word before ("đạt 70%.").
_LAST_WORD = re.compile(r"(\S+)[ ]+(\S{1,8})$", re.M)
# Phrases of the narrow columns kept whole when they fit: split at , ; ( ) and line ends.
_PHRASE = re.compile(r"[^,;()\n]+[,;)]?")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def keep_spans(text: str, phrase_width: float | None = None, size: float = APPENDIX_FONT_SIZE,
               bold: bool = False) -> list[tuple[int, int]]:
    """Stretches of `text` that must not break across lines.

    Numbers with their notation, dates, periods, year ranges, percentages, the last short word
    with the word before it; with `phrase_width` (pt) every comma-separated phrase that fits
    that width (a status, an agency's name in a narrow column).
    """
    spans = [m.span() for pattern in _PROTECT[1:] for m in pattern.finditer(text)]
    spans += [(m.start(), m.end()) for m in _LAST_WORD.finditer(text)
              if not phrase_width or text_width(m.group(), size, bold) <= phrase_width]
    others = list(spans)
    for m in _PROTECT[0].finditer(text):
        start, end = m.span()
        for a, b in sorted(others):
            if a <= end and b > end:
                end = b
        # In a narrow column ("Năm 2022 - 2023" in «Thời hạn») the word may leave its number.
        if phrase_width and text_width(text[start:end], size, bold) > phrase_width:
            number = m.group().split()[-1]
            spans.append((m.end() - len(number), m.end()))
        else:
            spans.append(m.span())
    if phrase_width:
        for m in _PHRASE.finditer(text):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            end = m.end() - (len(m.group()) - len(m.group().rstrip()))
            if end > start and " " in text[start:end] and \
                    text_width(text[start:end], size, bold) <= phrase_width:
                spans.append((start, end))
    return _merge([s for s in spans if s[1] > s[0]])


WORD_JOINER = "\u2060"  # zero width, no glyph needed (HarfBuzz drops it), forbids a break


def nobreak_pdf(text: str, phrase_width: float | None = None, bold: bool = False) -> str:
    """`text` with kept stretches made unbreakable for WeasyPrint: no-break spaces, and word
    joiners after "/" and ".", around "-" (characters, not <span>s: a nowrap span per number made
    the 2,000-task appendix lay out 40 % slower)."""
    text = str(text)
    out, pos = [], 0
    for start, end in keep_spans(text, phrase_width, bold=bold):
        out.append(text[pos:start])
        for ch in text[start:end]:
            if ch == " ":
                out.append(NB_SPACE)
            elif ch == "/":
                out.append("/" + WORD_JOINER)
            elif ch == "-":
                out.append(WORD_JOINER + "-" + WORD_JOINER)
            elif ch == ".":
                out.append("." + WORD_JOINER)
            else:
                out.append(ch)
        pos = end
    out.append(text[pos:])
    return "".join(out)


NB_HYPHEN = "\u2011"  # becomes Word's own non-breaking hyphen (w:noBreakHyphen)
NB_SPACE = "\u00a0"


def nobreak_word(text: str, phrase_width: float | None = None, bold: bool = False) -> str:
    """`text` with the spaces and hyphens of kept stretches made non-breaking (for Word)."""
    chars = list(text)
    for start, end in keep_spans(text, phrase_width, bold=bold):
        for i in range(start, end):
            if chars[i] == " ":
                chars[i] = NB_SPACE
            elif chars[i] == "-":
                chars[i] = NB_HYPHEN
    return "".join(chars)


def plain(text: str) -> str:
    """Undo nobreak_word: the text as the context holds it."""
    return text.replace(NB_SPACE, " ").replace(NB_HYPHEN, "-").replace("\u2060", "")


# ---------------------------------------------------------------- appendix columns

APPENDIX_KEYS = ("tt", "content", "lead", "deadline", "status", "result")
# Columns whose phrases are kept whole (names, deadlines and statuses read as units).
PHRASE_COLUMNS = ("lead", "deadline", "status")
PHRASE_CAP = 42 * MM     # a phrase wider than this may break
PHRASE_FLOOR = 30 * MM   # phrases up to this width set a column's least width
# «Thời hạn» is narrow: its phrases («Theo kế hoạch», «Năm 2022 - 2023») may break beyond this width.
PHRASE_FLOORS = {"deadline": 22 * MM}
MIN_COLUMN = 10 * MM


def _units(text: str, key: str) -> list[str]:
    """Pieces of a cell that cannot break: words, kept stretches, phrases of narrow columns."""
    cap = PHRASE_FLOORS.get(key, PHRASE_FLOOR) if key in PHRASE_COLUMNS else None
    pieces = text.split()
    for start, end in keep_spans(text, cap):
        pieces.append(text[start:end])
    return pieces


def _line_widths(text: str) -> list[float]:
    return [text_width(line, APPENDIX_FONT_SIZE) for line in text.split("\n")]


def appendix_widths(columns: list[str], rows: list[dict], total_mm: float = LANDSCAPE_TEXT_WIDTH,
                    sample: int = 600) -> list[float]:
    """Column widths (mm) that balance the rows' heights on the text they hold.

    Each column is at least as wide as its longest unbreakable piece (capped, so a freak
    token cannot starve the others: it breaks anywhere instead); the rest of the width is
    moved between columns while that lowers the estimated total height of the rows.
    """
    import numpy as np

    pad = 2 * CELL_PAD
    tasks = [r for r in rows if r.get("kind") == "task"]
    if len(tasks) > sample:  # an even sample estimates the shape of a very long table
        step = len(tasks) / sample
        tasks = [tasks[int(i * step)] for i in range(sample)]
    n = len(APPENDIX_KEYS)
    floor = []
    for j, key in enumerate(APPENDIX_KEYS):
        head = max((text_width(w, APPENDIX_FONT_SIZE, bold=True) for w in str(columns[j]).split()),
                   default=0)
        widest = head
        for r in tasks:
            for piece in _units(str(r.get(key, "")), key):
                widest = max(widest, text_width(piece, APPENDIX_FONT_SIZE))
        floor.append(min(max(widest + pad + 3, MIN_COLUMN), 60 * MM))
    total = total_mm * MM
    if sum(floor) > total:
        scale = total / sum(floor)
        floor = [f * scale for f in floor]

    seg_w, seg_row = [], []
    for j, key in enumerate(APPENDIX_KEYS):
        ws, rs = [], []
        for i, r in enumerate(tasks):
            for w in _line_widths(str(r.get(key, ""))):
                ws.append(max(w, 1.0))
                rs.append(i)
        seg_w.append(np.array(ws) * 1.06)  # word wrap wastes the end of each line
        seg_row.append(np.array(rs, dtype=int))
    n_rows = max(len(tasks), 1)

    def lines(j, width):
        usable = max(width - pad, 1.0)
        if not len(seg_w[j]):
            return np.zeros(n_rows)
        return np.bincount(seg_row[j], np.ceil(seg_w[j] / usable), minlength=n_rows)

    def cost(widths):
        # total height of the rows, and (to break ties) the lines of every cell
        grid = np.vstack([lines(j, w) for j, w in enumerate(widths)])
        return float(grid.max(axis=0).sum()) + 0.01 * float(grid.sum())

    # Start proportional to each column's text, above the floors.
    need = [float(seg_w[j].sum()) + 1.0 for j in range(n)]
    spare = total - sum(floor)
    widths = [floor[j] + spare * need[j] / sum(need) for j in range(n)]
    best = cost(widths)
    for step in (8 * MM, 4 * MM, 2 * MM, 1 * MM):
        improved = True
        while improved:
            improved = False
            for a in range(n):
                for b in range(n):
                    if a == b or widths[a] - step < floor[a]:
                        continue
                    trial = list(widths)
                    trial[a] -= step
                    trial[b] += step
                    c = cost(trial)
                    if c < best - 1e-9:
                        widths, best, improved = trial, c, True
    mm = [round(w / MM, 1) for w in widths]
    mm[-1] = round(total_mm - sum(mm[:-1]), 1)
    return mm


def row_lines(row: dict, widths_mm: list[float]) -> int:
    """Estimated lines of a task row at the given column widths."""
    best = 1
    for key, w in zip(APPENDIX_KEYS, widths_mm):
        usable = max(w * MM - 2 * CELL_PAD, 1.0)
        n = sum(max(1, math.ceil(lw * 1.06 / usable)) for lw in _line_widths(str(row.get(key, ""))))
        best = max(best, n)
    return best


def heading_keeps(block: dict) -> bool:
    """Whether a heading is short enough to be kept with the paragraph after it."""
    s = STYLES.get(block.get("style", ""), STYLES["heading1"])
    text = f"{block.get('lead', '')}{block.get('text', '')}"
    width = text_width(text, s.size, s.bold) + s.first_indent * MM
    return width <= HEADING_KEEP_LINES * PORTRAIT_TEXT_WIDTH * MM * 0.97


@dataclass(frozen=True)
class AppendixPlan:
    """What both renderers need to lay the appendix out the same way."""
    widths: list[float]          # mm, one per column
    keep_rows: list[bool]        # per row: not split across pages
    phrase_width: list[float]    # pt per column: phrases up to this width stay whole (0 = none)


def plan_appendix(appendix: dict) -> AppendixPlan:
    widths = appendix_widths(appendix["columns"], appendix["rows"])
    keep = [r.get("kind") != "task" or row_lines(r, widths) <= ROW_KEEP_LINES
            for r in appendix["rows"]]
    # 2 pt short of the cell's text width: a phrase that only just fits breaks inside a number instead
    phrase = [min(PHRASE_CAP, w * MM - 2 * CELL_PAD - 2) if key in PHRASE_COLUMNS else 0.0
              for key, w in zip(APPENDIX_KEYS, widths)]
    return AppendixPlan(widths, keep, phrase)
