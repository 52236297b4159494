"""A task's short name («Tên gọn»): the officer's words for it in a sentence; the code when there is none."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest

from pipeline.plan.master import SHORT_NAME_COLUMN, TASK_SHEET, load_corrections, load_master, load_registry
from pipeline.drafting.names import short_name
from pipeline.plan.names import name_problem, propose_short_name
from pipeline.plan.plan_import import ImportResult, cmd_import_plan, import_plan, write_master
from pipeline.errors import WARNING, ProblemList
from plan_docx import build_plan_docx
from tests.conftest import CONFIG, MASTER

OPEN_CLOSE = ("()", "[]", "“”", "«»", "‘’")


def _closed(text: str) -> bool:
    """Brackets and quotation marks pair up, counted independently of the code under test."""
    depth = {pair: 0 for pair in OPEN_CLOSE}
    for ch in text:
        for pair in OPEN_CLOSE:
            if ch == pair[0]:
                depth[pair] += 1
            elif ch == pair[1]:
                depth[pair] -= 1
                if depth[pair] < 0:
                    return False
    return all(v == 0 for v in depth.values()) and text.count('"') % 2 == 0


# ----------------------------------------------------------------------------- the rule of a missing name

def test_a_task_without_a_name_is_called_by_its_code(master):
    task = replace(master.task("II.4"), short_name="")
    assert short_name(task) == "II.4"
    assert short_name(master.task("II.4")) == "lập Quy hoạch tỉnh"


def test_the_body_uses_the_code_alone_never_a_cut_text(config, master):
    """Every name cleared: the sentences name tasks by code only, and nothing is cut with «…»."""
    from pipeline.drafting.body import draft_report
    from pipeline.status.merge import merge
    from pipeline.plan.periods import parse_period
    from tests.conftest import agency_rows

    period = parse_period("2022-Q3")
    plan = replace(master, tasks=[replace(t, short_name="") for t in master.tasks])
    rows = agency_rows(
        ("SGTVT", "III.6", "Đang thực hiện", None, 20, "Lập báo cáo đề xuất chủ trương đầu tư.", "",
         "Chưa bố trí được vốn Trung ương.", ""),
        ("SKHDT", "II.7", "Đã hoàn thành", "2022-07-28", 100, "Đã gửi dự thảo Đề án.",
         "Công văn số 1234/SKHĐT-TH ngày 28/7/2022", "", ""))
    merged = merge(plan, period, rows, ["SGTVT", "SKHDT"])
    draft = draft_report(config, plan, merged)
    texts = [b.printed for b in draft.body if hasattr(b, "printed") and b.printed]
    joined = "\n".join(texts)
    assert "…" not in joined and "..." not in joined
    assert "nhiệm vụ III.6" in joined and "nhiệm vụ II.7" in joined   # the difficulty, the completion: by code
    for task_id in ("III.6", "II.7"):                                  # never «nhiệm vụ II.7 (II.7)»
        assert f"({task_id})" not in joined and f"({task_id};" not in joined and f"{task_id} ({task_id}" not in joined


# ----------------------------------------------------------------------------- what import-plan proposes

@pytest.mark.parametrize("content, proposal", [
    # a group-III title: without «Về» (or «Về việc») and without its trailing parenthesis
    ("Về phần vốn ngân sách Trung ương còn thiếu của dự án Cảng hành khách quốc tế Phú Quốc (476,972 tỷ đồng)",
     "phần vốn ngân sách Trung ương còn thiếu của dự án Cảng hành khách quốc tế Phú Quốc"),
    ("Về đầu tư cầu Đông Hồ, thành phố Hà Tiên", "đầu tư cầu Đông Hồ, thành phố Hà Tiên"),
    ("Về việc đầu tư xây dựng 9 cống còn lại (trong tổng số 18 cống trên tuyến đê biển)",
     "đầu tư xây dựng 9 cống còn lại"),
    ("Về mở rộng Cảng hàng không quốc tế Phú Quốc", "mở rộng Cảng hàng không quốc tế Phú Quốc"),
    # otherwise the first clause, as it would go on inside a sentence
    ("Đẩy mạnh dịch vụ công trực tuyến.", "đẩy mạnh dịch vụ công trực tuyến"),
    ("- Triển khai kế hoạch chuyển đổi số; rà soát hạ tầng.", "triển khai kế hoạch chuyển đổi số"),
    ("UBND các huyện rà soát quỹ đất", "UBND các huyện rà soát quỹ đất"),     # an acronym keeps its case
])
def test_the_import_proposal(content, proposal):
    assert propose_short_name(content) == proposal


@pytest.mark.parametrize("content", [
    # too long to be a name: no proposal rather than a cut one
    "Khẩn trương hoàn thành lập Quy hoạch tỉnh Kiên Giang thời kỳ 2021 - 2030, tầm nhìn đến năm 2050 trong Quý 3 "
    "năm 2022, lưu ý trong Quy hoạch tỉnh phải thực hiện 4 tốt",
    # a clause that would leave a quotation mark open
    "Sớm trình “Đề án thí điểm; cơ chế đặc thù” để thu hút nhà đầu tư",
    "",
])
def test_no_proposal_rather_than_a_cut_one(content):
    assert propose_short_name(content) == ""


# ----------------------------------------------------------------------------- the sample names

def test_every_sample_task_has_a_whole_name_fit_for_a_sentence(master):
    names = {t.id: t.short_name for t in master.tasks}
    assert len(names) == 35 and all(names.values()), [i for i, n in names.items() if not n]
    assert len(set(names.values())) == 35                       # no two tasks share a name
    for task in master.tasks:
        name = task.short_name
        assert "…" not in name and "..." not in name, task.id
        assert _closed(name), task.id
        assert "\n" not in name and name == name.strip() and "  " not in name, task.id
        assert name[-1] not in ".,;:", task.id                 # it goes on inside a sentence
        assert len(name.split()) <= min(16, len(task.content.split())), task.id   # short: never the whole text
        first = name.split()[0]
        if first[0].isupper():
            # a proper noun or a document title: written so in the plan's own text
            assert first in (task.content + " " + task.product).split(" ") or \
                any(w.strip("“”\"(") == first for w in (task.content + " " + task.product).split()), task.id


def test_the_issue_examples_are_the_sample_names(master):
    assert master.task("II.4").short_name == "lập Quy hoạch tỉnh"
    assert master.task("II.7").short_name == "Đề án thí điểm cơ chế đặc thù phát triển thành phố Phú Quốc"
    assert "cầu Đông Hồ" in master.task("III.6").short_name


# ----------------------------------------------------------------------------- the master's column

def test_the_column_round_trips_through_load_master(tmp_path, master):
    out = tmp_path / "m.xlsx"
    tasks = [replace(t, short_name="") if t.id == "I.6" else t for t in master.tasks]
    write_master(ImportResult(tasks, ProblemList(), []), load_registry(MASTER), load_corrections(MASTER), out)
    ws = openpyxl.load_workbook(out)[TASK_SHEET]
    header = [c.value for c in ws[1]]
    assert header[-1] == SHORT_NAME_COLUMN
    back = load_master(out)
    assert [t.short_name for t in back.tasks] == [t.short_name for t in tasks]
    assert back.task("I.6").short_name == "" and back.warnings == []


def test_a_master_without_the_column_still_loads(master_copy):
    wb = openpyxl.load_workbook(master_copy)
    ws = wb[TASK_SHEET]
    assert ws.cell(1, 12).value == SHORT_NAME_COLUMN
    ws.delete_cols(12)
    wb.save(master_copy)
    back = load_master(master_copy)
    assert len(back.tasks) == 35 and all(t.short_name == "" for t in back.tasks)


@pytest.mark.parametrize("bad", ["khẩn trương hoàn thành lập Quy hoạch tỉnh Kiên Giang thời kỳ 2021 -…",
                                 "02 xã đảo An…", "(chủ động phối hợp với các bộ", "Đề án “thí điểm",
                                 "lập Quy hoạch tỉnh."])
def test_a_name_that_cannot_stand_in_a_sentence_is_a_warning_and_not_used(master_copy, bad):
    wb = openpyxl.load_workbook(master_copy)
    ws = wb[TASK_SHEET]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "II.4")
    ws.cell(row, 12).value = bad
    wb.save(master_copy)
    back = load_master(master_copy)
    assert back.task("II.4").short_name == "" and short_name(back.task("II.4")) == "II.4"
    [w] = back.warnings
    assert (w.severity, w.sheet, w.row, w.column) == (WARNING, TASK_SHEET, row, SHORT_NAME_COLUMN)
    assert "II.4" in w.message and bad in w.message
    assert name_problem(bad)


# ----------------------------------------------------------------------------- import-plan keeps the officer's names

def test_import_plan_keeps_the_officers_names_and_proposes_the_others(tmp_path, master, capsys):
    plan = build_plan_docx(tmp_path / "ke-hoach.docx")
    out = tmp_path / "nhiem-vu.xlsx"
    assert cmd_import_plan(plan, out, MASTER) == 0
    assert [t.short_name for t in load_master(out).tasks] == [t.short_name for t in master.tasks]
    assert "Giữ tên gọn đã có của 35 nhiệm vụ" in capsys.readouterr().out

    # a registry alone (no names): each task gets the proposal, or none when its text is too long
    result = import_plan(plan, load_registry(MASTER), load_corrections(MASTER), {})
    got = {t.id: t.short_name for t in result.tasks}
    assert got["III.9"] == "phần vốn ngân sách Trung ương còn thiếu của dự án Cảng hành khách quốc tế Phú Quốc"
    assert got["III.6"] == "đầu tư cầu Đông Hồ, thành phố Hà Tiên"
    assert got["II.4"] == ""                                     # too long to shorten: the officer writes it
    assert result.kept_names == ()

    # a name kept only where the task's text is the same
    names = {t.id: (t.content, t.short_name) for t in master.tasks}
    names["III.6"] = ("Về đầu tư một cây cầu khác", "cầu khác")
    result = import_plan(plan, load_registry(MASTER), load_corrections(MASTER), names)
    got = {t.id: t.short_name for t in result.tasks}
    assert got["III.6"] == "đầu tư cầu Đông Hồ, thành phố Hà Tiên" and got["II.4"] == "lập Quy hoạch tỉnh"
    assert "III.6" not in result.kept_names and len(result.kept_names) == 34


# ----------------------------------------------------------------------------- check-template

def test_check_template_lists_the_tasks_without_a_short_name(tmp_path):
    folder = tmp_path / "input"
    folder.mkdir()
    shutil.copy(CONFIG, folder / CONFIG.name)
    shutil.copy(MASTER, folder / MASTER.name)
    wb = openpyxl.load_workbook(folder / MASTER.name)
    ws = wb[TASK_SHEET]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value in ("II.4", "III.13"):
            ws.cell(r, 12).value = None
    wb.save(folder / MASTER.name)
    r = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(folder / CONFIG.name), "check-template"],
                       capture_output=True, text=True, cwd=folder)
    assert r.returncode == 1, r.stdout + r.stderr
    line = next(x for x in r.stdout.splitlines() if "chưa có tên gọn" in x)
    assert line.rstrip().endswith("II.4, III.13") and "2 nhiệm vụ" in line


# ----------------------------------------------------------------------------- the sample report

def test_the_sample_report_calls_tasks_by_their_short_names(tmp_path, master):
    """The quý III draft names tasks by the officer's short names, the same in the DOCX and the PDF, never cut."""
    from docx import Document
    from pipeline.report import build_report
    from tests.conftest import copy_sample

    result = build_report(CONFIG, "2022-Q3", tmp_path / "out", input_dir=copy_sample(tmp_path / "in"))
    docx_text = " ".join(" ".join(p.text for p in Document(result.outputs["docx"]).paragraphs).split())
    pdf_text = subprocess.run(["pdftotext", "-f", "1", "-l", str(_portrait_pages(result.outputs["pdf"])),
                               str(result.outputs["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    pdf_text = re.sub(r"(?<=\S)-\s+", "-", " ".join(pdf_text.split()))   # «…/KH-» «UBND» at a line end
    named = {}
    for which, text in (("docx", docx_text), ("pdf", pdf_text)):
        assert "…" not in text, which
        named[which] = {t.id for t in master.tasks if t.short_name in text}
    assert len(named["docx"]) >= 8 and named["docx"] == named["pdf"]
    assert {"II.4", "II.7", "III.6"} <= named["docx"]       # the issue's examples: «lập Quy hoạch tỉnh», …


def _portrait_pages(pdf) -> int:
    """The body's pages (the appendix, landscape, follows)."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)]
    return sum(1 for w, h in sizes if w < h)
