"""Agency sentences in the Committee's voice: kept, rewritten by a named rule, or withheld.

The agencies write to the province ("Đã tham mưu UBND tỉnh …", "Đề nghị UBND tỉnh …"); the report
is the province writing to the Prime Minister. Each sentence of an agency cell goes through the
rules below, in order; the first that matches decides. Every rewrite and every withheld sentence
is returned as an event, so the clerk sees it (editorial workbook, Word comment).

Rules (the names are shown to the clerk):
- de-nghi-tinh: a request addressed to the province ("đề nghị / kiến nghị / đề xuất / xin
  UBND tỉnh …") is the agencies' business with the Committee, not the Government's: withheld
  (the proposal itself reaches the leaders through the sheet «Kiến nghị với UBND tỉnh»).
- van-ban-tinh: "(Đã) tham mưu UBND tỉnh <việc>" where the agency cites a document of the UBND
  itself (notation with "UBND", e.g. 2927/QĐ-UBND): the Committee did it, so
  "Ủy ban nhân dân tỉnh đã <việc>".
- chu-ngu-co-quan: the agency's action towards the province ("tham mưu / báo cáo / trình / gửi /
  xin ý kiến UBND tỉnh"): true as the agency's own act, so it is said with the agency named as
  subject and the Committee by its full name ("Sở … đã tham mưu Ủy ban nhân dân tỉnh …").
- ten-uy-ban: a sentence whose subject is the Committee ("UBND tỉnh đã …"): full name.
- nhac-tinh-khac: any other mention of the province in the agency's voice ("chờ UBND tỉnh …"):
  no rule can say it safely; withheld.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.text.vntext import end_sentence, fold, lower_first

COMMITTEE = "Ủy ban nhân dân tỉnh"
_PROVINCE = r"(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|ub)\s+tỉnh"
_PROVINCE_RE = re.compile(_PROVINCE, re.IGNORECASE)
_REQUEST_RE = re.compile(rf"\b(?:kính\s+)?(?:đề\s+nghị|kiến\s+nghị|đề\s+xuất|xin|mong)\s+{_PROVINCE}", re.IGNORECASE)
_ADVISE_START_RE = re.compile(rf"^(?:đã\s+)?tham\s+mưu\s+{_PROVINCE}\s+(?P<rest>.+)$", re.IGNORECASE)
_ACTION_RE = re.compile(
    rf"\b(?P<verb>tham\s+mưu|báo\s+cáo|trình|gửi|xin\s+ý\s+kiến)(?P<obj>(?:\s+(?:văn\s+bản|hồ\s+sơ|dự\s+thảo))?)\s+"
    rf"(?P<prov>{_PROVINCE})", re.IGNORECASE)
_SUBJECT_RE = re.compile(rf"^{_PROVINCE}\b", re.IGNORECASE)
_UBND_DOC_RE = re.compile(r"\d+\s*/\s*(?:[A-ZĐ]+-)*UBND\b")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ0-9“\"(])")

RULES = {
    "de-nghi-tinh": "kiến nghị gửi UBND tỉnh, không đưa vào báo cáo gửi Thủ tướng Chính phủ",
    "van-ban-tinh": "cơ quan dẫn văn bản của UBND tỉnh, nên viết Ủy ban nhân dân tỉnh đã thực hiện",
    "chu-ngu-co-quan": "việc của cơ quan đối với UBND tỉnh, viết rõ cơ quan làm chủ ngữ",
    "ten-uy-ban": "UBND tỉnh là chủ ngữ, viết đủ tên Ủy ban nhân dân tỉnh",
    "nhac-tinh-khac": "câu nhắc UBND tỉnh theo giọng của cơ quan, không viết lại an toàn được",
}


@dataclass(frozen=True)
class VoiceEvent:
    rule: str
    original: str
    replacement: str | None     # None: withheld

    @property
    def withheld(self) -> bool:
        return self.replacement is None

    def describe(self) -> str:
        why = RULES[self.rule]
        if self.withheld:
            return f"Đã bỏ câu «{self.original}» ({why}; quy tắc {self.rule})."
        return f"Đã viết lại «{self.original}» thành «{self.replacement}» ({why}; quy tắc {self.rule})."


@dataclass
class Voiced:
    text: str
    events: list[VoiceEvent] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = re.sub(r"^[-–•+]\s*", "", line.strip())
        out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


def _names_agency(sentence: str, agency_names: tuple[str, ...]) -> bool:
    head = fold(sentence)
    return any(n and head.startswith(fold(n)) for n in agency_names)


def voice_sentence(sentence: str, agency_names: tuple[str, ...], cited: str = "") -> tuple[str | None, str | None]:
    """(new sentence or None if withheld, rule name or None if kept as it is)."""
    if not _PROVINCE_RE.search(sentence):
        return sentence, None
    if _REQUEST_RE.search(sentence):
        return None, "de-nghi-tinh"
    m = _ADVISE_START_RE.match(sentence)
    if m and _UBND_DOC_RE.search(cited or "") or (m and _UBND_DOC_RE.search(sentence)):
        return end_sentence(f"{COMMITTEE} đã {lower_first(m.group('rest').rstrip('.'))}"), "van-ban-tinh"
    if _ACTION_RE.search(sentence):
        body = _ACTION_RE.sub(lambda a: f"{a.group('verb')}{a.group('obj')} {COMMITTEE}", sentence)
        if not _names_agency(body, agency_names):
            body = f"{agency_names[0]} {lower_first(body)}"
        return end_sentence(body), "chu-ngu-co-quan"
    if _SUBJECT_RE.match(sentence) and len(_PROVINCE_RE.findall(sentence)) == 1:
        return end_sentence(_SUBJECT_RE.sub(COMMITTEE, sentence)), "ten-uy-ban"
    return None, "nhac-tinh-khac"


def voice(text: str, agency_names: tuple[str, ...], cited: str = "") -> Voiced:
    """Every sentence of one agency cell through the rules; `agency_names` = (full name, other names…)."""
    kept, events = [], []
    for sentence in sentences(text):
        new, rule = voice_sentence(sentence, agency_names, cited)
        if rule:
            events.append(VoiceEvent(rule, sentence, new))
        if new:
            kept.append(end_sentence(new))
    return Voiced(" ".join(kept), events)
