"""One print policy for every workbook sheet the tool writes (tong-hop, bien-tap, the agency forms,
the follow-up problem workbooks, the registry template).

A4; portrait when the table fits the portrait width at full size, landscape otherwise; one page
wide, at a fixed scale that never prints text below MIN_PRINT_PT (columns are narrowed, wrapping,
until it holds); the header rows repeated; «Trang x/y» in the footer, counted per sheet; margins
in millimetres; every row as tall as its text, measured with the font's real advance widths, and
no taller.

How LibreOffice Calc prints (measured on 7.4, the same for Excel within a few per cent): a column
`w` wide is w × (default font size / 2) pt (a Times New Roman digit is half an em); a wrapped line
of s-pt Times New Roman takes 1.11 × s pt; row heights are honoured exactly, and text that does
not fit is clipped. So the widths and heights here are computed, never left to the viewer.

Decimal comma: a number format's "." is the viewer's locale (an English Excel prints «33.3%»), so
rates are written as text in Vietnamese form (`percent_text`, «33,3%»), the way the report prints
them; a chart's values, which must stay numbers, use a format whose comma is a literal
(`PERMILLE_FORMAT`, the value in tenths of a per cent).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

MIN_PRINT_PT = 9          # pt on paper, the smallest text a sheet prints
MM = 72 / 25.4
PAGE_MM = (210, 297)      # A4
# Margins (mm): the binding edge gets the wider one (left of a portrait page, top of a landscape one).
PORTRAIT_MARGINS = {"left": 20, "right": 10, "top": 15, "bottom": 15}
LANDSCAPE_MARGINS = {"left": 12, "right": 12, "top": 20, "bottom": 15}
HEADER_FOOTER_MM = 7
FOOTER = "Trang &P/&N"
FOOTER_PT = 10            # printed size of the footer
LINE_FACTOR = 1.15        # line pitch / font size (LibreOffice: 1.11, a little room for Excel)
ROW_PAD = 4               # pt above and below the lines of a row
CELL_PAD = 4              # pt of a column's width not available to text (LibreOffice: about 2)
MAX_ROW_HEIGHT = 409      # Excel's limit
TOKEN_CAP = 26            # columns widen for a word up to this many units; a longer token may break
PERMILLE_FORMAT = '0","0"%"'   # 875 prints «87,5%» whatever the viewer's locale


def percent_text(fraction: float, decimals: int = 1) -> str:
    """«33,3%»: a rate as the report prints it (decimal comma, no space before %)."""
    value = round(100 * fraction, decimals)
    text = f"{value:.{decimals}f}".replace(".", ",")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text + "%"


# ---------------------------------------------------------------- measuring text


@lru_cache(maxsize=4)
def _advances(face: int) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    from pipeline.text.fonts import font_files   # Liberation Serif = Times New Roman metrics
    with TTFont(font_files()[face], lazy=True) as font:
        hmtx = font["hmtx"]
        return {cp: hmtx[name][0] for cp, name in font.getBestCmap().items()}, font["head"].unitsPerEm


@lru_cache(maxsize=200_000)
def _em_width(word: str, face: int) -> float:
    """Width of `word` in em (a sheet repeats its words: measured once)."""
    widths, upem = _advances(face)
    fallback = widths.get(ord("n"), upem // 2)
    return sum(widths.get(ord(ch), fallback) for ch in word) / upem


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Width in pt of `text` on one line in Times New Roman."""
    return _em_width(text, int(bold) + 2 * int(italic)) * size


def wrapped_lines(text: str, width_pt: float, size: float, bold: bool = False, italic: bool = False) -> int:
    """Lines `text` takes when wrapped at word boundaries in `width_pt` (a word wider than the
    width breaks anywhere, as Calc and Excel do)."""
    face = int(bold) + 2 * int(italic)
    width = width_pt / size            # in em
    space = _em_width(" ", face)
    total = 0
    for paragraph in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split():
            w = _em_width(word, face)
            if used and used + space + w <= width:
                used += space + w
                continue
            if used:
                lines += 1
            if w > width:           # broken across lines
                extra = math.ceil(w / width) - 1
                lines += extra
                w -= extra * width
            used = w
        total += lines
    return total


# ---------------------------------------------------------------- the policy


@dataclass(frozen=True)
class Layout:
    orientation: str
    scale: int
    widths: dict[int, float]       # column -> width (units of the default font's digit)


@dataclass(frozen=True)
class _Look:
    size: float | None
    bold: bool
    italic: bool
    wraps: bool
    horizontal: str | None
    bordered: bool


