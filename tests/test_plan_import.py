"""Importing the plan's appendix from Word: against the committed master, and broken inputs."""
from __future__ import annotations

from dataclasses import replace

import docx
import pytest
from openpyxl import load_workbook

from pipeline.errors import WARNING, PipelineError
from pipeline.plan.master import load_corrections, load_master, load_registry
from pipeline.plan.model import Agency, Correction
from pipeline.plan.plan_import import cmd_import_plan, import_plan, write_master
from plan_docx import HEADER, Section, build_pages_docx, build_plan_docx, row

from tests.conftest import MASTER
LEAD_COL = "Cơ quan chủ trì thực hiện"


@pytest.fixture(scope="module")
def registry():
    return load_registry(MASTER)


@pytest.fixture(scope="module")
def corrections():
    return load_corrections(MASTER)


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return build_plan_docx(tmp_path_factory.mktemp("plan") / "ke-hoach-112.docx")


@pytest.fixture(scope="module")
def result(plan, registry, corrections):
    return import_plan(plan, registry, corrections)


def _errors(result):
    return "\n".join(str(p) for p in result.problems.errors)


def _variant(tmp_path, name, registry, corrections):
    path = build_plan_docx(tmp_path / f"{name}.docx", variant=name)
    return path, import_plan(path, registry, corrections)


def test_import_equals_committed_master_field_by_field(result):
    assert not result.problems.errors, _errors(result)
    master = load_master(MASTER)
    assert [t.id for t in result.tasks] == [t.id for t in master.tasks]
    diffs = []
    for got, want in zip(result.tasks, master.tasks):
        for name in ("id", "section", "section_title", "number", "group", "content",
                     "lead_codes", "lead_note", "coordinators", "product", "order"):
            if getattr(got, name) != getattr(want, name):
                diffs.append(f"{want.id} {name}:\n  nhập  {getattr(got, name)!r}\n"
                             f"  master {getattr(want, name)!r}")
        if (got.deadline.text, got.deadline.kind, got.deadline.due) != \
                (want.deadline.text, want.deadline.kind, want.deadline.due):
            diffs.append(f"{want.id} deadline: {got.deadline} != {want.deadline}")
    assert not diffs, "\n".join(diffs)


def test_task_count_per_section(result):
    counts = {}
    for t in result.tasks:
        counts[t.section] = counts.get(t.section, 0) + 1
    assert counts == {"I": 8, "II": 11, "III": 16}


def test_every_task_correction_applied_and_plan_text_ones_ignored(result, corrections):
    on_tasks = [c for c in corrections if c.where.startswith("Nhiệm vụ")]
    assert on_tasks and len(on_tasks) < len(corrections)
    assert result.applied == on_tasks
    assert [p for p in result.problems if p.severity == WARNING] == []


def test_repeated_header_rows_are_not_tasks(plan, result):
    tables = docx.Document(str(plan)).tables
    assert len(tables) == 12
    assert all(tuple(c.text for c in t.rows[0].cells) == HEADER for t in tables)
    assert not [t.id for t in result.tasks if t.number == "TT" or t.content == "Nội dung"]


def test_continuation_rows_are_joined(result):
    by_id = {t.id: t for t in result.tasks}
    assert by_id["I.2"].lead_codes == ("BCHQS", "BDBP", "CA")
    assert by_id["I.2"].lead_note == "theo chức năng, nhiệm vụ của ngành"
    assert "quy hoạch; nghiên cứu, đề xuất cơ quan" in by_id["II.1"].product
    assert by_id["II.1"].product.count("\n- ") == 3
    assert "cơ cấu lại các ngành, lĩnh vực" in by_id["II.5"].content
    assert by_id["III.1"].coordinators.endswith("Hội Thủy sản tỉnh và UBND các huyện, thành phố")
    assert by_id["III.4.1"].coordinators.endswith("Thành phố Hà Tiên, huyện Giang Thành")
    assert "với địa phương nước bạn; xin ý kiến" in by_id["III.4.1"].product
    assert by_id["III.7"].coordinators.endswith(
        "UBND thành phố Phú Quốc, Ban Quản lý Khu kinh tế Phú Quốc")


