"""Dates on the command line as people type them; the help in Vietnamese."""
import subprocess
import sys
from datetime import date

import pytest

from pipeline.cli import typed_date
from tests.conftest import CONFIG, copy_sample

REFUSAL = ("không phải một ngày có thật viết theo cách được nhận (ngày/tháng/năm như 20/9/2022 hay 20-9-2022, "
           "hoặc năm-tháng-ngày như 2022-09-20).")


@pytest.mark.parametrize("typed", ["20/9/2022", "20/09/2022", "20-9-2022", "2022-09-20", "2022-9-20", " 20/9/2022 "])
def test_the_three_ways_of_writing_a_date(typed):
    assert typed_date(typed) == date(2022, 9, 20)


def test_day_before_month_in_both_day_first_forms():
    assert typed_date("1/2/2023") == typed_date("1-2-2023") == date(2023, 2, 1)


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("typed", ["20.9.2022", "2022/09/20", "20/9/22", "31/2/2022", "20 tháng 9", "9/20/2022", ""])
def test_anything_else_is_refused_with_one_sentence(typed, tmp_path):
    for args in (["report", "--period", "2022-Q3", "--so", "45", "--ngay", typed],
                 ["don-doc", "--period", "2022-Q3", "--han", typed]):
        r = _cli("--config", str(CONFIG), *args, "--output", str(tmp_path / "out"), cwd=tmp_path)
        option = args[-2]
        assert r.returncode == 2 and r.stdout == ""
        assert r.stderr == f"Lỗi: {option} «{typed}» {REFUSAL}\n"
    assert not (tmp_path / "out").exists()


def test_a_day_first_date_is_used_by_the_command(tmp_path):
    folder = copy_sample(tmp_path / "in")
    r = _cli("--config", str(CONFIG), "don-doc", "--period", "2022-Q3", "--input", str(folder), "--output",
             str(tmp_path / "out"), "--han", "22/9/2022", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "hạn gửi phiếu 22/9/2022:" in r.stdout


def test_the_help_names_every_value_in_vietnamese(tmp_path):
    for command, shown in (("report", ["--period KỲ", "--input THƯ_MỤC", "--output THƯ_MỤC", "--so SỐ", "--ngay NGÀY"]),
                           ("don-doc", ["--han NGÀY", "--so-ngay SỐ_NGÀY", "ví dụ 22/9/2022"]),
                           ("templates", ["--period KỲ", "kỳ báo cáo, ví dụ"]),
                           ("import-plan", ["TỆP_DOCX", "--output TỆP_XLSX", "--registry TỆP_XLSX"])):
        r = _cli(command, "--help", cwd=tmp_path)
        assert r.returncode == 0 and r.stdout.startswith(f"Cách dùng: baocao {command}")
        assert all(s in r.stdout for s in shown), (command, r.stdout)
        assert not any(word in r.stdout for word in ("PERIOD", "INPUT", "OUTPUT", "NGAY", "usage", "options")), r.stdout
