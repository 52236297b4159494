"""Done stays done over a whole cycle: quý II → quý III → quý IV → quý I/2023, agencies silent in turn.

The chain runs as a clerk runs it, in a copy of the sample: the report of each period (its record goes to
lich-su.sqlite), `templates` for the next period, forms returned by the agencies (filled with openpyxl), some
agencies silent, one leaving a row out. A task done in an earlier period is never «Chưa báo cáo» later: not in
the DOCX, the charts' figures, the comparison, the next forms, nor don-doc.
"""
import contextlib
import io
import shutil
from datetime import datetime

import openpyxl
import pytest
from docx import Document

from pipeline.cli import main
from pipeline.collection import sheet_layout as L
from pipeline.followup.run import build_follow_up
from pipeline.report import build_report
from pipeline.status.merge import DONE_STATUSES, NOT_REPORTED
from tests.conftest import CONFIG, copy_project

NOT_REPORTED_LABEL = "Chưa báo cáo"


def _project(root):
    """The sample project (configuration, master, the committed periods' forms) in `root`: its configuration."""
    return copy_project(root) / "input" / CONFIG.name


def _templates(config, out, period):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["--config", str(config), "templates", "--period", period, "--output", str(out)]) == 0
    return out / period / "phieu", buf.getvalue()


def _rows(ws):
    return {ws.cell(r, 1).value: r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value}


def _col(key):
    return L.COLUMNS.index(L.COLUMN_BY_KEY[key]) + 1


def _return_forms(forms, folder, silent, report_date, leave_out=(), dated=None):
    """Every agency but `silent` sends its form back: pre-filled answers as they are, blank rows answered
    «Đang thực hiện»; `leave_out`: (agency, task id) rows deleted from the returned file; `dated`: agency ->
    its own report date."""
    folder.mkdir(parents=True)
    for path in sorted(forms.glob("*.xlsx")):
        code = path.name.split("_")[1]
        if code in silent:
            continue
        wb = openpyxl.load_workbook(path)
        ws = wb[L.SHEET_REPORT]
        ws[L.HEADER_BY_KEY["officer_name"].value_cell] = "Nguyễn Văn A"
        ws[L.HEADER_BY_KEY["report_date"].value_cell] = (dated or {}).get(code, report_date)
        rows = _rows(ws)
        for task_id, r in rows.items():
            if ws.cell(r, _col("status")).value is None:
                ws.cell(r, _col("status")).value = L.STATUS_ONGOING
                ws.cell(r, _col("progress")).value = 50
                ws.cell(r, _col("results")).value = "Đang triển khai theo kế hoạch."
        for task_id in sorted((t for c, t in leave_out if c == code), key=lambda t: -rows[t]):
            ws.delete_rows(rows[task_id])
        wb.save(folder / path.name)


def _docx_status_cells(path):
    """Appendix status cell text per task content's first words (the appendix table is the last table)."""
    table = Document(path).tables[-1]
    def text(cell):   # the renderer keeps short words with the next one (no-break spaces)
        return cell.text.replace("\xa0", " ")
    return [(text(row.cells[1]), text(row.cells[4])) for row in table.rows[1:]]