def test_sections_in_all_three_forms_and_groups(result):
    titles = {t.section: t.section_title for t in result.tasks}
    assert titles == {
        "I": "CÁC NHIỆM VỤ TRỌNG TÂM THỰC HIỆN THƯỜNG XUYÊN",
        "II": "CÁC NHIỆM VỤ, GIẢI PHÁP VỀ NGHIÊN CỨU XÂY DỰNG CƠ CHẾ, CHÍNH SÁCH ĐỂ CỤ THỂ HÓA "
              "THỰC HIỆN",
        "III": "THỰC HIỆN CÁC NHIỆM VỤ CỤ THỂ",
    }
    ids = [t.id for t in result.tasks]
    assert "III.4" not in ids and "III.5" not in ids
    groups = {t.id: t.group for t in result.tasks if t.group}
    assert set(groups) == {"III.4.1", "III.4.2", "III.5.1", "III.5.2"}
    assert groups["III.4.2"] == "Về mở cửa khẩu phụ tuyến biên giới"
    assert groups["III.5.1"].startswith("Về chủ trương điều chuyển đoạn tuyến Quốc lộ 80")


def test_invitation_lead_resolves_the_agency_asked_and_keeps_the_sentence(result):
    i1 = result.tasks[0]
    assert i1.lead_codes == ("VPTU",)
    assert i1.lead_note == ("đề nghị Văn phòng Tỉnh ủy tham mưu Thường trực Tỉnh ủy giao cơ quan "
                            "tham mưu thực hiện nội dung này")


def test_unknown_agency_is_an_error_naming_table_row_column_and_name(tmp_path, registry,
                                                                     corrections):
    _, res = _variant(tmp_path, "unknown_agency", registry, corrections)
    errors = res.problems.errors
    assert len(errors) == 1, _errors(res)
    p = errors[0]
    assert (p.sheet, p.row, p.column) == ("Bảng 6", 3, LEAD_COL)
    assert "«Sở Du lịch biển đảo»" in p.message and "II.6" in p.message
    assert "dòng 3" in str(p) and "Bảng 6" in str(p)


def test_bad_deadline_is_an_error_naming_the_cell(tmp_path, registry, corrections):
    _, res = _variant(tmp_path, "bad_deadline", registry, corrections)
    errors = res.problems.errors
    assert len(errors) == 1, _errors(res)
    p = errors[0]
    assert (p.sheet, p.row, p.column) == ("Bảng 3", 3, "Thời gian thực hiện")
    assert "I.5" in p.message and "Sớm nhất có thể" in p.message


def test_empty_content_is_an_error(tmp_path, registry, corrections):
    _, res = _variant(tmp_path, "empty_content", registry, corrections)
    errors = res.problems.errors
    # the III.12 correction ("Nam Du:") now matches nothing: a warning, not an error
    assert len(errors) == 1, _errors(res)
    p = errors[0]
    assert (p.sheet, p.row, p.column) == ("Bảng 12", 3, "Nội dung")
    assert "III.12" in p.message
    assert [w.column for w in res.problems if w.severity == WARNING] == ["Nội dung"]


@pytest.mark.parametrize("variant", ["unknown_agency", "bad_deadline", "empty_content"])
def test_cli_refuses_to_write_when_there_are_errors(tmp_path, capsys, variant):
    plan = build_plan_docx(tmp_path / "plan.docx", variant=variant)
    out = tmp_path / "master.xlsx"
    assert cmd_import_plan(plan, out, MASTER) == 1
    assert not out.exists()
    assert "[lỗi] plan.docx, trang «Bảng" in capsys.readouterr().err


def test_cli_writes_the_master_and_prints_a_summary(tmp_path, capsys, plan):
    out = tmp_path / "out" / "master.xlsx"
    assert cmd_import_plan(plan, out, MASTER) == 0
    text = capsys.readouterr().out
    assert "35 nhiệm vụ" in text and "phần I: 8, phần II: 11, phần III: 16" in text
    assert "Đã áp dụng 13 đính chính" in text
    assert [t.id for t in load_master(out).tasks] == [t.id for t in load_master(MASTER).tasks]