def _looker(wb):
    """cell -> its _Look, read once per combination of font, alignment and border (the style proxies
    of openpyxl are slow on a 20,000-row sheet)."""
    cache: dict[tuple[int, int, int], _Look] = {}

    def look(cell) -> _Look:
        st = cell._style           # None: a cell never styled (the workbook's defaults, index 0)
        key = (st.fontId, st.alignmentId, st.borderId) if st is not None else (0, 0, 0)
        found = cache.get(key)
        if found is None:
            f, al, b = wb._fonts[key[0]], wb._alignments[key[1]], wb._borders[key[2]]
            found = _Look(float(f.sz) if f is not None and f.sz else None, bool(f and f.b), bool(f and f.i),
                          bool(al is not None and al.wrap_text), al.horizontal if al is not None else None,
                          bool(b is not None and b.left is not None and b.left.style))
            cache[key] = found
        return found
    return look


def _unit_pt(body_size: float) -> float:
    return body_size / 2


def printable_pt(orientation: str) -> tuple[float, float]:
    """(width, height) in pt inside the margins."""
    m = PORTRAIT_MARGINS if orientation == "portrait" else LANDSCAPE_MARGINS
    w, h = PAGE_MM if orientation == "portrait" else PAGE_MM[::-1]
    return (w - m["left"] - m["right"]) * MM, (h - m["top"] - m["bottom"]) * MM


def _merged_spans(ws) -> dict[tuple[int, int], tuple[int, int]]:
    """Top-left cell of each merged range -> (last column, last row)."""
    return {(r.min_row, r.min_col): (r.max_col, r.max_row) for r in ws.merged_cells.ranges}


def _text_cells(ws, last_col: int):
    covered = set()
    for r in ws.merged_cells.ranges:
        for row in range(r.min_row, r.max_row + 1):
            for col in range(r.min_col, r.max_col + 1):
                if (row, col) != (r.min_row, r.min_col):
                    covered.add((row, col))
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=last_col):
        for cell in row:
            if cell.value is None or cell.value == "" or (cell.row, cell.column) in covered:
                continue
            yield cell


