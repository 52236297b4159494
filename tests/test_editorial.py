"""The clerk reviews once, in bien-tap.xlsx; the next run prints the edits in both documents; issuing is guarded."""
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pikepdf
import pytest
from docx import Document

from pipeline.drafting.context import Issue
from pipeline.drafting.editorial import (COL_AUTO, COL_CODE, COL_INCLUDE, COL_NOTE, COL_POINTS, COL_TEXT, FIRST_ROW,
                                         HEADER_ROW, SHEET)
from pipeline.errors import PipelineError
from pipeline.report import build_report
from tests.conftest import CONFIG, PROJECT, copy_sample, settle_all

TODAY = date(2026, 11, 27)
EDITED = "Ủy ban nhân dân tỉnh đánh giá các cơ quan chủ trì đã nỗ lực triển khai nhiệm vụ (đoạn do Văn phòng biên tập)."


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True)   # -raw: cell by cell, as drawn
    return " ".join(out.stdout.split())


def _docx_text(path: Path) -> str:
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


def _rows(path: Path) -> dict[str, int]:
    ws = openpyxl.load_workbook(path)[SHEET]
    return {ws.cell(r, COL_CODE).value: r for r in range(FIRST_ROW, ws.max_row + 1)}


def _edit(src: Path, dst: Path, changes: dict[str, dict[int, str]], meta: dict[str, str] | None = None) -> Path:
    wb = openpyxl.load_workbook(src)
    ws = wb[SHEET]
    rows = {ws.cell(r, COL_CODE).value: r for r in range(FIRST_ROW, ws.max_row + 1)}
    for code, cells in changes.items():
        for col, value in cells.items():
            ws.cell(rows[code], col).value = value
    for key, value in (meta or {}).items():
        m = wb["_meta"]
        row = next(r for r in range(1, m.max_row + 1) if m.cell(r, 1).value == key)
        m.cell(row, 2).value = value
    wb.save(dst)
    return dst


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    return build_report(CONFIG, "2022-Q3", tmp_path_factory.mktemp("out"))


