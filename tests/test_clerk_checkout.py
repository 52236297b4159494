"""`make test` in a checkout where a clerk has worked as the README says: the tests that read the
sample give the same answers there, and leave the clerk's input/ and output/ as they were.

The clerk's steps, in a copy of this checkout: the quý III report; bien-tap.xlsx (every point
settled) copied into input/2022-Q3/; quý III issued as số 45; the quý IV forms; one form returned
into input/2022-Q4/. Then the tests that read the sample run in that copy.
"""
import hashlib
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bench.data import fill_workbook
from tests.conftest import INPUT, ROOT, settle_all

# Tests that read the sample; the first six failed in a clerk's checkout while tests read input/ in place.
SAMPLE_READERS = [
    "tests/test_sample_q2.py",
    "tests/test_report_e2e.py::test_manifest_hashes_every_input_and_output",
    "tests/test_editorial.py::test_editorial_workbook_has_one_row_per_block",
    "tests/test_editorial.py::test_word_comments_mark_only_what_the_clerk_must_decide",
    "tests/test_editorial.py::test_issue_refused_while_a_fact_is_unsettled",
    "tests/test_outputs.py::test_the_same_inputs_give_the_same_bytes_from_two_clones_in_different_folders",
    "tests/test_collect.py::test_committed_sample_input",
    "tests/test_merge.py",
    "tests/test_carry_forward.py::test_the_committed_q3_sample_has_no_carried_answers",
    "tests/test_report_e2e.py::test_cli_check_summarises_master_and_period",
    "tests/test_editorial.py::test_cli_refusal_is_one_vietnamese_message",
    "tests/test_outputs.py::test_paths_of_inputs_outside_the_project_are_recorded_without_the_machine_folders",
]


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def clerk_checkout(tmp_path_factory):
    """A copy of this checkout after a quarter of the clerk's work."""
    top = tmp_path_factory.mktemp("kho") / "baocao"
    skip = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    for name in ("pipeline", "bench", "scripts", "templates", "tests"):
        shutil.copytree(ROOT / name, top / name, ignore=skip)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, top / name)
    shutil.copytree(INPUT, top / "input")

    assert _cli("report", "--period", "q3", cwd=top).returncode == 1           # make report-q3
    settle_all(top / "output" / "2022-Q3" / "bien-tap.xlsx", top / "input" / "2022-Q3" / "bien-tap.xlsx")
    issued = _cli("report", "--period", "2022-Q3", "--so", "45", "--ngay", "2022-09-20", cwd=top)
    assert issued.returncode in (0, 1), issued.stderr
    assert (top / "output" / "2022-Q3" / "phat-hanh" / "45").is_dir()
    made = _cli("templates", "--period", "2022-Q4", cwd=top)
    assert made.returncode == 0, made.stderr
    [blank] = (top / "output" / "2022-Q4" / "phieu").glob("2022-Q4_SNV_*.xlsx")
    (top / "input" / "2022-Q4").mkdir()
    fill_workbook(blank, top / "input" / "2022-Q4" / blank.name,
                  {"officer_name": "Nguyễn Văn A", "officer_title": "Chuyên viên", "report_date": date(2022, 12, 10)},
                  {"I.6": {"progress": 90}})
    return top


def test_the_sample_copied_for_the_tests_leaves_out_what_the_clerk_added(clerk_checkout):
    r = subprocess.run([sys.executable, "-c", "import tests.sample as s; "
                        "print('\\n'.join(sorted(p.relative_to(s.INPUT).as_posix() for p in s.INPUT.rglob('*'))))"],
                       capture_output=True, text=True, cwd=clerk_checkout)
    assert r.returncode == 0, r.stderr
    copied = set(r.stdout.split())
    assert "2022-Q3/bien-tap.xlsx" not in copied and not any(p.startswith("2022-Q4") for p in copied)
    assert copied == {p.relative_to(INPUT).as_posix() for p in INPUT.rglob("*")}


def test_the_tests_that_read_the_sample_pass_there_and_touch_nothing_of_the_clerk(clerk_checkout):
    before = {name: _tree(clerk_checkout / name) for name in ("input", "output")}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SAMPLE_READERS],
                       capture_output=True, text=True, cwd=clerk_checkout)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert " passed" in r.stdout and "failed" not in r.stdout
    assert {name: _tree(clerk_checkout / name) for name in ("input", "output")} == before