def test_cli_reports_a_file_that_is_not_word(tmp_path, capsys):
    bad = tmp_path / "plan.docx"
    bad.write_text("không phải tệp Word", encoding="utf-8")
    assert cmd_import_plan(bad, tmp_path / "m.xlsx", MASTER) == 1
    assert "plan.docx" in capsys.readouterr().err
    assert not (tmp_path / "m.xlsx").exists()


def test_document_without_appendix_table_is_an_error(tmp_path, registry, corrections):
    path = tmp_path / "empty.docx"
    doc = docx.Document()
    doc.add_paragraph("Kế hoạch không có phụ lục")
    doc.save(path)
    res = import_plan(path, registry, corrections)
    assert res.tasks == []
    assert any("không tìm thấy bảng phụ lục" in p.message for p in res.problems.errors)


def test_name_shared_by_two_agencies_is_not_guessed(plan, registry, corrections):
    twin = dict(registry, SYT2=Agency("SYT2", "Sở Y tế tỉnh", "Sở Y tế"))
    res = import_plan(plan, twin, corrections)
    errors = res.problems.errors
    assert len(errors) == 1, _errors(res)
    assert "I.4" in errors[0].message and "SYT, SYT2" in errors[0].message
    assert next(t for t in res.tasks if t.id == "I.4").lead_codes == ()


def test_correction_that_matches_nothing_is_a_warning(plan, registry, corrections):
    extra = [*corrections,
             Correction("Nhiệm vụ II.6, cột Sản phẩm", "Hội nghi", "Hội nghị"),
             Correction("Nhiệm vụ II.40, cột Nội dung", "abc", "xyz"),
             Correction("Văn bản kế hoạch, trích yếu", "không có ở đâu", "x")]
    res = import_plan(plan, registry, extra)
    assert not res.problems.errors
    warnings = [p for p in res.problems if p.severity == WARNING]
    assert len(warnings) == 2
    assert warnings[0].column == "Sản phẩm" and "II.6" in warnings[0].message
    assert "II.40" in warnings[1].message
    assert extra[-1] not in res.applied


def test_write_master_round_trip(tmp_path, result, registry, corrections):
    out = tmp_path / "master.xlsx"
    write_master(result, registry, corrections, out)
    back = load_master(out)
    assert back.tasks == result.tasks
    assert back.corrections == corrections
    assert back.agencies == load_master(MASTER).agencies
    wb = load_workbook(out)
    assert wb.sheetnames == ["Nhiệm vụ", "Cơ quan", "Đính chính", "Điều chỉnh"]
    assert [c.value for c in wb["Điều chỉnh"][1]] == ["Mã nhiệm vụ", "Loại điều chỉnh", "Thời hạn mới", "Số văn bản",
                                                      "Ngày văn bản", "Cơ quan ban hành", "Ghi chú"]
    ws = wb["Nhiệm vụ"]
    assert ws["A1"].font.bold and ws["A1"].font.name == "Times New Roman"
    # the sheet narrows to print one page wide at 9 pt; the task's content keeps one of the wide columns
    widths = sorted(ws.column_dimensions[c].width for c in "ABCDEFGHIJK")
    assert ws["F2"].alignment.wrap_text and ws.column_dimensions["F"].width >= widths[-3]
    assert int(ws.page_setup.scale) * 12 / 100 >= 9


def test_text_starting_with_equals_stays_text(tmp_path, registry, corrections):
    _, res = _variant(tmp_path, "formula", registry, corrections)
    assert not res.problems.errors, _errors(res)
    out = tmp_path / "master.xlsx"
    write_master(res, registry, corrections, out)
    ws = load_workbook(out)["Nhiệm vụ"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "II.10")
    assert row[10].value == "=Xây dựng kế hoạch thực hiện"
    assert row[10].data_type == "s"
    assert load_master(out).task("II.10").product == "=Xây dựng kế hoạch thực hiện"


def test_equals_sign_in_registry_and_corrections_stays_text(tmp_path, result, registry):
    reg = dict(registry, X=Agency("X", "=Cơ quan thử", "=CQ"))
    corr = [Correction("Nhiệm vụ I.1, cột Nội dung", "=A1", "=B1", "=ghi chú")]
    tasks = [replace(result.tasks[0], coordinators="=SUM(A1:A3)")]
    out = tmp_path / "m.xlsx"
    write_master(replace(result, tasks=tasks), reg, corr, out)
    wb = load_workbook(out)
    assert wb["Nhiệm vụ"]["I2"].data_type == "s"
    assert wb["Cơ quan"].cell(row=len(reg) + 1, column=2).data_type == "s"
    assert all(c.data_type == "s" for c in wb["Đính chính"][2])


