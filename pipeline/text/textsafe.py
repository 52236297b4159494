"""Agency text made safe to store and typeset, with a Vietnamese note for each change.

- control characters (U+0000–U+001F except line breaks and tab, U+007F–U+009F) are dropped;
- a cell longer than MAX_CHARS is cut, with a note appended to the text;
- a run of more than LONG_WORD letters or digits gets a zero-width space (U+200B) every LONG_WORD
  characters, so both the PDF (WeasyPrint) and Word can break it inside a table cell;
- a Word Symbol/Wingdings private-use character becomes its Unicode equivalent;
- a character neither Liberation Serif nor the declared fallback font can draw becomes a visible
  substitute (SUBSTITUTE), never a silent blank.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.text.fonts import typeset_coverage
from pipeline.text.vntext import format_number

MAX_CHARS = 5000
LONG_WORD = 20      # the appendix result column holds about 25 characters of 13 pt text a line
ZWSP = "\u200b"
SUBSTITUTE = "[ký hiệu]"
# Symbol and Wingdings fonts put their glyphs in the private use area (Word keeps them there).
SYMBOL_FONT_CHARS = {
    "\uf0b7": "•", "\uf0a7": "▪", "\uf076": "❖", "\uf0d8": "➢", "\uf0fc": "✓", "\uf0e0": "→",
    "\uf0a8": "□", "\uf0fe": "☑", "\uf06e": "■", "\uf0ae": "→", "\uf02d": "-",
}

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Letters and digits only: punctuation (/ - , …) already lets the line break, and URLs or formulas
# that contain it are kept exactly as typed.
_LONG_RUN = re.compile(r"[^\W_]{%d,}" % (LONG_WORD + 1))


@lru_cache(maxsize=1)
def _uncovered() -> re.Pattern:
    """A character no declared font can draw (one C-level scan per cell instead of a Python loop)."""
    points = sorted(typeset_coverage() | {ord("\n"), ord("\t")})
    ranges, start, prev = [], points[0], points[0]
    for c in points[1:] + [-1]:
        if c != prev + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = c
        prev = c
    return re.compile("[^" + "".join(ranges) + "]")


def _show(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _break_run(m: re.Match) -> str:
    run = m.group(0)
    return ZWSP.join(run[i:i + LONG_WORD] for i in range(0, len(run), LONG_WORD))


def make_safe(text: str) -> tuple[str, list[str]]:
    """(safe text, notes in Vietnamese, one per kind of change made)."""
    notes: list[str] = []
    if not text:
        return text, notes
    if len(text) > MAX_CHARS:
        n, cap = format_number(len(text)), format_number(MAX_CHARS)
        text = text[:MAX_CHARS].rstrip() + f" … [đã cắt bớt: ô gốc dài {n} ký tự]"
        notes.append(f"Ô dài {n} ký tự, vượt giới hạn {cap} ký tự; chỉ giữ {cap} ký tự đầu (đã ghi chú trong "
                     "nội dung).")
    controls = sorted(set(_CONTROL.findall(text)))
    if controls:
        text = _CONTROL.sub("", text)
        notes.append("Đã bỏ ký tự điều khiển không in được (" + ", ".join(map(_show, controls)) + ").")
    covered = typeset_coverage()
    odd = sorted(set(_uncovered().findall(text)))
    if odd:
        mapped = [ch for ch in odd if ch in SYMBOL_FONT_CHARS and ord(SYMBOL_FONT_CHARS[ch]) in covered]
        lost = [ch for ch in odd if ch not in mapped]
        text = "".join(SYMBOL_FONT_CHARS[ch] if ch in mapped else SUBSTITUTE if ch in lost else ch
                       for ch in text)
        if mapped:
            notes.append("Ký tự của phông Symbol/Wingdings (" + ", ".join(map(_show, mapped)) + ") đã được thay bằng "
                         + ", ".join(f"«{SYMBOL_FONT_CHARS[ch]}»" for ch in mapped) + ".")
        if lost:
            names = ", ".join(f"{_show(ch)} {unicodedata.name(ch, '')}".strip() for ch in lost)
            notes.append(f"Ký tự không in được bằng phông chữ của báo cáo ({names}) đã được thay bằng «{SUBSTITUTE}».")
    if _LONG_RUN.search(text):
        text = _LONG_RUN.sub(_break_run, text)
        notes.append(f"Có chuỗi chữ, số dài hơn {LONG_WORD} ký tự liền nhau; đã cho phép xuống dòng giữa chuỗi để "
                     "không tràn khỏi ô bảng.")
    return text, notes
