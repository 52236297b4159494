"""Builders of returned agency workbooks, good and bad, for the collect tests.

Everything starts from freshly generated workbooks of a small plan, then does what officers (and
hostile senders) do to them. `build_messy_folder` puts one of each case into a folder.
"""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook

from pipeline.collection import sheet_layout as L
from pipeline.collection.agency_workbook import write_agency_workbooks
from bench.data import fill_workbook
from pipeline.plan.deadlines import parse_deadline
from pipeline.plan.model import Agency, Master, Task
from pipeline.plan.periods import parse_period
from pipeline.text.vntext import unicode_to_legacy

PERIOD = parse_period("2022-Q3")
GENERATED = datetime(2022, 9, 1, 8, 0, 0)
PLAN_REF = "Kế hoạch số 7/KH-UBND ngày 05/5/2022 của Ủy ban nhân dân tỉnh Thử Nghiệm"
PLAN_NUMBER = "7/KH-UBND"
HOSTILE_CONTENT = '=HYPERLINK("http://example.invalid","bấm vào đây")'

_AGENCIES = [
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"),
    ("SNN", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    ("CA", "Công an tỉnh", "Công an tỉnh"),
    ("SYT", "Sở Y tế", "Sở Y tế"),
    ("STC", "Sở Tài chính", "Sở Tài chính"),   # leads nothing: gets no workbook
]
_TASKS = [
    ("I.1", "Cải thiện môi trường đầu tư kinh doanh", ("SKHDT",), "Thường xuyên", ""),
    ("I.2", "Củng cố quốc phòng, an ninh, giữ vững trật tự, an toàn xã hội", ("SKHDT", "CA"), "Thường xuyên", ""),
    ("II.1", "Khẩn trương hoàn thành lập Quy hoạch tỉnh thời kỳ 2021 - 2030", ("SKHDT",), "Tháng 9/2022",
     "Trình duyệt Hồ sơ quy hoạch tỉnh"),
    ("II.2", HOSTILE_CONTENT, ("SKHDT",), "Quý II/2022", "=1+1"),
    ("III.1", "Về cơ chế khoanh nợ tàu khai thác thủy sản chờ chuyển đổi ngành nghề", ("SNN",), "Quý II/2022",
     "Văn bản tham mưu UBND tỉnh"),
    ("III.2", "Về chính sách hỗ trợ chuyển đổi nghề khai thác thủy sản", ("SNN",), "Quý III/2022",
     "Văn bản tham mưu UBND tỉnh"),
    ("III.3", "Về việc đầu tư xây dựng 9 cống còn lại trên tuyến đê biển", ("SNN",), "Năm 2022", ""),
    ("III.4", "Về sử dụng vốn kết dư để đầu tư cống Xẻo Nhàu", ("SNN",), "Năm 2022", ""),
    ("III.5", "Kiểm soát hiệu quả dịch Covid-19", ("SYT",), "Thường xuyên", ""),
]


def small_master() -> Master:
    agencies = {c: Agency(c, n, s, leads_tasks=c != "STC") for c, n, s in _AGENCIES}
    tasks = [Task(id=i, section=i.split(".")[0], section_title=f"PHẦN {i.split('.')[0]}", number=i.split(".")[1],
                  group="", content=content, lead_codes=leads, lead_note="", coordinators="Các sở, ngành",
                  deadline=parse_deadline(dl), product=product, order=n)
             for n, (i, content, leads, dl, product) in enumerate(_TASKS)]
    return Master(tasks=tasks, agencies=agencies, source="tests")


def templates(folder: Path, master: Master | None = None, period=PERIOD, plan_number=PLAN_NUMBER,
              generated=GENERATED) -> dict[str, Path]:
    paths = write_agency_workbooks(master or small_master(), period, folder, generated, plan_ref=PLAN_REF,
                                   plan_number=plan_number)
    return {p.name.split("_")[1]: p for p in paths}


def header(report_date, officer="Nguyễn Văn A") -> dict:
    return {"officer_name": officer, "officer_title": "Chuyên viên", "officer_phone": "0297 3862 000",
            "report_date": report_date}


def done(on: date | str | None, results="Đã tham mưu UBND tỉnh ban hành văn bản chỉ đạo.", **kw) -> dict:
    return {"status": L.STATUS_DONE, "completed_on": on, "progress": 100, "results": results,
            "output_doc": "Công văn số 1234/SKHĐT-TH ngày 12/8/2022", **kw}


def ongoing(progress=50, results="Đang phối hợp các sở, ngành triển khai.", **kw) -> dict:
    return {"status": L.STATUS_ONGOING, "progress": progress, "results": results, **kw}


def edit(path: Path, change) -> Path:
    """Open with openpyxl, change(wb), save in place (what an officer who unprotects would do)."""
    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def set_meta(path: Path, key: str, value: str) -> Path:
    def change(wb):
        ws = wb[L.SHEET_META]
        for row in ws.iter_rows(min_col=1, max_col=2):
            if row[0].value == key:
                row[1].value = value
    return edit(path, change)


def report_row(path: Path, task_id: str) -> int:
    wb = load_workbook(path, read_only=True)
    ws = wb[L.SHEET_REPORT]
    for r, (value,) in enumerate(ws.iter_rows(min_row=L.FIRST_DATA_ROW, max_col=1, values_only=True),
                                 start=L.FIRST_DATA_ROW):
        if value == task_id:
            wb.close()
            return r
    raise KeyError(task_id)


# ---------------------------------------------------------------- not workbooks, hostile files

def zip_bomb(path: Path, declared_mb: int = 60) -> Path:
    """A small .xlsx-looking zip whose members inflate to `declared_mb` MB of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (declared_mb * 1024 * 1024))
    return path


def encrypted_ole(path: Path) -> Path:
    """The shape of a password-protected .xlsx: an OLE compound file with an EncryptionInfo stream."""
    body = bytearray(4096)
    body[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    name = "EncryptionInfo".encode("utf-16-le")
    body[1024:1024 + len(name)] = name
    path.write_bytes(bytes(body))
    return path


def truncated(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


def empty_workbook(path: Path) -> Path:
    Workbook().save(path)
    return path


# ---------------------------------------------------------------- the messy folder

def build_messy_folder(root: Path) -> dict[str, str]:
    """Fill a folder with one file per case; return {case: file name}. Generated blanks stay in root/phieu."""
    blank = templates(root / "phieu")
    q2 = templates(root / "phieu-q2", period=parse_period("2022-Q2"))
    inbox = root / "inbox"
    inbox.mkdir()
    names: dict[str, str] = {}

    def out(case: str, name: str) -> Path:
        names[case] = name
        return inbox / name

    # SKHDT: an early report, then a later one full of the usual slips.
    fill_workbook(blank["SKHDT"], out("earlier", "SKHDT-lan-1.xlsx"), header(date(2022, 9, 5)), {
        "I.1": ongoing(40), "I.2": ongoing(30), "II.1": ongoing(60), "II.2": ongoing(10)})
    tcvn3 = unicode_to_legacy("Đã trình Hội đồng thẩm định quy hoạch tỉnh", "tcvn3")
    fill_workbook(blank["SKHDT"], out("variants", "SKHDT-lan-2.xlsx"), header(date(2022, 9, 12)), {
        "I.1": {"status": "hoàn thành", "completed_on": "30/8/2022", "progress": "80%",
                "results": HOSTILE_CONTENT},
        "I.2": {"status": "Đã Hoàn Thành ", "completed_on": None, "progress": 1,
                "results": "Duy trì nghiêm chế độ trực, tuần tra, kiểm soát."},
        "II.1": {"status": "đang triển khai", "progress": 0.8, "results": tcvn3,
                 "difficulties": "Hồ sơ cần bổ sung ý kiến các bộ, ngành."},
        "II.2": {"status": "chưa hoàn thành", "results": "Chưa có."},
    })

    # SNN: rows broken by someone who unprotected the sheet.
    snn = fill_workbook(blank["SNN"], out("rows", "SNN.xlsx"), header(date(2022, 9, 9)), {
        "III.1": done(date(2022, 7, 15)), "III.2": ongoing(70), "III.3": ongoing(20), "III.4": ongoing(10)})
    r1, r2, r3, r4 = (report_row(snn, t) for t in ("III.1", "III.2", "III.3", "III.4"))

    def break_rows(wb):
        ws = wb[L.SHEET_REPORT]
        ws[f"B{r1}"] = "Nội dung đã bị sửa tay"
        ws[f"A{r3}"] = "I.1"                                      # another agency's task
        for c in L.COLUMNS:                                        # III.4 overwritten by a copy of III.2
            ws[f"{c.letter}{r4}"] = ws[f"{c.letter}{r2}"].value
        ws[f"A{r4 + 1}"] = "IX.9"                                  # a row that is in no plan
        ws[f"E{r4 + 1}"] = L.STATUS_DONE
    edit(snn, break_rows)

    # SYT: three files that are not for this run.
    fill_workbook(q2["SYT"], out("wrong_period", "SYT-quy-2.xlsx"), header(date(2022, 6, 10)),
                  {"III.5": ongoing(50)})
    set_meta(fill_workbook(blank["SYT"], out("unknown_agency", "SYT-ma-la.xlsx"), header(date(2022, 9, 10)),
                           {"III.5": ongoing(50)}), L.META_AGENCY, "XYZ")
    set_meta(fill_workbook(blank["SYT"], out("old_version", "SYT-mau-cu.xlsx"), header(date(2022, 9, 10)),
                           {"III.5": ongoing(50)}), L.META_VERSION, "0")

    # Files that are not usable workbooks at all (CA's, so CA stays unreported).
    (inbox / "~$SKHDT-lan-2.xlsx").write_bytes(b"\x0cNguyen Van A" + bytes(150))
    names["lock_file"] = "~$SKHDT-lan-2.xlsx"
    out("xls", "CA-bao-cao.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    fill_workbook(blank["CA"], out("xlsm", "CA-macro.xlsm"), header(date(2022, 9, 10)), {"I.2": ongoing(50)})
    out("csv", "CA.csv").write_text("Mã nhiệm vụ,Tình trạng\nI.2,Đã hoàn thành\n", encoding="utf-8")
    truncated(blank["CA"], out("truncated", "CA-hong.xlsx"))
    encrypted_ole(out("encrypted", "CA-mat-khau.xlsx"))
    empty_workbook(out("empty", "CA-trong.xlsx"))
    edit(fill_workbook(blank["CA"], out("renamed", "CA-doi-ten.xlsx"), header(date(2022, 9, 10)),
                       {"I.2": ongoing(50)}), lambda wb: setattr(wb[L.SHEET_REPORT], "title", "Sheet1"))
    edit(fill_workbook(blank["CA"], out("no_meta", "CA-mat-meta.xlsx"), header(date(2022, 9, 10)),
                       {"I.2": ongoing(50)}), lambda wb: wb.remove(wb[L.SHEET_META]))
    zip_bomb(out("zip_bomb", "CA-bom.xlsx"))
    return names


def zip_member_text(path: Path, member: str) -> str:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
        return zf.read(member).decode("utf-8")
