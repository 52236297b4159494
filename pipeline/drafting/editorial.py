"""The editorial workbook (bien-tap.xlsx): the clerk reviews every drafted block once, the tool reads it back.

Written with every run into output/<period>/; the clerk saves an edited copy as
input/<period>/bien-tap.xlsx and the next run uses it, so the DOCX and the PDF say the same words
and a re-run (a late agency file) keeps the edits. Columns:
  Mã khối (locked) | Vị trí (locked) | Bản tự động (locked) | Nội dung biên tập | Đưa vào báo cáo (Có/Không)
  | Ghi chú | Điểm cần xem (locked)
An edit is kept against the automatic text it was made on («Bản tự động» of the clerk's copy): when the
tool's text has changed since, the edit is still used but flagged, and it no longer settles the block's
points. A point is settled by editing its block or writing «Đã kiểm tra» in its «Ghi chú».
This module reads the clerk's copy back; the workbook is written by `documents.editorial_workbook`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from pipeline.drafting.blocks import CARRIED_EDIT, CHECKED_MARK, STALE_EDIT, Draft
from pipeline.errors import WARNING, Problem
from pipeline.text.vntext import clean_cell, fold

FILENAME = "bien-tap.xlsx"
SHEET = "Biên tập"
META_SHEET = "_meta"
KIND = "bien-tap"
CARRIED_PREFIX = "carried:"     # _meta row per block whose edit was pre-filled from the previous period
CARRIED_FROM = "carried_from"   # _meta row: that period's label
YES, NO = "Có", "Không"

HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
# (title, width in characters, editable by the clerk)
COLUMNS = (
    ("Mã khối", 16, False),
    ("Vị trí", 22, False),
    ("Bản tự động", 60, False),
    ("Nội dung biên tập", 60, True),
    ("Đưa vào báo cáo", 11, True),
    ("Ghi chú", 18, True),
    ("Điểm cần xem", 45, False),
)
COL_CODE, COL_LABEL, COL_AUTO, COL_TEXT, COL_INCLUDE, COL_NOTE, COL_POINTS = range(1, 8)

@dataclass
class Edit:
    code: str
    baseline: str      # «Bản tự động» as the clerk saw it
    text: str          # «Nội dung biên tập» ("" = keep the automatic text)
    include: bool
    note: str
    row: int
    carried: str = ""  # the period label of a pre-filled edit the clerk has not confirmed ("" = the clerk's own)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def is_checked(note: str) -> bool:
    return fold(CHECKED_MARK) in fold(note or "")


# --------------------------------------------------------------------------- read the clerk's copy

def read_edits(path: Path, period_code: str, plan_number: str) -> tuple[dict[str, Edit], list[Problem]]:
    """The clerk's edits; a file for another period or plan is reported and not used."""
    name = Path(path).name
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, never a crash
        return {}, [Problem(name, f"Không đọc được tệp biên tập ({type(exc).__name__}); nội dung biên tập không được "
                                  "dùng.", WARNING)]
    try:
        if SHEET not in wb.sheetnames or META_SHEET not in wb.sheetnames:
            return {}, [Problem(name, f"Tệp không phải tệp biên tập do công cụ tạo (thiếu trang «{SHEET}»); nội dung "
                                      "biên tập không được dùng.", WARNING)]
        meta = {str(r[0]): clean_cell(r[1]) if len(r) > 1 and r[1] is not None else ""
                for r in wb[META_SHEET].iter_rows(values_only=True) if r and r[0]}
        if meta.get("kind") != KIND or meta.get("period_code") != period_code or meta.get("plan") != plan_number:
            return {}, [Problem(name, f"Tệp biên tập của kỳ {meta.get('period_code') or 'không rõ'} (kế hoạch "
                                      f"{meta.get('plan') or 'không rõ'}), không phải kỳ {period_code} của Kế hoạch số "
                                      f"{plan_number}; nội dung biên tập không được dùng.", WARNING, sheet=META_SHEET)]
        edits: dict[str, Edit] = {}
        problems: list[Problem] = []
        ws = wb[SHEET]
        for row, values in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=len(COLUMNS), values_only=True),
                                     start=FIRST_ROW):
            values = [clean_cell(v) if v is not None else "" for v in (*values, *[None] * len(COLUMNS))][:len(COLUMNS)]
            code = values[COL_CODE - 1]
            if not any(values):
                continue
            include_word = values[COL_INCLUDE - 1]
            include = fold(include_word) != fold(NO)
            if include_word and fold(include_word) not in (fold(YES), fold(NO)):
                problems.append(Problem(name, f"«Đưa vào báo cáo» ghi «{include_word}»; chỉ nhận «{YES}» hoặc «{NO}», "
                                              f"đã hiểu là «{YES}».", WARNING, sheet=SHEET, row=row,
                                        column="Đưa vào báo cáo"))
            if not code:
                problems.append(Problem(name, "Dòng không có mã khối; nội dung dòng này không được dùng.", WARNING,
                                        sheet=SHEET, row=row, column="Mã khối"))
                continue
            edits[code] = Edit(code, values[COL_AUTO - 1], values[COL_TEXT - 1], include, values[COL_NOTE - 1], row)
        _mark_carried(edits, meta)
        return edits, problems
    finally:
        wb.close()