def test_editorial_workbook_has_one_row_per_block(first):
    path = first.outputs["editorial"]
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    assert [ws.cell(HEADER_ROW, c).value for c in range(1, 8)] == [
        "Mã khối", "Vị trí", "Bản tự động", "Nội dung biên tập", "Đưa vào báo cáo", "Ghi chú", "Điểm cần xem"]
    rows = _rows(path)
    ctx = json.loads((first.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    paragraphs = [b for b in ctx["body"] if b["style"] == "paragraph"]
    # every drafted paragraph of I-VI and every task summary is a row, with the tool's text
    assert {b["id"] for b in paragraphs} <= set(rows) and len({c for c in rows if c.startswith("PL.")}) == 35
    for b in paragraphs:
        assert ws.cell(rows[b["id"]], COL_AUTO).value == b["text"]
    assert ws.protection.sheet
    r = rows["II.tong-so"]
    assert ws.cell(r, COL_AUTO).protection.locked and ws.cell(r, COL_CODE).protection.locked
    assert not ws.cell(r, COL_TEXT).protection.locked and not ws.cell(r, COL_NOTE).protection.locked
    assert [dv.formula1 for dv in ws.data_validations.dataValidation] == ['"Có,Không"']
    assert ws.row_dimensions[rows["II.tong-so"]].height > 60   # a long paragraph gets a tall row
    assert "[Cần xử lý trước khi ban hành]" in ws.cell(rows["PL.III.2"], COL_POINTS).value   # done, no date
    assert wb["_meta"].sheet_state == "veryHidden"


def test_edits_reach_both_documents(first, tmp_path):
    folder = copy_sample(tmp_path / "in")
    _edit(first.outputs["editorial"], folder / "bien-tap.xlsx", {
        "III.ket-qua": {COL_TEXT: EDITED},
        "VI.thuong-xuyen": {COL_INCLUDE: "Không"},
        "PL.II.5": {COL_TEXT: "Đã hoàn thành đề cương; đang khảo sát thực địa (Văn phòng biên tập)."},
    })
    result = build_report(CONFIG, "2022-Q3", tmp_path / "out", input_dir=folder)
    auto_assessment = "Trong số 8 nhiệm vụ có thời hạn đến ngày 14/9/2022"
    omitted = "Duy trì 12 nhiệm vụ thực hiện thường xuyên"
    for text in (_docx_text(result.outputs["docx"]), _pdf_text(result.outputs["pdf"])):
        assert EDITED in text and "đang khảo sát thực địa (Văn phòng biên tập)." in text
        assert auto_assessment not in text and omitted not in text
    assert auto_assessment in _pdf_text(first.outputs["pdf"])   # the first run said it
    manifest = json.loads((result.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["editorial"]["sha256"] and manifest["editorial"]["path"].endswith("bien-tap.xlsx")
    # the workbook written by this run carries the clerk's edits forward
    ws = openpyxl.load_workbook(result.outputs["editorial"])[SHEET]
    assert ws.cell(_rows(result.outputs["editorial"])["III.ket-qua"], COL_TEXT).value == EDITED
    # and the agency forms were not mistaken for it, nor it for a form
    assert result.rows_read == first.rows_read and len(result.files) == len(first.files)


def test_a_late_agency_file_flags_the_edit_made_before_it(tmp_path):
    folder = copy_sample(tmp_path / "in")
    late = folder / "2022-Q3_SGTVT_So-Giao-thong-van-tai.xlsx"
    parked = shutil.move(late, tmp_path / late.name)
    before = build_report(CONFIG, "2022-Q3", tmp_path / "out1", input_dir=folder, with_pdf=False)
    _edit(before.outputs["editorial"], folder / "bien-tap.xlsx", {"II.tong-so": {COL_TEXT: "Số liệu do Văn phòng ghi."},
                                                                  "III.nguyen-nhan": {COL_TEXT: "Nguyên nhân do Văn phòng ghi."}})
    shutil.move(parked, late)   # the late file arrives
    after = build_report(CONFIG, "2022-Q3", tmp_path / "out2", input_dir=folder)
    flagged = [p for p in after.problems if "đã được biên tập nhưng bản tự động đã thay đổi" in p.message]
    assert {p.message.split("«")[1].split("»")[0] for p in flagged} == {"II.tong-so", "III.nguyen-nhan"}
    ws = openpyxl.load_workbook(after.outputs["editorial"])[SHEET]
    assert "đã thay đổi sau khi biên tập" in ws.cell(_rows(after.outputs["editorial"])["II.tong-so"], COL_POINTS).value
    comments = [c.text for c in Document(after.outputs["docx"]).comments]
    assert any("[II.tong-so]" in c and "đã thay đổi sau khi biên tập" in c for c in comments)
    assert "Số liệu do Văn phòng ghi." in _pdf_text(after.outputs["pdf"])   # still used, but flagged


def test_an_editorial_workbook_of_another_period_is_reported_not_applied(first, tmp_path):
    folder = copy_sample(tmp_path / "in")
    _edit(first.outputs["editorial"], folder / "bien-tap.xlsx", {"III.ket-qua": {COL_TEXT: EDITED}},
          meta={"period_code": "2022-Q2"})
    result = build_report(CONFIG, "2022-Q3", tmp_path / "out", input_dir=folder, with_pdf=False)
    assert any("Tệp biên tập của kỳ 2022-Q2" in p.message and p.file == "bien-tap.xlsx" for p in result.problems)
    assert EDITED not in _docx_text(result.outputs["docx"])


def test_a_block_code_that_no_longer_exists_is_reported(first, tmp_path):
    folder = copy_sample(tmp_path / "in")
    _edit(first.outputs["editorial"], folder / "bien-tap.xlsx",
          {"III.ket-qua": {COL_CODE: "III.khong-con", COL_TEXT: EDITED}})
    result = build_report(CONFIG, "2022-Q3", tmp_path / "out", input_dir=folder, with_pdf=False)
    row = _rows(first.outputs["editorial"])["III.ket-qua"]
    p = next(p for p in result.problems if "«III.khong-con» không còn trong báo cáo" in p.message)
    assert (p.file, p.sheet, p.row, p.column) == ("bien-tap.xlsx", SHEET, row, "Mã khối")
    assert EDITED not in _docx_text(result.outputs["docx"])


# ----------------------------------------------------------------------------- Word comments

def test_word_comments_mark_only_what_the_clerk_must_decide(first):
    doc = Document(first.outputs["docx"])
    comments = [c.text for c in doc.comments]
    assert any(c.startswith("[PL.III.2] Cần xử lý trước khi ban hành.") and "không ghi ngày hoàn thành" in c
               for c in comments)                                                        # an undated completion
    assert any(c.startswith("[PL.III.13]") and "«400»" in c for c in comments)           # a refused row
    assert all(c.author == "Công cụ lập báo cáo" for c in doc.comments)
    # SNNPTNT's form is dated 03/10/2022, after the submission deadline: once, where its first result is printed
    late = [c for c in comments if "ghi ngày báo cáo 03/10/2022, sau hạn gửi phiếu 20/9/2022" in c]
    assert len(late) == 1 and late[0].startswith("[PL.I.5] Phiếu của Sở Nông nghiệp và Phát triển nông thôn")
    # what the tool did or noticed by rule is listed in bien-tap.xlsx, not put to the clerk in Word
    ws = openpyxl.load_workbook(first.outputs["editorial"])[SHEET]
    for code, words in (("II.chua-bao-cao", "Văn phòng Tỉnh ủy, Công an tỉnh và Sở Y tế"),   # silent agencies
                        ("PL.III.3", "quy tắc chu-ngu-co-quan"),                             # a rewritten sentence
                        ("PL.I.5", "hoàn thành nhiệm vụ I.5 ngày 30/9/2022")):              # done after the cut-off
        assert not any(words in c for c in comments), code
        assert words in ws.cell(_rows(first.outputs["editorial"])[code], COL_POINTS).value, code
    assert len(comments) == 3       # the undated completion, the refused row, the late form


def test_only_the_decision_kinds_become_comments(config, master):
    """One block with a point of every kind: the context's review (the Word comments) keeps the decisions."""
    import pandas as pd
    from pipeline.drafting import blocks as B
    from pipeline.drafting.body import draft_report
    from pipeline.drafting.context import build_context
    from pipeline.plan.periods import parse_period
    from pipeline.status.merge import merge

    period = parse_period("2022-Q3")
    merged = merge(master, period, pd.DataFrame(), [])
    draft = draft_report(config, master, merged)
    block = next(b for b in draft.body if getattr(b, "code", "") == "II.tong-so")
    block.points.clear()
    kinds = (B.UNDATED_DONE, B.REJECTED_ROW, B.LATE_FORM, B.STATUS_BACKWARDS, B.WITHHELD, B.DEPENDENCY_PROPOSAL,
             B.STALE_EDIT, B.REWRITTEN, B.SILENT_AGENCIES, B.DONE_AFTER_CUTOFF, B.CARRIED_EDIT)
    for kind in kinds:
        block.point(kind, f"điểm loại {kind}")
    review = build_context(config, master, merged, draft=draft)["review"]
    [entry] = [r for r in review if r["code"] == "II.tong-so"]
    shown = {c.rsplit("điểm loại ", 1)[1] for c in entry["comments"]}
    assert shown == {B.UNDATED_DONE, B.REJECTED_ROW, B.LATE_FORM, B.STATUS_BACKWARDS, B.WITHHELD,
                     B.DEPENDENCY_PROPOSAL, B.STALE_EDIT}


def test_the_comments_are_at_the_body_size(first):
    """The template defines Word's comment styles: the comment text at the body's 14 pt, not Word's own size."""
    from docx.shared import Pt
    doc = Document(first.outputs["docx"])
    body = doc.styles["BC - Đoạn văn"].font.size
    assert body == Pt(14)
    for name in ("annotation text", "annotation reference"):
        assert doc.styles[name].font.size == body and doc.styles[name].font.name == "Times New Roman", name
    for comment in doc.comments:
        for paragraph in comment.paragraphs:
            assert paragraph.style.name == "annotation text"


@pytest.mark.slow
def test_libreoffice_shows_the_comments(first, tmp_path):
    """LibreOffice opens the draft and exports each comment as a PDF annotation."""
    profile = tmp_path / "profile"
    export = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", export,
                    "--outdir", str(tmp_path), str(first.outputs["docx"])], check=True, capture_output=True,
                   timeout=240)
    with pikepdf.open(tmp_path / first.outputs["docx"].with_suffix(".pdf").name) as pdf:
        notes = [str(a.get("/Contents", "")) for page in pdf.pages for a in page.get("/Annots", [])
                 if a.get("/Subtype") == "/Text"]
    assert len(notes) == len(Document(first.outputs["docx"]).comments) > 0
    assert any("không ghi ngày hoàn thành" in n for n in notes)


# ----------------------------------------------------------------------------- issuing

def test_issue_refused_while_a_fact_is_unsettled(tmp_path):
    with pytest.raises(PipelineError) as err:
        build_report(CONFIG, "2022-Q3", tmp_path, issue=Issue(45, date(2022, 9, 20)), today=TODAY)
    message = str(err.value)
    assert message.startswith("Chưa thể lập bản phát hành: còn 3 điểm")
    # the copy to edit, as the clerk finds it, and for each point its row and column
    assert ("trong input/2022-Q3/bien-tap.xlsx (chưa có: chép " in message
            and "- input/2022-Q3/bien-tap.xlsx, dòng " in message and "cột «Ghi chú»" in message)
    assert "(khối «PL.III.13»)" in message and "Tiến độ «400» nằm ngoài khoảng 0–100" in message   # SCT's refused row
    assert "(khối «PL.III.2»)" in message and "không ghi ngày hoàn thành" in message
    assert "(khối «PL.I.5»)" in message and "30/9/2022, sau ngày ban hành 20/9/2022" in message   # done after issue
    assert not list(tmp_path.rglob("*.docx")) and not list(tmp_path.rglob("*.pdf"))   # nothing issued


def test_issue_after_the_clerk_settles_has_no_comments(first, tmp_path):
    folder = copy_sample(tmp_path / "in")
    settle_all(first.outputs["editorial"], folder / "bien-tap.xlsx")
    issued = build_report(CONFIG, "2022-Q3", tmp_path / "out", input_dir=folder, issue=Issue(45, date(2022, 9, 20)),
                          today=TODAY)
    assert len(Document(issued.outputs["docx"]).comments) == 0
    assert "Số: 45/BC-UBND" in _docx_text(issued.outputs["docx"])


@pytest.mark.parametrize("day, words", [
    (date(2022, 9, 5), "Ngày ban hành 05/9/2022 trước ngày chốt số liệu 14/9/2022 của quý III năm 2022"),
    (date(2026, 12, 1), "Ngày ban hành 01/12/2026 sau ngày hôm nay (27/11/2026)"),
    (date(2024, 1, 10), "cách ngày chốt số liệu 14/9/2022 của quý III năm 2022 hơn một năm"),
])
def test_impossible_issue_dates_are_refused(tmp_path, day, words):
    with pytest.raises(PipelineError, match=words.replace("(", r"\(").replace(")", r"\)")):
        build_report(CONFIG, "2022-Q3", tmp_path, issue=Issue(45, day), today=TODAY)


def test_a_later_date_in_an_edit_is_a_point_the_clerk_settles(first, tmp_path):
    """A day after the issue date in printed text is a review point, not a wall (issue 18 §5)."""
    folder = copy_sample(tmp_path / "in")
    settle_all(first.outputs["editorial"], folder / "bien-tap.xlsx")
    _edit(folder / "bien-tap.xlsx", folder / "bien-tap.xlsx",
          {"III.ket-qua": {COL_TEXT: "Ủy ban nhân dân tỉnh đã có Công văn số 99/UBND-TH ngày 18/9/2022 đôn đốc."}})
    with pytest.raises(PipelineError, match=r"khối «III.ket-qua»\): .*\[III.ket-qua\] Nội dung khối có ngày 18/9/2022") as err:
        build_report(CONFIG, "2022-Q3", tmp_path / "out", input_dir=folder, issue=Issue(45, date(2022, 9, 15)),
                     today=TODAY)
    assert "2022-Q3/bien-tap.xlsx, dòng" in str(err.value) and "cột «Ghi chú»" in str(err.value)
    draft = build_report(CONFIG, "2022-Q3", tmp_path / "out", input_dir=folder, with_pdf=False)
    settle_all(draft.outputs["editorial"], folder / "bien-tap.xlsx")   # the clerk reads the point and marks it
    issued = build_report(CONFIG, "2022-Q3", tmp_path / "out", input_dir=folder, issue=Issue(45, date(2022, 9, 15)),
                          today=TODAY, with_pdf=False)
    assert "ngày 18/9/2022 đôn đốc" in _docx_text(issued.outputs["docx"])


def test_cli_refusal_is_one_vietnamese_message(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pipeline", "report", "--period", "2022-Q3", "--so", "45", "--ngay",
                        "2022-09-05", "--output", str(tmp_path)], capture_output=True, text=True, cwd=PROJECT)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "trước ngày chốt số liệu 14/9/2022" in r.stderr


# ----------------------------------------------------------------------------- an edit is remembered

CARRIED_TEXT = "Ủy ban nhân dân tỉnh ban hành Kế hoạch số 112/KH-UBND ngày 09/5/2022 (đoạn do Văn phòng biên tập)."


def _row_values(path: Path, code: str) -> dict[int, str]:
    ws = openpyxl.load_workbook(path)[SHEET]
    row = _rows(path)[code]
    return {col: ws.cell(row, col).value or "" for col in (COL_AUTO, COL_TEXT, COL_INCLUDE, COL_NOTE, COL_POINTS)}


def test_an_edit_is_offered_again_next_period_while_the_block_is_unchanged(tmp_path):
    """Two periods in tmp: the clerk's quý III edits; quý IV's workbook pre-fills the edit of the block whose
    automatic text did not change (and only that one), the documents use it, and it needs the clerk's mark."""
    q3 = copy_sample(tmp_path / "in")
    q4 = tmp_path / "in" / "2022-Q4"
    q4.mkdir()
    out = tmp_path / "out"
    first = build_report(CONFIG, "2022-Q3", out, input_dir=q3, with_pdf=False)
    _edit(first.outputs["editorial"], q3 / "bien-tap.xlsx", {
        "I.ke-hoach": {COL_TEXT: CARRIED_TEXT},             # the plan's paragraph: the same every period
        "II.tong-so": {COL_TEXT: "Số liệu quý III do Văn phòng ghi."},   # the figures: they change
        "I.ky-bao-cao": {COL_INCLUDE: "Không"}})             # the cut-off dates: they change too

    fourth = build_report(CONFIG, "2022-Q4", out, input_dir=q4)
    workbook = fourth.outputs["editorial"]
    kept = _row_values(workbook, "I.ke-hoach")
    assert kept[COL_TEXT] == CARRIED_TEXT and kept[COL_AUTO] == _row_values(q3 / "bien-tap.xlsx", "I.ke-hoach")[COL_AUTO]
    assert kept[COL_NOTE] == ""                                    # the clerk's column: left to the clerk
    assert "[Cần xử lý trước khi ban hành]" in kept[COL_POINTS]
    assert "điền sẵn từ bản biên tập quý III năm 2022" in kept[COL_POINTS]
    for code in ("II.tong-so", "I.ky-bao-cao"):                # their automatic text changed: not offered
        row = _row_values(workbook, code)
        assert row[COL_TEXT] == "" and row[COL_INCLUDE] == "Có" and "điền sẵn" not in row[COL_POINTS], code
    # both documents say the pre-filled words; the edit is not yet a reviewed one: no issue
    assert CARRIED_TEXT in _docx_text(fourth.outputs["docx"]) and CARRIED_TEXT in _pdf_text(fourth.outputs["pdf"])
    manifest = json.loads((fourth.out_dir / "manifest.json").read_text(encoding="utf-8"))
    import hashlib
    assert manifest["editorial"]["sha256"] == hashlib.sha256((q3 / "bien-tap.xlsx").read_bytes()).hexdigest()

    # the clerk saves quý IV's workbook as it is: still pre-filled, still unconfirmed
    shutil.copy(workbook, q4 / "bien-tap.xlsx")
    again = build_report(CONFIG, "2022-Q4", out, input_dir=q4, with_pdf=False)
    assert "điền sẵn từ bản biên tập quý III" in _row_values(again.outputs["editorial"], "I.ke-hoach")[COL_POINTS]
    with pytest.raises(PipelineError) as err:
        build_report(CONFIG, "2022-Q4", out, input_dir=q4, issue=Issue(12, date(2022, 12, 20)), today=TODAY,
                     with_pdf=False)
    assert "[I.ke-hoach]" in str(err.value)

    # the clerk confirms it: reviewed, remembered no more as a pre-filled one
    _edit(again.outputs["editorial"], q4 / "bien-tap.xlsx", {"I.ke-hoach": {COL_NOTE: "Đã kiểm tra"}})
    confirmed = build_report(CONFIG, "2022-Q4", out, input_dir=q4, with_pdf=False)
    row = _row_values(confirmed.outputs["editorial"], "I.ke-hoach")
    assert row[COL_TEXT] == CARRIED_TEXT and row[COL_POINTS] == ""
    assert CARRIED_TEXT in _docx_text(confirmed.outputs["docx"])
    meta = openpyxl.load_workbook(confirmed.outputs["editorial"])["_meta"]
    assert not any(str(r[0].value).startswith("carried:") for r in meta.iter_rows())


def test_an_edited_pre_filled_text_is_the_clerks_own(tmp_path, config, master):
    import pandas as pd
    from pipeline.documents.editorial_workbook import write_editorial
    from pipeline.drafting.body import draft_report
    from pipeline.drafting.editorial import carry_edits, read_edits
    from pipeline.plan.periods import parse_period
    from pipeline.status.merge import merge

    q3 = copy_sample(tmp_path / "in")
    first = build_report(CONFIG, "2022-Q3", tmp_path / "out", input_dir=q3, with_pdf=False)
    edited = _edit(first.outputs["editorial"], tmp_path / "q3.xlsx", {"I.ke-hoach": {COL_TEXT: CARRIED_TEXT}})
    previous, _ = read_edits(edited, "2022-Q3", config.plan_number)
    q4 = parse_period("2022-Q4")
    plan = master.as_of(q4.end)
    draft = draft_report(config, plan, merge(plan, q4, pd.DataFrame(), []))
    offered = carry_edits(draft, previous, "quý III năm 2022")
    assert set(offered) == {"I.ke-hoach"} and offered["I.ke-hoach"].carried == "quý III năm 2022"
    path = write_editorial(tmp_path / "q4.xlsx", draft, q4.code, q4.label, config.plan_number, offered)
    assert read_edits(path, q4.code, config.plan_number)[0]["I.ke-hoach"].carried == "quý III năm 2022"
    # the clerk rewrites the pre-filled text: it is their own edit now
    _edit(path, path, {"I.ke-hoach": {COL_TEXT: CARRIED_TEXT + " Bổ sung."}})
    edits, problems = read_edits(path, q4.code, config.plan_number)
    assert problems == [] and edits["I.ke-hoach"].carried == ""
