"""The report says what the Committee would say: voice rules, facts at the cut-off, sorted proposals."""
import re
import shutil
import subprocess
import sys

import pytest

from pipeline.drafting.context import build_context
from pipeline.drafting.blocks import DONE_AFTER_CUTOFF, EXTENSION_REQUEST, UNDATED_DONE
from pipeline.drafting.body import PHRASEBOOK, PHRASES, draft_report, load_phrasebook, province_proposals
from pipeline.drafting.phrasebook import Phrasebook, check_phrasebook
from pipeline.drafting.voice import voice
from pipeline.status.merge import DONE_UNDATED, OPEN_IN_TIME, merge
from pipeline.plan.periods import parse_period
from pipeline.text.vntext import upper_first
from tests.conftest import MASTER, PROJECT, agency_rows


def ref(task_id: str, start: bool = False) -> str:
    """A task as the body names it: the master's short name, then its code («lập Quy hoạch tỉnh (nhiệm vụ II.4)»)."""
    from pipeline.plan.master import load_master
    name = load_master(MASTER).task(task_id).short_name
    assert name, task_id
    return f"{upper_first(name) if start else name} (nhiệm vụ {task_id})"

Q3 = parse_period("2022-Q3")   # cut-off 14/9/2022
STNMT = ("Sở Tài nguyên và Môi trường", "Sở TN&MT")


# ----------------------------------------------------------------------------- voice rules

@pytest.mark.parametrize("text, cited, expected, rule", [
    # a request to the province: the Government has nothing to do with it
    ("Đề nghị UBND tỉnh có văn bản đôn đốc các bộ, ngành sớm góp ý.", "", "", "de-nghi-tinh"),
    ("Kính đề nghị Ủy ban nhân dân tỉnh bổ sung kinh phí.", "", "", "de-nghi-tinh"),
    # the agency cites the Committee's own decision: the Committee did it
    ("Đã tham mưu UBND tỉnh ban hành Quyết định phê duyệt Đề án.", "Quyết định số 2927/QĐ-UBND ngày 05/8/2022",
     "Ủy ban nhân dân tỉnh đã ban hành Quyết định phê duyệt Đề án.", "van-ban-tinh"),
    # the agency's own act towards the province: said with the agency as subject
    ("Đã tham mưu UBND tỉnh góp ý dự thảo Nghị định sửa đổi.", "Công văn số 1532/STNMT-BVMT",
     "Sở Tài nguyên và Môi trường đã tham mưu Ủy ban nhân dân tỉnh góp ý dự thảo Nghị định sửa đổi.", "chu-ngu-co-quan"),
    ("Đã báo cáo UBND tỉnh kết quả rà soát", "",
     "Sở Tài nguyên và Môi trường đã báo cáo Ủy ban nhân dân tỉnh kết quả rà soát.", "chu-ngu-co-quan"),
    ("UBND tỉnh đã ban hành kế hoạch thực hiện", "", "Ủy ban nhân dân tỉnh đã ban hành kế hoạch thực hiện.",
     "ten-uy-ban"),
    # nothing safe to say
    ("Chờ UBND tỉnh phê duyệt phương án.", "", "", "nhac-tinh-khac"),
])
def test_each_voice_rule(text, cited, expected, rule):
    v = voice(text, STNMT, cited)
    assert v.text == expected
    assert [e.rule for e in v.events] == [rule]
    assert v.events[0].withheld == (expected == "")


def test_sentences_without_the_province_are_kept_as_written():
    v = voice("Tổ chức 126 lượt tuần tra biên giới. Đã có văn bản thống nhất với Bộ Giao thông vận tải.", STNMT)
    assert v.text == "Tổ chức 126 lượt tuần tra biên giới. Đã có văn bản thống nhất với Bộ Giao thông vận tải."
    assert v.events == []


def test_only_the_offending_sentence_of_a_cell_goes():
    v = voice("Đã hoàn thành dự thảo. Đề nghị UBND tỉnh sớm phê duyệt.", STNMT)
    assert v.text == "Đã hoàn thành dự thảo." and [e.rule for e in v.events] == ["de-nghi-tinh"]


# ----------------------------------------------------------------------------- facts at the cut-off

COLS = ["agency", "task_id", "status", "completed_on", "progress", "results", "output_doc", "difficulties",
        "proposals", "proposal_to", "proposal_ministry", "file", "sheet", "row"]


def _rows(*data):
    return agency_rows(*data, columns=COLS)


