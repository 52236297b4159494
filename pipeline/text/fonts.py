"""Font files of the PDF and what they can draw.

The PDF embeds Liberation Serif 2 (Debian fonts-liberation2) and, for symbols it lacks
(➢ ✓ ① ℃ and the like), one declared fallback: DejaVu Sans (Debian fonts-dejavu-core).
The fallback is declared with a `unicode-range` of exactly the characters Liberation Serif lacks,
so it never draws a letter Liberation Serif has. Text is checked against `typeset_coverage()` when
it is collected (pipeline.text.textsafe) and again before the PDF is rendered (pipeline.documents.render_pdf).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from pipeline.errors import PipelineError

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
# (file, css weight, css style)
FONT_FACES = (
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
    ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
)
FONT_FAMILY = "Liberation Serif"

FALLBACK_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FALLBACK_FAMILY = "DejaVu Sans"
FALLBACK_PACKAGE = "fonts-dejavu-core"
# Only these kinds of characters are taken from the fallback (symbols, numbers like ①, punctuation);
# letters of scripts Liberation Serif lacks are not typeset in a sans-serif face.
_FALLBACK_CATEGORIES = ("S", "No", "P")
EMBEDDED_FAMILIES = (FONT_FAMILY, FALLBACK_FAMILY)


@lru_cache(maxsize=1)
def font_files() -> tuple[Path, ...]:
    """The four Liberation Serif files, in FONT_FACES order."""
    for folder in FONT_DIRS:
        paths = tuple(folder / name for name, _, _ in FONT_FACES)
        if all(p.is_file() for p in paths):
            return paths
    raise PipelineError(
        "Không tìm thấy phông chữ Liberation Serif (gói fonts-liberation2) trong "
        + ", ".join(str(d) for d in FONT_DIRS))


@lru_cache(maxsize=1)
def font_coverage() -> frozenset[int]:
    """Code points present in all four Liberation Serif faces (a string may be set in any of them)."""
    sets = []
    for path in font_files():
        with TTFont(path, lazy=True) as font:
            sets.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*sets))


@lru_cache(maxsize=1)
def fallback_coverage() -> frozenset[int]:
    """Code points drawn from the fallback font: symbols it has and Liberation Serif lacks."""
    if not FALLBACK_FILE.is_file():
        raise PipelineError(f"Không tìm thấy phông chữ dự phòng {FALLBACK_FAMILY} (gói {FALLBACK_PACKAGE}) "
                            f"tại {FALLBACK_FILE}.")
    with TTFont(FALLBACK_FILE, lazy=True) as font:
        cmap = set(font.getBestCmap())
    base = font_coverage()
    return frozenset(c for c in cmap - base
                     if unicodedata.category(chr(c)).startswith(_FALLBACK_CATEGORIES)
                     and unicodedata.category(chr(c)) not in ("Co", "Cs"))


@lru_cache(maxsize=1)
def typeset_coverage() -> frozenset[int]:
    """Every code point the PDF can draw with its declared fonts."""
    return font_coverage() | fallback_coverage()


def unicode_ranges(points) -> str:
    """CSS unicode-range value for a set of code points: "U+2022, U+2460-2473"."""
    out, run = [], []
    for c in sorted(points):
        if run and c == run[-1] + 1:
            run.append(c)
            continue
        if run:
            out.append(run)
        run = [c]
    if run:
        out.append(run)
    return ", ".join(f"U+{r[0]:04X}" if len(r) == 1 else f"U+{r[0]:04X}-{r[-1]:04X}" for r in out)


def fallback_face() -> dict:
    """The fallback @font-face for the HTML template: url and unicode-range."""
    return {"url": FALLBACK_FILE.as_uri(), "unicode_range": unicode_ranges(fallback_coverage())}
