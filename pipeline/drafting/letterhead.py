"""The frame every Nghị định 30/2020 document's context shares: header, Kính gửi, Nơi nhận, signature and
the archive record (Phụ lục VI). Each document type's context builder (the báo cáo's in context.py, the
công văn's in pipeline/followup/letter.py) fills it with its own issuer, notation and signer, and adds
its own parts; the renderers lay these keys out once for all types (context_schema.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.text.vntext import format_date_blank_day, format_date_long

DRAFT_BLANK = "      "  # the blank a văn thư fills in by hand (FORMAT.md §4)
DRAFT_MARK = "DỰ THẢO"   # boxed at the top left of a draft's first page, as drafts circulate in offices


@dataclass(frozen=True)
class Issue:
    """Number and date the văn thư gives when a document is issued."""
    number: int
    date: date

    @property
    def number_text(self) -> str:
        return f"{self.number:02d}"


@dataclass(frozen=True)
class Signature:
    """Who issues and signs: the header's issuing body and the signature block."""
    parent_lines: tuple[str, ...]       # a subordinate issuer's parent body, upright (may be empty)
    issuer_lines: tuple[str, ...]       # the issuer, bold
    issuer_name: str
    notation: str                       # Số: …/<notation>
    place: str
    authority_lines: tuple[str, ...]
    position: str
    name: str
    noi_nhan: tuple[str, ...]           # between «Như trên» and «Lưu: VT, …»
    drafting_unit: str
    priority: str


def number_line(sign: Signature, issue: Issue | None) -> str:
    return f"Số: {issue.number_text}/{sign.notation}" if issue else f"Số:{DRAFT_BLANK}/{sign.notation}"


def day_text(issue: Issue | None, draft_month: date) -> str:
    """«ngày 20 tháng 9 năm 2022», or for a draft the day left blank in `draft_month`'s month."""
    return format_date_long(issue.date) if issue else format_date_blank_day(draft_month.month, draft_month.year)


def recipient_lines(names: list[str]) -> list[str]:
    """Kính gửi: one addressee on the label's line; several one a line, "- " first, ";" after each, "." last."""
    if len(names) == 1:
        return [f"{names[0]}."]
    return [f"- {n}{'.' if i == len(names) - 1 else ';'}" for i, n in enumerate(names)]


def frame(sign: Signature, issue: Issue | None, draft_month: date, recipients: list[str]) -> dict:
    """The shared keys of a document's context (without `subject`, `body` and the type's own parts)."""
    return {
        "draft": issue is None,
        "draft_mark": "" if issue else DRAFT_MARK,
        "header": {
            "parent_lines": list(sign.parent_lines),
            "issuer_lines": list(sign.issuer_lines),
            "national_name": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "motto": "Độc lập - Tự do - Hạnh phúc",
            "number_line": number_line(sign, issue),
            "date_line": f"{sign.place}, {day_text(issue, draft_month)}",
        },
        "recipients_label": "Kính gửi:",
        "recipients": recipients,
        "noi_nhan_label": "Nơi nhận:",
        "noi_nhan": ["- Như trên;", *[f"- {x};" for x in sign.noi_nhan], f"- Lưu: VT, {sign.drafting_unit}."],
        "signer": {"authority_lines": list(sign.authority_lines), "name": sign.name},
    }


def archive_record(sign: Signature, issue: Issue | None, type_name: str, subject: str, document_date: date,
                   to: list[str], issued_amount: int, description: str) -> dict:
    """The record of an outgoing document (Nghị định 30/2020, Phụ lục VI), written into the PDF's XMP."""
    return {
        "title": subject, "language": "vi",
        "TypeName": type_name,
        "CodeNumber": issue.number_text if issue else "",
        "CodeNotation": sign.notation,
        "IssuedDate": issue.date.isoformat() if issue else "",
        "DocumentDate": document_date.isoformat(),
        "OrganName": sign.issuer_name,
        "Subject": subject,
        "Language": "vi",
        "SignerInfo": {"Position": sign.position, "FullName": sign.name},
        "To": to,
        "Priority": sign.priority,
        "IssuedAmount": str(issued_amount),
        "Description": description + ("" if issue else " (bản dự thảo trình ký, chưa cấp số)"),
    }
