"""Carry forward (issue 10 §2): the next period's forms are pre-filled with each agency's last accepted
answers, visibly; tasks done on time are locked; a form sent back unchanged is accepted and named in
the problem list. Real files: the quý III sample is reported, `baocao templates` makes the quý IV
forms, officers "fill" them (bench.data.fill_workbook), the quý IV report reads them."""
import contextlib
import io
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from pipeline.collection import sheet_layout as L
from bench.data import fill_workbook
from pipeline.cli import main
from pipeline.collection.collect import collect
from pipeline.errors import WARNING
from pipeline.report import build_report
from tests.conftest import CONFIG, MASTER, ROOT, copy_sample

BLUE, GREY, YELLOW = "DDEBF7", "E7E6E6", "FFF9E5"
UNCHANGED = "gửi lại phiếu nhưng không thay đổi nội dung nào"
HEAD = {"officer_name": "Cán bộ thử nghiệm", "officer_title": "Chuyên viên", "report_date": date(2022, 12, 10)}


def _plan(root: Path, with_q3: bool = True) -> Path:
    """A copy of the plan configuration and master (and the quý III sample) in its own input folder."""
    plan = root / "input"
    plan.mkdir(parents=True)
    shutil.copy(CONFIG, plan / CONFIG.name)
    shutil.copy(MASTER, plan / MASTER.name)
    if with_q3:
        copy_sample(plan)
    return plan / CONFIG.name


def _templates(config: Path, out: Path, capsys, period="2022-Q4") -> tuple[Path, str]:
    assert main(["--config", str(config), "templates", "--period", period, "--output", str(out)]) == 0
    return out / period / "phieu", capsys.readouterr().out


def _form(folder: Path, code: str) -> Path:
    [path] = folder.glob(f"2022-Q4_{code}_*.xlsx")
    return path


def _rows(ws) -> dict[str, int]:
    col = L.COLUMN_BY_KEY["task_id"].letter
    return {ws[f"{col}{r}"].value: r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1)}


def _cell(ws, row: int, key: str):
    return ws[f"{L.COLUMN_BY_KEY[key].letter}{row}"]


def _meta(wb) -> dict:
    return {a: b for a, b in wb[L.SHEET_META].iter_rows(min_col=1, max_col=2, values_only=True) if a}


@pytest.fixture(scope="module")
def q4(tmp_path_factory):
    """Quý III reported (its record in lich-su.sqlite), then the quý IV forms made."""
    root = tmp_path_factory.mktemp("carry")
    config = _plan(root)
    out = root / "output"
    build_report(config, "2022-Q3", out, with_pdf=False)
    buf = io.StringIO()   # capsys is per test; this fixture is per module
    with contextlib.redirect_stdout(buf):
        assert main(["--config", str(config), "templates", "--period", "2022-Q4", "--output", str(out)]) == 0
    return config, out, out / "2022-Q4" / "phieu", buf.getvalue()


