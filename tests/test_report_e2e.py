"""The whole run on the bundled sample, checked the way the Văn phòng and the archivist would."""
import hashlib
import json
import re
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import openpyxl
import pikepdf
import pytest
from docx import Document

from pipeline.drafting.context import Issue
from pipeline.report import build_report
from tests.conftest import CONFIG, SAMPLE, copy_project, copy_sample, settle_all



def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    before = {p.name: _sha(p) for p in SAMPLE.iterdir()}
    result = build_report(CONFIG, "2022-Q3", tmp_path_factory.mktemp("out"))
    after = {p.name: _sha(p) for p in SAMPLE.iterdir()}
    assert before == after, "input files must never be modified"
    return result


@pytest.fixture(scope="module")
def issued(draft, tmp_path_factory):
    """The clerk's sequence: draft -> settle every point in bien-tap.xlsx -> issue."""
    folder = copy_sample(tmp_path_factory.mktemp("in"))
    settle_all(draft.outputs["editorial"], folder / "bien-tap.xlsx")
    return build_report(CONFIG, "2022-Q3", tmp_path_factory.mktemp("out"), input_dir=folder,
                        issue=Issue(45, date(2022, 9, 20)))


def _docx_text(path: Path) -> str:
    """Paragraphs and table cells in document order (Word's non-breaking hyphens read as "-")."""
    doc = Document(path)
    for hyphen in list(doc.element.body.iter("{*}noBreakHyphen")):
        t = hyphen.makeelement(hyphen.tag.replace("noBreakHyphen", "t"), {})
        t.text = "-"
        hyphen.addprevious(t)
        hyphen.getparent().remove(hyphen)
    out = []
    body = doc.element.body
    for el in body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in el.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for tc in el.iter():
                if tc.tag.endswith("}tc"):
                    out.append(" ".join("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                        for p in tc.iter() if p.tag.endswith("}p")))
    return " ".join(out)


def _chart_words(ctx: dict) -> set[str]:
    """Every word a chart draws (labels, captions, values, legend, note)."""
    words: set[str] = set()
    for chart in ctx.get("charts", {}).values():
        texts = [chart["title"], chart.get("note", ""), *(s["name"] for s in chart["styles"])]
        for row in chart["rows"]:
            texts.append(row["label"])
            for bar in row["bars"]:
                texts += [bar["caption"], *(seg["text"] for seg in bar["segments"])]
        words.update(w for t in texts for w in _norm(t).split())
    return words


def _pdf_text(path: Path, chart_words: set[str] = frozenset()) -> str:
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    # drop page-number lines (1-3 digits), which fall between the halves of a paragraph split across pages, and
    # the charts' own lines: WeasyPrint draws a chart after the text of its page, so they would cut a paragraph
    return " ".join(line for line in text.splitlines() if not re.fullmatch(r"\s*\d{1,3}\s*", line)
                    and not (chart_words and set(_norm(line).split()) <= chart_words))


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def _context_strings(ctx: dict) -> list[str]:
    # the header is a two-column table: its reading order is a matter of layout (checked separately)
    out = [ctx["doc_type"], ctx["subject"], ctx["recipients_label"], *ctx["recipients"]]
    out += [b["lead"] + b["text"] for b in ctx["body"]]
    out += [ctx["noi_nhan_label"], *ctx["noi_nhan"], *ctx["signer"]["authority_lines"], ctx["signer"]["name"]]
    a = ctx["appendix"]
    out += [a["heading"], a["title"], a["attached_line"], *a["columns"]]   # the rows: _appendix_rows_in_order
    return [_norm(s) for s in out if _norm(s)]


def _in_order(strings: list[str], text: str, what: str) -> None:
    pos = 0
    flat = _norm(text)
    loose = flat.replace(" ", "")
    for s in strings:
        i = flat.find(s, pos)
        if i < 0:  # a table cell may wrap differently; compare without spaces as a fallback
            j = loose.find(s.replace(" ", ""), len(flat[:pos].replace(" ", "")))
            assert j >= 0, f"{what}: «{s[:80]}» is missing or out of order"
            pos = len(_spaced_prefix(flat, j))
        else:
            pos = i + len(s)


def _spaced_prefix(flat: str, nospace_index: int) -> str:
    count = 0
    for k, ch in enumerate(flat):
        if ch != " ":
            if count == nospace_index:
                return flat[:k]
            count += 1
    return flat


def test_all_outputs_written(draft):
    names = sorted(p.name for p in draft.out_dir.iterdir())
    # the hidden lock file stays (removing it would race with a waiting run); no staging folder is left
    assert names == [".baocao.lock", "bao-cao-2022-Q3.docx", "bao-cao-2022-Q3.pdf", "bien-tap.xlsx", "manifest.json",
                     "noi-dung.json", "tong-hop.xlsx", "van-de.txt"]
    assert not list(draft.out_dir.parent.glob(".*")), "no temp folders left behind"


def test_rows_accounting_and_problems_from_the_sample(draft):
    assert draft.rows_read == draft.rows_accepted + draft.rows_rejected
    assert draft.rows_accepted > 0 and draft.rows_rejected > 0
    assert len(draft.merged.missing_agencies) >= 2
    assert draft.problems, "the sample carries typical mistakes"
    listed = (draft.out_dir / "van-de.txt").read_text(encoding="utf-8")
    assert all(p.message in listed for p in draft.problems)


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", _norm(s).lower())


def _appendix_rows_in_order(ctx: dict, text: str, what: str) -> None:
    """Each task row's cells, in the row's stretch of text: a row split across pages interleaves its
    cells' lines with the next page's repeated header, so the words are compared per row, not per cell."""
    words = _words(text[text.find(_norm(ctx["appendix"]["attached_line"])):])
    starts = []
    rows = [r for r in ctx["appendix"]["rows"] if r["kind"] == "task"]
    pos = 0
    for r in rows:
        first = _words(r["content"])[:4]
        while pos < len(words) and words[pos:pos + 4] != first:
            pos += 1
        assert pos < len(words), f"{what}: row {r['tt']} «{r['content'][:40]}» missing or out of order"
        starts.append(pos)
        pos += 1
    for r, start, end in zip(rows, starts, [*starts[1:], len(words)]):
        window = set(words[max(0, start - 3):end])   # the row number stands just before its content
        for key in ("content", "lead", "deadline", "status", "result"):
            missing = set(_words(r[key])) - window
            assert not missing, f"{what}: row {r['tt']} {key}: {sorted(missing)[:5]}"


def test_docx_and_pdf_say_the_same_thing_in_the_same_order(draft):
    ctx = json.loads((draft.out_dir / "noi-dung.json").read_text(encoding="utf-8"))
    strings = _context_strings(ctx)
    docx, pdf = _norm(_docx_text(draft.outputs["docx"])), _norm(_pdf_text(draft.outputs["pdf"]))
    _in_order(strings, docx, "DOCX")
    _in_order(strings, _norm(_pdf_text(draft.outputs["pdf"], _chart_words(ctx))), "PDF")
    for text, what in ((docx, "DOCX"), (pdf, "PDF")):
        _appendix_rows_in_order(ctx, text, what)
    h = ctx["header"]
    for s in [*h["issuer_lines"], h["number_line"], h["national_name"], h["motto"], h["date_line"]]:
        assert _norm(s) in docx and _norm(s) in pdf, s


def test_manifest_hashes_every_input_and_output(draft):
    m = json.loads((draft.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["period"]["code"] == "2022-Q3" and m["draft"] is True
    for key, rec in m["outputs"].items():
        p = draft.out_dir / rec["path"]
        assert _sha(p) == rec["sha256"] and p.stat().st_size == rec["size"], key
    inputs = {Path(r["path"]).name: r["sha256"] for r in m["inputs"]}
    assert inputs == {p.name: _sha(p) for p in SAMPLE.iterdir() if p.is_file()}
    assert m["configuration"]["sha256"] == _sha(CONFIG)
    assert m["counts"]["rows_read"] == m["counts"]["rows_accepted"] + m["counts"]["rows_rejected"]
    with pikepdf.open(draft.outputs["pdf"]) as pdf:
        assert m["metadata"]["PageAmount"] == len(pdf.pages)


def test_same_inputs_give_byte_identical_outputs(draft, tmp_path):
    again = build_report(CONFIG, "2022-Q3", tmp_path)
    for key in ("docx", "pdf", "workbook", "context", "problems", "manifest", "editorial"):
        assert _sha(again.outputs[key]) == _sha(draft.outputs[key]), key


def test_issued_version_carries_number_and_date(issued):
    text = _norm(_docx_text(issued.outputs["docx"]))  # no-break spaces read as spaces
    assert "Số: 45/BC-UBND" in text and "Kiên Giang, ngày 20 tháng 9 năm 2022" in text
    assert "(Kèm theo Báo cáo số 45/BC-UBND ngày 20 tháng 9 năm 2022 của Ủy ban nhân dân tỉnh Kiên Giang)" in text
    pdf = _pdf_text(issued.outputs["pdf"])
    assert "Số: 45/BC-UBND" in pdf and "ngày 20 tháng 9 năm 2022" in pdf
    m = json.loads((issued.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["draft"] is False and m["metadata"]["CodeNumber"] == "45" and m["metadata"]["IssuedDate"] == "2022-09-20"


def test_pdf_embeds_the_consolidated_workbook(draft):
    with pikepdf.open(draft.outputs["pdf"]) as pdf:
        files = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    assert files == {"tong-hop.xlsx": draft.outputs["workbook"].read_bytes()}


def test_consolidated_workbook_content(draft):
    wb = openpyxl.load_workbook(draft.outputs["workbook"])
    assert wb.sheetnames == ["Tổng hợp", "Theo phần", "Theo cơ quan", "Kiến nghị với UBND tỉnh", "Sắp đến hạn",
                             "Biểu đồ", "Vấn đề", "Tệp đã đọc"]
    # Due within 30 days after the cut-off 14/9/2022 and not done then: II.4 (Tháng 9/2022, reported done on 30/9,
    # after the cut-off) and III.4.1 (Quý III/2022); III.5.2 was due 30/6 (overdue, not "falling due").
    due = wb["Sắp đến hạn"]
    assert due["A1"].value == "NHIỆM VỤ ĐẾN HẠN TỪ NGÀY 15/9/2022 ĐẾN NGÀY 14/10/2022"
    assert [(r[0], r[1], r[3], r[4].date() if r[4] else None) for r in due.iter_rows(min_row=4, values_only=True)] == [
        ("Sở Kế hoạch và Đầu tư", "II.4", "Tháng 9/2022", date(2022, 9, 30)),
        ("Sở Ngoại vụ", "III.4.1", "Quý III/2022", date(2022, 9, 30))]
    header = [c.value for c in wb["Theo phần"][3]]
    col = {name: header.index(name) for name in header}
    rate = "Tỷ lệ hoàn thành (trên số nhiệm vụ có thời hạn)"
    *sections, total = list(wb["Theo phần"].iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in sections] == ["I", "II", "III"] and [r[col["Tổng số"]] for r in sections] == [8, 11, 16]
    assert total[1] == "Tổng cộng" and total[col["Tổng số"]] == 35
    # the completion rate counts tasks with a fixed deadline; part I is all recurring
    assert sections[0][col[rate]] == "không áp dụng"
    done = ("Đã hoàn thành đúng hạn", "Đã hoàn thành quá hạn", "Đã hoàn thành, chưa xác định đúng hạn")
    for r in sections[1:]:  # «33,3% (1/3)»: done over the tasks with a deadline, written the Vietnamese way
        m = re.fullmatch(r"(\d+(?:,\d)?)% \((\d+)/(\d+)\)", r[col[rate]])
        assert m, r[col[rate]]
        shown, n_done, n_due = float(m[1].replace(",", ".")), int(m[2]), int(m[3])
        assert n_done == sum(r[col[d]] for d in done) and n_due <= r[col["Tổng số"]]
        assert abs(shown - 100 * n_done / n_due) <= 0.05
    ws = wb["Tổng hợp"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 35 and rows[0][0] == "I.1"
    statuses = {r[5] for r in rows}
    assert statuses <= {"Đã hoàn thành đúng hạn", "Đã hoàn thành quá hạn", "Đã hoàn thành, chưa xác định đúng hạn",
                        "Chưa hoàn thành, trong hạn", "Chưa hoàn thành, quá hạn", "Thực hiện thường xuyên",
                        "Chưa báo cáo"}
    assert "Chưa báo cáo" in statuses
    # Pinned from the sample and the rules (cut-off 14/9/2022), not from the code; see test_merge.py.
    by_id = {r[0]: r[5] for r in rows}
    assert [by_id[t] for t in ("III.5.1", "II.7", "III.5.2", "II.4", "I.2", "I.1")] == [
        "Đã hoàn thành đúng hạn", "Đã hoàn thành quá hạn", "Chưa hoàn thành, quá hạn", "Chưa hoàn thành, trong hạn",
        "Thực hiện thường xuyên", "Chưa báo cáo"]
    fills = {ws.cell(row=r, column=6).fill.fgColor.rgb for r in range(4, 39)}
    assert len(fills) >= 3, "statuses are coloured"
    assert all(c.font.name == "Times New Roman" for row in ws.iter_rows(min_row=3, max_row=6) for c in row)
    assert wb["Vấn đề"].max_row - 3 == len(draft.problems)
    header = [c.value for c in wb["Theo cơ quan"][3]]
    col = {name: header.index(name) for name in header}
    *agencies, _ = list(wb["Theo cơ quan"].iter_rows(min_row=4, values_only=True))
    assert len(agencies) == 15 and sum(r[2] == "Chưa báo cáo" for r in agencies) == len(draft.merged.missing_agencies)
    ca = next(r for r in agencies if r[0] == "CA")
    # it sent nothing: its one task, I.2 (recurring), counts as not reported, and has no rate
    assert ca[2] == "Chưa báo cáo" and ca[col["Chưa báo cáo"]] == 1 and ca[col["Tổng số"]] == 1
    assert ca[col[rate]] == "không áp dụng"


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def project(tmp_path):
    """The CLI runs in a copy of the project, as from a clone, with the default config and input folders."""
    return copy_project(tmp_path / "du-an")


def test_cli_report_exit_codes_and_summary(tmp_path, project):
    r = _cli("report", "--period", "q3", "--output", str(tmp_path), cwd=project)
    assert r.returncode == 1, r.stderr  # built, with problems in the sample
    assert "Dòng đọc được:" in r.stdout and "Cơ quan chưa báo cáo" in r.stdout and "Traceback" not in r.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    r = _cli("report", "--period", "2022-Q3", "--input", str(empty), "--output", str(tmp_path / "o2"), cwd=project)
    # nothing sent in quý III: only the task done in the quý II sample (III.14) stays done
    assert r.returncode == 1 and "Chưa báo cáo: 34" in r.stdout and "Cơ quan chưa báo cáo (15)" in r.stdout
    assert "Đã hoàn thành đúng hạn: 1" in r.stdout
    r = _cli("report", "--period", "2022-Q3", "--so", "45", "--output", str(tmp_path), cwd=project)
    assert r.returncode == 2 and "cả số (--so) và ngày ban hành (--ngay)" in r.stderr
    r = _cli("report", "--period", "2022-Q3", "--ngay", "20.9.2022", "--so", "4", cwd=project)
    assert r.returncode == 2 and "«20.9.2022» không phải một ngày" in r.stderr and "Traceback" not in r.stderr
    r = _cli("--config", str(tmp_path / "none.toml"), "report", "--period", "q3", cwd=project)
    assert r.returncode == 2 and r.stderr.startswith("Lỗi: Không tìm thấy tệp cấu hình")


def test_cli_check_summarises_master_and_period(project):
    r = _cli("check", "--period", "2022-Q3", cwd=project)
    assert r.returncode == 0
    assert "35 nhiệm vụ, 15 cơ quan chủ trì" in r.stdout and "từ 15/6/2022 đến 14/9/2022" in r.stdout


def test_cli_speaks_vietnamese_even_for_argument_errors(project):
    r = _cli("report", "--help", cwd=project)
    assert r.returncode == 0 and r.stdout.startswith("Cách dùng: baocao report") and "usage" not in r.stdout
    assert "in hướng dẫn này rồi thoát" in r.stdout
    r = _cli("report", cwd=project)
    assert r.returncode == 2 and "Lỗi: thiếu tham số bắt buộc: --period" in r.stderr
    r = _cli("frob", cwd=project)
    assert r.returncode == 2 and "lựa chọn 'frob' không có" in r.stderr


def test_a_report_run_keeps_the_generated_agency_workbooks(tmp_path):
    phieu = tmp_path / "2022-Q3" / "phieu"
    phieu.mkdir(parents=True)
    (phieu / "2022-Q3_SKHDT.xlsx").write_bytes(b"generated earlier")
    (tmp_path / "2022-Q3" / "old-report.docx").write_bytes(b"not written by the tool")
    result = build_report(CONFIG, "2022-Q3", tmp_path, with_pdf=False)
    assert (result.out_dir / "phieu" / "2022-Q3_SKHDT.xlsx").read_bytes() == b"generated earlier"
    assert (result.out_dir / "old-report.docx").read_bytes() == b"not written by the tool"