def _row(agency, task, status, done_on=None, progress=None, results="", doc="", diff="", prop="", to="", ministry="",
         row=9):
    return (agency, task, status, done_on, progress, results, doc, diff, prop, to, ministry, f"{agency}.xlsx",
            "Báo cáo", row)


@pytest.fixture(scope="module")
def case(master, config):
    rows = _rows(
        # II.4 is due 30/9/2022: done on 20/9 is after the cut-off 14/9, so not done in Q3
        _row("SKHDT", "II.4", "Đã hoàn thành", "2022-09-20", 100.0, "Hồ sơ Quy hoạch tỉnh đã được thẩm định.",
             "Tờ trình số 245/TTr-SKHĐT ngày 29/8/2022", row=12),
        # II.8 due Quý IV/2022, not started, waiting on another task; asks the Prime Minister to move the
        # plan's own deadline (the province's to decide)
        _row("SKHDT", "II.8", "Chưa thực hiện", None, 0.0, "Chờ kết quả Quy hoạch tỉnh.",
             prop="Đề nghị Thủ tướng Chính phủ cho phép lùi thời hạn hoàn thành nhiệm vụ sang quý I/2023.",
             to="Thủ tướng Chính phủ", row=15),
        # III.7 (Giai đoạn 2021 - 2025): a proposal to the Prime Minister
        _row("SGTVT", "III.7", "Đang thực hiện", None, 35.0, "Đã có văn bản thống nhất phương án đầu tư.",
             prop="Đề nghị Thủ tướng Chính phủ sớm phê duyệt quy hoạch Cảng hàng không quốc tế Phú Quốc.",
             to="Thủ tướng Chính phủ", row=12),
        # III.2 due Quý II/2022: done without a date
        _row("SNNPTNT", "III.2", "Đã hoàn thành", None, 100.0, "Đã gửi văn bản tham mưu UBND tỉnh phối hợp xây dựng Đề án.",
             "Công văn số 2390/SNNPTNT-TS", row=12),
        # III.6: a difficulty, a proposal to a ministry and one to the province
        _row("SGTVT", "III.6", "Đang thực hiện", None, 20.0, "Lập báo cáo đề xuất chủ trương đầu tư cầu Đông Hồ.",
             diff="Chưa bố trí được 50% vốn Trung ương.",
             prop="Đề nghị Bộ Giao thông vận tải sớm bố trí vốn Trung ương cho dự án cầu Đông Hồ.",
             to="Bộ, ngành Trung ương", ministry="Bộ Giao thông vận tải", row=11),
        _row("SGTVT", "III.5.2", "Đang thực hiện", None, 60.0, "Đang thi công cải tạo mặt đường.",
             diff="Chưa có quyết định điều chuyển tài sản.",
             prop="Đề nghị UBND tỉnh làm việc với Bộ Giao thông vận tải về nguồn vốn.", to="UBND tỉnh", row=10),
    )
    merged = merge(master, Q3, rows, ["SKHDT", "SNNPTNT", "SGTVT"])
    draft = draft_report(config, master, merged)
    return merged, draft, build_context(config, master, merged, draft=draft)


def _body(ctx) -> str:
    return "\n".join(b["text"] for b in ctx["body"])


def _section(ctx, first: str, last: str | None) -> list[str]:
    texts = [b["text"] for b in ctx["body"]]
    return texts[texts.index(first) + 1:texts.index(last) if last else len(texts)]


def _appendix(ctx, tt: str, content_start: str) -> dict:
    return next(r for r in ctx["appendix"]["rows"]
                if r["kind"] == "task" and r["tt"] == tt and r["content"].startswith(content_start))


def test_a_completion_after_the_cutoff_is_not_a_completion_this_period(case, master):
    merged, draft, ctx = case
    assert merged.statuses["II.4"].status == OPEN_IN_TIME
    row = _appendix(ctx, "4", "Khẩn trương hoàn thành lập Quy hoạch")
    assert row["status"] == "Chưa hoàn thành, trong hạn"
    assert "20/9/2022" not in row["result"] and "20/9/2022" not in _body(ctx)
    point = next(p for p in draft.summaries["II.4"].points if p.kind == DONE_AFTER_CUTOFF)
    assert "20/9/2022" in point.message and "14/9/2022" in point.message and "SKHDT.xlsx" in point.message
    assert "dòng 12" in point.message and not point.blocking


