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
from dataclasses import dataclass, replace
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
WRAP_SAFETY = 0.97        # share of a cell's width counted on when wrapping (viewers measure a little wider)
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


@dataclass
class _Grid:
    """A sheet's text cells as the policy measures them."""
    ws: object
    body_size: float
    last_col: int
    widths: dict[int, float]          # column -> width in digits of the default font
    cells: list                       # (cell, _Look, text as shown)
    spans: dict[tuple[int, int], tuple[int, int]]
    hidden: set[int]

    @property
    def unit(self) -> float:          # pt per width unit at 100 %
        return _unit_pt(self.body_size)

    def total_pt(self) -> float:
        return sum(self.widths.values()) * self.unit

    def span_width_pt(self, cell) -> float:
        end_col, _ = self.spans.get((cell.row, cell.column), (cell.column, cell.row))
        return sum(self.widths[c] for c in range(cell.column, min(end_col, self.last_col) + 1)) * self.unit


def _grid(ws, body_size: float, last_col: int) -> _Grid:
    """A hidden column does not print: no width, and its cells are not measured."""
    widths, hidden = {}, set()
    for c in range(1, last_col + 1):
        dim = ws.column_dimensions.get(get_column_letter(c))
        if dim is not None and dim.hidden:
            hidden.add(c)
        widths[c] = 0.0 if c in hidden else float(dim.width) if dim is not None and dim.width else 8.43
    look = _looker(ws.parent)
    cells = [(cell, look(cell), _shown(cell)) for cell in _text_cells(ws, last_col) if cell.column not in hidden]
    return _Grid(ws, body_size, last_col, widths, cells, _merged_spans(ws), hidden)


def _stretch_notes(g: _Grid) -> None:
    """Left-aligned text running past its cell with nothing to its right (a title, a note) is merged to
    the last column and wrapped: text past the last column prints on a page of its own."""
    ws = g.ws
    for i, (cell, lk, text) in enumerate(g.cells):
        if (cell.row, cell.column) in g.spans or cell.column == g.last_col:
            continue
        if lk.wraps or not isinstance(cell.value, str) or lk.horizontal not in (None, "general", "left"):
            continue
        if text_width(text, lk.size or g.body_size, lk.bold, lk.italic) + CELL_PAD <= g.widths[cell.column] * g.unit:
            continue
        if any(ws.cell(cell.row, c).value not in (None, "") for c in range(cell.column + 1, g.last_col + 1)):
            continue
        ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=g.last_col)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=lk.horizontal)
        g.cells[i] = (cell, replace(lk, wraps=True), text)
        g.spans[(cell.row, cell.column)] = (g.last_col, cell.row)


def _floors(g: _Grid) -> tuple[dict[int, float], set[int]]:
    """The least width of each column (its longest word, capped at TOKEN_CAP for wrapping text; a
    number or date whole), and the columns that wrap."""
    floor = {c: 4.0 for c in g.widths}
    wrapping: set[int] = set()
    for cell, lk, text in g.cells:
        if (cell.row, cell.column) in g.spans:
            continue
        size = lk.size or g.body_size
        if lk.wraps:
            wrapping.add(cell.column)
            longest = max((text_width(w, size, lk.bold, lk.italic) for w in text.split()), default=0)
        elif isinstance(cell.value, str) and not lk.bordered:
            continue     # a label outside a table may run into the empty cell beside it
        else:
            longest = text_width(text, size, lk.bold, lk.italic)
        need = (longest + CELL_PAD) / g.unit
        floor[cell.column] = max(floor[cell.column], min(need, TOKEN_CAP) if lk.wraps else need)
    return floor, wrapping


def _fit_width(g: _Grid, floor: dict[int, float], wrapping: set[int], limit_pt: float, shrink) -> None:
    """Narrow the columns until the table is `limit_pt` wide: first what the shrinking columns have above
    their floors, then every wrapping column alike."""
    widths = g.widths
    if g.total_pt() <= limit_pt:
        return
    candidates = [c for c in (shrink or sorted(wrapping)) if widths[c] > floor[c]]
    excess = (g.total_pt() - limit_pt) / g.unit
    give = sum(widths[c] - floor[c] for c in candidates)
    if give > 0:
        ratio = min(1.0, excess / give)
        for c in candidates:
            widths[c] -= (widths[c] - floor[c]) * ratio
    if g.total_pt() > limit_pt:
        over = (g.total_pt() - limit_pt) / g.unit
        movable = [c for c in widths if c in wrapping] or list(widths)
        cut = over / sum(widths[c] for c in movable)
        for c in movable:
            widths[c] *= 1 - cut