def test_the_q4_forms_carry_the_q3_answers_visibly(q4):
    config, out, forms, printed = q4
    # 33 rows were accepted in quý III (the sample); 4 tasks were done on time (III.3, III.5.1, III.9, III.14)
    assert (f"Điền sẵn 33 câu trả lời của quý III năm 2022 (kỳ trước), lấy từ bản ghi báo cáo (bản dự thảo) trong "
            f"{out / 'lich-su.sqlite'}; 4 nhiệm vụ đã hoàn thành đúng hạn được khóa.") in printed
    wb = openpyxl.load_workbook(_form(forms, "SKHDT"))
    ws = wb[L.SHEET_REPORT]
    rows = _rows(ws)
    r = rows["II.4"]   # in progress 85% in quý III, with a difficulty and a proposal
    assert _cell(ws, r, "status").value == L.STATUS_ONGOING
    assert _cell(ws, r, "progress").value == 85
    assert _cell(ws, r, "results").value == ("Hồ sơ Quy hoạch tỉnh đã trình Hội đồng thẩm định; đang tiếp thu ý kiến "
                                             "các bộ, ngành.")
    assert _cell(ws, r, "output_doc").value == "Tờ trình số 245/TTr-SKHĐT ngày 29/8/2022"
    for key in ("difficulties", "proposals", "proposal_to", "proposal_ministry"):   # these belong to each period
        assert _cell(ws, r, key).value is None
        assert _cell(ws, r, key).fill.fgColor.rgb.endswith(YELLOW)
    for key in L.CARRIED_KEYS:
        cell = _cell(ws, r, key)
        assert cell.fill.fgColor.rgb.endswith(BLUE) and cell.protection.locked is False, key
    r = rows["II.7"]   # done late (28/7/2022, due Tháng 6/2022): carried, not locked
    assert _cell(ws, r, "status").value == L.STATUS_DONE
    assert _cell(ws, r, "completed_on").value == datetime(2022, 7, 28)
    assert _cell(ws, r, "completed_on").number_format == "dd/mm/yyyy"
    assert _cell(ws, r, "status").protection.locked is False
    # the legend above the table (row 7) and the paragraph in «Hướng dẫn»
    assert ws["A7"].value == "Điền sẵn" and ws["A7"].fill.fgColor.rgb.endswith(BLUE)
    assert ws["B7"].value.startswith("Ô nền xanh: câu trả lời của cơ quan trong báo cáo quý III năm 2022")
    assert ws["E7"].value == "Đã khóa" and ws["E7"].fill.fgColor.rgb.endswith(GREY)   # III.9 is locked
    assert "B7:D7" in ws.merged_cells and ws[f"A{L.HEADER_ROW}"].value == "Mã nhiệm vụ"
    guide = [c.value for c in wb[L.SHEET_GUIDE]["A"] if isinstance(c.value, str)]
    assert any(t.startswith("9. Phiếu đã điền sẵn câu trả lời của cơ quan trong báo cáo quý III năm 2022") for t in guide)
    meta = _meta(wb)
    assert meta[L.META_CARRIED_FROM] == "2022-Q3" and meta[L.META_VERSION] == "2"
    carried = {k for k in meta if k.startswith(("carried:", "carried_locked:"))}
    # SKHDT answered 9 tasks in quý III (its second file); III.9 was done on time
    assert carried == {"carried:I.3", "carried:I.7", "carried:II.1", "carried:II.4", "carried:II.5", "carried:II.7",
                       "carried:II.8", "carried:II.10", "carried_locked:III.9"}
    assert all(len(meta[k]) == 16 and int(meta[k], 16) >= 0 for k in carried)


def test_a_task_done_on_time_is_listed_prefilled_and_locked(q4):
    _, _, forms, _ = q4
    wb = openpyxl.load_workbook(_form(forms, "SGTVT"))
    ws = wb[L.SHEET_REPORT]
    rows = _rows(ws)
    assert list(rows) == ["III.5.1", "III.5.2", "III.6", "III.7", "III.8"]   # still listed
    r = rows["III.5.1"]   # done 30/6/2022, due Quý II/2022: on time
    assert _cell(ws, r, "status").value == L.STATUS_DONE
    assert _cell(ws, r, "completed_on").value == datetime(2022, 6, 30)
    assert _cell(ws, r, "output_doc").value == "Tờ trình số 310/TTr-SGTVT ngày 30/6/2022"
    for key in L.INPUT_KEYS:
        cell = _cell(ws, r, key)
        assert cell.protection.locked is True and cell.fill.fgColor.rgb.endswith(GREY), key
    assert "không cần báo cáo lại" in _cell(ws, r, "status").comment.text
    assert ws.protection.sheet is True
    r = rows["III.5.2"]   # in progress, overdue: open for a new answer
    assert _cell(ws, r, "status").protection.locked is False and _cell(ws, r, "progress").value == 60
    assert _cell(ws, r, "status").comment is None
    assert "carried_locked:III.5.1" in _meta(wb) and "carried:III.5.2" in _meta(wb)


