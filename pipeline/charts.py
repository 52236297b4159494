"""Charts of the report: one layout, drawn as SVG (the PDF: vector, selectable text) and as PNG (the DOCX).

Why not matplotlib: measured on the project's 2-core machine, importing matplotlib's Figure with the
Agg and SVG backends costs 0.85 s per run (1.10 s against 0.25 s for numpy + Pillow) on top of a
2.4 s report, plus a font-cache build on a fresh machine and four more packages. The charts here
are two kinds of horizontal bars, so they are laid out once here (text measured with the report's
own font) and painted twice: SVG text for the PDF, Pillow for the DOCX picture. Printable in black
and white: grey levels and hatching, every value written on its bar.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

WIDTH = 453.0          # pt: the portrait text width (160 mm)
FONT_SIZE = 9.0
TITLE_SIZE = 10.5
BAR = 11.0             # bar thickness
BAR_GAP = 2.0
ROW_GAP = 7.0
PAD = 4.0
PNG_DPI = 200
FONT_FAMILY = "BaoCao Serif, Liberation Serif, serif"


@dataclass(frozen=True)
class Style:
    name: str         # the legend text
    fill: str         # grey level, "#rrggbb"
    hatch: str = ""   # "" | "diagonal" | "cross" | "horizontal"
    dark: bool = False  # white text on it


@dataclass
class Segment:
    value: float
    style: int        # index into Chart.styles
    text: str         # the value as printed ("" = too small to print)


@dataclass
class Bar:
    caption: str                  # which period ("quý III", "quý II"), "" when there is one bar a row
    segments: list[Segment]


@dataclass
class Row:
    label: str
    bars: list[Bar]


@dataclass
class Chart:
    title: str
    rows: list[Row]
    styles: list[Style]
    scale: float                  # the value a full-width bar stands for
    note: str = ""                # a line under the legend
    alt: str = ""                 # what the chart says, for readers who cannot see it
    legend: bool = True


@dataclass
class _Box:
    kind: str                     # "rect" | "text"
    x: float
    y: float
    w: float = 0.0
    h: float = 0.0
    text: str = ""
    size: float = FONT_SIZE
    bold: bool = False
    anchor: str = "start"         # start | middle | end
    style: Style | None = None
    color: str = "#000000"


@dataclass
class Layout:
    width: float
    height: float
    boxes: list[_Box] = field(default_factory=list)


@lru_cache(maxsize=4)
def _font(bold: bool, size: float):
    from PIL import ImageFont
    from pipeline.fonts import font_files
    regular, bold_face = font_files()[0], font_files()[1]
    return ImageFont.truetype(str(bold_face if bold else regular), size=size)


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    # measured at 10x and scaled: Pillow's lengths are in whole pixels at small sizes
    return _font(bold, size * 10).getlength(text) / 10


def _wrap(text: str, width: float, size: float = FONT_SIZE) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and text_width(trial, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


def layout(chart: Chart, width: float = WIDTH) -> Layout:
    boxes: list[_Box] = []
    y = PAD
    for line in _wrap(chart.title, width - 2 * PAD, TITLE_SIZE):
        y += TITLE_SIZE * 1.2
        boxes.append(_Box("text", width / 2, y, text=line, size=TITLE_SIZE, bold=True, anchor="middle"))
    y += ROW_GAP
    captions = [b.caption for r in chart.rows for b in r.bars if b.caption]
    caption_w = max((text_width(c, FONT_SIZE - 1) for c in captions), default=0.0)
    label_w = min(width * 0.34, max((text_width(r.label) for r in chart.rows), default=0.0) + PAD)
    x0 = PAD + label_w + (caption_w + PAD if caption_w else 0.0)
    bar_w = width - x0 - PAD - text_width("100%") - PAD
    for row in chart.rows:
        block = len(row.bars) * BAR + (len(row.bars) - 1) * BAR_GAP
        lines = _wrap(row.label, label_w - PAD)[:3]
        top = y
        label_y = top + block / 2 - (len(lines) - 1) * FONT_SIZE * 0.6 + FONT_SIZE * 0.35
        for i, line in enumerate(lines):
            boxes.append(_Box("text", PAD, label_y + i * FONT_SIZE * 1.2, text=line))
        for bar in row.bars:
            if bar.caption:
                boxes.append(_Box("text", x0 - PAD, y + BAR * 0.75, text=bar.caption, size=FONT_SIZE - 1,
                                  anchor="end", color="#404040"))
            x = x0
            for seg in bar.segments:
                w = bar_w * seg.value / chart.scale if chart.scale else 0.0
                if w <= 0:
                    continue
                style = chart.styles[seg.style]
                boxes.append(_Box("rect", x, y, w, BAR, style=style))
                if seg.text:
                    tw = text_width(seg.text, FONT_SIZE - 0.5)
                    if tw + 2 <= w:   # inside the segment, with a white ground on hatching
                        if style.hatch:
                            boxes.append(_Box("rect", x + w / 2 - tw / 2 - 1, y + 1.5, tw + 2, BAR - 3,
                                              style=Style("", "#ffffff")))
                        boxes.append(_Box("text", x + w / 2, y + BAR * 0.75, text=seg.text, size=FONT_SIZE - 0.5,
                                          anchor="middle", color="#ffffff" if style.dark and not style.hatch
                                          else "#000000"))
                    elif len(bar.segments) == 1:   # a short single bar: the value after it
                        boxes.append(_Box("text", x + w + 2, y + BAR * 0.75, text=seg.text, size=FONT_SIZE - 0.5))
                x += w
            if len(bar.segments) == 1 and bar.segments[0].text and bar.segments[0].value == 0:
                boxes.append(_Box("text", x0 + 2, y + BAR * 0.75, text=bar.segments[0].text, size=FONT_SIZE - 0.5))
            y += BAR + BAR_GAP
        y = max(y - BAR_GAP, top + len(lines) * FONT_SIZE * 1.2) + ROW_GAP
    boxes.append(_Box("rect", x0 - 0.4, PAD + TITLE_SIZE * 1.2, 0.8, y - PAD - TITLE_SIZE * 1.2 - ROW_GAP / 2,
                      style=Style("", "#000000")))   # the axis
    if chart.legend:
        x = PAD
        y += 2
        for style in chart.styles:
            w = 14 + 3 + text_width(style.name) + 10
            if x + w > width - PAD:
                x, y = PAD, y + FONT_SIZE * 1.6
            boxes.append(_Box("rect", x, y, 14, 8, style=style))
            boxes.append(_Box("text", x + 17, y + 7, text=style.name))
            x += w
        y += 8 + ROW_GAP
    for line in _wrap(chart.note, width - 2 * PAD, FONT_SIZE - 0.5):
        y += (FONT_SIZE - 0.5) * 1.2
        boxes.append(_Box("text", PAD, y, text=line, size=FONT_SIZE - 0.5, color="#404040"))
    return Layout(width, y + PAD, boxes)


# --------------------------------------------------------------------------- SVG

_HATCH_SVG = {
    "diagonal": '<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="#000" stroke-width="0.7"/>',
    "cross": '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#000" stroke-width="0.6"/>',
    "horizontal": '<path d="M0,3 L6,3" stroke="#000" stroke-width="0.7"/>',
}


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def to_svg(chart: Chart, width: float = WIDTH) -> str:
    lay = layout(chart, width)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{_fmt(lay.width)}pt" '
           f'height="{_fmt(lay.height)}pt" viewBox="0 0 {_fmt(lay.width)} {_fmt(lay.height)}">',
           f"<title>{escape(chart.title)}</title>", f"<desc>{escape(chart.alt)}</desc>", "<defs>"]
    hatches = {s.hatch: s for s in chart.styles if s.hatch}
    for name in hatches:
        out.append(f'<pattern id="hatch-{name}" width="6" height="6" patternUnits="userSpaceOnUse">'
                   f'{_HATCH_SVG[name]}</pattern>')
    out.append("</defs>")
    for b in lay.boxes:
        if b.kind == "rect":
            out.append(f'<rect x="{_fmt(b.x)}" y="{_fmt(b.y)}" width="{_fmt(b.w)}" height="{_fmt(b.h)}" '
                       f'fill="{b.style.fill}" stroke="#000" stroke-width="{0 if not b.style.name else 0.4}"/>')
            if b.style.hatch:
                out.append(f'<rect x="{_fmt(b.x)}" y="{_fmt(b.y)}" width="{_fmt(b.w)}" height="{_fmt(b.h)}" '
                           f'fill="url(#hatch-{b.style.hatch})" stroke="#000" stroke-width="0.4"/>')
        else:
            weight = ' font-weight="bold"' if b.bold else ""
            out.append(f'<text x="{_fmt(b.x)}" y="{_fmt(b.y)}" font-family="{FONT_FAMILY}" '
                       f'font-size="{_fmt(b.size)}"{weight} text-anchor="{b.anchor}" fill="{b.color}">'
                       f"{escape(b.text)}</text>")
    out.append("</svg>")
    return "\n".join(out)


# --------------------------------------------------------------------------- PNG

def to_png(chart: Chart, width: float = WIDTH, dpi: int = PNG_DPI) -> bytes:
    from PIL import Image, ImageDraw

    lay = layout(chart, width)
    k = dpi / 72.0
    img = Image.new("RGB", (round(lay.width * k), round(lay.height * k)), "white")
    draw = ImageDraw.Draw(img)
    for b in lay.boxes:
        if b.kind == "rect":
            box = [round(b.x * k), round(b.y * k), round((b.x + b.w) * k) - 1, round((b.y + b.h) * k) - 1]
            draw.rectangle(box, fill=b.style.fill, outline="#000000" if b.style.name else None,
                           width=max(1, round(0.4 * k)))
            if b.style.hatch:
                _hatch(img, box, b.style.hatch, k)
                draw.rectangle(box, outline="#000000", width=max(1, round(0.4 * k)))
        else:
            font = _font(b.bold, b.size * k)
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[b.anchor]
            draw.text((b.x * k, b.y * k), b.text, font=font, fill=b.color, anchor=anchor)
    raw = io.BytesIO()
    img.save(raw, format="PNG", dpi=(dpi, dpi))
    return raw.getvalue()


def _hatch(img, box, kind: str, k: float) -> None:
    from PIL import Image, ImageDraw

    x0, y0, x1, y1 = box
    w, h = max(1, x1 - x0 + 1), max(1, y1 - y0 + 1)
    step, line = max(3, round(6 * k * 0.75)), max(1, round(0.7 * k))
    tile = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(tile)
    if kind in ("diagonal", "cross"):
        for s in range(-h, w + h, step):
            d.line([(s, h), (s + h, 0)], fill=255, width=line)
            if kind == "cross":
                d.line([(s, 0), (s + h, h)], fill=255, width=line)
    else:
        for s in range(step // 2, h, step):
            d.line([(0, s), (w, s)], fill=255, width=line)
    img.paste((0, 0, 0), (x0, y0), tile)


def save(chart: Chart, folder: Path, stem: str) -> tuple[Path, Path]:
    from pipeline.archive import write_bytes_atomic
    svg = write_bytes_atomic(Path(folder) / f"{stem}.svg", to_svg(chart).encode("utf-8"))
    png = write_bytes_atomic(Path(folder) / f"{stem}.png", to_png(chart))
    return svg, png


def from_dict(data: dict) -> Chart:
    """A chart from the context's plain data (dataclasses.asdict of a Chart)."""
    rows = [Row(r["label"], [Bar(b["caption"], [Segment(**s) for s in b["segments"]]) for b in r["bars"]])
            for r in data["rows"]]
    return Chart(data["title"], rows, [Style(**s) for s in data["styles"]], data["scale"], data.get("note", ""),
                 data.get("alt", ""), data.get("legend", True))