def test_continued_list_item_starts_a_new_line(tmp_path, registry):
    pages = [
        [Section("I", "PHẦN THỬ", "split"),
         row("1", "Nội dung dòng đầu", "Sở Y tế", "Các Sở", "Năm 2022", "- Sản phẩm một;")],
        [row(content="cắt sang trang", product="- Sản phẩm hai.")],
    ]
    res = import_plan(build_pages_docx(tmp_path / "p.docx", pages), registry, [])
    assert not res.problems.errors, _errors(res)
    (task,) = res.tasks
    assert task.product == "- Sản phẩm một;\n- Sản phẩm hai."
    assert task.content == "Nội dung dòng đầu cắt sang trang"
    assert task.lead_codes == ("SYT",)


def test_row_without_tt_before_any_task_is_reported(tmp_path, registry):
    pages = [[Section("I", "PHẦN THỬ", "split"), row(content="mồ côi"),
              row("1", "Nội dung", "Sở Y tế", "", "Năm 2022")]]
    res = import_plan(build_pages_docx(tmp_path / "p.docx", pages), registry, [])
    (p,) = res.problems.errors
    assert (p.sheet, p.row, p.column) == ("Bảng 1", 3, "TT")
    assert [t.id for t in res.tasks] == ["I.1"]


def test_group_without_sub_items_is_not_dropped_silently(tmp_path, registry):
    pages = [[Section("I", "PHẦN THỬ", "split"), row("1", "Nhiệm vụ quên ghi cơ quan"),
              row("2", "Nội dung", "Sở Y tế", "", "Năm 2022")]]
    res = import_plan(build_pages_docx(tmp_path / "p.docx", pages), registry, [])
    errors = res.problems.errors
    assert {(p.sheet, p.row, p.column) for p in errors} == {
        ("Bảng 1", 3, LEAD_COL), ("Bảng 1", 3, "Thời gian thực hiện")}
    assert all("I.1" in p.message for p in errors)


def test_group_row_with_a_lead_is_an_error(tmp_path, registry):
    pages = [[Section("I", "PHẦN THỬ", "split"), row("1", "Nhóm", "Sở Y tế"),
              row("1.1", "Nội dung", "Sở Y tế", "", "Năm 2022")]]
    res = import_plan(build_pages_docx(tmp_path / "p.docx", pages), registry, [])
    (p,) = res.problems.errors
    assert (p.sheet, p.row) == ("Bảng 1", 3) and "I.1" in p.message
    assert [(t.id, t.group) for t in res.tasks] == [("I.1.1", "Nhóm")]


def test_write_master_refuses_a_result_with_errors(tmp_path, registry, corrections):
    _, res = _variant(tmp_path, "bad_deadline", registry, corrections)
    out = tmp_path / "m.xlsx"
    with pytest.raises(PipelineError, match="I.5"):
        write_master(res, registry, corrections, out)
    assert not out.exists()


def test_invitation_forms_in_the_lead_cell(tmp_path, registry):
    pages = [[Section("I", "PHẦN THỬ", "split"),
              row("1", "Một", "Mời Ban Tổ chức Tỉnh ủy; Sở Nội vụ", "", "Năm 2022"),
              row("2", "Hai", "đề nghị Ban Tuyên giáo Tỉnh ủy chỉ đạo thực hiện", "", "Năm 2022")]]
    res = import_plan(build_pages_docx(tmp_path / "p.docx", pages), registry, [])
    one, two = res.tasks
    assert (one.lead_codes, one.lead_note) == (("BTCTU", "SNV"), "Mời Ban Tổ chức Tỉnh ủy")
    (p,) = res.problems.errors
    assert (p.sheet, p.row, p.column) == ("Bảng 1", 4, LEAD_COL)
    assert "I.2" in p.message and "«đề nghị Ban Tuyên giáo Tỉnh ủy chỉ đạo thực hiện»" in p.message
    assert two.lead_codes == ()