def _mark_carried(edits: dict[str, Edit], meta: dict[str, str]) -> None:
    """A pre-filled edit stays «carried» while its text is the pre-filled one and its note is not checked."""
    for code, e in edits.items():
        key = CARRIED_PREFIX + code
        if key in meta and _same(meta[key], e.text) and (e.text or not e.include) and not is_checked(e.note):
            e.carried = meta.get(CARRIED_FROM) or "kỳ trước"


def carry_edits(draft: Draft, previous: dict[str, Edit], period_label: str) -> dict[str, Edit]:
    """The previous period's edits (`previous`, read from its workbook) offered again: for each block whose
    automatic text is the one the clerk edited then."""
    out = {}
    for block in draft.blocks:
        e = previous.get(block.code)
        if e and (e.text or not e.include) and _same(e.baseline, block.auto):
            out[block.code] = Edit(block.code, block.auto, e.text, e.include, "", e.row, carried=period_label)
    return out


def apply_edits(draft: Draft, edits: dict[str, Edit], source: str) -> list[Problem]:
    """Put the clerk's texts and choices on the blocks; settle points; flag stale edits and unknown codes."""
    problems = []
    known = {b.code for b in draft.blocks}
    for code, e in edits.items():
        if code not in known:
            problems.append(Problem(source, f"Mã khối «{code}» không còn trong báo cáo (nội dung đã thay đổi); nội "
                                            "dung biên tập của dòng này không được dùng.", WARNING, sheet=SHEET,
                                    row=e.row, column="Mã khối"))
    for block in draft.blocks:
        e = edits.get(block.code)
        if e is None:
            continue
        block.note = e.note
        if e.text:
            block.text = e.text
        block.include = e.include
        block.edited = bool(e.text) or not e.include
        stale = not _same(e.baseline, block.auto)
        if block.edited and stale:
            block.point(STALE_EDIT, "Bản tự động của khối này đã thay đổi sau khi biên tập (có số liệu mới): đọc lại "
                                    "nội dung biên tập cho khớp số liệu.")
            problems.append(Problem(source, f"Khối «{block.code}» đã được biên tập nhưng bản tự động đã thay đổi sau "
                                            "đó; cần đọc lại.", WARNING, sheet=SHEET, row=e.row,
                                    column="Nội dung biên tập"))
        if e.carried:
            block.point(CARRIED_EDIT, f"Nội dung biên tập được điền sẵn từ bản biên tập {e.carried} (bản tự động của "
                                      "khối không đổi) và đang được dùng. Đọc lại: giữ thì ghi «Đã kiểm tra» ở cột «Ghi "
                                      "chú», không dùng thì xóa nội dung ở cột «Nội dung biên tập».")
        elif (block.edited or is_checked(e.note)) and not stale:
            for p in block.points:
                p.settled = True
    return problems
