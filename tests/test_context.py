import json
import unicodedata
from datetime import date

import pandas as pd
import pytest

from pipeline.context import Issue, build_context
from pipeline.merge import merge
from pipeline.periods import parse_period

Q3 = parse_period("2022-Q3")


def _rows():
    cols = ["agency", "task_id", "status", "completed_on", "progress", "results", "output_doc", "difficulties", "proposals"]
    data = [
        ("SKHDT", "II.4", "Đang thực hiện", None, 85.0, "Đã trình Hội đồng thẩm định quy hoạch.", "Tờ trình số 150/TTr-SKHĐT",
         "Chậm ý kiến góp ý của các Bộ", "Đề nghị Bộ Kế hoạch và Đầu tư sớm thẩm định"),
        ("SKHDT", "II.7", "Đã hoàn thành", "2022-07-05", 100.0, "Đã trình Đề án A & B <thí điểm>", "", "", ""),
        ("STNMT", "III.14", "Đã hoàn thành", "2022-04-28", 100.0, "Đã báo cáo Bộ Tài nguyên và Môi trường", "", "", ""),
        ("BCHQS", "I.2", "Đang thực hiện", None, None, "Tổ chức diễn tập", "", "chậm ý kiến góp ý của các bộ.", ""),
    ]
    df = pd.DataFrame(data, columns=cols)
    df["completed_on"] = pd.to_datetime(df["completed_on"])
    return df


@pytest.fixture(scope="module")
def merged(master):
    return merge(master, Q3, _rows(), ["SKHDT", "STNMT", "BCHQS"])


def _all_text(ctx):
    out = []
    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(ctx)
    return out


def test_draft_leaves_number_and_day_blank(config, master, merged):
    ctx = build_context(config, master, merged)
    assert ctx["draft"] is True
    assert ctx["header"]["number_line"] == "Số:      /BC-UBND"
    assert ctx["header"]["date_line"] == "Kiên Giang, ngày      tháng 9 năm 2022"
    assert ctx["appendix"]["attached_line"] == (
        "(Kèm theo Báo cáo số      /BC-UBND ngày      tháng 9 năm 2022 của Ủy ban nhân dân tỉnh Kiên Giang)")
    assert ctx["meta"]["CodeNumber"] == "" and ctx["meta"]["IssuedDate"] == ""


@pytest.mark.parametrize("number, day, number_line, date_line", [
    (45, date(2022, 9, 20), "Số: 45/BC-UBND", "Kiên Giang, ngày 20 tháng 9 năm 2022"),
    (5, date(2022, 9, 9), "Số: 05/BC-UBND", "Kiên Giang, ngày 09 tháng 9 năm 2022"),
    (112, date(2023, 1, 5), "Số: 112/BC-UBND", "Kiên Giang, ngày 05 tháng 01 năm 2023"),
])
def test_issued_version_applies_the_zero_rules(config, master, merged, number, day, number_line, date_line):
    ctx = build_context(config, master, merged, Issue(number, day))
    assert ctx["header"]["number_line"] == number_line
    assert ctx["header"]["date_line"] == date_line
    assert ctx["meta"]["IssuedDate"] == day.isoformat()
    assert number_line.split(": ")[1] in ctx["appendix"]["attached_line"]


def test_components_follow_format_md(config, master, merged):
    ctx = build_context(config, master, merged)
    assert ctx["header"]["issuer_lines"] == ["ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG"]
    assert ctx["header"]["motto"] == "Độc lập - Tự do - Hạnh phúc"
    assert ctx["subject"].startswith("Kết quả thực hiện Kết luận của Thủ tướng Chính phủ")
    assert "Thông báo số 99/TB-VPCP ngày 05/4/2022" in ctx["subject"] and ctx["subject"].endswith("quý III năm 2022")
    assert ctx["recipients"] == ["- Thủ tướng Chính phủ;", "- Văn phòng Chính phủ."]
    assert ctx["noi_nhan"][0] == "- Như trên;" and ctx["noi_nhan"][-1] == "- Lưu: VT, TH."
    assert all(x.endswith(";") for x in ctx["noi_nhan"][:-1])
    assert ctx["body"][-1]["text"].endswith("./.")
    assert sum(b["text"].endswith("./.") for b in ctx["body"]) == 1
    headings = [b["text"] for b in ctx["body"] if b["style"] == "heading1"]
    assert headings == ["I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ",
                        "III. KHÓ KHĂN, VƯỚNG MẮC", "IV. ĐỀ XUẤT, KIẾN NGHỊ"]
    h2 = [b["text"] for b in ctx["body"] if b["style"] == "heading2"]
    assert h2[0] == "1. Các nhiệm vụ trọng tâm thực hiện thường xuyên" and len(h2) == 3
    assert ctx["meta"]["title"] == ctx["subject"] and ctx["meta"]["Language"] == "vi"
    assert ctx["signer"] == {"authority_lines": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "name": "Lâm Minh Thành"}