def _check_period(result, done_before: dict[str, str], master):
    """Every task done in an earlier period (task id -> its period label «quý II/2022») is done here."""
    merged = result.merged
    for task_id, when in done_before.items():
        st = merged.statuses[task_id]
        assert st.status in DONE_STATUSES, (merged.period.code, task_id, st.status)
    # the DOCX appendix: the status cell says done and when
    contents = {t.id: t.content.splitlines()[0][:40] for t in master.tasks}
    cells = _docx_status_cells(result.outputs["docx"])
    for task_id, when in done_before.items():
        status = next(s for content, s in cells if content.startswith(contents[task_id]))
        assert status.startswith("Đã hoàn thành") and f"hoàn thành {when}" in status, (task_id, status)
        assert NOT_REPORTED_LABEL not in status
    # the charts' figures: «Chưa báo cáo» counts only tasks not done and without a report
    import json
    ctx = json.loads((result.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    not_reported = sum(st.status == NOT_REPORTED for st in merged.statuses.values())
    in_chart = sum(bar["segments"][4]["value"] for row in ctx["charts"]["by_part"]["rows"]
                   for bar in row["bars"][-1:])
    assert in_chart == not_reported
    assert not set(done_before) & {t for t, st in merged.statuses.items() if st.status == NOT_REPORTED}
    # the comparison: nothing done before went anywhere, and the counts add up
    compare_text = next(b["text"] for b in ctx["body"] if b["text"].startswith("So với"))
    assert "nay được tính là" not in compare_text and "chưa hoàn thành nhưng" not in compare_text
    return ctx


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    root = tmp_path_factory.mktemp("chain")
    config = _project(root)
    out = root / "output"
    inputs = config.parent
    runs = {"2022-Q3": build_report(config, "2022-Q3", out)}   # quý II built from its forms (no record)
    forms, printed_q4 = _templates(config, out, "2022-Q4")
    # quý IV: Sở TN&MT silent (III.3 and III.14 done), Sở NN&PTNT leaves III.1 (done late in quý III) out
    # Sở Nội vụ dates its form after the submission deadline (20/12/2022), Sở KH&CN after the cut-off (14/12)
    # but before the deadline
    _return_forms(forms, inputs / "2022-Q4", silent={"STNMT", "VPTU", "CA", "SYT"},
                  report_date=datetime(2022, 12, 10), leave_out={("SNNPTNT", "III.1")},
                  dated={"SNV": datetime(2022, 12, 21), "SKHCN": datetime(2022, 12, 16)})
    runs["2022-Q4"] = build_report(config, "2022-Q4", out, with_pdf=False)
    follow_q4 = build_follow_up(config, "2022-Q4", out, with_pdf=False)
    forms_q1, printed_q1 = _templates(config, out, "2023-Q1")
    # quý I/2023: Sở TN&MT sends its locked form back, Sở NN&PTNT and Sở KH&ĐT are silent
    _return_forms(forms_q1, inputs / "2023-Q1", silent={"SNNPTNT", "SKHDT", "VPTU", "CA", "SYT"},
                  report_date=datetime(2023, 3, 10))
    runs["2023-Q1"] = build_report(config, "2023-Q1", out, with_pdf=False)
    follow_q1 = build_follow_up(config, "2023-Q1", out, with_pdf=False)
    return {"runs": runs, "forms_q4": forms, "forms_q1": forms_q1, "printed": (printed_q4, printed_q1),
            "follow": {"2022-Q4": follow_q4, "2023-Q1": follow_q1}, "out": out}


# done in the sample: III.14 in quý II (Sở TN&MT); in quý III: III.3, III.5.1, III.9 on time, II.7, III.1 late,
# III.2 without a date
DONE_Q3 = {"III.14": "quý II/2022", "III.3": "quý III/2022", "III.5.1": "quý III/2022", "III.9": "quý III/2022",
           "II.7": "quý III/2022", "III.1": "quý III/2022", "III.2": "quý III/2022"}


def test_quarter_four_keeps_every_task_done_by_quarter_three(chain, master):
    q4 = chain["runs"]["2022-Q4"]
    ctx = _check_period(q4, DONE_Q3, master)
    st = q4.merged.statuses
    # silent Sở TN&MT: its two tasks keep their date, judgement and document
    assert (st["III.3"].status, st["III.3"].completed_on.isoformat()) == ("done_on_time", "2022-06-28")
    assert (st["III.14"].status, st["III.14"].completed_on.isoformat()) == ("done_on_time", "2022-04-25")
    assert st["III.1"].status == "done_late"                      # its row left out of Sở NN&PTNT's form
    row = next(r for r in ctx["appendix"]["rows"] if r["kind"] == "task" and r["status"].endswith("(hoàn thành quý II/2022)"))
    assert "Báo cáo số 98/BC-STNMT" in row["result"]
    # the body counts done cumulatively: 7 by quý III, 7 now (nothing new was finished in the sample)
    total = next(b["text"] for b in ctx["body"] if b["id"] == "II.tong-so")
    assert "đã hoàn thành 7 nhiệm vụ (20%), trong đó đúng hạn 4, quá hạn 2" in total
    # Sở TN&MT has nothing left to report: it is not a silent agency, and Biểu đồ 2 keeps it at 100 %
    assert "STNMT" not in q4.merged.missing_agencies and "STNMT" in q4.merged.nothing_due
    assert not any("Sở Tài nguyên và Môi trường chưa gửi" in p.message for p in q4.problems)
    assert "Sở TN&MT: 100% (2/2)" in ctx["charts"]["by_agency"]["alt"]


def test_the_comparison_counts_every_move_and_they_add_up(chain):
    for code in ("2022-Q4", "2023-Q1"):
        result = chain["runs"][code]
        from pipeline.archive.history import FILENAME, previous_period, read_record
        from pipeline.status.compare import compare
        previous = read_record(chain["out"] / FILENAME, previous_period(result.period))
        c = compare(previous, result.merged)
        done_then = sum(s in DONE_STATUSES for s in previous.statuses.values())
        done_now = sum(st.status in DONE_STATUSES for st in result.merged.statuses.values())
        assert done_now == done_then + len(c.completed) - len(c.undone) and c.undone == []
        moved = sum(len(ids) for ids in c.moves.values())
        changed = sum(previous.statuses[t] != st.status and not (previous.statuses[t] in DONE_STATUSES
                                                                   and st.status in DONE_STATUSES)
                      for t, st in result.merged.statuses.items())
        assert moved == changed


def test_the_next_forms_keep_done_tasks_prefilled_and_locked(chain):
    printed_q4, printed_q1 = chain["printed"]
    assert "6 nhiệm vụ đã hoàn thành được khóa" in printed_q4
    # Sở TN&MT sent nothing in quý IV: its quý I/2023 form still carries III.3 and III.14, locked
    form = next(chain["forms_q1"].glob("2023-Q1_STNMT_*.xlsx"))
    ws = openpyxl.load_workbook(form)[L.SHEET_REPORT]
    rows = _rows(ws)
    for task_id, done_on in (("III.3", datetime(2022, 6, 28)), ("III.14", datetime(2022, 4, 25))):
        r = rows[task_id]
        assert ws.cell(r, _col("status")).value == L.STATUS_DONE
        assert ws.cell(r, _col("completed_on")).value == done_on
        assert all(ws.cell(r, _col(k)).protection.locked for k in L.INPUT_KEYS)
    # Sở NN&PTNT left III.1 out in quý IV: still pre-filled and locked
    form = next(chain["forms_q1"].glob("2023-Q1_SNNPTNT_*.xlsx"))
    ws = openpyxl.load_workbook(form)[L.SHEET_REPORT]
    r = _rows(ws)["III.1"]
    assert ws.cell(r, _col("status")).value == L.STATUS_DONE and ws.cell(r, _col("status")).protection.locked


def test_quarter_one_keeps_them_with_other_agencies_silent(chain, master):
    q1 = chain["runs"]["2023-Q1"]
    _check_period(q1, DONE_Q3, master)
    assert "SNNPTNT" in q1.merged.missing_agencies and "SKHDT" in q1.merged.missing_agencies
    import json
    ctx = json.loads((q1.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    silent = next(b["text"] for b in ctx["body"] if b["id"] == "II.chua-bao-cao")
    assert "III.1," not in silent and "III.2," not in silent and "III.9" not in silent and "II.7," not in silent


def test_don_doc_never_chases_what_is_done(chain):
    q4 = chain["follow"]["2022-Q4"].follow
    assert "STNMT" not in {a.agency.code for a in q4.concerned}
    stnmt = next(a for a in q4.agencies if a.agency.code == "STNMT")
    assert stnmt.all_done and not stnmt.silent and stnmt.unreported == []
    snn = next(a for a in q4.agencies if a.agency.code == "SNNPTNT")
    assert "III.1" not in snn.missing          # the row it left out was done
    q1 = chain["follow"]["2023-Q1"].follow
    for a in q1.concerned:
        assert not set(a.unreported) & set(DONE_Q3), (a.agency.code, a.unreported)
    snn = next(a for a in q1.agencies if a.agency.code == "SNNPTNT")
    assert snn.silent and snn.unreported and not {"III.1", "III.2"} & set(snn.unreported)
    # the công văn names only tasks not done
    text = " ".join(b["text"] for b in chain["follow"]["2023-Q1"].context["body"])
    assert "III.1 " not in text and "III.9" not in text


def test_a_period_never_run_does_not_lose_what_was_done_before_it(tmp_path):
    """No quý IV record nor forms: the quý I/2023 forms still carry and lock what quý III recorded as done."""
    config = _project(tmp_path)
    out = tmp_path / "output"
    build_report(config, "2022-Q3", out, with_pdf=False)
    forms, printed = _templates(config, out, "2023-Q1")
    assert "6 nhiệm vụ đã hoàn thành được khóa" in printed
    ws = openpyxl.load_workbook(next(forms.glob("2023-Q1_STNMT_*.xlsx")))[L.SHEET_REPORT]
    r = _rows(ws)["III.14"]
    assert ws.cell(r, _col("status")).value == L.STATUS_DONE and ws.cell(r, _col("status")).protection.locked


def test_a_version_1_record_file_is_extended_and_its_completions_derived(tmp_path, master):
    import sqlite3
    from datetime import date
    from pipeline.archive.history import read_record, write_record
    from pipeline.plan.periods import parse_period
    from pipeline.status.merge import merge
    from tests.conftest import agency_rows

    q3 = parse_period("2022-Q3")
    rows = agency_rows(("SGTVT", "III.5.1", "Đã hoàn thành", "2022-06-30", 100.0, "Đã trình Bộ.", "Tờ trình số 310",
                        "", ""))
    db = tmp_path / "lich-su.sqlite"
    write_record(db, master, merge(master, q3, rows, ["SGTVT"]), "112/KH-UBND", date(2022, 9, 25))
    with sqlite3.connect(db) as con:   # as a version 1 file: no completion tables
        con.executescript("DROP TABLE completion; DROP TABLE completion_answer; UPDATE schema_version SET version = 1;")
    record = read_record(db, q3)
    done = record.accepted["III.5.1"]
    assert (done.period_code, done.status, done.completed_on) == ("2022-Q3", "done_on_time", date(2022, 6, 30))
    assert done.answers["SGTVT"].output_doc == "Tờ trình số 310"
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT version FROM schema_version").fetchone() == (2,)


def test_one_submission_deadline_in_every_document(chain):
    """20/12/2022 = 25/12 less answer_days (5): the forms, the công văn, the report and the workbook agree."""
    import json
    guide = openpyxl.load_workbook(next(chain["forms_q4"].glob("2022-Q4_SNV_*.xlsx")))[L.SHEET_GUIDE]
    assert any("Hạn gửi phiếu: ngày 20/12/2022" in str(c.value) for c in guide["A"])
    assert chain["follow"]["2022-Q4"].context["answer_by"] == "20/12/2022"
    q4 = chain["runs"]["2022-Q4"]
    ctx = json.loads((q4.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    said = next(b["text"] for b in ctx["body"] if b["id"] == "III.nguyen-nhan")
    # Sở Nội vụ (21/12) only: Sở KH&CN's form (16/12) is after the cut-off but before the deadline
    assert "1 cơ quan gửi báo cáo sau hạn gửi phiếu ngày 20/12/2022" in said
    ws = openpyxl.load_workbook(q4.outputs["workbook"])["Theo cơ quan"]
    said = {row[0]: row[2] for row in ws.iter_rows(min_row=4, values_only=True) if row[0]}
    assert said["SNV"] == "Gửi chậm (21/12/2022)" and said["SKHCN"] == "Đã báo cáo"
    assert said["STNMT"] == "Đã hoàn thành hết" and said["SYT"] == "Chưa báo cáo"
