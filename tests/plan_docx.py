"""Test helper: build the appendix of Kế hoạch 112/KH-UBND as a Word file.

The content is the scan's (shared/seeds/000_…txt) with its scanning errors kept, laid out as in
the scan: one table per page, each starting with the repeated header row, rows cut at page
ends and continued on the next page with an empty TT. In the data below "\n" separates the
paragraphs of a cell and <i>…</i> marks an italic run; the builder turns both into real Word
structure, so the file holds no markup.
"""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.shared import Pt

HEADER = ("TT", "Nội dung", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp",
          "Thời gian thực hiện", "Sản phẩm")


class Section:
    """A section row. `form`: "split" = TT cell + title merged over the other five cells;
    "first" = "II TITLE" in the first cell, others empty; "merged" = "III TITLE" over all six."""

    def __init__(self, numeral: str, title: str, form: str):
        self.numeral, self.title, self.form = numeral, title, form


def row(tt="", content="", lead="", coord="", deadline="", product=""):
    return [tt, content, lead, coord, deadline, product]


SDT = "Sở Kế hoạch và Đầu tư"
SNN = "Sở Nông nghiệp và Phát triển nông thôn"
SGT = "Sở Giao thông vận tải"
ALL = "Các Sở, ngành và các địa phương"

# One list per page of the scan.
PAGES = [
    [
        Section("I", "CÁC NHIỆM VỤ TRỌNG TÂM THỰC HIỆN THƯỜNG XUYÊN", "split"),
        row("1", "Tiếp tục coi trọng công tác xây dựng Đảng và hệ thống chính trị trong sạch, "
             "vững mạnh; nâng cao năng lực lãnh đạo và sức chiến đấu của tổ chức Đảng và đảng "
             "viên. Thực hiện hiệu quả Nghị quyết Trung ương 4 khóa XI, XII về xây dựng Đảng gắn "
             "với đẩy mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
             "đề nghị Văn phòng Tỉnh Ủy tham mưu Thường trực Tỉnh ủy giao cơ quan tham mưu thực "
             "hiện nội dung này", ALL, "Hàng năm"),
        row("2", "Củng cố quốc phòng, an ninh, giữ vững an ninh, chính trị, trật tự, an toàn xã "
             "hội, tạo môi trường thuận lợi phát triển kinh tế - xã hội nhanh, bền vững",
             "Bộ Chỉ huy Quân sự tỉnh; Bộ Chỉ huy Bộ đội biên phòng; Công an tỉnh",
             "UBND các huyện, thành phố", "Thường xuyên"),
    ],
    [
        row(lead="(theo chức năng, nhiệm vụ của ngành)"),
        row("3", "- Triển khai thực hiện hiệu quả các tư tưởng, quan điểm chỉ đạo, chủ trương, "
             "đường lối, chính sách trong Nghị quyết Đại hội XIII của Đảng, Nghị quyết Đại hội XI "
             "của Đảng bộ tỉnh và Nghị quyết Đại hội Đảng bộ các cấp; văn bản chỉ đạo, chỉ thị, "
             "nghị quyết, kết luận của Trung ương Đảng, Quốc hội, Chính phủ trong phát triển kinh "
             "tế - xã hội;\n"
             "- Phát huy tinh thần đoàn kết, tự lực, tự cường vươn lên mạnh mẽ bằng sức mạnh nội "
             "lực; khắc phục bằng được những hạn chế, tồn tại. Bám sát thực tiễn, tôn trọng thực "
             "tiễn, xuất phát từ thực tiễn, lấy thực tiễn làm thước đo; kiên định về mục tiêu "
             "nhưng phải chủ động, sáng tạo, linh hoạt trong tổ chức thực hiện. Tiếp tục hành "
             "động quyết liệt hơn, nỗ lực hơn, sáng tạo hơn, phấn đấu đạt kết quả cao nhất nhiệm "
             "vụ năm 2022 và kế hoạch phát triển kinh tế - xã hội giai đoạn 2021 - 2025. ",
             SDT, ALL, "Hàng năm",
             "Lồng ghép nội dung thực hiện vào các quy hoạch, chương trình, đề án, dự án và Kế "
             "hoạch phát triển kinh tế - xã hội"),
    ],
    [
        row("4", "Kiểm soát thật tốt và thực hiện hiệu quả phương châm “Thích ứng an toàn, linh "
             "hoạt, kiểm soát hiệu quả dịch Covid-19”, tạo nền tảng phục hồi nhanh, phát triển "
             "bền vững.", "Sở Y tế", ALL, "Thường xuyên"),
        row("5", "Kiểm soát, chấm dứt tình trạng khai thác thủy sản bất hợp pháp để khắc phục "
             "thẻ vàng IUU", SNN,
             "Các lực lượng chức năng và UBND các huyện, thành phố có biển", "Thường xuyên"),
        row("6", "Thực hiện cải cách hành chính", "Sở Nội vụ", ALL, "Thường xuyên"),
        row("7", "Cải thiện môi trường đầu tư kinh doanh", SDT, ALL, "Thường xuyên"),
        row("8", "Đẩy mạnh dịch vụ công trực tuyến.", "Sở Thông tin và Truyền thông", ALL,
             "Thường xuyên"),
        Section("II", "CÁC NHIỆM VỤ, GIẢI PHÁP VỀ NGHIÊN CỨU XÂY DỰNG CƠ CHẾ, CHÍNH SÁCH ĐỂ CỤ "
                "THỂ HÓA THỰC HIỆN", "first"),
        row("1", "Triển khai thực hiện hiệu quả quy hoạch vùng Đồng bằng sông Cửu Long", SDT,
             ALL, "Hàng năm",
             "- Phối hợp với Bộ Kế hoạch và Đầu tư và các bộ, ngành liên quan xây dựng và trình "
             "Thủ tướng Chính phủ ban hành kế hoạch, chính sách, giải pháp và bố trí nguồn lực "
             "thực hiện quy hoạch; nghiên"),
    ],
    [
        row(product="cứu, đề xuất cơ quan nhà nước có thẩm quyền ban hành một số cơ chế, chính "
             "sách đặc thù nhằm thực hiện có hiệu quả những mục tiêu và định hướng phát triển đã "
             "đề ra trong quy hoạch.\n"
             "- Phối hợp với các bộ, ngành tổ chức các hoạt động xúc tiến, kêu gọi đầu tư đảm "
             "bảo có sự phối hợp liên tỉnh nhằm nâng cao hiệu quả đầu tư, tuyên truyền, quảng "
             "bá, thu hút các nhà đầu tư trong và ngoài nước và các thành phần kinh tế tham gia "
             "thực hiện quy hoạch.\n"
             "- Tổ chức rà soát, đánh giá, điều chỉnh hoặc lập mới các quy hoạch, kế hoạch, các "
             "chương trình, dự án đầu tư phù hợp với Quy hoạch vùng đồng bằng sông Cửu Long thời "
             "kỳ 2021 - 2030, tầm nhìn đến năm 2050.\n"
             "- Tổ chức giám sát, kiểm tra việc thực hiện các dự án đầu tư phát triển trên địa "
             "bàn theo chức năng được phân công, báo cáo Thủ tướng Chính phủ."),
    ],
    [
        row("2", "- Triển khai thực hiện hiệu quả chiến lược phát triển nông nghiệp, nông thôn "
             "bền vững đến năm 2030, tầm nhìn 2050;\n- Quy hoạch vùng sản xuất nguyên liệu",
             "Sở Nông nghiệp và PTNT", ALL, "Hàng năm"),
        row("3", "Xây dựng thương hiệu các sản phẩm. Triển khai có hiệu quả việc hỗ trợ xây "
             "dựng, phát triển thương hiệu địa phương tại các Quyết định số 2927/QĐ-UBND ngày "
             "29/11/2021; Quyết định số 3040/QĐ-UBND ngày 08/12/2021 và Kế hoạch số 45/KH-UBND "
             "ngày 02/3/2022 của UBND tỉnh", "Sở Khoa học và Công nghệ", ALL,
             "Giai đoạn 2021 - 2030"),
        row("4", "Khẩn trương hoàn thành lập Quy hoạch tỉnh Kiên Giang thời kỳ 2021 - 2030, tầm "
             "nhìn đến năm 2050 trong Quý 3 năm 2022, lưu ý trong Quy hoạch tinh phải thực hiện "
             "4 tốt (<i>quy hoạch tốt thì có dự án tốt, dự án tốt thì có nhà đầu tư tốt, nhà đầu "
             "tư tốt thì có sản phẩm tốt</i>), xác định rõ tiềm năng khác biệt, cơ hội nổi trội, "
             "lợi thế cạnh tranh để có giải pháp phù hợp thúc đẩy phát triển.", SDT,
             "Các Sở, ngành có liên quan và UBND các huyện, thành phố", "Tháng 9/2022",
             "Trình duyệt Hồ sơ quy hoạch tinh"),
        row("5", "Nghiên cứu, đánh giá tiềm năng, lợi thế không gian biển để đẩy mạnh phát triển "
             "bền vững kinh tế biển gắn với tăng trưởng xanh, bảo đảm quốc phòng, an ninh. Tiếp "
             "tục liên kết, cơ cấu lại các", SDT,
             "Các Sở, ban, ngành và UBND các huyện, thành phố có liên quan", "Quý IV/2022"),
    ],
    [
        row(content="ngành, lĩnh vực theo hướng nâng cao năng suất, chất lượng, phát huy tiềm "
             "năng, lợi thế của biển, tạo động lực phát triển kinh tế của tỉnh, thu hút các nhà "
             "đầu tư phát triển hạ tầng vùng biển, ven biển."),
        row("6", "Tổ chức tổng kết, đánh giá, phát huy những kinh nghiệm tốt, đặc biệt là phát "
             "triển Phú Quốc thành trung tâm du lịch quốc tế.", "Ban Quản lý Khu kinh tế Phú Quốc",
             "UBND thành phố Phú Quốc và các Sở, ban, ngành có liên quan", "Quý IV/2022",
             "Tổ chức Hội nghị tổng kết đầu tư, phát triển Phú Quốc thành trung tâm du lịch quốc "
             "tế"),
        row("7", "Chủ động phối hợp với các bộ, ngành Trung ương sớm trình Thủ tướng Chính phủ "
             "“Đề án thí điểm một số cơ chế chính sách đặc thù phát triển thành phố Phú Quốc” để "
             "thu hút các nhà đầu tư lớn, có năng lực thực sự, tạo điều kiện cho Phú Quốc phát "
             "triển trở thành trung tâm du lịch, dịch vụ của cả nước, khu vực Đông Nam Á và Quốc "
             "tế.", SDT, "UBND thành phố Phú Quốc và các Sở, ban, ngành có liên quan",
             "Tháng 6/2022",
             "Dự thảo Đề án thí điểm một số cơ chế chính sách đặc thù phát triển thành phố Phú "
             "Quốc"),
        row("8", "Nghiên cứu đề xuất các cơ chế, chính sách đầu tư phát triển các cụm đảo Nam "
             "Du, Bà Lụa, Tiên Hải để phát triển du lịch và dịch vụ có giá trị", SDT,
             "UBND các huyện, thành phố: Hà Tiên, Kiên Lương, Kiên Hải và các Sở, ban, ngành có "
             "liên quan", "Quý IV/2022",
             "- Tờ tình xin chủ trương của Chính phủ;\n- Dự thảo Đề án về một số cơ chế, chính "
             "sách đầu tư phát triển các cụm đảo Nam Du, Bà Lụa, Tiên Hải để phát triển du lịch "
             "và dịch vụ có giá trị."),
    ],
    [
        row("9", "Thực hiện chuyển đổi số", "Sở Thông tin và Truyền thông", ALL,
             "Theo kế hoạch"),
        row("10", "Quy hoạch nguồn nhân lực và nâng cao chất lượng nguồn nhân lực.", SDT,
             "Các Sở, ban, ngành và UBND các huyện, thành phố", "Theo kế hoạch",
             "Xây dựng kế hoạch thực hiện"),
        row("11", "Tăng cường phân cấp, phân quyền, cá thể hóa trách nhiệm đi đôi với kiểm tra, "
             "giám sát, kiểm soát quyền lực hiệu quả. Xây dựng bộ máy tinh gọn, hiệu lực, hiệu "
             "quả gắn với đạo tạo đội ngũ cán bộ, công chức, viên chức đủ phẩm chất, năng lực và "
             "uy tín, ngang tầm nhiệm vụ; có cơ chế khuyến khích, bảo vệ cán bộ đổi mới, sáng "
             "tạo, dám nghĩ, dám làm, dám chịu trách nhiệm vì lợi ích chung", "Sở Nội vụ",
             "Mời Ban Tổ chức Tỉnh ủy; Các Sở, ban, ngành và UBND các huyện, thành phố",
             "Theo kế hoạch", "Xây dựng kế hoạch thực hiện"),
        Section("III", "THỰC HIỆN CÁC NHIỆM VỤ CỤ THỂ", "merged"),
        row("1", "Về cơ chế khoanh nợ tàu khai thác thủy sản chò chuyền đổi ngành nghề", SNN,
             "Sở Tài chính, Ngân hàng Nhà nước Việt Nam chi nhánh Kiên Giang; Hội Thủy sản tỉnh "
             "và", "Quý II/2022",
             "Văn bản tham mưu UBND tỉnh phối hợp với Bộ Nông nghiệp và Phát triển nông thôn "
             "trong quá trình sửa Nghị định"),
    ],
    [
        row(coord="UBND các huyện, thành phố"),
        row("2", "Về việc ban hành chính sách hỗ trợ chuyển đổi một số nghề khai thác thủy sản "
             "sang các ngành, nghề khác", SNN,
             "Sở Kế hoạch và Đầu tư, Sở Tài chính, Ngân hàng Nhà nước Việt Nam chi nhánh Kiên "
             "Giang; Hội Thủy sản tỉnh và UBND các huyện, thành phố", "Quý II/2022",
             "Văn bản tham mưu UBND tỉnh phối hợp với Bộ Nông nghiệp và Phát triển nông thôn "
             "trong quá trình xây dựng Đề án"),
        row("3", "Về việc giao khu vực biển để nuôi trồng thủy sản theo Đề án “<i>Phát triển "
             "nuôi biển theo hướng bền vững đến năm 2030</i>”; địa phương được quyết định giao "
             "khu vực biển thuộc phạm vi nằm ngoài vùng biển 06 hải lý",
             "Sở Tài nguyên và Môi trường",
             "Các Sở: Kế hoạch và Đầu tư, Nông nghiệp và Phát triển nông thôn; và UBND các "
             "huyện, thành phố", "Quý II/2022",
             "Văn bản tham mưu UBND tỉnh phối hợp với Bộ Tài nguyên và Môi trường trong quá "
             "trình sửa Nghị định"),
        row("4", "Về mở cửa khẩu phụ tuyến biên giới"),
        row("4.1", "Tỉnh Kiên Giang trao đổi, thống nhất với các địa phương của Campuchia về mở "
             "cửa khẩu mới và xin ý kiến các Bộ ngành liên quan để có cơ sở báo cáo Chính phủ "
             "quyết định", "Sở Ngoại vụ",
             "- BCH BĐBP tỉnh, Ban quản lý KKT tỉnh, BQL KKTCK Hà Tiên, Thành phố Hà",
             "Quý III/2022",
             "Lựa chọn thứ tự cửa khẩu ưu tiên cần mở. Trên cơ sở đó có văn bản tham mưu UBND "
             "tỉnh trao đổi với địa phương"),
    ],
    [
        row(coord="Tiên, huyện Giang Thành", product="nước bạn; xin ý kiến Bộ, ngành có liên "
             "quan"),
        row("4.2", "Giao Bộ Ngoại giao chủ trì, phối hợp với các cơ quan và địa phương liên "
             "quan, xem xét, trao đổi với Campuchia về các vấn đề liên quan đến cửa khẩu biên "
             "giới đất liền, trong đó có kiến nghị của tỉnh Kiên Giang", "Sở Ngoại vụ",
             "- BCH BĐBP tỉnh, Ban quản lý KKT tỉnh, BQL KKTCK Hà Tiên; UBND: thành phố Hà "
             "Tiên, huyện Giang Thành", "Năm 2022"),
        row("5", "Về chủ trương điều chuyển đoạn tuyến Quốc lộ 80 cho tỉnh Kiên Giang quản lý, "
             "khai thác; sử dụng ngân sách địa phương cải tạo, nâng cấp mặt đường và đầu tư các "
             "hạng mục cần thiết khác:"),
        row("5.1", "Đồng ý về chủ trương, giao Bộ Giao thông vận tải chủ trì, phối hợp với Tỉnh "
             "xác định cụ thể phạm vi đoạn tuyến bàn giao cho tỉnh Kiên Giang quản lý, khai "
             "thác. Trên cơ sở đề nghị của Bộ Giao thông vận tải, giao Bộ Tài chính xem xét, "
             "quyết định việc điều chuyển tài sản về địa phương theo đúng quy định pháp luật.",
             SGT, "Sở Kế hoạch và Đầu tư, Sở Tài chính và UBND các huyện, thành phố có liên quan",
             "Quý II/2022",
             "Hoàn chỉnh hồ sơ, tham mưu UBND tỉnh gửi các Bộ theo quy định và hướng dẫn."),
    ],
    [
        row("5.2", "Trong thời gian chờ điều chuyển tài sản, đồng ý về nguyên tắc giao Ủy ban "
             "nhân dân tỉnh Kiên Giang thực hiện cải tạo, đầu tư các hạng mục cần thiết theo dự "
             "án đã được phê duyệt bằng nguồn vốn ngân sách địa phương. Giao Bộ Giao thông vận "
             "tải phối hợp chặt chẽ với Tỉnh đảm bảo việc đầu tư phù hợp với quy hoạch và các "
             "quy định hiện hành.", SGT,
             "Sở Kế hoạch và Đầu tư, Sở Tài chính và UBND các huyện, thành phố có liên quan",
             "Quý II/2022",
             "Thủ tục tiếp tục triển khai thực hiện cải tạo, đầu tư các hạng mục cần thiết khác "
             "theo dự án đã được phê duyệt bằng nguồn vốn ngân sách địa phương"),
        row("6", "Về đầu tư cầu Đông Hồ, thành phố Hà Tiên", SGT,
             "Các Sở: Kế hoạch và Đầu tư, Tài chính, Xây dựng, Tài nguyên và Môi trường; UBND "
             "thành phố Hà Tiên", "Giai đoạn 2021-2025",
             "Lập hồ sơ, thủ tục đầu tư theo quy định. Tham mưu UBND tỉnh tranh thủ Bộ ngành TW "
             "để bố trí 50% vốn; còn lại phối hợp với Sở Kế hoạch và Đầu tư để tham mưu bố trí "
             "vốn thực hiện"),
        row("7", "Về mở rộng Cảng hàng không quốc tế Phú Quốc", "Sở Giao thông và vận tải",
             "Các Sở: Kế hoạch và Đầu tư, Xây dựng, Tài chính, Tài nguyên và Môi trường, Nông "
             "nghiệp và Phát triển nông thôn. UBND thành phố Phú Quốc, Ban",
             "Giai đoạn 2021-2025",
             "Tham mưu UBND tỉnh có văn bản thống nhất với Bộ Giao thông vận tải về phương án "
             "đầu tư. Theo dõi tiến độ quy hoạch, đầu tư mở rộng"),
    ],
    [
        row(coord="Quản lý Khu kinh tế Phú Quốc"),
        row("8", "Về quy hoạch, đầu tư, mở rộng sân bay Rạch Giá", SGT,
             "Các Sở: Kế hoạch và Đầu tư, Xây dựng, Tài chính, Tài nguyên và Môi trường, Nông "
             "nghiệp và Phát triển nông thôn, UBND thành phố Rạch Giá, huyện Châu Thành",
             "Giai đoạn 2021-2025",
             "Làm việc với nhà tài trợ sản phẩm quy hoạch; tham mưu UBND tỉnh việc lập, trình "
             "thẩm định và phê duyệt quy hoạch mở rộng sân bay theo quy định."),
        row("9", "Về phần vốn ngân sách Trung ương còn thiếu của dự án Cảng hành khách quốc tế "
             "Phú Quốc (476,972 tỷ đồng)", SDT,
             "UBND thành phố Phú Quốc và các Sở: Tài chính, Giao thông vận tải", "Quý II/2022",
             "Thông nhất nguồn vốn trình cấp thẩm quyền bố trí vốn thực hiện. Hướng dẫn chủ đầu "
             "tư dự án việc điều chỉnh thủ tục đầu tư theo quy định."),
        row("10", "Về việc đầu tư xây dựng 9 công cồn lại (<i>trong tổng số 18 công trên tuyến "
             "đê biển, ven biển tỉnh Kiên Giang</i>)", SNN,
             "Sở Kế hoạch và Đầu tư, Sở Tài chính, BQL Dự án ĐTXD các công trình nông nghiệp và "
             "phát triển nông thôn", "Năm 2022",
             "Thông nhất với các Sở, ngành về việc xã hội hóa đầu tư. Trường hợp khó khăn, tham "
             "mưu UBND tỉnh báo cáo cấp thẩm quyền cân đối vốn hỗ trợ đầu tư"),
    ],
    [
        row("11", "Về sử dụng vốn kết dư để đầu tư công Xéo Nhàu (huyện An Minh)", SNN,
             "Sở Kế hoạch và Đầu tư, Sở Tài chính, BQL Dự án ĐTXD các công trình nông nghiệp và "
             "phát triển nông thôn", "Năm 2022",
             "Tham mưu UBND tỉnh tranh thủ các Bộ, ngành Trung ương trong việc sử dụng vốn kết "
             "dư"),
        row("12", "Về việc đầu tư kéo điện lưới quốc gia cho 02 xã đảo An Sơn và Nam Du:",
             "Sở Công Thương",
             "Các Sở: Kế hoạch và Đầu tư, Tài chính, Tài nguyên và Môi trường, Nông nghiệp và "
             "Phát triển nông thôn, UBND huyện Kiên Hải",
             "Theo quyết định phê duyệt của Thủ tướng",
             "Chuẩn bị kỹ các thủ tục, điều kiện để tham mưu triển khai ngay sau khi được Thủ "
             "tướng Chính phủ, Bộ Công Thương phê duyệt"),
        row("13", "Về việc tiếp nhận hệ thống điện và quản lý vận hành, bán điện trên địa bàn các "
             "xã đảo An Sơn, Nam Du và Thỏ Châu", "Sở Công Thương",
             "Sở Tài chính, Sở Tư pháp, UBND huyện Kiên Hải", "Năm 2022 - 2023",
             "Tham mưu UBND tỉnh làm việc, thống nhất với các Bộ, ngành TW và EVN việc tiếp "
             "nhận"),
        row("14", "Phân cấp cho địa phương được quyết định chuyển mục đích sử dụng đất rừng, đất "
             "lúa", "Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn, Sở "
             "Tư pháp", "Tháng 4/2022",
             "Tham mưu UBND tỉnh phối hợp với Bộ Tài nguyên và Môi trường để báo cáo Chính phủ "
             "trong tháng 4/2022"),
    ],
]

