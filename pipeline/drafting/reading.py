"""What the drafting reads in the agencies' answers and the plan's text, by named rules.

`voice` decides how an agency sentence may be said; these rules decide where a fact belongs in the
body. Each rule reads text and never writes words of the report (those are the phrasebook's).

Rules (the names are shown to the clerk where a rule moved something):
- hanh-dong / su-kien: an agency result that starts with an act ("Tổ chức 126 lượt tuần tra …") is said
  with the agency as its subject; one that states a fact ("Tỷ lệ hồ sơ trực tuyến … đạt 42%") is said as
  the agency's report of it.
- bao-cao-dinh-ky: a product that is the unit's own report (its notation has «BC-» and the unit's sign,
  e.g. 1520/BC-BCH) for a task with no fixed deadline is the unit's routine reporting, not a result:
  it stays in the appendix.
- van-ban-ubnd: a product with the Committee's notation (…/QĐ-UBND, …/TTr-UBND) makes the Committee
  the actor of the result.
- cho-trung-uong: a task waiting on a central body's decision, approval or opinion ("chờ Thủ tướng Chính
  phủ phê duyệt dự án", "đang xin ý kiến Bộ Ngoại giao"): a difficulty; a wait on the Prime Minister is
  also a request to him, which the clerk confirms.
- cho-nhiem-vu-khac: a task that cannot go on before another result ("chờ kết quả Quy hoạch tỉnh"):
  a difficulty.
- thieu-nguon-luc: a task without its sponsor, capital or funds ("đang tìm nhà tài trợ", "chưa bố trí
  được vốn"): a difficulty.
- lui-thoi-han: a request to move a deadline of the province's own plan ("lùi thời hạn", "gia hạn",
  "điều chỉnh thời hạn"): the province decides it by an adjustment of its plan, never the Government.
- buoc-tiep-theo: a task done with a draft as its product whose plan text names a further step to a
  central body ("sớm trình Thủ tướng Chính phủ “Đề án …”"): that step is a next task.
- trung-uong: a task whose plan text or product names a central body (Thủ tướng, Chính phủ, Bộ, Trung
  ương): its completion counts among the central-facing results.
- nguoi-nhan: "Đề nghị Thủ tướng Chính phủ cho phép …" under the heading "Đề nghị Thủ tướng Chính phủ" is
  "Cho phép …": the addressee is said once, by the heading.
- co-quan-dang: an agency of the Party (Tỉnh ủy, Đảng ủy): the Committee has not received its report;
  it is never chased by the Committee.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text.vntext import fold, upper_first

_CENTRAL = (r"(?:Thủ\s+tướng(?:\s+Chính\s+phủ)?|Chính\s+phủ|Bộ\s+[A-ZĐÀ-Ỹ][^\s,.;]*(?:\s+[^\s,.;]+){0,5}?|"
            r"các\s+bộ,?\s+ngành(?:\s+Trung\s+ương)?|Trung\s+ương|Hội\s+đồng\s+thẩm\s+định[^,.;]*)")
_CENTRAL_RE = re.compile(r"Thủ\s+tướng|Chính\s+phủ|\bBộ\s+[A-ZĐ]|bộ,\s+ngành|Trung\s+ương|\bTW\b")
_PM_RE = re.compile(r"Thủ\s+tướng|Chính\s+phủ")

_FACT_START = re.compile(r"^(?:tỷ\s+lệ|tổng\s+số|số\s+lượng|số\b|hồ\s+sơ|kết\s+quả|toàn\s+bộ|100\s*%|\d|các\s+|"
                         r"công\s+tác|việc\s+|dự\s+án|không\s+để)", re.IGNORECASE)
_ROUTINE_REPORT = re.compile(r"/\s*BC-", re.IGNORECASE)
_UBND_DOC = re.compile(r"\d+\s*/\s*(?:[A-ZĐ]+-)*UBND\b")

_WAIT_CENTRAL = re.compile(
    rf"(?P<clause>(?:đang\s+)?chờ\s+(?P<who>{_CENTRAL})\s+(?P<action>[^,.;]+)"
    rf"|(?:đang\s+)?xin\s+ý\s+kiến\s+(?P<who2>{_CENTRAL})[^,.;]*)", re.IGNORECASE)
_WAIT_TASK = re.compile(r"(?P<clause>chờ\s+kết\s+quả\s+[^,.;]+|chờ\s+[^,.;]+?\s+được\s+(?:phê\s+duyệt|ban\s+hành|thông\s+qua)[^,.;]*"
                        r"|sau\s+khi\s+[^,.;]+được\s+phê\s+duyệt)",
                        re.IGNORECASE)
_NO_MEANS = re.compile(r"(?P<clause>(?:chưa\s+có|đang\s+tìm|chưa\s+bố\s+trí\s+được|thiếu)\s+"
                       r"(?:\S+\s+){0,2}?(?:nhà\s+tài\s+trợ|vốn|kinh\s+phí|nguồn\s+vốn)[^,.;]*)", re.IGNORECASE)
_EXTENSION = re.compile(r"lùi\s+thời\s+hạn|gia\s+hạn|điều\s+chỉnh\s+thời\s+hạn", re.IGNORECASE)
_NEXT_STEP = re.compile(rf"(?P<step>trình\s+{_CENTRAL}\s*(?:“[^”]+”|\"[^\"]+\"|[^,.;“\"]+?)(?=\s+để\s|[,.;]|$))",
                        re.IGNORECASE)
_DRAFT_PRODUCT = re.compile(r"^\s*(?:-\s*)?dự\s+thảo\b", re.IGNORECASE)
_PARTY = re.compile(r"tỉnh\s+ủy|tỉnh\s+uỷ|đảng\s+ủy|đảng\s+uỷ|\bđảng\b", re.IGNORECASE)

# "Đề nghị / Kiến nghị / Đề xuất (Thủ tướng Chính phủ|Bộ …)" at the head of a request: said by the heading.
_ADDRESS_PREFIX = re.compile(r"^(?:kính\s+)?(?:đề\s+nghị|kiến\s+nghị|đề\s+xuất)\s+", re.IGNORECASE)
_ADDRESSEES = ("Thủ tướng Chính phủ", "Thủ tướng", "Chính phủ", "các bộ, ngành Trung ương", "các bộ, ngành")


def strip_addressee(text: str, addressee: str) -> str:
    """"Đề nghị Thủ tướng Chính phủ cho phép …" under the heading "Đề nghị Thủ tướng Chính phủ" -> "Cho phép …"."""
    m = _ADDRESS_PREFIX.match(text)
    if not m:
        return text
    rest = text[m.end():]
    for name in (addressee, *_ADDRESSEES):
        if fold(rest).startswith(fold(name)):
            rest = rest[len(name):]
            break
    rest = rest.lstrip(" ,:")
    return upper_first(rest) if rest else text


WAIT_CENTRAL, WAIT_TASK, NO_MEANS = "cho-trung-uong", "cho-nhiem-vu-khac", "thieu-nguon-luc"


def states_a_fact(text: str) -> bool:
    """Rule su-kien (else hanh-dong)."""
    return bool(_FACT_START.match(text.strip()))


def routine_report(output_doc: str, fixed_deadline: bool) -> bool:
    """Rule bao-cao-dinh-ky."""
    return not fixed_deadline and bool(_ROUTINE_REPORT.search(output_doc))


def committee_document(output_doc: str) -> bool:
    """Rule van-ban-ubnd."""
    return bool(_UBND_DOC.search(output_doc))


@dataclass(frozen=True)
class Dependency:
    rule: str            # WAIT_CENTRAL | WAIT_TASK | NO_MEANS
    clause: str          # the agency's own words, as found
    on_prime_minister: bool = False
    action: str = ""     # WAIT_CENTRAL on the Prime Minister: what he is to do ("phê duyệt dự án")


def dependencies(text: str) -> list[Dependency]:
    """Rules cho-trung-uong, cho-nhiem-vu-khac, thieu-nguon-luc, in that order, one finding per rule."""
    out = []
    m = _WAIT_CENTRAL.search(text)
    if m:
        who = m.group("who") or m.group("who2") or ""
        out.append(Dependency(WAIT_CENTRAL, m.group("clause").strip(), bool(_PM_RE.match(who)),
                              (m.group("action") or "").strip()))
    m = _WAIT_TASK.search(text)
    if m:
        out.append(Dependency(WAIT_TASK, m.group("clause").strip()))
    m = _NO_MEANS.search(text)
    if m:
        out.append(Dependency(NO_MEANS, m.group("clause").strip()))
    return out


def asks_for_more_time(text: str) -> bool:
    """Rule lui-thoi-han."""
    return bool(_EXTENSION.search(text))


def next_step(content: str, product: str) -> str:
    """Rule buoc-tiep-theo: the plan's own words for the step after a draft product, "" when none."""
    if not _DRAFT_PRODUCT.match(product or ""):
        return ""
    m = _NEXT_STEP.search(content)
    return m.group("step").strip() if m else ""


def central_facing(content: str, product: str) -> bool:
    """Rule trung-uong."""
    return bool(_CENTRAL_RE.search(content) or _CENTRAL_RE.search(product or ""))


def party_body(name: str) -> bool:
    """Rule co-quan-dang."""
    return bool(_PARTY.search(fold(name)))
