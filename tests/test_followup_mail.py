"""E-mail drafts of the công văn đôn đốc: built for the sample's agencies, written as .eml, read back
the way a mail client reads them (email.policy.default)."""
from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import openpyxl
import pikepdf
import pytest

from pipeline.plan.master import load_master
from pipeline.errors import WARNING
from pipeline.followup.mail import follow_up_mail, write_eml
from tests.conftest import CONFIG, MASTER, SAMPLE

SENDER = ("Văn phòng Ủy ban nhân dân tỉnh Kiên Giang", "vanphong.du-lieu-mau@kiengiang.example")
WHEN = datetime(2022, 10, 5, 8, 0, tzinfo=timezone(timedelta(hours=7)))
LETTER = {
    "issuer": "Ủy ban nhân dân tỉnh Kiên Giang",
    "sender_unit": "Văn phòng Ủy ban nhân dân tỉnh Kiên Giang",
    "number_line": "Số: 45/UBND-TH",
    "date_line": "Kiên Giang, ngày 05 tháng 10 năm 2022",
    "subject": "V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch số 112/KH-UBND",
    "plan_number": "112/KH-UBND",
    "period_label": "quý III năm 2022",
    "answer_by": "20/9/2022",
    "draft": False,
}
DRAFT = dict(LETTER, number_line="Số:      /UBND-TH", date_line="Kiên Giang, ngày      tháng 10 năm 2022", draft=True)
PDF_NAME = "Công văn đôn đốc quý III năm 2022.pdf"
NAMES = {"VPTU": "Văn phòng Tỉnh ủy", "CA": "Công an tỉnh", "SKHDT": "Sở Kế hoạch và Đầu tư", "SYT": "Sở Y tế",
         "SNGV": "Sở Ngoại vụ", "SCT": "Sở Công Thương"}


