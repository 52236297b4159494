import json
import unicodedata
from datetime import date

import pandas as pd
import pytest

from pipeline.drafting.context import Issue, build_context
from pipeline.status.merge import merge
from pipeline.plan.periods import parse_period

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
    # «Kết quả thực hiện Kết luận của Thủ tướng Chính phủ … quý III năm 2022»; one "tại" (the meeting's own)
    assert ctx["subject"] == ("Kết quả thực hiện Kết luận của Thủ tướng Chính phủ Phạm Minh Chính tại buổi làm việc "
                              "với lãnh đạo tỉnh Kiên Giang quý III năm 2022")
    assert ctx["subject"].count(" tại ") == 1
    assert ctx["recipients"] == ["- Thủ tướng Chính phủ;", "- Văn phòng Chính phủ."]
    assert ctx["noi_nhan"][0] == "- Như trên;" and ctx["noi_nhan"][-1] == "- Lưu: VT, TH."
    assert all(x.endswith(";") for x in ctx["noi_nhan"][:-1])
    assert ctx["body"][-1]["text"].endswith("./.")
    assert ctx["body"][-1]["text"].startswith("Trên đây là báo cáo quý III năm 2022 của Ủy ban nhân dân tỉnh Kiên Giang")
    assert sum(b["text"].endswith("./.") for b in ctx["body"]) == 1
    # FORMAT.md §9: the structure provincial reports to the Government use, in order
    headings = [b["text"] for b in ctx["body"] if b["style"] == "heading1"]
    assert headings == ["I. TÌNH HÌNH TRIỂN KHAI", "II. KẾT QUẢ THỰC HIỆN", "III. ĐÁNH GIÁ CHUNG",
                        "IV. KHÓ KHĂN, VƯỚNG MẮC", "V. ĐỀ XUẤT, KIẾN NGHỊ", "VI. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI"]
    h2 = [b["text"] for b in ctx["body"] if b["style"] == "heading2"]
    assert h2 == ["1. Kết quả chung", "2. Nhóm I: Các nhiệm vụ trọng tâm thực hiện thường xuyên",
                  "3. Nhóm II: Các nhiệm vụ, giải pháp về nghiên cứu xây dựng cơ chế, chính sách để cụ thể hóa thực hiện",
                  "4. Nhóm III: Thực hiện các nhiệm vụ cụ thể",
                  # III. Đánh giá chung in two parts
                  "1. Kết quả đạt được", "2. Tồn tại, hạn chế và nguyên nhân"]
    assert ctx["meta"]["title"] == ctx["subject"] and ctx["meta"]["Language"] == "vi"
    assert ctx["signer"] == {"authority_lines": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "name": "Lâm Minh Thành"}


def test_body_is_prose_not_the_appendix_again(config, master, merged):
    body = "\n".join(b["text"] for b in build_context(config, master, merged)["body"])
    assert "Cơ quan chủ trì:" not in body and "Kết quả:" not in body
    assert "Đang thực hiện, tiến độ" not in body and "Chưa báo cáo." not in body
    assert "chi tiết tại Phụ lục kèm theo" in body


def test_numbers_and_percentages_in_vietnamese_format(config, master, merged):
    ctx = build_context(config, master, merged)
    text = "\n".join(b["text"] for b in ctx["body"])
    # 2 done of 35 = 5,7 %; STNMT on time (28/4 <= 30/4), SKHDT late (5/7 > 30/6)
    assert "đã hoàn thành 2 nhiệm vụ (5,7%), trong đó đúng hạn 1, quá hạn 1;" in text
    assert "từ ngày 15/6/2022 đến ngày 14/9/2022" in text
    late = next(b["text"] for b in ctx["body"] if "(nhiệm vụ II.7): " in b["text"])
    assert "chậm 5 ngày so với thời hạn tháng 6/2022." in late   # done 05/7, due 30/6


def test_difficulties_merged_and_tied_to_their_tasks(config, master, merged):
    ctx = build_context(config, master, merged)
    body = [b["text"] for b in ctx["body"]]
    diffs = body[body.index("IV. KHÓ KHĂN, VƯỚNG MẮC") + 1:body.index("V. ĐỀ XUẤT, KIẾN NGHỊ")]
    assert len(diffs) == 1   # the same difficulty from two agencies, once
    # tasks in plan order, each by its short name and code
    i2, ii4 = master.task("I.2").short_name, master.task("II.4").short_name
    assert diffs[0] == f"- {i2[:1].upper()}{i2[1:]} (nhiệm vụ I.2); {ii4} (nhiệm vụ II.4): chậm ý kiến góp ý của các bộ."


def test_appendix_has_every_task_grouped(config, master, merged):
    rows = build_context(config, master, merged)["appendix"]["rows"]
    assert [r["tt"] for r in rows if r["kind"] == "section"] == ["I", "II", "III"]
    assert [r["content"] for r in rows if r["kind"] == "group"] == [master.task("III.4.1").group, master.task("III.5.1").group]
    tasks = [r for r in rows if r["kind"] == "task"]
    assert len(tasks) == 35
    i2 = next(r for r in tasks if r["tt"] == "2" and "quốc phòng" in r["content"])
    assert i2["result"].count("\n") == 2 and "Công an tỉnh: chưa báo cáo." in i2["result"]
    assert i2["status"] == "Thực hiện thường xuyên"
    ii7 = next(r for r in tasks if r["tt"] == "7" and "Phú Quốc" in r["content"])
    assert ii7["result"].endswith("Hoàn thành ngày 05/7/2022.")


def test_context_is_plain_nfc_data(config, master, merged):
    ctx = build_context(config, master, merged, Issue(45, date(2022, 9, 20)))
    assert json.loads(json.dumps(ctx, ensure_ascii=False)) == ctx
    assert all(unicodedata.is_normalized("NFC", s) for s in _all_text(ctx))
    assert "Đã trình Đề án A & B <thí điểm>." in "\n".join(_all_text(ctx))  # raw here: renderers escape