def _shown(cell) -> str:
    from datetime import date, datetime
    v = cell.value
    if isinstance(v, (date, datetime)):
        return "00/00/0000"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def lay_out(ws, *, title_rows: tuple[int, int] | None = None, body_size: float = 11,
            last_col: int | None = None, stretch_notes: bool = True, shrink: tuple[int, ...] = (),
            orientation: str | None = None, min_heights: dict[int, float] | None = None) -> Layout:
    """Apply the print policy to a filled sheet. Call it last, after widths and merges are set.

    `title_rows`: rows repeated on every page (the table header); `body_size`: the workbook's default
    font size (column widths count its digits); `shrink`: columns that give up width first when the
    table is too wide (default: every wrapping column); `orientation` forces one; `min_heights`:
    rows kept at least this tall (pt), e.g. room to write an answer.
    Text cells left of the last column that run past the table (titles, notes) are merged to the
    last column and wrapped, so nothing prints past the page width.
    """
    last_col = last_col or ws.max_column
    unit = _unit_pt(body_size)
    widths = {}
    for c in range(1, last_col + 1):
        dim = ws.column_dimensions.get(get_column_letter(c))
        widths[c] = float(dim.width) if dim is not None and dim.width else 8.43
    cells = list(_text_cells(ws, last_col))
    spans = _merged_spans(ws)
    look = _looker(ws.parent)
    smallest = min([look(c).size or body_size for c in cells] or [body_size])

    if stretch_notes:
        for cell in cells:
            if (cell.row, cell.column) in spans or cell.column == last_col:
                continue
            lk = look(cell)
            own = widths[cell.column] * unit
            if lk.wraps or not isinstance(cell.value, str) or lk.horizontal not in (None, "general", "left"):
                continue
            if text_width(cell.value, lk.size or body_size, lk.bold, lk.italic) + CELL_PAD <= own:
                continue
            right_empty = all(ws.cell(cell.row, c).value in (None, "") for c in range(cell.column + 1, last_col + 1))
            if not right_empty:
                continue
            ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=last_col)
            al = cell.alignment
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=al.horizontal if al else None)
            spans[(cell.row, cell.column)] = (last_col, cell.row)

    # The least width of a column: its longest word (capped), for any cell that is not merged.
    floor = {c: 4.0 for c in widths}
    wrapping = set()
    for cell in cells:
        if (cell.row, cell.column) in spans:
            continue
        lk = look(cell)
        size = lk.size or body_size
        text = _shown(cell)
        if lk.wraps:
            wrapping.add(cell.column)
            longest = max((text_width(w, size, lk.bold, lk.italic) for w in text.split()), default=0)
        elif isinstance(cell.value, str) and not lk.bordered:
            continue     # a label outside a table may run into the empty cell beside it
        else:
            longest = text_width(text, size, lk.bold, lk.italic)
        need = (longest + CELL_PAD) / unit
        floor[cell.column] = max(floor[cell.column], min(need, TOKEN_CAP) if lk.wraps else need)
    for c in widths:
        widths[c] = max(widths[c], min(floor[c], TOKEN_CAP if c in wrapping else floor[c]))

    least_scale = math.ceil(100 * MIN_PRINT_PT / smallest) / 100
    total = sum(widths.values()) * unit
    if orientation is None:
        orientation = "portrait" if total <= printable_pt("portrait")[0] else "landscape"
    page_w, page_h = printable_pt(orientation)
    limit = page_w / least_scale - 1
    if total > limit:
        candidates = [c for c in (shrink or sorted(wrapping)) if widths[c] > floor[c]]
        excess = (total - limit) / unit
        give = sum(widths[c] - floor[c] for c in candidates)
        if give > 0:
            ratio = min(1.0, excess / give)
            for c in candidates:
                widths[c] -= (widths[c] - floor[c]) * ratio
        total = sum(widths.values()) * unit
        if total > limit:   # floors too wide: every wrapping column narrows alike
            over = (total - limit) / unit
            movable = [c for c in widths if c in wrapping] or list(widths)
            cut = over / sum(widths[c] for c in movable)
            for c in movable:
                widths[c] *= 1 - cut
            total = sum(widths.values()) * unit
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = round(w, 2)
    scale = max(round(100 * least_scale), min(100, math.floor(100 * page_w / total)))

    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = orientation
    ps.scale = scale
    ps.fitToWidth = ps.fitToHeight = None
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    m = PORTRAIT_MARGINS if orientation == "portrait" else LANDSCAPE_MARGINS
    ws.page_margins.left, ws.page_margins.right = m["left"] / 25.4, m["right"] / 25.4
    ws.page_margins.top, ws.page_margins.bottom = m["top"] / 25.4, m["bottom"] / 25.4
    ws.page_margins.header = ws.page_margins.footer = HEADER_FOOTER_MM / 25.4
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}" if title_rows else None
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = math.ceil(FOOTER_PT * 100 / scale)   # the footer is scaled with the page
    ws.oddFooter.center.font = "Times New Roman"
    ws.print_area = f"A1:{get_column_letter(last_col)}{ws.max_row}"

    # Row heights from the text. A row must fit a page under the repeated header rows: a row that
    # would not takes width for its tallest cell from the other wrapping columns.
    title_pt = sum(ws.row_dimensions[r].height or 15 for r in range(title_rows[0], title_rows[1] + 1)) \
        if title_rows else 0
    most = min(MAX_ROW_HEIGHT, page_h * 100 / scale - 2 * ROW_PAD - title_pt - 20)

    measured = [(cell, look(cell), _shown(cell)) for cell in cells]

    def measure():
        heights: dict[int, tuple[float, int]] = {}
        for cell, lk, text in measured:
            size = lk.size or body_size
            end_col, end_row = spans.get((cell.row, cell.column), (cell.column, cell.row))
            width = sum(widths[c] for c in range(cell.column, min(end_col, last_col) + 1)) * unit - CELL_PAD
            lines = wrapped_lines(text, width, size, lk.bold, lk.italic) if lk.wraps else 1
            need = (lines * size * LINE_FACTOR + ROW_PAD) / (end_row - cell.row + 1)
            for r in range(cell.row, end_row + 1):
                if need > heights.get(r, (0, 0))[0]:
                    heights[r] = (need, cell.column if end_col == cell.column else 0)
        return heights

    heights = measure()
    grown: set[int] = set()      # a column widened for a row is never narrowed for another
    for _ in range(12):
        worst = max(heights.values(), default=(0, 0))
        if worst[0] <= most or not worst[1] or worst[1] not in wrapping:
            break
        col = worst[1]
        grown.add(col)
        others = [c for c in wrapping if c not in grown and widths[c] > floor[c] + 1]
        spare = sum(widths[c] - floor[c] for c in others)
        if spare <= 0:
            break
        move = min(spare, widths[col] * 0.25)
        for c in others:
            widths[c] -= move * (widths[c] - floor[c]) / spare
        widths[col] += move
        heights = measure()
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = round(w, 2)
    for r, h in (min_heights or {}).items():
        heights[r] = (max(heights.get(r, (0, 0))[0], h), 0)
    for r, (h, _) in heights.items():
        ws.row_dimensions[r].height = round(min(h, most), 1)
    return Layout(orientation, scale, widths)