# Broken variants: (page index, TT of the row, column index, new cell text).
# Where each lands in the file (table n, row r counting the header row) is asserted by the tests.
VARIANTS = {
    "unknown_agency": (5, "6", 2, "Sở Du lịch biển đảo"),          # II.6 lead
    "bad_deadline": (2, "5", 4, "Sớm nhất có thể"),                 # I.5 deadline
    "empty_content": (11, "12", 1, ""),                              # III.12 content
    "formula": (6, "10", 5, "=Xây dựng kế hoạch thực hiện"),        # II.10 product
}

_ITALIC = re.compile(r"(<i>.*?</i>)")


def _fill(cell, text: str) -> None:
    """Write `text` into a cell: one paragraph per line, <i>…</i> as italic runs."""
    paragraphs = text.split("\n")
    for i, line in enumerate(paragraphs):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        for part in _ITALIC.split(line):
            if not part:
                continue
            if part.startswith("<i>"):
                p.add_run(part[3:-4]).italic = True
            else:
                p.add_run(part)


def _add_table(doc, rows) -> None:
    table = doc.add_table(rows=1 + len(rows), cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER):
        _fill(cell, text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for r, row in enumerate(rows, start=1):
        cells = table.rows[r].cells
        if isinstance(row, Section):
            if row.form == "split":
                _fill(cells[0], row.numeral)
                _fill(cells[1].merge(cells[5]), row.title)
            elif row.form == "first":
                _fill(cells[0], f"{row.numeral} {row.title}")
            else:
                _fill(cells[0].merge(cells[5]), f"{row.numeral} {row.title}")
            continue
        for cell, text in zip(cells, row):
            if text:
                _fill(cell, text)


def build_plan_docx(path: Path, variant: str | None = None) -> Path:
    """Write the plan's appendix to `path`; `variant` (a key of VARIANTS) breaks one cell."""
    pages = [[r if isinstance(r, Section) else list(r) for r in page] for page in PAGES]
    if variant is not None:
        page, tt, col, value = VARIANTS[variant]
        row = next(r for r in pages[page] if not isinstance(r, Section) and r[0] == tt)
        row[col] = value
    return build_pages_docx(path, pages)


def build_pages_docx(path: Path, pages: list[list]) -> Path:
    """Write an appendix of the given pages (lists of Section / 6-cell rows) to `path`."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    doc.add_paragraph("Phụ lục").runs[0].bold = True
    doc.add_paragraph("Nội dung nhiệm vụ giao cho các Sở, ban, ngành thực hiện")
    doc.add_paragraph("(kèm theo Kế hoạch số 112/KH-UBND ngày 09 tháng 5 năm 2022 của Ủy ban "
                      "nhân dân tỉnh)").runs[0].italic = True
    for i, rows in enumerate(pages):
        if i:
            doc.add_page_break()
        _add_table(doc, rows)
    doc.save(path)
    return path
