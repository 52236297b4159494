"""Make the committed sample input: input/<period>/, the agencies' returned workbooks, filled as
real officers would (including their usual mistakes). Every file says it is sample data.

    .venv/bin/python scripts/make_sample_input.py [--config input/ke-hoach-112.toml] [--period 2022-Q3]

Without --period both sample periods are written (2022-Q2 and 2022-Q3). In the period folder the
script replaces only the sample forms it wrote before (named as it names them, and marked as sample
data); any other file there (a clerk's bien-tap.xlsx, a real agency form) is left as it is.

What it contains, quý III năm 2022:
- VPTU, SYT and CA send nothing; so task I.2 (leads BCHQS, BDBP, CA) is reported done by two of
  its three leads only.
- SKHDT sends two files: a first report dated 05/9/2022 and a fuller one dated 12/9/2022.
- SNNPTNT's file carries the usual mistakes: statuses "hoàn thành" and "Đã Hoàn Thành ",
  progress "80%", a date typed as text "30/9/2022", a done task without completion date, and one
  results cell typed in TCVN3.
- SCT's file has one refused row: progress typed 400 for 40 (III.13), so III.13 counts as not reported
  and SCT is chased for it (`baocao don-doc`).
- Some tasks done on time, some late (III.1, II.7), some in progress with difficulties and proposals.
- Proposals of each addressee ("Kiến nghị với"): to the Thủ tướng Chính phủ (SKHDT II.8, SCT III.12),
  to the Bộ Giao thông vận tải (SGTVT III.6), to the Bộ Kế hoạch và Đầu tư (SKHDT II.1), and to the
  UBND tỉnh (SKHDT II.4, STTTT II.9, SNGV III.4.1, SNNPTNT III.10).

Quý II năm 2022 (the period before, so that the Q3 report has something to compare with):
- VPTU, SYT, CA, BQLKKTPQ and SCT send nothing.
- Only III.14 is done (25/4/2022, on time); the tasks due in Quý II (III.1, III.2, III.3, III.5.1,
  III.5.2, III.9) and II.7 (Tháng 6/2022) are in progress, within their deadline at the cut-off
  14/6/2022. In Q3 six of them are reported done and III.5.2, still in progress, becomes overdue.
  No status goes backwards between the two periods.
All forms are template version 2 (version 1 forms are exercised by the tests only).
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.collection import sheet_layout as L  # noqa: E402
from pipeline.collection.agency_workbook import write_agency_workbooks  # noqa: E402
from bench.data import fill_workbook  # noqa: E402
from pipeline.plan.config import load_config  # noqa: E402
from pipeline.plan.master import load_master  # noqa: E402
from pipeline.plan.periods import parse_period  # noqa: E402
from pipeline.text.vntext import unicode_to_legacy  # noqa: E402

SAMPLE_NOTE = "DỮ LIỆU MẪU – không phải báo cáo thật"
DONE, ONGOING, NOT_STARTED = L.STATUS_DONE, L.STATUS_ONGOING, L.STATUS_NOT_STARTED
PROVINCE, PM, MINISTRY = L.PROPOSAL_TO_PROVINCE, L.PROPOSAL_TO_PM, L.PROPOSAL_TO_MINISTRY


def done(on, results, doc, **kw):
    return {"status": DONE, "completed_on": on, "progress": 100, "results": results, "output_doc": doc, **kw}


def ongoing(progress, results, **kw):
    return {"status": ONGOING, "progress": progress, "results": results, **kw}


# agency code -> (officer, title, phone, report date, answers by task id)
REPORTS_Q3 = {
    "BCHQS": ("Nguyễn Văn A (dữ liệu mẫu)", "Trợ lý Tác chiến", "0297 3862 101", date(2022, 9, 10), {
        "I.2": done(date(2022, 9, 10),
                    "Duy trì nghiêm chế độ trực sẵn sàng chiến đấu; phối hợp Công an tỉnh, Bộ đội Biên phòng tỉnh "
                    "tuần tra, kiểm soát địa bàn; tổ chức diễn tập khu vực phòng thủ huyện Giang Thành.",
                    "Báo cáo số 1520/BC-BCH ngày 10/9/2022"),
    }),
    "BDBP": ("Trần Thị B (dữ liệu mẫu)", "Trưởng phòng Tham mưu", "0297 3862 102", date(2022, 9, 9), {
        "I.2": done(date(2022, 9, 9),
                    "Tổ chức 126 lượt tuần tra biên giới, bảo vệ vững chắc chủ quyền, an ninh biên giới; phối hợp "
                    "kiểm soát chặt người xuất, nhập cảnh trái phép qua đường mòn, lối mở.",
                    "Báo cáo số 2105/BC-BĐBP ngày 09/9/2022"),
    }),
    "SKHDT": ("Lê Văn C (dữ liệu mẫu)", "Phó Trưởng phòng Tổng hợp", "0297 3862 103", date(2022, 9, 12), {
        "I.3": ongoing(75, "Đã lồng ghép nội dung Kết luận vào dự thảo Kế hoạch phát triển kinh tế - xã hội năm 2023 "
                           "và kế hoạch đầu tư công trung hạn."),
        "I.7": ongoing(70, "Tổ chức đối thoại doanh nghiệp quý III; rà soát, rút ngắn thời gian giải quyết thủ tục "
                           "đầu tư còn 15 ngày làm việc.",
                       difficulties="Một số dự án chậm giải phóng mặt bằng."),
        "II.1": ongoing(60, "Phối hợp Bộ Kế hoạch và Đầu tư xây dựng kế hoạch thực hiện Quy hoạch vùng Đồng bằng "
                            "sông Cửu Long; rà soát các quy hoạch ngành có liên quan.",
                        proposals="Đề nghị Bộ Kế hoạch và Đầu tư sớm ban hành hướng dẫn lồng ghép Quy hoạch vùng Đồng "
                                  "bằng sông Cửu Long vào Quy hoạch tỉnh.",
                        proposal_to=MINISTRY, proposal_ministry="Bộ Kế hoạch và Đầu tư"),
        "II.4": ongoing(85, "Hồ sơ Quy hoạch tỉnh đã trình Hội đồng thẩm định; đang tiếp thu ý kiến các bộ, ngành.",
                        output_doc="Tờ trình số 245/TTr-SKHĐT ngày 29/8/2022",
                        difficulties="Ý kiến của một số bộ, ngành gửi chậm so với kế hoạch.",
                        proposals="Đề nghị UBND tỉnh có văn bản đôn đốc các bộ, ngành sớm góp ý.",
                        proposal_to=PROVINCE),
        "II.5": ongoing(40, "Đã xây dựng đề cương nghiên cứu tiềm năng, lợi thế không gian biển."),
        "II.7": done(date(2022, 7, 28),
                     "Đã hoàn chỉnh dự thảo Đề án, tham mưu UBND tỉnh gửi Bộ Kế hoạch và Đầu tư.",
                     "Công văn số 1234/SKHĐT-TH ngày 28/7/2022"),
        "II.8": {"status": NOT_STARTED, "progress": 0, "results": "Chờ kết quả Quy hoạch tỉnh để làm căn cứ.",
                 "proposals": "Đề nghị Thủ tướng Chính phủ cho phép lùi thời hạn hoàn thành nhiệm vụ nghiên cứu, "
                              "đề xuất cơ chế, chính sách đầu tư phát triển các cụm đảo Nam Du, Bà Lụa, Tiên Hải "
                              "sang quý I/2023, sau khi Quy hoạch tỉnh được phê duyệt.",
                 "proposal_to": PM},
        "II.10": ongoing(50, "Đang xây dựng dự thảo kế hoạch phát triển nguồn nhân lực giai đoạn 2022 - 2025."),
        "III.9": done(date(2022, 6, 24),
                      "Đã thống nhất nguồn vốn, tham mưu UBND tỉnh trình cấp thẩm quyền bố trí vốn thực hiện.",
                      "Công văn số 1105/SKHĐT-TH ngày 24/6/2022"),
    }),
    "SNNPTNT": ("Phạm Thị D (dữ liệu mẫu)", "Chuyên viên Văn phòng Sở", "0297 3862 104", date(2022, 10, 3), {
        "I.5": {"status": "hoàn thành", "completed_on": "30/9/2022", "progress": 100,
                "results": "Không để xảy ra tàu cá vi phạm vùng biển nước ngoài trong quý III; 100% tàu cá lắp "
                           "thiết bị giám sát hành trình."},
        "II.2": {"status": ONGOING, "progress": "80%",
                 "results": "Triển khai Kế hoạch phát triển nông nghiệp bền vững; rà soát quy hoạch vùng nguyên liệu "
                            "lúa, tôm."},
        "III.1": done(date(2022, 7, 15),
                      "Đã tham mưu UBND tỉnh có văn bản góp ý Bộ Nông nghiệp và Phát triển nông thôn sửa Nghị định.",
                      "Công văn số 2341/SNNPTNT-TS ngày 15/7/2022"),
        "III.2": {"status": "Đã Hoàn Thành ", "progress": 100,
                  "results": "Đã gửi văn bản tham mưu UBND tỉnh phối hợp xây dựng Đề án.",
                  "output_doc": "Công văn số 2390/SNNPTNT-TS"},
        "III.10": ongoing(30, unicode_to_legacy("Đang làm việc với các nhà đầu tư về phương án xã hội hóa.", "tcvn3"),
                          difficulties="Khó huy động vốn xã hội hóa.",
                          proposals="Đề nghị UBND tỉnh ban hành cơ chế ưu đãi nhà đầu tư xã hội hóa.",
                          proposal_to=PROVINCE),
        "III.11": ongoing(55, "Đã tổng hợp nhu cầu vốn kết dư, chuẩn bị hồ sơ đầu tư cống Xẻo Nhàu."),
    }),
    "SNV": ("Võ Văn E (dữ liệu mẫu)", "Chuyên viên", "0297 3862 105", date(2022, 9, 13), {
        "I.6": ongoing(70, "Ban hành Kế hoạch cải cách hành chính năm 2022; kiểm tra công tác cải cách hành chính tại "
                           "8 cơ quan, địa phương."),
        "II.11": done(date(2022, 8, 19), "Đã ban hành kế hoạch thực hiện.", "Kế hoạch số 88/KH-SNV ngày 19/8/2022"),
    }),
    "STTTT": ("Đặng Thị G (dữ liệu mẫu)", "Phó Trưởng phòng", "0297 3862 106", date(2022, 9, 8), {
        "I.8": ongoing(65, "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 42%; tích hợp 312 thủ tục lên Cổng Dịch vụ công "
                           "quốc gia."),
        "II.9": ongoing(60, "Triển khai nền tảng chia sẻ, tích hợp dữ liệu cấp tỉnh; đào tạo kỹ năng số cho cán bộ.",
                        proposals="Đề nghị UBND tỉnh bổ sung kinh phí chuyển đổi số năm 2023.",
                        proposal_to=PROVINCE),
    }),
    "SKHCN": ("Huỳnh Văn H (dữ liệu mẫu)", "Chuyên viên", "0297 3862 107", date(2022, 9, 7), {
        "II.3": ongoing(45, "Hỗ trợ 06 sản phẩm đăng ký nhãn hiệu chứng nhận; tổ chức hội thảo phát triển thương hiệu "
                            "địa phương."),
    }),
    "BQLKKTPQ": ("Ngô Thị K (dữ liệu mẫu)", "Chuyên viên", "0297 3862 108", date(2022, 9, 12), {
        "II.6": ongoing(30, "Xây dựng đề cương báo cáo tổng kết; dự kiến tổ chức hội nghị trong tháng 11/2022."),
    }),
    "STNMT": ("Bùi Văn L (dữ liệu mẫu)", "Chuyên viên", "0297 3862 109", date(2022, 9, 11), {
        "III.3": done(date(2022, 6, 28), "Đã tham mưu UBND tỉnh góp ý dự thảo Nghị định sửa đổi.",
                      "Công văn số 1532/STNMT-BVMT ngày 28/6/2022"),
        "III.14": done(date(2022, 4, 25), "Đã tham mưu UBND tỉnh báo cáo Bộ Tài nguyên và Môi trường.",
                       "Báo cáo số 98/BC-STNMT ngày 25/4/2022"),
    }),
    "SNGV": ("Lý Thị M (dữ liệu mẫu)", "Chuyên viên", "0297 3862 110", date(2022, 9, 12), {
        "III.4.1": ongoing(50, "Đã trao đổi với tỉnh Kampot về thứ tự ưu tiên mở cửa khẩu; đang xin ý kiến Bộ Ngoại "
                               "giao.",
                           proposals="Đề nghị UBND tỉnh chủ trì buổi làm việc với tỉnh Kampot trong quý IV/2022.",
                           proposal_to=PROVINCE),
        "III.4.2": ongoing(40, "Phối hợp Bộ Ngoại giao chuẩn bị nội dung trao đổi với phía Campuchia."),
    }),
    "SGTVT": ("Trương Văn N (dữ liệu mẫu)", "Phó Chánh Văn phòng", "0297 3862 111", date(2022, 9, 14), {
        "III.5.1": done(date(2022, 6, 30), "Đã hoàn chỉnh hồ sơ, tham mưu UBND tỉnh gửi Bộ Giao thông vận tải.",
                        "Tờ trình số 310/TTr-SGTVT ngày 30/6/2022"),
        "III.5.2": ongoing(60, "Đang thi công cải tạo mặt đường đoạn qua thành phố Hà Tiên."),
        "III.6": ongoing(20, "Lập báo cáo đề xuất chủ trương đầu tư cầu Đông Hồ.",
                         difficulties="Chưa bố trí được 50% vốn Trung ương.",
                         proposals="Đề nghị Bộ Giao thông vận tải xem xét bố trí vốn Trung ương cho dự án đầu tư "
                                   "cầu Đông Hồ trong kế hoạch đầu tư công năm 2023.",
                         proposal_to=MINISTRY, proposal_ministry="Bộ Giao thông vận tải"),
        "III.7": ongoing(35, "Đã có văn bản thống nhất phương án đầu tư với Bộ Giao thông vận tải."),
        "III.8": {"status": NOT_STARTED, "progress": 0, "results": "Đang tìm nhà tài trợ lập quy hoạch."},
    }),
    "SCT": ("Phan Thị P (dữ liệu mẫu)", "Chuyên viên", "0297 3862 112", date(2022, 9, 13), {
        "III.12": ongoing(25, "Chuẩn bị hồ sơ, thủ tục; chờ Thủ tướng Chính phủ phê duyệt dự án.",
                          proposals="Đề nghị Thủ tướng Chính phủ sớm xem xét, phê duyệt dự án để tỉnh triển khai.",
                          proposal_to=PM),
        # typed 400 for 40: the row is refused (progress outside 0–100), the task goes unreported
        "III.13": ongoing(400, "Làm việc với EVN SPC về phương án tiếp nhận lưới điện xã đảo."),
    }),
}

# SKHDT's first report, a week earlier and thinner.
FIRST_SKHDT = (date(2022, 9, 5), {
    "I.3": ongoing(60, "Đang lồng ghép nội dung Kết luận vào dự thảo kế hoạch năm 2023."),
    "I.7": ongoing(60, "Chuẩn bị đối thoại doanh nghiệp quý III."),
    "II.4": ongoing(80, "Hồ sơ Quy hoạch tỉnh đang chờ thẩm định."),
    "II.7": done(date(2022, 7, 28), "Đã gửi dự thảo Đề án.", "Công văn số 1234/SKHĐT-TH ngày 28/7/2022"),
})


# Quý II: the same officers, three months earlier; most tasks still in progress.
REPORTS_Q2 = {
    "BCHQS": ("Nguyễn Văn A (dữ liệu mẫu)", "Trợ lý Tác chiến", "0297 3862 101", date(2022, 6, 10), {
        "I.2": ongoing(50, "Duy trì nghiêm chế độ trực sẵn sàng chiến đấu; phối hợp Công an tỉnh, Bộ đội Biên phòng "
                           "tỉnh tuần tra, kiểm soát địa bàn; chuẩn bị diễn tập khu vực phòng thủ huyện Giang Thành."),
    }),
    "BDBP": ("Trần Thị B (dữ liệu mẫu)", "Trưởng phòng Tham mưu", "0297 3862 102", date(2022, 6, 9), {
        "I.2": ongoing(50, "Tổ chức 118 lượt tuần tra biên giới, bảo vệ vững chắc chủ quyền, an ninh biên giới; "
                           "phối hợp kiểm soát người xuất, nhập cảnh trái phép qua đường mòn, lối mở."),
    }),
    "SKHDT": ("Lê Văn C (dữ liệu mẫu)", "Phó Trưởng phòng Tổng hợp", "0297 3862 103", date(2022, 6, 13), {
        "I.3": ongoing(50, "Đang nghiên cứu, lồng ghép nội dung Kết luận vào kế hoạch phát triển kinh tế - xã hội "
                           "năm 2023."),
        "I.7": ongoing(50, "Rà soát thủ tục đầu tư; chuẩn bị đối thoại doanh nghiệp quý III."),
        "II.1": ongoing(40, "Rà soát các quy hoạch ngành có liên quan đến Quy hoạch vùng Đồng bằng sông Cửu Long."),
        "II.4": ongoing(60, "Hoàn thiện hồ sơ Quy hoạch tỉnh; tổng hợp ý kiến các sở, ngành, địa phương.",
                        difficulties="Khối lượng hồ sơ lớn, thời gian tiếp thu ý kiến ngắn."),
        "II.5": {"status": NOT_STARTED, "progress": 0, "results": "Dự kiến triển khai trong quý III/2022."},
        "II.7": ongoing(60, "Đang xây dựng dự thảo Đề án, lấy ý kiến các sở, ngành."),
        "II.8": {"status": NOT_STARTED, "progress": 0, "results": "Chờ kết quả Quy hoạch tỉnh để làm căn cứ."},
        "II.10": ongoing(30, "Đang khảo sát nhu cầu nguồn nhân lực của các ngành, lĩnh vực."),
        "III.9": ongoing(80, "Đang tổng hợp nhu cầu, đề xuất nguồn vốn thực hiện.",
                         proposals="Đề nghị Bộ Kế hoạch và Đầu tư sớm thông báo kế hoạch vốn đầu tư công năm 2022 "
                                   "bổ sung cho tỉnh.",
                         proposal_to=MINISTRY, proposal_ministry="Bộ Kế hoạch và Đầu tư"),
    }),
    "SNNPTNT": ("Phạm Thị D (dữ liệu mẫu)", "Chuyên viên Văn phòng Sở", "0297 3862 104", date(2022, 6, 10), {
        "I.5": ongoing(50, "Tuyên truyền ngư dân không vi phạm vùng biển nước ngoài; kiểm tra thiết bị giám sát "
                           "hành trình tàu cá."),
        "II.2": {"status": ONGOING, "progress": "60%",
                 "results": "Triển khai Kế hoạch phát triển nông nghiệp bền vững; rà soát vùng nguyên liệu lúa, tôm."},
        "III.1": ongoing(50, "Đang tổng hợp ý kiến góp ý sửa đổi Nghị định."),
        "III.2": ongoing(40, "Đang phối hợp xây dựng Đề án."),
        "III.10": {"status": NOT_STARTED, "progress": 0, "results": "Đang kêu gọi nhà đầu tư xã hội hóa."},
        "III.11": ongoing(30, "Đang tổng hợp nhu cầu vốn kết dư."),
    }),
    "SNV": ("Võ Văn E (dữ liệu mẫu)", "Chuyên viên", "0297 3862 105", date(2022, 6, 8), {
        "I.6": ongoing(50, "Triển khai Kế hoạch cải cách hành chính năm 2022; kiểm tra tại 4 cơ quan, địa phương."),
        "II.11": ongoing(40, "Đang xây dựng dự thảo kế hoạch thực hiện."),
    }),
    "STTTT": ("Đặng Thị G (dữ liệu mẫu)", "Phó Trưởng phòng", "0297 3862 106", date(2022, 6, 9), {
        "I.8": ongoing(55, "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 35%; tích hợp 250 thủ tục lên Cổng Dịch vụ công "
                           "quốc gia."),
        "II.9": ongoing(45, "Triển khai nền tảng chia sẻ, tích hợp dữ liệu cấp tỉnh."),
    }),
    "SKHCN": ("Huỳnh Văn H (dữ liệu mẫu)", "Chuyên viên", "0297 3862 107", date(2022, 6, 10), {
        "II.3": ongoing(30, "Hỗ trợ 04 sản phẩm đăng ký nhãn hiệu chứng nhận."),
    }),
    "STNMT": ("Bùi Văn L (dữ liệu mẫu)", "Chuyên viên", "0297 3862 109", date(2022, 6, 11), {
        "III.3": ongoing(80, "Đang tổng hợp ý kiến các sở, ngành để tham mưu UBND tỉnh góp ý dự thảo Nghị định."),
        "III.14": done(date(2022, 4, 25), "Đã tham mưu UBND tỉnh báo cáo Bộ Tài nguyên và Môi trường.",
                       "Báo cáo số 98/BC-STNMT ngày 25/4/2022"),
    }),
    "SNGV": ("Lý Thị M (dữ liệu mẫu)", "Chuyên viên", "0297 3862 110", date(2022, 6, 12), {
        "III.4.1": ongoing(30, "Đã có văn bản đề nghị tỉnh Kampot trao đổi về việc mở cửa khẩu."),
        "III.4.2": ongoing(20, "Đang rà soát hồ sơ các cặp cửa khẩu."),
    }),
    "SGTVT": ("Trương Văn N (dữ liệu mẫu)", "Phó Chánh Văn phòng", "0297 3862 111", date(2022, 6, 13), {
        "III.5.1": ongoing(70, "Đang hoàn chỉnh hồ sơ trình Bộ Giao thông vận tải."),
        "III.5.2": ongoing(40, "Đang thi công cải tạo mặt đường đoạn qua thành phố Hà Tiên.",
                           difficulties="Mưa nhiều, ảnh hưởng tiến độ thi công."),
        "III.6": ongoing(10, "Đang lập báo cáo đề xuất chủ trương đầu tư cầu Đông Hồ."),
        "III.7": ongoing(20, "Đang làm việc với Bộ Giao thông vận tải về phương án đầu tư."),
        "III.8": {"status": NOT_STARTED, "progress": 0, "results": "Chưa có nguồn kinh phí lập quy hoạch."},
    }),
}


@dataclass(frozen=True)
class Sample:
    generated: datetime                     # when the blank forms were generated
    reports: dict                           # REPORTS_* above
    silent: tuple[str, ...]                 # lead agencies that send nothing
    first_reports: dict = field(default_factory=dict)   # code -> (date, answers): an earlier, thinner file


SAMPLES = {
    "2022-Q2": Sample(datetime(2022, 6, 1, 8, 0), REPORTS_Q2, ("VPTU", "SYT", "CA", "BQLKKTPQ", "SCT")),
    "2022-Q3": Sample(datetime(2022, 9, 1, 8, 0), REPORTS_Q3, ("VPTU", "SYT", "CA"), {"SKHDT": FIRST_SKHDT}),
}


def _written_before(path: Path, period, master) -> bool:
    """A sample form this script wrote: named as it names them and marked as sample data."""
    from openpyxl import load_workbook

    if not re.fullmatch(rf"{re.escape(period.code)}_({'|'.join(map(re.escape, master.lead_codes()))})_"
                        r"[A-Za-z0-9-]+(_lan-\d+)?\.xlsx", path.name):
        return False
    try:
        wb = load_workbook(path, read_only=True)
        try:
            return wb[L.SHEET_REPORT][L.HEADER_BY_KEY["note"].value_cell].value == SAMPLE_NOTE
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 - not a readable form: not ours
        return False


def write_sample(config, master, code: str) -> list[Path]:
    sample = SAMPLES[code]
    period = parse_period(code, config.reporting_year)
    out = config.input_dir / period.code
    out.mkdir(parents=True, exist_ok=True)
    for old in sorted(out.glob("*.xlsx")):
        if _written_before(old, period, master):
            old.unlink()
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        blanks = {p.name.split("_")[1]: p for p in
                  write_agency_workbooks(master, period, Path(tmp), sample.generated, config=config)}
        for agency, (officer, title, phone, when, answers) in sample.reports.items():
            head = {"officer_name": officer, "officer_title": title, "officer_phone": phone,
                    "report_date": when, "note": SAMPLE_NOTE}
            target = out / blanks[agency].name
            if agency in sample.first_reports:
                first_date, first = sample.first_reports[agency]
                written.append(fill_workbook(blanks[agency], target.with_name(target.stem + "_lan-1.xlsx"),
                                             {**head, "report_date": first_date}, first))
                target = target.with_name(target.stem + "_lan-2.xlsx")
            written.append(fill_workbook(blanks[agency], target, head, answers))
        assert not set(sample.silent) & set(sample.reports)
        assert set(sample.silent) | set(sample.reports) == set(master.lead_codes())
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", type=Path, default=ROOT / "input" / "ke-hoach-112.toml")
    ap.add_argument("--period", choices=sorted(SAMPLES), help="một kỳ (mặc định: mọi kỳ mẫu)")
    args = ap.parse_args(argv)
    config = load_config(args.config)
    master = load_master(config.master_path)
    for code in [args.period] if args.period else sorted(SAMPLES):
        written = write_sample(config, master, code)
        print(f"Đã tạo {len(written)} phiếu mẫu trong {config.input_dir / code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
