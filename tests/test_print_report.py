"""The report as a văn thư files it, in our PDF and in LibreOffice's rendering of the DOCX: the
decree's margins on every page, page 1 starting at the same height in both (also in the draft,
which carries Word comments), about 30 mm for the signature and the seal (FORMAT.md §1, §4)."""
from __future__ import annotations

import subprocess

import pytest
from docx import Document

from pipeline.documents.layout import LANDSCAPE, PORTRAIT
from pipeline.report import build_report
from tests import pagecheck as P
from tests.conftest import CONFIG, copy_sample, settle_all


@pytest.fixture(scope="module")
def renderings(tmp_path_factory):
    folder = copy_sample(tmp_path_factory.mktemp("in"))
    draft = build_report(CONFIG, "2022-Q3", tmp_path_factory.mktemp("draft"), input_dir=folder)
    assert Document(draft.outputs["docx"]).comments, "the draft carries the clerk's points as comments"
    settle_all(draft.outputs["editorial"], folder / "bien-tap.xlsx")
    signing = build_report(CONFIG, "2022-Q3", tmp_path_factory.mktemp("signing"), input_dir=folder)
    lo = tmp_path_factory.mktemp("lo")
    docs = {"draft": draft.outputs["docx"], "signing": signing.outputs["docx"]}
    copies = {}
    for name, path in docs.items():        # same file name in both runs: copy under distinct names
        copies[name] = lo / f"{name}.docx"
        copies[name].write_bytes(path.read_bytes())
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(lo), *map(str, copies.values())], check=True, capture_output=True, timeout=600)
    return {("draft", "ours"): draft.outputs["pdf"], ("draft", "libreoffice"): lo / "draft.pdf",
            ("signing", "ours"): signing.outputs["pdf"], ("signing", "libreoffice"): lo / "signing.pdf"}


def _first_text_mm(pdf) -> float:
    return min(w["yMin"] for w in P.pages(pdf)[0].body_words) / P.MM


@pytest.mark.slow
@pytest.mark.parametrize("copy", ["draft", "signing"])
def test_page_one_starts_at_the_same_height_in_both_renderings(renderings, copy):
    ours, lo = _first_text_mm(renderings[copy, "ours"]), _first_text_mm(renderings[copy, "libreoffice"])
    assert abs(ours - lo) < 1.0, (copy, ours, lo)
    assert abs(ours - PORTRAIT["top"]) < 1.5


@pytest.mark.slow
@pytest.mark.parametrize("which", ["ours", "libreoffice"])
def test_every_page_keeps_the_decree_margins(renderings, which):
    for n, page in enumerate(P.pages(renderings["signing", which]), start=1):
        m = LANDSCAPE if page.landscape else PORTRAIT
        words = page.body_words            # the page number sits in the top margin
        assert m["left"] >= 30 and m["right"] >= 15 and m["top"] >= 20 and m["bottom"] >= 15   # FORMAT.md §1
        assert min(w["xMin"] for w in words) >= m["left"] * P.MM - 1.5, (which, n, "left")
        assert max(w["xMax"] for w in words) <= page.width - m["right"] * P.MM + 1.5, (which, n, "right")
        assert min(w["yMin"] for w in words) >= m["top"] * P.MM - 1.5, (which, n, "top")
        assert max(w["yMax"] for w in words) <= page.height - m["bottom"] * P.MM + 1.5, (which, n, "bottom")


@pytest.mark.slow
@pytest.mark.parametrize("which", ["ours", "libreoffice"])
def test_about_30_mm_for_the_signature_and_the_seal(renderings, which):
    body, _ = P.sections(P.pages(renderings["signing", which]))
    words = body[-1].words
    name_top = next(w["yMin"] for w in words if w["text"] == "Lâm")          # [signer] name = "Lâm Minh Thành"
    authority = max(w["yMax"] for w in words if w["text"] == "TỊCH" and w["yMax"] < name_top)   # «CHỦ TỊCH»
    gap = (name_top - authority) / P.MM
    assert 27 <= gap <= 34, (which, gap)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["ours", "libreoffice"])
def test_the_appendix_table_is_closed_at_every_page_foot(renderings, which, tmp_path):
    """A row split at a page foot still draws the table's bottom line under its last text."""
    import numpy as np
    from PIL import Image

    pdf = renderings["signing", which]
    body, appendix = P.sections(P.pages(pdf))
    first = len(body) + 1
    dpi = 150
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(first), "-l", str(first + len(appendix) - 1),
                    "-png", str(pdf), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == len(appendix)
    for n, (page, image) in enumerate(zip(appendix, images), start=1):
        ink = np.asarray(Image.open(image)) < 200
        table_w = (page.width - (LANDSCAPE["left"] + LANDSCAPE["right"]) * P.MM) * dpi / 72
        rules = [y for y in range(ink.shape[0]) if ink[y].sum() > 0.9 * table_w]   # lines across the table
        # a word's box reaches 0.3 em below its baseline: the line must be under the baseline of the last text
        last_text = (max(w["yMax"] for w in page.body_words) - 3) * dpi / 72
        assert rules and max(rules) >= last_text, (which, n, max(rules, default=None), last_text)