def test_a_form_sent_back_unchanged_is_accepted_and_named(q4, tmp_path):
    config, out, forms, _ = q4
    inbox = tmp_path / "2022-Q4"
    inbox.mkdir()
    for code in ("SNV", "SNNPTNT", "STNMT"):   # header only: nothing changed (STNMT: every row locked)
        fill_workbook(_form(forms, code), inbox / _form(forms, code).name, HEAD, {})
    fill_workbook(_form(forms, "SKHDT"), inbox / "skhdt.xlsx", HEAD, {"I.3": {"progress": 90}})
    fill_workbook(_form(forms, "SGTVT"), inbox / "sgtvt.xlsx", HEAD,
                  {"III.6": {"difficulties": "Chưa bố trí được vốn Trung ương."}})
    result = build_report(config, "2022-Q4", out, input_dir=inbox, with_pdf=False)
    warned = [p for p in result.problems if UNCHANGED in p.message]
    assert [(p.file, p.agency, p.severity) for p in warned] == [
        (_form(forms, "SNNPTNT").name, "SNNPTNT", WARNING), (_form(forms, "SNV").name, "SNV", WARNING)]
    assert warned[1].message.startswith("Cơ quan Sở Nội vụ gửi lại phiếu nhưng không thay đổi nội dung nào so với "
                                        "quý III năm 2022 (2 câu trả lời điền sẵn giữ nguyên")
    problem_list = result.outputs["problems"].read_text(encoding="utf-8")
    assert "Cơ quan Sở Nội vụ gửi lại phiếu nhưng không thay đổi nội dung nào" in problem_list
    assert "Cơ quan Sở Kế hoạch và Đầu tư gửi lại" not in problem_list
    assert "Cơ quan Sở Giao thông vận tải gửi lại" not in problem_list
    # the unchanged answers are this period's answers
    assert result.rows_rejected == 0
    assert not {"SNV", "SNNPTNT", "STNMT", "SKHDT", "SGTVT"} & set(result.merged.missing_agencies)
    lead = {(t, lead.agency): lead for t, st in result.merged.statuses.items() for lead in st.leads}
    assert lead[("I.6", "SNV")].reported and lead[("I.6", "SNV")].progress == 70
    assert lead[("II.11", "SNV")].completed_on == date(2022, 8, 19)
    assert lead[("III.14", "STNMT")].reported and result.merged.statuses["III.14"].status == "done_on_time"
    # the one changed answer is used, the rest carried as they were
    assert lead[("I.3", "SKHDT")].progress == 90 and lead[("I.7", "SKHDT")].progress == 70
    assert lead[("III.6", "SGTVT")].difficulties == "Chưa bố trí được vốn Trung ương."


def test_an_answer_cleared_or_changed_in_text_counts_as_a_change(q4, tmp_path, master):
    _, _, forms, _ = q4
    inbox = tmp_path / "2022-Q4"
    inbox.mkdir()
    form = _form(forms, "STTTT")
    wb = openpyxl.load_workbook(form)
    results = _cell(wb[L.SHEET_REPORT], _rows(wb[L.SHEET_REPORT])["I.8"], "results").value
    fill_workbook(form, inbox / "a.xlsx", HEAD, {"I.8": {"results": results + " Đã cập nhật."}})
    from pipeline.plan.periods import parse_period
    result = collect(inbox, master, parse_period("2022-Q4"), today=date(2022, 12, 20))
    assert not [p for p in result.problems if UNCHANGED in p.message]
    # spacing alone is not a change (canonical text), so the same answer retyped with extra spaces is unchanged
    shutil.rmtree(inbox)
    inbox.mkdir()
    fill_workbook(form, inbox / "a.xlsx", HEAD, {"I.8": {"results": "  " + results.replace(" ", "  ") + " "}})
    result = collect(inbox, master, parse_period("2022-Q4"), today=date(2022, 12, 20))
    assert len([p for p in result.problems if UNCHANGED in p.message]) == 1


def test_without_a_previous_period_the_forms_are_blank(tmp_path, capsys):
    config = _plan(tmp_path, with_q3=False)
    forms, printed = _templates(config, tmp_path / "output", capsys)
    assert "Không có câu trả lời của kỳ trước (quý III năm 2022) để điền sẵn" in printed
    assert "phiếu để trống." in printed
    wb = openpyxl.load_workbook(_form(forms, "SKHDT"))
    ws = wb[L.SHEET_REPORT]
    for r in _rows(ws).values():
        for key in L.INPUT_KEYS:
            assert _cell(ws, r, key).value is None
            assert _cell(ws, r, key).fill.fgColor.rgb.endswith(YELLOW)
    assert ws["A7"].value is None and ws["B7"].value is None
    assert list(_meta(wb)) == list(L.META_KEYS)