def test_done_without_a_date_is_done_but_neither_on_time_nor_late(case):
    merged, draft, ctx = case
    assert merged.statuses["III.2"].status == DONE_UNDATED
    body = _body(ctx)
    figures = next(b["text"] for b in ctx["body"] if b["text"].startswith("Tính đến ngày 14/9/2022"))
    # III.2 counted as done, in neither on time nor late: those counts are zero, so they are left out
    assert "đã hoàn thành 1 nhiệm vụ (2,9%), trong đó 1 nhiệm vụ chưa xác định được đúng hạn hay quá hạn" in figures
    assert "đúng hạn 0" not in body and "quá hạn 0" not in body
    # said plainly: the result and its document, no internal note
    assert f"{ref('III.2', start=True)}: Sở Nông nghiệp và Phát triển nông thôn đã gửi văn bản" in body
    assert "(Công văn số 2390/SNNPTNT-TS)" in body
    assert "chưa có ngày hoàn thành" not in body and "không ghi ngày hoàn thành" not in body
    assert _appendix(ctx, "2", "Về việc ban hành chính sách hỗ trợ")["status"] == "Đã hoàn thành, chưa xác định đúng hạn"
    point = next(p for p in draft.summaries["III.2"].points if p.kind == UNDATED_DONE)
    assert point.blocking and "dòng 12" in point.message


def test_proposals_sorted_by_addressee(case):
    merged, draft, ctx = case
    v = _section(ctx, "V. ĐỀ XUẤT, KIẾN NGHỊ", "VI. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI")
    assert v[0] == "Đề nghị Thủ tướng Chính phủ:"   # the Prime Minister first
    assert v[1] == f"- {ref('III.7', start=True)}: sớm phê duyệt quy hoạch Cảng hàng không quốc tế Phú Quốc."
    assert v[2] == "Đề nghị Bộ Giao thông vận tải:"
    assert v[3] == f"- {ref('III.6', start=True)}: sớm bố trí vốn Trung ương cho dự án cầu Đông Hồ."
    assert len(v) == 4
    body = _body(ctx)
    assert "UBND tỉnh" not in body and "làm việc với Bộ Giao thông vận tải về nguồn vốn" not in body
    # a ministry addressed in V is in Nơi nhận
    assert "- Bộ Giao thông vận tải;" in ctx["noi_nhan"]
    assert [p.text for p in province_proposals(merged)] == [
        "Đề nghị Thủ tướng Chính phủ cho phép lùi thời hạn hoàn thành nhiệm vụ sang quý I/2023",
        "Đề nghị UBND tỉnh làm việc với Bộ Giao thông vận tải về nguồn vốn"]


def test_a_request_to_move_the_plans_own_deadline_goes_to_the_leaders(case):
    """The province sets its plan's deadlines (a «Điều chỉnh» of the plan): never a request to the Government."""
    merged, draft, ctx = case
    assert "lùi thời hạn" not in _body(ctx)
    point = next(p for p in draft.summaries["II.8"].points if p.kind == EXTENSION_REQUEST)
    assert "Điều chỉnh kế hoạch" in point.message and "Kiến nghị với UBND tỉnh" in point.message
    assert not point.blocking


def test_difficulties_name_their_task_and_the_dependencies_read_in_results(case):
    _, _, ctx = case
    iv = _section(ctx, "IV. KHÓ KHĂN, VƯỚNG MẮC", "V. ĐỀ XUẤT, KIẾN NGHỊ")
    assert iv == [
        f"- {ref('III.5.2', start=True)}: chưa có quyết định điều chuyển tài sản.",
        f"- {ref('III.6', start=True)}: chưa bố trí được 50% vốn Trung ương.",
        # from the results (rule cho-nhiem-vu-khac): the agency wrote it under «Kết quả», not «Khó khăn»
        f"- {ref('II.8', start=True)}: chờ kết quả Quy hoạch tỉnh."]


def test_overdue_tasks_say_what_is_being_done_and_no_missing_reason(case):
    _, _, ctx = case
    item = next(b["text"] for b in ctx["body"] if "(nhiệm vụ III.5.2), thời hạn" in b["text"])
    assert (f"{ref('III.5.2', start=True)}, thời hạn quý II/2022: Sở Giao thông vận tải đang thi công cải tạo mặt "
            "đường, đạt 60%.") in item
    assert "lý do" not in _body(ctx) and "chưa nêu" not in _body(ctx)