def test_point_letters_skip_f_and_use_dj(config, master, merged):
    ctx = build_context(config, master, merged)
    h3 = [b["text"] for b in ctx["body"] if b["style"] == "heading3"]
    section2 = [t for t in h3 if t[1] == ")"][8:19]  # the 11 tasks of part II
    assert [t.split(")")[0] for t in section2] == list("abcd") + ["đ"] + list("eghikl")


def test_numbers_and_percentages_in_vietnamese_format(config, master, merged):
    ctx = build_context(config, master, merged)
    text = "\n".join(b["text"] for b in ctx["body"])
    # 2 done of 35 = 5,7 %; STNMT on time (28/4 <= 30/4), SKHDT late (5/7 > 30/6)
    assert "- Đã hoàn thành: 2 nhiệm vụ (5,7%), trong đó đúng hạn 1, quá hạn 1;" in text
    assert "Có 3/15 cơ quan chủ trì đã gửi báo cáo." in text
    assert "tiến độ đạt 85%" in text
    assert "Hoàn thành ngày 05/7/2022." in text
    assert "từ ngày 15/6/2022 đến ngày 14/9/2022" in text


def test_difficulties_merged_and_attributed(config, master, merged):
    ctx = build_context(config, master, merged)
    body = [b["text"] for b in ctx["body"]]
    start = body.index("III. KHÓ KHĂN, VƯỚNG MẮC")
    diffs = body[start + 1:body.index("IV. ĐỀ XUẤT, KIẾN NGHỊ")]
    assert diffs == ["- Chậm ý kiến góp ý của các bộ (Bộ Chỉ huy Quân sự tỉnh, Sở Kế hoạch và Đầu tư)."]


def test_appendix_has_every_task_grouped(config, master, merged):
    rows = build_context(config, master, merged)["appendix"]["rows"]
    assert [r["tt"] for r in rows if r["kind"] == "section"] == ["I", "II", "III"]
    assert [r["content"] for r in rows if r["kind"] == "group"] == [master.task("III.4.1").group, master.task("III.5.1").group]
    tasks = [r for r in rows if r["kind"] == "task"]
    assert len(tasks) == 35
    i2 = next(r for r in tasks if r["tt"] == "2" and "quốc phòng" in r["content"])
    assert i2["result"].count("\n") == 2 and "Công an tỉnh: Chưa báo cáo." in i2["result"]
    assert i2["status"] == "Thực hiện thường xuyên"


def test_context_is_plain_nfc_data(config, master, merged):
    ctx = build_context(config, master, merged, Issue(45, date(2022, 9, 20)))
    assert json.loads(json.dumps(ctx, ensure_ascii=False)) == ctx
    assert all(unicodedata.is_normalized("NFC", s) for s in _all_text(ctx))
    assert "Đã trình Đề án A & B <thí điểm>." in "\n".join(_all_text(ctx))  # raw here: renderers escape


def test_a_section_with_more_points_than_letters_keeps_the_plan_numbering(config):
    from pipeline.bench_data import synthetic_master
    big = synthetic_master(30, 3)  # 10 tasks in each of three sections: letters suffice
    huge = synthetic_master(90, 3)  # 30 in each: more than the 23 point letters
    for m, expect in ((big, "a)"), (huge, "1)")):
        ctx = build_context(config, m, merge(m, Q3, pd.DataFrame(), []))
        first = next(b["text"] for b in ctx["body"] if b["style"] == "heading3")
        assert first.startswith(expect + " ")