def test_a_previous_period_never_reported_is_read_from_its_input(tmp_path, capsys):
    config = _plan(tmp_path)
    forms, printed = _templates(config, tmp_path / "output", capsys)
    assert ("Điền sẵn 33 câu trả lời của quý III năm 2022 (kỳ trước), lập từ các phiếu trong thư mục "
            f"{tmp_path / 'input' / '2022-Q3'} (kỳ đó chưa có bản ghi trong") in printed
    ws = openpyxl.load_workbook(_form(forms, "SNV"))[L.SHEET_REPORT]
    assert _cell(ws, _rows(ws)["I.6"], "progress").value == 70


def test_the_committed_q3_sample_has_no_carried_answers(master):
    from pipeline.plan.periods import parse_period
    result = collect(ROOT / "input" / "2022-Q3", master, parse_period("2022-Q3"), today=date(2022, 10, 5))
    assert not [p for p in result.problems if UNCHANGED in p.message]
    assert result.rows_accepted == 33   # 34 rows answered, SCT's III.13 refused


@pytest.mark.parametrize("a, b, same", [
    (("Đang thực hiện", None, 80, "Kết quả", ""), ("Đang thực hiện", None, 80.0, "Kết quả", None), True),
    (("Đang thực hiện", None, "80", "Kết  quả ", ""), ("Đang thực hiện", None, 80, "Kết quả", ""), True),
    (("Đã hoàn thành", date(2022, 6, 30), 100, "x", "CV 1"), ("Đã hoàn thành", datetime(2022, 6, 30), 100, "x", "CV 1"),
     True),
    (("Đã hoàn thành", date(2022, 6, 30), 100, "x", "CV 1"), ("Đã hoàn thành", date(2022, 7, 1), 100, "x", "CV 1"),
     False),
    (("Đang thực hiện", None, 80, "x", ""), ("Đang thực hiện", None, 85, "x", ""), False),
    (("Đang thực hiện", None, 80, "x", ""), ("Chưa thực hiện", None, 80, "x", ""), False),
    (("Đang thực hiện", None, 80, "x", ""), ("Đang thực hiện", None, 80, "x", "CV 2"), False),
    (("Đang thực hiện", None, None, "a", ""), ("Đang thực hiện", None, 0, "a", ""), False),
])
def test_answer_digest(a, b, same):
    assert (L.answer_digest(*a) == L.answer_digest(*b)) is same


def test_forms_with_carried_answers_are_byte_reproducible(tmp_path, config, master):
    from pipeline.collection.agency_workbook import Carried, write_agency_workbooks
    from pipeline.status.compare import Answer
    from pipeline.plan.periods import parse_period
    carried = Carried("2022-Q3", "quý III năm 2022", {
        ("III.5.1", "SGTVT"): Answer(L.STATUS_DONE, date(2022, 6, 30), 100.0, "Đã trình Bộ.", "Tờ trình số 310"),
        ("III.5.2", "SGTVT"): Answer(L.STATUS_ONGOING, None, 60.0, "Đang thi công.", ""),
    }, frozenset({"III.5.1"}))
    hashes = []
    for n in (1, 2):
        [path] = write_agency_workbooks(master, parse_period("2022-Q4"), tmp_path / str(n), datetime(2022, 12, 1, 8),
                                        config=config, codes=["SGTVT"], carried=carried)
        hashes.append(path.read_bytes())
    assert hashes[0] == hashes[1]
    ws = openpyxl.load_workbook(path)[L.SHEET_REPORT]
    rows = _rows(ws)
    assert _cell(ws, rows["III.5.1"], "progress").value == 100 and _cell(ws, rows["III.5.2"], "progress").value == 60
    assert _cell(ws, rows["III.6"], "status").value is None   # nothing to carry: a blank row
