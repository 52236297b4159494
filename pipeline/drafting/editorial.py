"""The editorial workbook (bien-tap.xlsx): the clerk reviews every drafted block once, the tool reads it back.

Written with every run into output/<period>/; the clerk saves an edited copy as
input/<period>/bien-tap.xlsx and the next run uses it, so the DOCX and the PDF say the same words
and a re-run (a late agency file) keeps the edits. Columns:
  Mã khối (locked) | Vị trí (locked) | Bản tự động (locked) | Nội dung biên tập | Đưa vào báo cáo (Có/Không)
  | Ghi chú | Điểm cần xem (locked) | Mã điểm (locked, hidden: the fingerprints of the points listed)
The clerk's copy is read like an agency form: header, column order and _meta checked, duplicate codes and
formulas without a value named, every edit made safe like agency text. A workbook with errors is not used
and an issued report is refused while it has them.
An edit is kept against the automatic text it was made on («Bản tự động» of the clerk's copy): when the
tool's text has changed since, the edit is still used but its block blocks issuing until it is read again.
A point is settled by editing its block or by «Đã kiểm tra» as the first line of its «Ghi chú», and only
when the point's fingerprint stands in «Mã điểm» of that row: a point that appears later is open again.
This module reads the clerk's copy back; the workbook is written by `documents.editorial_workbook`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from pipeline.drafting.blocks import CARRIED_EDIT, CHECKED_MARK, REREAD, STALE_EDIT, Draft, point_digest
from pipeline.errors import ERROR, WARNING, Problem
from pipeline.text.textsafe import make_safe
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
# Widths add up to about 160 digits: landscape, one page wide at 9 pt, the text, its edit and its
# review points side by side; the print policy narrows the text columns if a column is added.
COLUMNS = (
    ("Mã khối", 11, False),
    ("Vị trí", 15, False),
    ("Bản tự động", 42, False),
    ("Nội dung biên tập", 42, True),
    ("Đưa vào báo cáo", 9, True),
    ("Ghi chú", 12, True),
    ("Điểm cần xem", 29, False),
    ("Mã điểm", 2, False),       # last and hidden: the fingerprints the clerk's mark vouches for
)
COL_CODE, COL_LABEL, COL_AUTO, COL_TEXT, COL_INCLUDE, COL_NOTE, COL_POINTS, COL_DIGESTS = range(1, 9)
# Written before the clerk's note when a block the clerk settled has a new point: the mark no longer counts.
REOPENED = "[Có điểm mới chưa kiểm tra: xem «Điểm cần xem», xóa dòng này khi đã xem]"
# Line and paragraph separators a pasted text may carry: each is a line break.
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\u0085": "\n", "\x0b": "\n", "\x0c": "\n"})

@dataclass
class Edit:
    code: str
    baseline: str      # «Bản tự động» as the clerk saw it
    text: str          # «Nội dung biên tập» ("" = keep the automatic text)
    include: bool
    note: str
    row: int
    digests: frozenset[str] = frozenset()   # «Mã điểm»: the points listed in the clerk's copy
    carried: str = ""  # the period label of a pre-filled edit the clerk has not confirmed ("" = the clerk's own)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def is_checked(note: str) -> bool:
    """«Đã kiểm tra» is the note's first line (a closing full stop allowed); remarks go on the next lines.
    «Đã kiểm tra: SAI, chờ gửi lại» is a remark, not a mark."""
    first = (note or "").split("\n", 1)[0].strip().rstrip(".").strip()
    return fold(first) == fold(CHECKED_MARK)


def _reopened(note: str) -> bool:
    return (note or "").startswith(REOPENED)


# --------------------------------------------------------------------------- read the clerk's copy

def read_edits(path: Path, period_code: str, plan_number: str) -> tuple[dict[str, Edit], list[Problem]]:
    """The clerk's edits and the problems found, as for an agency form. An error (wrong columns, wrong
    period, duplicate codes, a formula without a value) leaves the bad rows (or the whole file) unused;
    the report refuses to issue while there is one."""
    name = Path(path).name
    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, never a crash
        return {}, [Problem(name, f"Không đọc được tệp biên tập ({type(exc).__name__}); nội dung biên tập không được "
                                  "dùng.", ERROR)]
    try:
        return _read(values, formulas, name, period_code, plan_number)
    finally:
        values.close()
        formulas.close()


def _read(wb, wf, name: str, period_code: str, plan_number: str) -> tuple[dict[str, Edit], list[Problem]]:
    unused = "nội dung biên tập không được dùng và bản phát hành bị từ chối cho đến khi sửa xong"
    if SHEET not in wb.sheetnames or META_SHEET not in wb.sheetnames:
        missing = SHEET if SHEET not in wb.sheetnames else META_SHEET
        return {}, [Problem(name, f"Tệp không phải tệp biên tập do công cụ tạo (thiếu trang «{missing}»); {unused}.",
                            ERROR, sheet=missing)]
    meta = {clean_cell(r[0]): clean_cell(r[1]) for r in wb[META_SHEET].iter_rows(max_col=2, values_only=True)
            if r and len(r) > 1 and r[0]}
    if meta.get("kind") != KIND or meta.get("period_code") != period_code or meta.get("plan") != plan_number:
        return {}, [Problem(name, f"Tệp biên tập của kỳ {meta.get('period_code') or 'không rõ'} (kế hoạch "
                                  f"{meta.get('plan') or 'không rõ'}), không phải kỳ {period_code} của Kế hoạch số "
                                  f"{plan_number}; {unused}.", ERROR, sheet=META_SHEET)]
    ws, wsf = wb[SHEET], wf[SHEET]
    header = next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
    header = [clean_cell(v) for v in header]
    titles = [c[0] for c in COLUMNS]
    legacy = header[:len(titles) - 1] == titles[:-1] and not any(header[len(titles) - 1:])
    if not legacy:
        for i, title in enumerate(titles):
            found = header[i] if i < len(header) else ""
            if found != title:
                return {}, [Problem(name, f"Tiêu đề cột thứ {i + 1} phải là «{title}», đang là «{found}»: cột của trang "
                                          f"đã bị chèn, xóa hoặc đổi chỗ; {unused}. Lấy lại tệp {FILENAME} do công cụ "
                                          "ghi trong thư mục kết quả của kỳ.", ERROR, sheet=SHEET, row=HEADER_ROW,
                                    column=title)]
        extra = [(i + 1, v) for i, v in enumerate(header[len(titles):], start=len(titles)) if v]
        if extra:
            col, found = extra[0]
            return {}, [Problem(name, f"Có cột thừa «{found}» (cột thứ {col}) sau cột «{titles[-1]}»; {unused}.",
                                ERROR, sheet=SHEET, row=HEADER_ROW, column=found)]
    problems: list[Problem] = []
    if legacy:
        problems.append(Problem(name, f"Tệp biên tập theo mẫu cũ (chưa có cột «{titles[-1]}»): nội dung biên tập được "
                                      f"dùng nhưng «{CHECKED_MARK}» chưa xử lý được điểm nào; lấy tệp {FILENAME} mới "
                                      "trong thư mục kết quả của kỳ, ghi lại «Đã kiểm tra» ở những điểm đã xem.",
                                WARNING, sheet=SHEET, row=HEADER_ROW))
    width = len(titles)
    edits: dict[str, Edit] = {}
    duplicates: dict[str, list[int]] = {}
    rows = zip(ws.iter_rows(min_row=FIRST_ROW, max_col=width, values_only=True),
               wsf.iter_rows(min_row=FIRST_ROW, max_col=width, values_only=True))
    for row, (raw, typed) in enumerate(rows, start=FIRST_ROW):
        raw = (*raw, *[None] * width)[:width]
        typed = (*typed, *[None] * width)[:width]
        blank_formulas = [titles[i] for i in range(width)
                          if raw[i] is None and isinstance(typed[i], str) and typed[i].startswith("=")]
        values = [clean_cell(v.translate(_LINE_BREAKS) if isinstance(v, str) else v) for v in raw]
        if not any(values) and not blank_formulas:
            continue
        if blank_formulas:
            for column in blank_formulas:
                problems.append(Problem(name, f"Ô là công thức chưa có giá trị tính sẵn (tệp chưa được Excel tính và "
                                              "lưu lại); ghi thẳng nội dung vào ô. Dòng này không được dùng.", ERROR,
                                        sheet=SHEET, row=row, column=column))
            continue
        code = values[COL_CODE - 1]
        if not code:
            problems.append(Problem(name, "Dòng không có mã khối; nội dung dòng này không được dùng.", ERROR,
                                    sheet=SHEET, row=row, column="Mã khối"))
            continue
        if code in edits or code in duplicates:
            duplicates.setdefault(code, [edits.pop(code).row] if code in edits else []).append(row)
            continue
        include_word = values[COL_INCLUDE - 1]
        include = fold(include_word) != fold(NO)
        if include_word and fold(include_word) not in (fold(YES), fold(NO)):
            problems.append(Problem(name, f"«Đưa vào báo cáo» ghi «{include_word}»; chỉ nhận «{YES}» hoặc «{NO}», "
                                          f"đã hiểu là «{YES}».", WARNING, sheet=SHEET, row=row,
                                    column="Đưa vào báo cáo"))
        text, notes = make_safe(values[COL_TEXT - 1])
        for note in notes:
            problems.append(Problem(name, f"Nội dung biên tập của khối «{code}»: {note}", WARNING, sheet=SHEET,
                                    row=row, column="Nội dung biên tập"))
        digests = frozenset(values[COL_DIGESTS - 1].split()) if not legacy else frozenset()
        edits[code] = Edit(code, values[COL_AUTO - 1], text, include, values[COL_NOTE - 1], row, digests)
    for code, where in duplicates.items():
        problems.append(Problem(name, f"Mã khối «{code}» có ở nhiều dòng ({', '.join(map(str, where))}); không biết "
                                      "dòng nào đúng nên không dòng nào được dùng. Giữ một dòng cho mỗi mã khối.",
                                ERROR, sheet=SHEET, row=where[-1], column="Mã khối"))
    _mark_carried(edits, meta)
    return edits, problems


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
    """Put the clerk's texts and choices on the blocks; flag stale edits and unknown codes. Points are
    settled afterwards (settle_points), once every point of the run is known."""
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
        block.note, block.row = e.note, e.row
        if e.text:
            block.text = e.text
        block.include = e.include
        block.edited = bool(e.text) or not e.include
        if _reopened(e.note):
            block.point(REREAD, "Khối đã có điểm mới (hoặc số liệu mới) sau lần kiểm tra trước: đọc lại khối, rồi xóa "
                                "dòng «[Có điểm mới chưa kiểm tra…]» ở đầu cột «Ghi chú».")
        if block.edited and not _same(e.baseline, block.auto):
            block.point(STALE_EDIT, "Bản tự động của khối này đã thay đổi sau khi biên tập (có số liệu mới): đọc lại "
                                    "nội dung biên tập cho khớp số liệu.")
            problems.append(Problem(source, f"Khối «{block.code}» đã được biên tập nhưng bản tự động đã thay đổi sau "
                                            "đó; cần đọc lại trước khi ban hành.", WARNING, sheet=SHEET, row=e.row,
                                    column="Nội dung biên tập"))
        if e.carried:
            block.point(CARRIED_EDIT, f"Nội dung biên tập được điền sẵn từ bản biên tập {e.carried} (bản tự động của "
                                      "khối không đổi) và đang được dùng. Đọc lại: giữ thì ghi «Đã kiểm tra» ở cột «Ghi "
                                      "chú», không dùng thì xóa nội dung ở cột «Nội dung biên tập».")
    return problems


def settle_points(draft: Draft, edits: dict[str, Edit]) -> None:
    """A fresh edit or a mark settles the points its row lists («Mã điểm»), no others."""
    for block in draft.blocks:
        e = edits.get(block.code)
        if e is None or e.carried or _reopened(e.note) or not _same(e.baseline, block.auto):
            continue   # a pre-filled edit settles nothing until the clerk confirms it
        if block.edited or is_checked(e.note):
            for p in block.points:
                if point_digest(block.code, p) in e.digests:
                    p.settled = True


def note_to_write(block, e: Edit | None) -> str:
    """The clerk's note as the next workbook carries it; a settled block with a new point says so first,
    so the old mark no longer counts until the clerk has looked (and deletes that line)."""
    note = e.note if e else ""
    acted = e is not None and not e.carried and (block.edited or is_checked(note))   # a pre-filled edit: not yet
    if acted and any(not p.settled for p in block.points) and not _reopened(note):
        return f"{REOPENED}\n{note}" if note else REOPENED
    return note
