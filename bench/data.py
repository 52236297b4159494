"""Filled agency workbooks made by program: for the benchmark, the sample input and the tests.

`fill_sheet` types answers into a generated workbook the way an officer would (openpyxl ignores
the sheet protection, as a person who unprotects the sheet would not need to).
`make_national_case` builds a synthetic national-size plan (22 000 tasks, 100 agencies) and one
filled, returned workbook per agency.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from pipeline.collection import sheet_layout as L
from pipeline.collection.agency_workbook import build_workbook, workbook_filename
from pipeline.files import put_value, save_workbook_stable
from pipeline.plan.deadlines import parse_deadline
from pipeline.plan.model import Agency, Master, Task
from pipeline.plan.periods import parse_period


def _put(ws, ref: str, value) -> None:
    put_value(ws[ref], value)


def fill_sheet(wb, header: dict, answers: dict[str, dict]) -> None:
    """Type the header fields (keys of sheet_layout.HEADER_FIELDS) and, per task id, the input cells
    (keys of sheet_layout.INPUT_KEYS) into the "Báo cáo" sheet of an openpyxl workbook.

    Only the cells named are touched: a pre-filled (carried) cell keeps its value unless given;
    None empties a cell, as an officer deleting a carried answer would."""
    ws = wb[L.SHEET_REPORT]
    for key, value in header.items():
        _put(ws, L.HEADER_BY_KEY[key].value_cell, value)
    id_col = L.COLUMN_BY_KEY["task_id"].letter
    rows = {ws[f"{id_col}{r}"].value: r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1)}
    for task_id, values in answers.items():
        r = rows[task_id]
        for key, value in values.items():
            _put(ws, f"{L.COLUMN_BY_KEY[key].letter}{r}", value)


def fill_workbook(src: Path, dst: Path, header: dict, answers: dict[str, dict]) -> Path:
    """Open a generated workbook, fill it, save it as `dst` (src is left as it is)."""
    wb = load_workbook(src)
    fill_sheet(wb, header, answers)
    return save_workbook_stable(wb, dst)


# ---------------------------------------------------------------- national-size synthetic case

_WORDS = ("triển khai thực hiện hiệu quả chương trình kế hoạch đề án phát triển kinh tế xã hội nâng cao "
          "chất lượng nguồn nhân lực cải cách hành chính chuyển đổi số hạ tầng giao thông nông nghiệp "
          "bền vững môi trường đầu tư công quy hoạch vùng thủy sản du lịch dịch vụ an sinh y tế giáo dục "
          "khoa học công nghệ tài chính ngân sách đất đai tài nguyên biển đảo biên giới quốc phòng an ninh").split()
_DEADLINES = ("Quý II/2022", "Quý III/2022", "Quý IV/2022", "Tháng 6/2022", "Tháng 9/2022", "Năm 2022",
              "Thường xuyên", "Hàng năm", "Theo kế hoạch", "Giai đoạn 2021 - 2025")


def _sentence(rng: random.Random, lo: int, hi: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(lo, hi))]
    return (" ".join(words)).capitalize()


def synthetic_master(n_tasks: int, n_agencies: int, seed: int = 0) -> Master:
    rng = random.Random(seed)
    agencies = {}
    for i in range(1, n_agencies + 1):
        code = f"CQ{i:03d}"
        agencies[code] = Agency(code, f"Cơ quan thử nghiệm số {i}", f"CQ số {i}", leads_tasks=True)
    codes = list(agencies)
    deadlines = {text: parse_deadline(text) for text in _DEADLINES}
    sections = ("I", "II", "III")
    tasks = []
    for n in range(n_tasks):
        section = sections[n * len(sections) // n_tasks]
        leads = (codes[n % n_agencies],)
        if n % 50 == 7:  # a few tasks with two leads, as in real plans
            leads += (codes[(n + 1) % n_agencies],)
        tasks.append(Task(
            id=f"{section}.{n + 1}", section=section, section_title=f"PHẦN {section}", number=str(n + 1),
            group="", content=_sentence(rng, 12, 40), lead_codes=leads, lead_note="",
            coordinators="Các sở, ban, ngành", deadline=deadlines[rng.choice(_DEADLINES)],
            product=_sentence(rng, 4, 12), order=n,
        ))
    return Master(tasks=tasks, agencies=agencies, source="synthetic")


def synthetic_answers(tasks: list[Task], period, rng: random.Random) -> dict[str, dict]:
    """Answers as of a report date no earlier than 6 days before the cut-off end."""
    out = {}
    last = period.end - timedelta(days=6)
    slip = last - timedelta(days=3)
    for task in tasks:
        roll = rng.random()
        if roll < 0.45:
            done = period.start + timedelta(days=rng.randint(0, (last - period.start).days))
            out[task.id] = {"status": L.STATUS_DONE, "completed_on": done, "progress": 100,
                            "results": _sentence(rng, 15, 45),
                            "output_doc": f"Công văn số {rng.randint(100, 3999)}/CQ-VP ngày {done.day}/{done.month}/{done.year}"}
        elif roll < 0.85:
            out[task.id] = {"status": L.STATUS_ONGOING, "progress": rng.choice((20, 35, 50, 60, 75, 90)),
                            "results": _sentence(rng, 10, 35),
                            "difficulties": _sentence(rng, 6, 20) if rng.random() < 0.3 else None,
                            "proposals": _sentence(rng, 6, 20) if rng.random() < 0.2 else None}
        elif roll < 0.97:
            out[task.id] = {"status": L.STATUS_NOT_STARTED, "progress": 0}
        else:  # the usual slips, so the benchmark exercises the variant paths too
            out[task.id] = {"status": "hoàn thành", "progress": "100%",
                            "completed_on": f"{slip.day}/{slip.month}/{slip.year}",
                            "results": _sentence(rng, 10, 30)}
    return out


def make_national_case(out_dir: Path, n_tasks: int = 22000, n_agencies: int = 100, seed: int = 0):
    """Write one filled workbook per agency into out_dir; return (master, period)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    master = synthetic_master(n_tasks, n_agencies, seed)
    period = parse_period("2022-Q3")
    generated = datetime(2022, 9, 1, 8, 0, 0)
    rng = random.Random(seed + 1)
    plan = ("1/KH-TN", L.plan_fingerprint("1/KH-TN", master.plan_task_ids))
    for code, agency in master.agencies.items():
        tasks = master.tasks_of(code)
        wb = build_workbook(agency, tasks, period, generated, plan_ref="Kế hoạch thử nghiệm số 1/KH-TN", plan=plan)
        report_day = period.end - timedelta(days=rng.randint(0, 5))
        fill_sheet(wb, {"officer_name": f"Cán bộ {code} (dữ liệu thử nghiệm)", "officer_title": "Chuyên viên",
                        "officer_phone": "0297 3862 000", "report_date": report_day},
                   synthetic_answers(tasks, period, rng))
        save_workbook_stable(wb, out_dir / workbook_filename(period, agency))
    return master, period