def _page_setup(ws, orientation: str, scale: int, title_rows, last_col: int) -> None:
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


def _heights(g: _Grid) -> dict[int, tuple[float, int]]:
    """Row -> (height in pt its text needs, the column of its tallest single-column cell or 0)."""
    heights: dict[int, tuple[float, int]] = {}
    for cell, lk, text in g.cells:
        size = lk.size or g.body_size
        end_col, end_row = g.spans.get((cell.row, cell.column), (cell.column, cell.row))
        # 3 % short of the width: a line that only just fits in our measure may not in the viewer's
        lines = wrapped_lines(text, g.span_width_pt(cell) * WRAP_SAFETY - CELL_PAD, size, lk.bold, lk.italic) \
            if lk.wraps else 1
        need = (lines * size * LINE_FACTOR + ROW_PAD) / (end_row - cell.row + 1)
        for r in range(cell.row, end_row + 1):
            if need > heights.get(r, (0, 0))[0]:
                heights[r] = (need, cell.column if end_col == cell.column else 0)
    return heights


def _fit_rows(g: _Grid, floor: dict[int, float], wrapping: set[int], most: float) -> dict[int, tuple[float, int]]:
    """A row taller than `most` (a page under the header) takes width for its tallest cell from the other
    wrapping columns; a column widened for a row is never narrowed for another."""
    heights = _heights(g)
    grown: set[int] = set()
    for _ in range(12):
        need, col = max(heights.values(), default=(0, 0))
        if need <= most or not col or col not in wrapping:
            break
        grown.add(col)
        others = [c for c in wrapping if c not in grown and g.widths[c] > floor[c] + 1]
        spare = sum(g.widths[c] - floor[c] for c in others)
        if spare <= 0:
            break
        move = min(spare, g.widths[col] * 0.25)
        for c in others:
            g.widths[c] -= move * (g.widths[c] - floor[c]) / spare
        g.widths[col] += move
        heights = _heights(g)
    return heights


def lay_out(ws, *, title_rows: tuple[int, int] | None = None, body_size: float = 11,
            last_col: int | None = None, stretch_notes: bool = True, shrink: tuple[int, ...] = (),
            orientation: str | None = None, min_heights: dict[int, float] | None = None) -> Layout:
    """Apply the print policy to a filled sheet. Call it last, after widths and merges are set.

    `title_rows`: rows repeated on every page (the table header); `body_size`: the workbook's default
    font size (column widths count its digits); `shrink`: columns that give up width first when the
    table is too wide (default: every wrapping column); `orientation` forces one; `min_heights`:
    rows kept at least this tall (pt), e.g. room to write an answer; `stretch_notes`: see _stretch_notes.
    """
    g = _grid(ws, body_size, last_col or ws.max_column)
    if stretch_notes:
        _stretch_notes(g)
    floor, wrapping = _floors(g)
    for c in g.widths:
        g.widths[c] = max(g.widths[c], floor[c])

    smallest = min([lk.size or body_size for _, lk, _ in g.cells] or [body_size])
    least_scale = math.ceil(100 * MIN_PRINT_PT / smallest) / 100
    if orientation is None:
        orientation = "portrait" if g.total_pt() <= printable_pt("portrait")[0] else "landscape"
    page_w, page_h = printable_pt(orientation)
    _fit_width(g, floor, wrapping, page_w / least_scale - 1, shrink)
    scale = max(round(100 * least_scale), min(100, math.floor(100 * page_w / g.total_pt())))
    _page_setup(ws, orientation, scale, title_rows, g.last_col)

    header = _heights(g)
    title_pt = sum(header.get(r, (15, 0))[0] for r in range(title_rows[0], title_rows[1] + 1)) if title_rows else 0
    most = min(MAX_ROW_HEIGHT, page_h * 100 / scale - 2 * ROW_PAD - title_pt - 20)
    heights = _fit_rows(g, floor, wrapping, most)
    for c, w in g.widths.items():
        if c not in g.hidden:
            ws.column_dimensions[get_column_letter(c)].width = round(w, 2)
    for r, h in (min_heights or {}).items():
        heights[r] = (max(heights.get(r, (0, 0))[0], h), 0)
    for r, (h, _) in heights.items():
        ws.row_dimensions[r].height = round(min(h, most), 1)
    return Layout(orientation, scale, g.widths)
