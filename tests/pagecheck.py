"""Measure laid-out pages of a PDF with poppler (pdftotext -bbox, -layout)."""
from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
TOP_BAND = 45  # pt: the page number lives above this line

# A document number with its notation, a date, a period, a year range.
NUMBER = re.compile(r"[^\W_]*(?:/[^\W_]+(?:[-\u2011][^\W_]+)*)+|\d{4} - \d{4}")


@dataclass
class Page:
    width: float
    height: float
    words: list[dict]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def body_words(self) -> list[dict]:
        return [w for w in self.words if w["yMin"] > TOP_BAND]

    def bottom_space_mm(self, margin_mm: float) -> float:
        """Blank height between the last text and the bottom margin."""
        words = self.body_words
        last = max((w["yMax"] for w in words), default=TOP_BAND)
        return (self.height - margin_mm * MM - last) / MM


def pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    result = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [{"xMin": float(a), "yMin": float(b), "xMax": float(c), "yMax": float(d),
                  "text": html.unescape(t)}
                 for a, b, c, d, t in re.findall(
                     r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>',
                     m.group(3))]
        result.append(Page(float(m.group(1)), float(m.group(2)), words))
    return result


def layout_lines(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.splitlines()


def numbers_split_at_line_end(pdf: Path, numbers: set[str]) -> list[str]:
    """Lines of the rendering whose last token is a strict prefix of a known number."""
    return split_numbers(layout_lines(pdf), numbers)


def split_numbers(lines: list[str], numbers: set[str]) -> list[str]:
    bad = []
    prefixes = {}
    for n in numbers:
        for cut in range(1, len(n)):
            if n[cut - 1] in "/-\u2011":  # a line may only end there inside a number
                prefixes.setdefault(n[:cut], n)
    for line in lines:
        for cell in re.split(r"\s{3,}", line.strip()):
            tail = cell.split(" ")[-1] if cell else ""
            tail2 = " ".join(cell.split(" ")[-2:])
            for t in (tail, tail2):
                whole = prefixes.get(t.replace("\u2011", "-"))
                if whole and whole != t and not cell.endswith(whole):
                    bad.append(f"{cell!r} (of {whole!r})")
    return bad


def context_numbers(ctx: dict) -> set[str]:
    """Every document number, date, period and year range the context prints."""
    found = set()

    def walk(v):
        if isinstance(v, str):
            for m in NUMBER.finditer(v):
                if "/" in m.group() or " - " in m.group():
                    found.add(m.group().strip("/"))
        elif isinstance(v, dict):
            for k, x in v.items():
                if k != "meta":
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(ctx)
    return {n for n in found if len(n) > 3}


def sections(all_pages: list[Page]) -> tuple[list[Page], list[Page]]:
    body = [p for p in all_pages if not p.landscape]
    appendix = [p for p in all_pages if p.landscape]
    return body, appendix
