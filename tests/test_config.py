import re
from pathlib import Path

import pytest

from pipeline.plan.config import load_config
from pipeline.errors import PipelineError
from tests.conftest import CONFIG


def test_sample_configuration_loads(config):
    assert config.plan_number == "112/KH-UBND"
    assert config.issuer_header_lines == ("ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG")
    assert config.recipients == ("Thủ tướng Chính phủ", "Văn phòng Chính phủ")
    assert config.directive_citation.startswith("Thông báo số 99/TB-VPCP ngày 05/4/2022")
    assert config.signer_name == "Lâm Minh Thành"
    assert config.master_path.is_file()


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "cfg.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize("old, new, expect", [
    ('name = "Lâm Minh Thành"', "", "thiếu khóa «signer.name»"),
    ('place = "Kiên Giang"', 'plaec = "Kiên Giang"', "khóa «plaec» không được biết đến"),
    ("reporting_year = 2022", 'reporting_year = "2022"', "«plan.reporting_year» phải là một số nguyên"),
    ("date = 2022-05-09", 'date = "09/5/2022"', "«plan.date» phải là một ngày"),
    ('recipients = ["Thủ tướng Chính phủ", "Văn phòng Chính phủ"]', "recipients = []", "«report.recipients» phải là một danh sách"),
    ("[signer]", "[signers]", "mục [signers] không được biết đến"),
    ('notation = "BC-UBND"', 'notation = "BC-UBND', "sai cú pháp TOML"),
])
def test_config_errors_name_the_key_and_the_file(tmp_path, old, new, expect):
    path = _variant(tmp_path, old, new)
    with pytest.raises(PipelineError) as err:
        load_config(path)
    msg = str(err.value)
    assert expect in msg and str(path) in msg


def test_missing_file():
    with pytest.raises(PipelineError, match="Không tìm thấy tệp cấu hình"):
        load_config("khong-co.toml")


def test_no_province_specific_text_in_python_code():
    src = Path(__file__).resolve().parent.parent / "pipeline"
    files = list(src.rglob("*.py"))
    assert len(files) > 30   # every stage folder is searched
    offenders = [str(p.relative_to(src)) for p in files
                 if re.search(r"Kiên Giang|112/KH|Lâm Minh Thành", p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_configuration_saved_with_a_utf8_bom_reads_as_without(tmp_path):
    """Notepad on Windows saves "UTF-8" with a byte-order mark; tomllib alone calls that a syntax error."""
    path = tmp_path / "cfg.toml"
    path.write_bytes(b"\xef\xbb\xbf" + CONFIG.read_bytes().replace(b'master = "', b'master = "' + str(CONFIG.parent).encode() + b"/"))
    config = load_config(path)
    assert config.plan_number == "112/KH-UBND" and config.signer_name == "Lâm Minh Thành"
    assert config.issuer_header_lines[0] == "ỦY BAN NHÂN DÂN"


def test_don_doc_section_is_optional_and_checked(tmp_path):
    from pipeline.plan.config import load_config
    from tests.conftest import CONFIG

    text = CONFIG.read_text(encoding="utf-8")
    without = text[:text.index("[don_doc]")]
    (tmp_path / "a.toml").write_text(without, encoding="utf-8")
    fu = load_config(tmp_path / "a.toml").follow_up
    # defaults from the report's own settings: the UBND tỉnh sends it, signed as the report
    assert fu.notation == "UBND-TH" and fu.header_lines == ("ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG")
    assert fu.authority_lines == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH") and fu.email == "" and fu.due_soon_days == 30
    for bad, words in (('email = "vanphong"', "không phải một địa chỉ thư điện tử"),
                       ("due_soon_days = -3", "khóa «don_doc.due_soon_days» phải là một số nguyên từ 0 đến 366"),
                       ('signer = "X"', "khóa «signer» không được biết đến")):
        (tmp_path / "b.toml").write_text(without + "[don_doc]\n" + bad + "\n", encoding="utf-8")
        with pytest.raises(PipelineError, match=words):
            load_config(tmp_path / "b.toml")