@pytest.fixture(scope="module")
def follow():
    from pipeline.collection.collect import collect
    from pipeline.status.merge import merge
    from pipeline.followup.findings import find_follow_up
    from pipeline.report import load_inputs

    config, plan, period = load_inputs(CONFIG, "2022-Q3")
    master = plan.as_of(period.end)
    collection = collect(SAMPLE, master, period, plan_number=config.plan_number, plan_date=config.plan_date,
                         ignore=("bien-tap.xlsx",))
    merged = merge(master, period, collection.rows, collection.reported_agencies)
    return {a.agency.code: a for a in find_follow_up(master, merged, collection, collection.problems).concerned}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A real PDF (the công văn) and, per agency, a real workbook (its form) with a Vietnamese name."""
    folder = tmp_path_factory.mktemp("attach")
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Title"] = "Công văn đôn đốc"
    pdf.save(folder / "cong-van.pdf", deterministic_id=True)
    forms = {}
    for code in NAMES:
        wb = openpyxl.Workbook()
        wb.active["A1"] = f"Phiếu báo cáo của {code}"
        wb.save(folder / f"{code}_phieu-bao-cao.xlsx")
        forms[code] = folder / f"{code}_phieu-bao-cao.xlsx"
    return folder / "cong-van.pdf", forms


def _attachments(files, code):
    pdf, forms = files
    return [(PDF_NAME, pdf), (f"Phiếu báo cáo quý III – {code}.xlsx", forms[code])]


def _round_trip(path):
    raw = path.read_bytes()
    return raw, email.message_from_bytes(raw, policy=email.policy.default)


def _body(message) -> str:
    """The text as a client shows it (a written .eml keeps its CRLF line ends in the decoded text)."""
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def test_the_sample_concerns_six_agencies(follow):
    assert set(follow) == set(NAMES)


@pytest.mark.parametrize("code", list(NAMES))
def test_draft_for_each_agency_reads_back_with_address_subject_and_attachments(tmp_path, follow, files, code):
    message, problems = follow_up_mail(follow[code], LETTER, _attachments(files, code), SENDER, WHEN)
    assert problems == []
    raw, back = _round_trip(write_eml(tmp_path / f"{code}_thu-don-doc.eml", message))

    assert raw.count(b"\n") == raw.count(b"\r\n") > 10           # CRLF line ends only
    assert raw.isascii()                                         # 7-bit: every header and part encoded
    [to] = back["To"].addresses
    assert to.addr_spec == f"{code.lower()}.du-lieu-mau@kiengiang.example"
    assert to.display_name == NAMES[code]
    [sender] = back["From"].addresses
    assert (sender.display_name, sender.addr_spec) == SENDER
    assert back["Subject"] == ("Đôn đốc báo cáo kết quả thực hiện Kế hoạch số 112/KH-UBND, quý III năm 2022 – "
                               f"{NAMES[code]}")
    assert back["X-Unsent"] == "1" and back["MIME-Version"] == "1.0"
    assert back["Date"] == "Wed, 05 Oct 2022 08:00:00 +0700"
    assert parsedate_to_datetime(back["Date"]) == WHEN
    assert back["Message-ID"].endswith("@kiengiang.example>")
    assert back.get_content_type() == "multipart/mixed"

    parts = list(back.iter_attachments())
    assert [p.get_filename() for p in parts] == [PDF_NAME, f"Phiếu báo cáo quý III – {code}.xlsx"]
    assert [p.get_content_type() for p in parts] == [
        "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    assert [p.get_content() for p in parts] == [path.read_bytes() for _, path in _attachments(files, code)]
    assert b"filename*=utf-8''C%C3%B4ng%20v%C4%83n" in raw       # RFC 2231 for the Vietnamese name
    body = _body(back)
    assert body.startswith(f"Kính gửi: {NAMES[code]}.")
    assert body.rstrip().endswith("Trân trọng.\n\nVăn phòng Ủy ban nhân dân tỉnh Kiên Giang")
    assert "Công văn số 45/UBND-TH ngày 05/10/2022 của Ủy ban nhân dân tỉnh Kiên Giang về việc đôn đốc" in body
    assert PDF_NAME in body and "LƯU Ý TRƯỚC KHI GỬI" not in body


def test_body_says_what_each_agency_must_do(follow, files):
    def body(code):
        return _body(follow_up_mail(follow[code], LETTER, _attachments(files, code), SENDER, WHEN)[0])

    sct = body("SCT")   # one refused row: III.13, progress typed 400 (sheet «Báo cáo», row 10)
    assert "III.13" in sct and "«2022-Q3_SCT_So-Cong-Thuong.xlsx»" in sct
    assert "trang «Báo cáo», dòng 10, cột «Tiến độ (%)»: Tiến độ «400» nằm ngoài khoảng 0–100." in sct
    assert "trước ngày 20/9/2022" in sct
    assert "gửi lại chính tệp này" in sct and "Không cần lo về tên tệp" in sct
    assert sct.count("III.13") == 1            # refused, so not listed again as unreported

    vptu = body("VPTU")  # sent nothing: its one task I.1
    name = load_master(MASTER).task("I.1").short_name
    assert "Gửi phiếu báo cáo quý III năm 2022 về 1 nhiệm vụ" in vptu and f"I.1 ({name})" in vptu
    assert "trước ngày 20/9/2022" in vptu
    refused = replace(follow["VPTU"], refused_files=[("VPTU.xls", "Tệp không phải sổ Excel .xlsx.")])
    assert ("   - Tệp «VPTU.xls» Quý cơ quan đã gửi không được tiếp nhận: tệp không phải sổ Excel .xlsx.\n"
            in _body(follow_up_mail(refused, LETTER, [], SENDER, WHEN)[0]))

    skhdt = body("SKHDT")   # II.4 (Tháng 9/2022) falls due on 30/9/2022
    assert f"Nhiệm vụ II.4 ({load_master(MASTER).task('II.4').short_name}): " in skhdt and "đến hạn ngày 30/9/2022 (thời hạn: Tháng 9/2022)" in skhdt
    sngv = body("SNGV")     # III.4.1 (Quý III/2022) falls due on 30/9/2022; its form was accepted
    assert f"Nhiệm vụ III.4.1 ({load_master(MASTER).task('III.4.1').short_name}): " in sngv and "đến hạn ngày 30/9/2022 (thời hạn: Quý III/2022)" in sngv
    assert "không cần gửi lại" in sngv and "trước ngày 20/9/2022" not in sngv


def test_a_draft_letter_puts_a_reminder_on_top_and_leaves_number_and_day_blank(follow, files):
    message, _ = follow_up_mail(follow["SCT"], DRAFT, _attachments(files, "SCT"), SENDER, WHEN)
    body = _body(message)
    first = body.splitlines()[0]
    assert first.startswith("[LƯU Ý TRƯỚC KHI GỬI") and "dự thảo" in first and "lấy số" in first
    assert "Công văn số …/UBND-TH ngày …/10/2022 của Ủy ban nhân dân tỉnh Kiên Giang" in body


def test_agency_without_address_gets_no_to_and_one_warning(tmp_path, follow, files):
    syt = follow["SYT"]
    bare = replace(syt, agency=replace(syt.agency, email=""))
    message, problems = follow_up_mail(bare, dict(LETTER, registry="nhiem-vu-112.xlsx"), _attachments(files, "SYT"),
                                       SENDER, WHEN)
    _, back = _round_trip(write_eml(tmp_path / "SYT.eml", message))
    assert back["To"] is None and "To" not in back
    [warning] = problems
    assert (warning.severity, warning.agency, warning.file, warning.sheet, warning.column) == \
        (WARNING, "SYT", "nhiem-vu-112.xlsx", "Cơ quan", "Thư điện tử")
    assert "Sở Y tế" in warning.message and "chưa có địa chỉ thư điện tử" in warning.message
    assert back["Subject"].endswith("– Sở Y tế") and len(list(back.iter_attachments())) == 2
    # without the registry's name the entry names the agency's code
    assert follow_up_mail(bare, LETTER, [], SENDER, WHEN)[1][0].file == "SYT"


def test_bad_address_in_the_registry_is_reported_and_the_draft_has_no_recipient(master_copy, follow, files):
    from pipeline.plan.master import load_master

    wb = openpyxl.load_workbook(master_copy)
    ws = wb["Cơ quan"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "SCT")
    ws.cell(row, 5).value = "abc"
    wb.save(master_copy)
    master = load_master(master_copy)
    [warning] = master.warnings
    assert (warning.file, warning.sheet, warning.row, warning.column) == (master_copy.name, "Cơ quan", row,
                                                                           "Thư điện tử")
    assert "«abc»" in warning.message
    sct = replace(follow["SCT"], agency=master.agencies["SCT"])
    message, problems = follow_up_mail(sct, LETTER, _attachments(files, "SCT"), SENDER, WHEN)
    assert "To" not in message and [p.agency for p in problems] == ["SCT"]


def test_same_inputs_give_the_same_bytes(tmp_path, follow, files):
    first = write_eml(tmp_path / "a.eml", follow_up_mail(follow["SCT"], LETTER, _attachments(files, "SCT"),
                                                         SENDER, WHEN)[0]).read_bytes()
    again = write_eml(tmp_path / "b.eml", follow_up_mail(follow["SCT"], LETTER, _attachments(files, "SCT"),
                                                         SENDER, WHEN)[0]).read_bytes()
    assert first == again
    other = tmp_path / "other.pdf"
    other.write_bytes(files[0].read_bytes() + b"\n% revised\n")
    changed = follow_up_mail(follow["SCT"], LETTER, [(PDF_NAME, other)], SENDER, WHEN)[0]
    before = email.message_from_bytes(first, policy=email.policy.default)
    assert changed["Message-ID"] != before["Message-ID"]


def test_without_sender_the_client_fills_from(tmp_path, follow, files):
    message, problems = follow_up_mail(follow["CA"], LETTER, [], None, datetime(2022, 10, 5, 8, 0))
    raw, back = _round_trip(write_eml(tmp_path / "CA.eml", message))
    assert problems == [] and "From" not in back
    assert back["Message-ID"].endswith("@baocao.invalid>")
    assert back["Date"] == "Wed, 05 Oct 2022 08:00:00 +0700"       # a naive time is the province's
    assert back.get_content_type() == "text/plain" and back["MIME-Version"] == "1.0"
    assert "I.2" in _body(back) and raw.count(b"\n") == raw.count(b"\r\n")


def test_a_long_vietnamese_display_name_reads_back_whole(tmp_path, follow, files):
    """A name longer than one encoded-word is not split inside a word (read back «phát tri ển» before)."""
    name = "Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn"
    sct = follow["SCT"]
    long = replace(sct, agency=replace(sct.agency, name=name))
    message, _ = follow_up_mail(long, LETTER, _attachments(files, "SCT"), SENDER, WHEN)
    raw, back = _round_trip(write_eml(tmp_path / "long.eml", message))
    assert back["To"].addresses[0].display_name == name
    assert back["Subject"].endswith(f"– {name}")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
