from collections import Counter
from datetime import date

import openpyxl
import pytest

from pipeline.errors import PipelineError
from pipeline.plan.master import load_master


def test_committed_master_has_the_35_leaf_tasks(master):
    assert len(master.tasks) == 35
    assert Counter(t.section for t in master.tasks) == {"I": 8, "II": 11, "III": 16}
    ids = [t.id for t in master.tasks]
    assert ids[:3] == ["I.1", "I.2", "I.3"]
    assert ["III.4.1", "III.4.2", "III.5.1", "III.5.2"] == [i for i in ids if i.count(".") == 2]
    assert len(set(ids)) == 35


def test_group_rows_and_multi_lead_task(master):
    t = master.task("III.4.1")
    assert t.group == "Về mở cửa khẩu phụ tuyến biên giới" and t.number == "4.1"
    assert master.task("I.2").lead_codes == ("BCHQS", "BDBP", "CA")
    assert master.task("I.2").lead_note == "theo chức năng, nhiệm vụ của ngành"
    assert master.tasks_of("CA") == [master.task("I.2")]
    assert master.agencies["SGTVT"].name == "Sở Giao thông vận tải"
    assert "Sở Giao thông và vận tải" in master.agencies["SGTVT"].aliases
    assert "BCH BĐBP tỉnh" in (master.agencies["BDBP"].short_name, *master.agencies["BDBP"].aliases)


def test_scanning_errors_are_corrected_and_listed(master):
    text = " ".join(f"{t.content} {t.product} {t.lead_note} {t.coordinators}" for t in master.tasks)
    for wrong in ["Quy hoạch tinh", "chò chuyền đổi", "9 công cồn lại", "Tờ tình", "Thông nhất", "đạo tạo",
                  "Tỉnh Ủy", "<u>", "<i>", "<ul", "<p>"]:
        assert wrong not in text, wrong
    for right in ["Quy hoạch tỉnh phải", "chờ chuyển đổi", "9 cống còn lại", "Tờ trình", "Thống nhất nguồn vốn",
                  "đào tạo", "Văn phòng Tỉnh ủy"]:
        assert right in text, right
    listed = {(c.original, c.corrected) for c in master.corrections}
    assert ("Noi nhậm:", "Nơi nhận:") in listed and ("Tờ tình", "Tờ trình") in listed
    # every correction of a task names a task that exists and its corrected text is really there
    for c in master.corrections:
        if c.where.startswith("Nhiệm vụ "):
            task_id = c.where.split()[2].rstrip(",")
            task = master.task(task_id)
            assert c.corrected in f"{task.content} {task.product} {task.lead_note}", c


def test_every_lead_agency_is_in_the_registry(master):
    assert len(master.lead_codes()) == 15
    assert all(master.agencies[c].leads_tasks for c in master.lead_codes())
    assert not master.agencies["STC"].leads_tasks


def _break(path, sheet, cell, value):
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


@pytest.mark.parametrize("sheet, cell, value, expect", [
    ("Nhiệm vụ", "A3", "I.1", "mã nhiệm vụ «I.1» trùng với dòng 2"),
    ("Nhiệm vụ", "G5", "SKHDT; SXYZ", "mã cơ quan «SXYZ» của nhiệm vụ I.4 không có trong trang «Cơ quan»"),
    ("Nhiệm vụ", "J6", "Sớm nhất có thể", "không hiểu thời hạn «Sớm nhất có thể»"),
    ("Nhiệm vụ", "F7", None, "nhiệm vụ I.6 không có nội dung"),
    ("Nhiệm vụ", "A8", "I-7", "không đúng dạng"),
    ("Nhiệm vụ", "J1", "Hạn", "tiêu đề cột thứ 10 phải là «Thời hạn»"),
    ("Cơ quan", "A3", "VPTU", "mã cơ quan «VPTU» bị trùng"),
])
def test_broken_master_rows_are_reported_with_sheet_row_column(master_copy, sheet, cell, value, expect):
    _break(master_copy, sheet, cell, value)
    with pytest.raises(PipelineError) as err:
        load_master(master_copy)
    msg = str(err.value)
    assert expect in msg
    row = int("".join(ch for ch in cell if ch.isdigit()))
    assert f"trang «{sheet}», dòng {row}" in msg


def test_all_problems_are_listed_at_once(master_copy):
    wb = openpyxl.load_workbook(master_copy)
    wb["Nhiệm vụ"]["J2"] = "??"
    wb["Nhiệm vụ"]["G3"] = "KHONGCO"
    wb.save(master_copy)
    with pytest.raises(PipelineError) as err:
        load_master(master_copy)
    assert "2 lỗi" in str(err.value) and "dòng 2" in str(err.value) and "dòng 3" in str(err.value)


def test_a_missing_sheet_or_a_non_workbook(tmp_path, master_copy):
    wb = openpyxl.load_workbook(master_copy)
    del wb["Cơ quan"]
    wb.save(master_copy)
    with pytest.raises(PipelineError, match="thiếu trang «Cơ quan»"):
        load_master(master_copy)
    junk = tmp_path / "x.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(PipelineError, match="không phải sổ Excel"):
        load_master(junk)


