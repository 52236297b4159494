"""`baocao don-doc` end to end on the sample quý III forms: the công văn, each chased agency's files and
e-mail draft, the folder rules (own manifest, issued copies never replaced, a report run keeps it)."""
from __future__ import annotations

import email
import email.policy
import hashlib
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from pipeline.drafting.context import Issue
from pipeline.errors import PipelineError
from pipeline.followup.run import build_follow_up
from pipeline.plan.master import load_master
from pipeline.report import build_report
from tests.conftest import CONFIG, MASTER, PROJECT, copy_sample

CHASED = ("VPTU", "CA", "SYT", "SCT")          # sent nothing (3), a row refused (SCT)
REMINDED = ("SKHDT", "SNGV")                  # only tasks falling due by 14/10/2022 (II.4, III.4.1)
LETTER = "cong-van-don-doc-2022-Q3"


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = copy_sample(tmp_path_factory.mktemp("in"))
    out = tmp_path_factory.mktemp("out")
    return build_follow_up(CONFIG, "2022-Q3", out, input_dir=folder), folder, out


def message_of(path: Path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_files_for_each_agency_chased(run):
    result, _, out = run
    names = set(tree(result.out_dir))
    assert result.out_dir == out / "2022-Q3" / "don-doc"
    assert {f"{LETTER}.docx", f"{LETTER}.pdf", f"{LETTER}.json", "manifest.json"} <= names
    for code in CHASED:
        assert {f"{code}_phieu-bao-cao.xlsx", f"{code}_van-de.xlsx", f"{code}_thu-don-doc.eml"} <= names, code
    for code in REMINDED:   # nothing to send back: only the reminder
        assert f"{code}_thu-don-doc.eml" in names and f"{code}_phieu-bao-cao.xlsx" not in names, code
    others = {"BCHQS", "BDBP", "SNNPTNT", "SNV", "STTTT", "SKHCN", "BQLKKTPQ", "STNMT", "SGTVT"}
    assert not [n for n in names if n.split("_")[0] in others]


def test_manifest_lists_every_file_it_wrote(run):
    import json
    result, _, _ = run
    manifest = json.loads((result.out_dir / "manifest.json").read_text(encoding="utf-8"))
    listed = {rec["path"]: rec["sha256"] for rec in manifest["outputs"].values()}
    on_disk = {k: v for k, v in tree(result.out_dir).items() if k not in ("manifest.json", ".baocao.lock")}
    assert listed == on_disk
    assert manifest["draft"] is True and manifest["metadata"]["TypeName"] == "Công văn"
    assert [a["code"] for a in manifest["agencies"]] == ["VPTU", "CA", "SKHDT", "SYT", "SNGV", "SCT"]


def test_email_drafts_parse_back_with_recipients_and_attachments(run):
    result, _, _ = run
    registry = load_master(MASTER).agencies
    pdf = (result.out_dir / f"{LETTER}.pdf").read_bytes()
    for code in (*CHASED, *REMINDED):
        msg = message_of(result.out_dir / f"{code}_thu-don-doc.eml")
        to = msg["To"].addresses
        assert len(to) == 1 and to[0].addr_spec == registry[code].email and registry[code].email, code
        assert to[0].display_name == registry[code].name
        assert msg["X-Unsent"] == "1" and "Kế hoạch số 112/KH-UBND" in msg["Subject"]
        assert registry[code].name in msg["Subject"]
        attached = {part.get_filename(): part.get_content() for part in msg.iter_attachments()}
        assert attached[f"{LETTER}.pdf"] == pdf
        if code in CHASED:
            agency = registry[code]
            from pipeline.collection.agency_workbook import workbook_filename
            from pipeline.plan.periods import parse_period
            form_name = workbook_filename(parse_period("2022-Q3"), agency)
            assert attached[form_name] == (result.out_dir / f"{code}_phieu-bao-cao.xlsx").read_bytes()
            assert attached[f"Van-de_2022-Q3_{code}.xlsx"] == (result.out_dir / f"{code}_van-de.xlsx").read_bytes()
            assert len(attached) == 3
        else:
            assert list(attached) == [f"{LETTER}.pdf"]
    body = message_of(result.out_dir / "SCT_thu-don-doc.eml").get_body(("plain",)).get_content()
    assert "III.13" in body and "400" in body and "20/9/2022" in body


def test_the_refused_cell_is_marked_in_the_form_sent_back(run):
    result, _, _ = run
    ws = openpyxl.load_workbook(result.out_dir / "SCT_phieu-bao-cao.xlsx")["Báo cáo"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(9, ws.max_row + 1)}
    progress = ws.cell(row=rows["III.13"], column=7)          # column G: «Tiến độ (%)»
    assert ws.cell(row=8, column=7).value == "Tiến độ (%)"
    assert progress.comment is not None and "0–100" in progress.comment.text
    assert ws.cell(row=rows["III.12"], column=5).value == "Đang thực hiện"   # accepted answer pre-filled


def test_a_report_run_keeps_the_follow_up_folder(run, tmp_path):
    result, folder, out = run
    before = tree(result.out_dir)
    build_report(CONFIG, "2022-Q3", out, input_dir=folder, with_pdf=False)
    assert tree(result.out_dir) == before


def test_issued_letter_goes_to_its_own_folder_and_is_never_replaced(run, tmp_path):
    _, folder, _ = run
    out = tmp_path / "out"
    issued = build_follow_up(CONFIG, "2022-Q3", out, input_dir=folder, issue=Issue(7, date(2022, 9, 16)),
                             with_pdf=False)
    assert issued.out_dir == out / "2022-Q3" / "don-doc" / "phat-hanh" / "7"
    before = tree(issued.out_dir)
    with pytest.raises(PipelineError, match="số 7 đã có"):
        build_follow_up(CONFIG, "2022-Q3", out, input_dir=folder, issue=Issue(7, date(2022, 9, 16)), with_pdf=False)
    build_follow_up(CONFIG, "2022-Q3", out, input_dir=folder, with_pdf=False)   # a draft beside it
    assert tree(issued.out_dir) == before


def test_output_inside_the_inputs_is_refused_and_nothing_written(run):
    _, folder, _ = run
    before = tree(folder)
    with pytest.raises(PipelineError, match="không bao giờ ghi vào thư mục đầu vào"):
        build_follow_up(CONFIG, "2022-Q3", folder, input_dir=folder)
    assert tree(folder) == before


def test_make_clean_removes_only_the_drafts_it_wrote(run, tmp_path):
    import shutil
    result, _, _ = run
    out = tmp_path / "output"
    shutil.copytree(result.out_dir.parent.parent, out)
    mine = out / "2022-Q3" / "don-doc" / "ghi-chu-cua-chuyen-vien.txt"
    mine.write_text("giữ lại", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pipeline.clean", str(out)], check=True, cwd=PROJECT, capture_output=True)
    assert [p.name for p in (out / "2022-Q3" / "don-doc").iterdir()] == [mine.name]


def test_command_line(tmp_path):
    folder = copy_sample(tmp_path / "in")
    done = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(CONFIG), "don-doc", "--period", "2022-Q3",
                           "--input", str(folder), "--output", str(tmp_path / "out"), "--han", "2022-09-22"],
                          capture_output=True, text=True, cwd=PROJECT)
    assert done.returncode == 0, done.stderr
    assert "Công văn đôn đốc quý III năm 2022 (bản dự thảo trình ký), hạn gửi phiếu 22/9/2022:" in done.stdout
    assert "  - Sở Công Thương: 1 dòng bị loại" in done.stdout
    assert "  - Văn phòng Tỉnh ủy: chưa gửi phiếu" in done.stdout
    assert "công cụ không gửi thư" in done.stdout and "Traceback" not in done.stderr
    bad = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(CONFIG), "don-doc", "--period", "2022-Q3",
                          "--input", str(folder), "--output", str(tmp_path / "out2"), "--han", "2022-09-01"],
                         capture_output=True, text=True, cwd=PROJECT)
    assert bad.returncode == 2 and bad.stderr.startswith("Lỗi: Hạn gửi phiếu 01/9/2022 không sau ngày chốt số liệu")
    assert not (tmp_path / "out2").exists()


def test_a_file_name_that_is_not_utf8_does_not_stop_the_run(tmp_path):
    import json
    import os

    folder = copy_sample(tmp_path / "in")
    genuine = next(folder.glob("*_SCT_*.xlsx"))      # the agency chased for its refused row
    os.rename(genuine, os.path.join(os.fsencode(folder), b"B\xe1o c\xe1o SCT.xlsx"))   # cp1252, from a Windows zip
    result = build_follow_up(CONFIG, "2022-Q3", tmp_path / "out", input_dir=folder, with_pdf=False)
    manifest = json.loads((result.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert "B\\xe1o c\\xe1o SCT.xlsx" in {r["path"].split("/")[-1] for r in manifest["inputs"]}
    sct = next(a for a in result.follow.concerned if a.agency.code == "SCT")
    assert [r.task_id for r in sct.rejected] == ["III.13"] and (result.out_dir / "SCT_phieu-bao-cao.xlsx").is_file()