def test_silent_agencies_named_once_with_their_tasks(case, master):
    merged, _, ctx = case
    body = _body(ctx)
    party = next(b["text"] for b in ctx["body"] if b["text"].startswith("Ủy ban nhân dân tỉnh chưa nhận được báo cáo"))
    assert party.startswith("Ủy ban nhân dân tỉnh chưa nhận được báo cáo của Văn phòng Tỉnh ủy (nhiệm vụ I.1). "
                            "Có 11 cơ quan chủ trì chưa gửi báo cáo kỳ này: ")
    assert "Sở Ngoại vụ (nhiệm vụ III.4.1, III.4.2)" in party
    for agency in ("Văn phòng Tỉnh ủy", "Sở Ngoại vụ", "Sở Y tế"):
        assert body.count(agency) == 1, agency
    assert "Đôn đốc Văn phòng Tỉnh ủy" not in body and "- Đôn đốc 11 cơ quan chủ trì" in body   # the Party body is not chased
    assert "Chưa báo cáo." not in body
    single_lead_silent = _appendix(ctx, "1", "Tiếp tục coi trọng")
    assert single_lead_silent["status"] == "Chưa báo cáo" and single_lead_silent["result"] == ""


def test_next_steps_by_due_window(case):
    _, _, ctx = case
    vi = _section(ctx, "VI. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", None)
    assert vi[1] == f"- Khẩn trương hoàn thành 1 nhiệm vụ đã quá hạn: {ref('III.5.2')}."
    # III.1 is due in quý II but never reported: its agency is chased, it is not listed under a window
    assert vi[2] == f"- Hoàn thành 1 nhiệm vụ đến hạn trong quý III năm 2022: {ref('II.4')}."
    assert vi[3] == f"- Hoàn thành đúng hạn 1 nhiệm vụ đến hạn trong quý IV năm 2022: {ref('II.8')}."
    assert vi[4] == f"- Tiếp tục triển khai 2 nhiệm vụ có thời hạn sau quý IV năm 2022: {ref('III.6')}; {ref('III.7')}."


def test_body_and_appendix_use_the_same_task_numbers(case):
    _, _, ctx = case
    in_appendix, section = set(), None
    for r in ctx["appendix"]["rows"]:
        if r["kind"] == "section":
            section = r["tt"]
        elif r["kind"] == "task":
            in_appendix.add(f"{section}.{r['tt']}")
    cited = set(re.findall(r"[Nn]hiệm vụ ([IVX]+\.\d+(?:\.\d+)?)", _body(ctx)))
    assert cited and cited <= in_appendix


# ----------------------------------------------------------------------------- the phrasebook

def test_phrasebook_shipped_is_complete():
    assert check_phrasebook(PHRASEBOOK, PHRASES) == []


def test_phrasebook_errors_are_named(tmp_path):
    bad = tmp_path / "bao-cao.toml"
    text = PHRASEBOOK.read_text(encoding="utf-8")
    text = text.replace('opening = "Thực hiện {directive_citation}', 'opening = "Thực hiện {van_ban}')
    text = text.replace('none = "Trong kỳ, các cơ quan chủ trì không phản ánh khó khăn, vướng mắc."\n', "")
    text += '\n[extra]\nfoo = "x"\n'
    text = text.replace('progress = ", đạt {progress}"', 'progress = ", đạt {progress"')
    bad.write_text(text, encoding="utf-8")
    messages = check_phrasebook(bad, PHRASES)
    assert any("«opening» dùng chỗ trống {van_ban}" in m for m in messages)
    assert "Thiếu câu «difficulty.none»." in messages
    assert "Câu «extra.foo» không được dùng ở đâu (tên câu gõ sai?)." in messages
    assert any("«part.progress» có dấu ngoặc nhọn" in m for m in messages)
    r = subprocess.run([sys.executable, "-m", "pipeline", "check-template", "--phrasebook", str(bad)],
                       capture_output=True, text=True, cwd=PROJECT)
    assert r.returncode == 1 and "có 4 vấn đề" in r.stdout and "Traceback" not in r.stderr


def test_changing_a_wording_is_an_edit_to_the_phrasebook(tmp_path, config, master, case):
    merged, _, _ = case
    edited = tmp_path / "bao-cao.toml"
    shutil.copy(PHRASEBOOK, edited)
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        'no_overdue = "Trong kỳ, không có nhiệm vụ nào quá hạn."', 'no_overdue = "Không có nhiệm vụ quá hạn."').replace(
        'assessment = "III. ĐÁNH GIÁ CHUNG"', 'assessment = "III. ĐÁNH GIÁ, NHẬN XÉT"'), encoding="utf-8")
    pb = Phrasebook(edited, PHRASES)
    ctx = build_context(config, master, merged, phrasebook=pb,
                        draft=draft_report(config, master, merged, phrasebook=pb))
    assert "III. ĐÁNH GIÁ, NHẬN XÉT" in [b["text"] for b in ctx["body"] if b["style"] == "heading1"]
    assert load_phrasebook().say("heading.assessment") == "III. ĐÁNH GIÁ CHUNG"
