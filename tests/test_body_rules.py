"""The body a Chairman would sign (issue 16): read from the produced DOCX and PDF of the quý III sample and of a
quý IV run (the quý IV forms made by `baocao templates` and filled by program), then the rules the drafting
applies, each tested from its own rule."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest

from bench.data import fill_workbook
from pipeline.cli import main
from pipeline.drafting import reading
from pipeline.drafting.body import PHRASEBOOK, PHRASES, load_phrasebook
from pipeline.drafting.names import short_name
from pipeline.drafting.phrasebook import COUNT_SLOT, ZERO_SUFFIX, check_phrasebook, read_phrases
from pipeline.plan.deadlines import parse_deadline
from pipeline.plan.periods import following_window, parse_period
from pipeline.report import build_report
from pipeline.text.vntext import deadline_words
from tests.conftest import CONFIG, MASTER, ROOT, copy_sample

SECTIONS = ROOT / "pipeline" / "drafting" / "sections"
HEAD = {"officer_name": "Cán bộ thử nghiệm", "officer_title": "Chuyên viên", "report_date": date(2022, 12, 10)}


# ----------------------------------------------------------------------------- the produced documents

def _plan(root: Path) -> Path:
    plan = root / "input"
    plan.mkdir(parents=True)
    shutil.copy(CONFIG, plan / CONFIG.name)
    shutil.copy(MASTER, plan / MASTER.name)
    copy_sample(plan)
    return plan / CONFIG.name


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Quý III from the sample; quý IV from the forms `templates` makes after it, filled as officers would."""
    root = tmp_path_factory.mktemp("body")
    config = _plan(root)
    out = root / "output"
    q3 = build_report(config, "2022-Q3", out)
    assert main(["--config", str(config), "templates", "--period", "2022-Q4", "--output", str(out)]) == 0
    forms = out / "2022-Q4" / "phieu"
    inbox = root / "input" / "2022-Q4"
    inbox.mkdir()
    answers = {
        # II.4 (tháng 9/2022) done in October: late; II.5 and II.8 (quý IV/2022) still open at the cut-off 14/12
        "SKHDT": {"II.4": {"status": "Đã hoàn thành", "completed_on": date(2022, 10, 10), "progress": 100,
                           "results": "Hồ sơ Quy hoạch tỉnh đã được Hội đồng thẩm định thông qua.",
                           "output_doc": "Tờ trình số 301/TTr-SKHĐT ngày 10/10/2022"},
                  "II.5": {"progress": 70, "results": "Đã hoàn thành dự thảo báo cáo nghiên cứu không gian biển."},
                  "II.8": {"results": "Chờ Quy hoạch tỉnh được phê duyệt để làm căn cứ."}},
        "SNGV": {"III.4.1": {"progress": 80}},
        "SGTVT": {"III.5.2": {"status": "Đã hoàn thành", "completed_on": date(2022, 11, 30), "progress": 100,
                              "results": "Hoàn thành cải tạo mặt đường đoạn qua thành phố Hà Tiên."}},
    }
    for form in sorted(forms.glob("2022-Q4_*.xlsx")):
        code = form.name.split("_")[1]
        if code in ("VPTU", "CA", "SYT"):   # still silent
            continue
        fill_workbook(form, inbox / form.name, HEAD, answers.get(code, {}))
    q4 = build_report(config, "2022-Q4", out, input_dir=inbox)
    return {"2022-Q3": q3, "2022-Q4": q4}


def _paragraphs(path: Path) -> list[str]:
    """The document's paragraphs, the renderer's no-break spaces (kept lines together) read as spaces."""
    return [p.text.replace("\xa0", " ") for p in docx.Document(path).paragraphs]


def _body_of_docx(path: Path) -> str:
    """The body's paragraphs (the appendix is a table after them): from the opening to the closing ./."""
    texts = _paragraphs(path)
    start = next(i for i, t in enumerate(texts) if t.startswith("Thực hiện "))
    end = next(i for i, t in enumerate(texts) if t.endswith("./."))
    return "\n".join(texts[start:end + 1])