def test_legacy_encoded_master_text_is_converted(master_copy):
    _break(master_copy, "Nhiệm vụ", "I3", "Së KÕ ho¹ch vµ §Çu t−")
    assert load_master(master_copy).task("I.2").coordinators == "Sở Kế hoạch và Đầu tư"


# ---------------------------------------------------------------- e-mail addresses (column «Thư điện tử»)

def _registry_sheet(path):
    wb = openpyxl.load_workbook(path)
    return wb, wb["Cơ quan"]


def _row_of(ws, code):
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code)


def test_sample_registry_gives_every_agency_a_sample_address(master):
    """Every agency (every lead agency above all) has an address, and each says it is made-up sample data
    in a reserved domain (RFC 2606 «.example»), so no real office is ever written to by mistake."""
    assert master.warnings == []
    for code in master.lead_codes():
        assert master.agencies[code].email, code
    for code, agency in master.agencies.items():
        local, domain = agency.email.split("@")
        assert local == f"{code.lower()}.du-lieu-mau", agency.email   # «dữ liệu mẫu»
        assert domain == "kiengiang.example"


def test_email_column_round_trip_through_the_plan_import(tmp_path, master):
    from dataclasses import replace
    from pipeline.errors import ProblemList
    from pipeline.plan.master import load_corrections, load_registry
    from pipeline.plan.plan_import import ImportResult, write_master
    from tests.conftest import MASTER

    registry = load_registry(MASTER)
    registry["SCT"] = replace(registry["SCT"], email="vanthu.sct@kiengiang.gov.vn")
    registry["STC"] = replace(registry["STC"], email="")
    out = tmp_path / "m.xlsx"
    write_master(ImportResult(master.tasks, ProblemList(), []), registry, load_corrections(MASTER), out)
    wb, ws = _registry_sheet(out)
    assert [c.value for c in ws[1]] == ["Mã", "Tên chính thức", "Tên ngắn", "Tên gọi khác", "Thư điện tử"]
    assert ws.cell(_row_of(ws, "SCT"), 5).value == "vanthu.sct@kiengiang.gov.vn"
    back = load_master(out)
    assert back.agencies["SCT"].email == "vanthu.sct@kiengiang.gov.vn"
    assert back.agencies["STC"].email == ""
    assert back.agencies["SYT"].email == "syt.du-lieu-mau@kiengiang.example"
    assert back.warnings == []


def test_registry_without_the_email_column_still_loads(master_copy, master):
    wb, ws = _registry_sheet(master_copy)
    ws.delete_cols(5)
    wb.save(master_copy)
    back = load_master(master_copy)
    assert len(back.agencies) == len(master.agencies) and len(back.tasks) == 35
    assert all(a.email == "" for a in back.agencies.values())
    assert back.warnings == []


def test_email_column_is_found_by_its_title(master_copy):
    wb, ws = _registry_sheet(master_copy)
    ws.insert_cols(5)
    ws.cell(1, 5).value = "Ghi chú"
    ws.cell(2, 5).value = "liên hệ qua văn thư"
    ws.cell(_row_of(ws, "SNV"), 6).value = "  mailto:VanThu.SNV@kiengiang.gov.vn "
    wb.save(master_copy)
    back = load_master(master_copy)
    assert back.agencies["SNV"].email == "VanThu.SNV@kiengiang.gov.vn"
    assert back.agencies["VPTU"].email == "vptu.du-lieu-mau@kiengiang.example"


@pytest.mark.parametrize("value", ["abc", "skhdt@", "skhdt@kiengiang", "van thu@kiengiang.gov.vn",
                                   "sở.ytế@kiengiang.gov.vn", "a@kiengiang.gov.vn; b@kiengiang.gov.vn",
                                   "a..b@kiengiang.gov.vn", "=HYPERLINK(\"x\")"])
def test_malformed_address_is_a_warning_naming_the_cell_and_is_not_used(master_copy, value):
    from pipeline.files import put_value
    from pipeline.errors import WARNING

    wb, ws = _registry_sheet(master_copy)
    row = _row_of(ws, "SYT")
    put_value(ws.cell(row, 5), value)
    wb.save(master_copy)
    back = load_master(master_copy)          # one bad address does not stop the run
    assert back.agencies["SYT"].email == ""
    assert back.agencies["SCT"].email == "sct.du-lieu-mau@kiengiang.example"
    [warning] = back.warnings
    assert (warning.severity, warning.file, warning.sheet, warning.row, warning.column, warning.agency) == \
        (WARNING, master_copy.name, "Cơ quan", row, "Thư điện tử", "SYT")
    assert f"«{value}»" in warning.message and "không hợp lệ" in warning.message
    assert f"trang «Cơ quan», dòng {row}, cột «Thư điện tử»" in str(warning)
    assert back.as_of(date(2022, 9, 14)).warnings == [warning]     # the plan in force keeps the load's warnings