def _body_of_pdf(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    start, end = text.index("Thực hiện "), text.index("./.")
    return re.sub(r"\s+", " ", text[start:end + 3].replace("\xa0", " "))


@pytest.fixture(scope="module", params=["2022-Q3", "2022-Q4"])
def body(request, reports):
    result = reports[request.param]
    return request.param, result, _body_of_docx(result.outputs["docx"]), _body_of_pdf(result.outputs["pdf"])


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("struck", ["…", "chưa nêu lý do", "chưa nêu rõ nguyên nhân", "(nhiệm vụ không)",
                                    "lý do:", "chưa có ngày hoàn thành", "Đôn đốc Văn phòng Tỉnh ủy"])
def test_nothing_a_chairman_would_strike(body, struck):
    period, _, in_docx, in_pdf = body
    assert struck not in in_docx and struck not in _flat(in_pdf), period


def test_no_count_of_zero(body):
    period, _, in_docx, in_pdf = body
    for text in (in_docx, _flat(in_pdf)):
        assert not re.search(r"(?<![\d.,/])0 (nhiệm vụ|cơ quan)", text), period


_DEADLINE_MID_SENTENCE = re.compile(r"[^.:\n]\s(Quý [IV]+/\d{4}|Tháng \d{1,2}/\d{4}|Năm \d{4}|Giai đoạn \d{4})")


def test_deadline_words_are_lower_case_inside_a_sentence(body):
    period, _, in_docx, in_pdf = body
    assert not _DEADLINE_MID_SENTENCE.findall(in_docx), period
    assert not _DEADLINE_MID_SENTENCE.findall(_flat(in_pdf)), period


def _window(label_text: str, year: int) -> tuple[date, date]:
    """The months a period label covers, from its own label («quý IV năm 2022»)."""
    for code in [f"{y}-Q{q}" for y in (year, year + 1) for q in (1, 2, 3, 4)]:
        p = parse_period(code)
        if p.label == label_text:
            return date(p.year, p.last_month - 2, 1), p.closes
    raise AssertionError(label_text)


def test_no_task_under_a_window_its_deadline_is_not_in(body, master):
    period_code, result, in_docx, in_pdf = body
    period = parse_period(period_code)
    _, horizon = following_window(period)
    plan = master.as_of(period.end)
    due = {t.id: t.deadline_in_force.due for t in plan.tasks}
    vi = in_docx[in_docx.index("VI. NHIỆM VỤ TRỌNG TÂM"):]
    checked = 0
    for line in vi.splitlines():
        ids = re.findall(r"\b(I{1,3}\.\d+(?:\.\d+)?)\b", line)
        m = re.search(r"đến hạn trong (quý [IV]+ năm \d{4})", line)
        if m:
            first, last = _window(m.group(1), period.year)
            for task_id in ids:
                assert due[task_id] and first <= due[task_id] <= last, (period_code, line, task_id)
                assert due[task_id] > period.end, (period_code, line)   # overdue tasks have their own line
                checked += 1
        elif "có thời hạn sau" in line:
            assert all(due[t] and due[t] > horizon for t in ids), (period_code, line)
            checked += len(ids)
        elif "đã quá hạn" in line:
            assert all(due[t] and due[t] < period.end for t in ids), (period_code, line)
            checked += len(ids)
    assert checked


def test_the_subject_and_the_drafts_date(reports):
    q3 = reports["2022-Q3"]
    paragraphs = _paragraphs(q3.outputs["docx"])
    assert ("Kết quả thực hiện Kết luận của Thủ tướng Chính phủ Phạm Minh Chính tại buổi làm việc với lãnh đạo tỉnh "
            "Kiên Giang quý III năm 2022") in paragraphs
    # the latest form used is dated 03/10/2022 (Sở Nông nghiệp và PTNT): the draft is not dated September
    docx_text = "\n".join(paragraphs) + "\n".join(c.text.replace("\xa0", " ") for t in docx.Document(q3.outputs["docx"]).tables
                                                 for r in t.rows for c in r.cells)
    assert "tháng 10 năm 2022" in docx_text and "tháng 9 năm 2022" not in docx_text


def test_every_ministry_addressed_is_in_noi_nhan(reports):
    document = docx.Document(reports["2022-Q3"].outputs["docx"])
    body = _body_of_docx(reports["2022-Q3"].outputs["docx"])
    addressed = re.findall(r"^Đề nghị (Bộ [^:]+):$", body, re.M)
    assert addressed == ["Bộ Kế hoạch và Đầu tư", "Bộ Giao thông vận tải"]
    cells = [c.text.replace("\xa0", " ") for t in document.tables for r in t.rows for c in r.cells]
    for ministry in addressed:
        assert any(f"- {ministry};" in c for c in cells), ministry


def test_results_told_in_the_body(reports):
    """What the agencies reported reaches the body in the Committee's words (the issue's examples)."""
    body = _body_of_docx(reports["2022-Q3"].outputs["docx"])
    for fact in ("126 lượt tuần tra biên giới", "100% tàu cá lắp thiết bị giám sát hành trình",
                 "tỷ lệ hồ sơ trực tuyến toàn trình đạt 42%", "312 thủ tục", "15 ngày làm việc",
                 "Tờ trình số 245/TTr-SKHĐT ngày 29/8/2022", "đạt 85%", "tỉnh Kampot", "cầu Đông Hồ",
                 "chậm 28 ngày so với thời hạn tháng 6/2022"):
        assert fact in body, fact
    assert "Lực lượng vũ trang tỉnh" in body   # the co-leads of I.2 as the master names them
    assert "Báo cáo số 1520/BC-BCH" not in body   # a unit's routine report stays in the appendix


def test_every_reported_result_is_in_the_body_or_left_by_a_rule(reports, master):
    from pipeline.drafting.voice import voice
    result = reports["2022-Q3"]
    body = _flat(_body_of_docx(result.outputs["docx"]))
    for task in result.master.tasks:
        for lead in result.merged.statuses[task.id].leads:
            if not lead.reported or not lead.results:
                continue
            a = result.master.agencies[lead.agency]
            said = voice(lead.results, (a.name, a.short_name, *a.aliases), lead.output_doc).text
            for clause in re.split(r"[;.]\s*", said):
                words = clause.split()
                if len(words) > 2:   # the clause's words after its first (the subject may be said once)
                    assert " ".join(words[1:]).rstrip(".") in body, (task.id, clause)


# ----------------------------------------------------------------------------- the rules, from their own terms

def test_every_counting_phrase_has_its_zero_form_declared_beside_it():
    phrases = read_phrases(PHRASEBOOK)
    counting = [k for k, slots in PHRASES.items() if COUNT_SLOT in slots]
    assert counting
    for key in counting:
        assert key + ZERO_SUFFIX in phrases, key
        assert "{count}" not in phrases[key + ZERO_SUFFIX]
    pb = load_phrasebook()
    for key in counting:
        slots = {s: "x" for s in PHRASES[key] if s != COUNT_SLOT}
        assert not re.search(r"(?<!\d)0 ", pb.count(key, 0, **slots)), key


def test_check_template_names_a_missing_zero_form(tmp_path):
    bad = tmp_path / "bao-cao.toml"
    bad.write_text(PHRASEBOOK.read_text(encoding="utf-8").replace('overdue_zero = ""\n', "", 1), encoding="utf-8")
    [message] = check_phrasebook(bad, PHRASES)
    assert message.startswith("Thiếu câu «figures.overdue_zero»: câu «figures.overdue» có số đếm {count}")


def test_the_drafting_code_holds_no_words():
    """Every word of the body comes from the phrasebook; no clean-up of joined phrases (no `re` in sections)."""
    for path in [*sorted(SECTIONS.glob("*.py")), SECTIONS.parent / "body.py"]:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not any(ch.isalpha() and not ch.isascii() for ch in node.value), (path.name, node.value)
        assert not re.search(r"^\s*(?:import re|from re import)\b", source, re.M), path.name


def test_each_section_names_its_rules():
    for name in ("deployment", "results", "assessment", "difficulties", "proposals", "next_steps", "appendix"):
        doc = ast.get_docstring(ast.parse((SECTIONS / f"{name}.py").read_text(encoding="utf-8")))
        assert doc and "Rules" in doc, name


@pytest.mark.parametrize("written, quoted", [
    ("Tháng 6/2022", "tháng 6/2022"), ("Quý II/2022", "quý II/2022"), ("Năm 2022 - 2023", "năm 2022 - 2023"),
    ("Giai đoạn 2021 - 2025", "giai đoạn 2021 - 2025"), ("Thường xuyên", "thường xuyên"),
    ("Theo quyết định phê duyệt của Thủ tướng", "theo quyết định phê duyệt của Thủ tướng"),
    ("Quý II/2022, đã được gia hạn đến Quý IV/2022", "quý II/2022, đã được gia hạn đến quý IV/2022"),
])
def test_a_deadline_quoted_in_a_sentence(written, quoted):
    assert deadline_words(written) == quoted


@pytest.mark.parametrize("code, window_end", [
    ("2022-Q3", date(2022, 12, 31)), ("2022-Q4", date(2023, 3, 31)), ("2022-H1", date(2022, 12, 31)),
    ("2022-9M", date(2022, 12, 31)), ("2022", date(2023, 12, 31)),
])
def test_the_next_window_crosses_the_year(code, window_end):
    period = parse_period(code)
    assert following_window(period)[1] == window_end and period.closes < window_end


def test_a_task_without_a_short_name_is_its_code(master):
    for task in master.tasks:
        name = short_name(task)
        assert "…" not in name and (name == task.id or name == getattr(task, "short_name", "").strip())


@pytest.mark.parametrize("text, rule, on_pm", [
    ("Chuẩn bị hồ sơ, thủ tục; chờ Thủ tướng Chính phủ phê duyệt dự án.", reading.WAIT_CENTRAL, True),
    ("Đã trao đổi với tỉnh bạn; đang xin ý kiến Bộ Ngoại giao.", reading.WAIT_CENTRAL, False),
    ("Chờ kết quả Quy hoạch tỉnh để làm căn cứ.", reading.WAIT_TASK, False),
    ("Đang tìm nhà tài trợ lập quy hoạch.", reading.NO_MEANS, False),
    ("Chưa bố trí được 50% vốn Trung ương.", reading.NO_MEANS, False),
])
def test_dependencies_read_in_results(text, rule, on_pm):
    [found] = reading.dependencies(text)
    assert found.rule == rule and found.on_prime_minister == on_pm and found.clause.lower() in text.lower()


def test_results_without_a_dependency():
    assert reading.dependencies("Tổ chức 126 lượt tuần tra biên giới.") == []


@pytest.mark.parametrize("text, asks", [
    ("Đề nghị Thủ tướng Chính phủ cho phép lùi thời hạn hoàn thành nhiệm vụ sang quý I/2023.", True),
    ("Đề nghị cho gia hạn đến quý II/2023.", True), ("Đề nghị điều chỉnh thời hạn thực hiện.", True),
    ("Đề nghị Bộ Giao thông vận tải bố trí vốn cho dự án.", False),
])
def test_a_request_for_more_time_is_recognised(text, asks):
    assert reading.asks_for_more_time(text) == asks


def test_a_follow_up_named_by_the_plan_after_a_draft_product():
    content = ("Chủ động phối hợp với các bộ, ngành Trung ương sớm trình Thủ tướng Chính phủ “Đề án thí điểm” để thu hút "
               "các nhà đầu tư lớn.")
    assert reading.next_step(content, "Dự thảo Đề án thí điểm") == "trình Thủ tướng Chính phủ “Đề án thí điểm”"
    assert reading.next_step(content, "Tổ chức Hội nghị tổng kết") == ""


def test_routine_reports_and_party_bodies():
    assert reading.routine_report("Báo cáo số 1520/BC-BCH ngày 10/9/2022", fixed_deadline=False)
    assert not reading.routine_report("Báo cáo số 98/BC-STNMT ngày 25/4/2022", fixed_deadline=True)
    assert not reading.routine_report("Kế hoạch số 88/KH-SNV ngày 19/8/2022", fixed_deadline=False)
    assert reading.party_body("Văn phòng Tỉnh ủy") and not reading.party_body("Sở Y tế")


def test_a_deadline_under_its_window_from_the_parsed_deadline():
    # the window rule compares the deadline in force with the period's own end and the next window's end
    q3 = parse_period("2022-Q3")
    assert parse_deadline("Tháng 9/2022").due <= q3.closes < parse_deadline("Quý IV/2022").due
