"""The e-mail draft that goes with the công văn đôn đốc, one per concerned agency (never sent by the tool).

`follow_up_mail` builds the message: To the agency's registry address (none when the registry has none:
a warning says where to add it, the address is never guessed), a Vietnamese subject and a plain-text
body saying what the agency must do, the công văn and the agency's files attached. `write_eml` saves it
as an .eml file that Outlook and Thunderbird open as a draft (`X-Unsent: 1`) for the clerk to send.
Same inputs, same bytes: the date comes from the caller, the Message-ID and the MIME boundary from a
hash of the content.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from email import policy
from email.policy import EmailPolicy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from pipeline.files import write_bytes_atomic
from pipeline.drafting.names import short_name
from pipeline.errors import WARNING, PipelineError, Problem
from pipeline.followup.findings import AgencyFollowUp
from pipeline.plan.master import AGENCY_SHEET, EMAIL_COLUMN, check_email
from pipeline.text.vntext import end_sentence, format_date_short, lower_first

BODY_POLICY = policy.SMTP.clone(max_line_length=76)   # CRLF; parts encoded in lines of 76 (RFC 2045)
_UNFOLDED = policy.SMTP.clone(max_line_length=998)


class _EmlPolicy(EmailPolicy):
    """CRLF; only the Subject folded. Folding an address splits a Vietnamese display name into adjacent
    encoded-words mid-word, which Python's own parser reads back with a space inside the word («Ki ên
    Giang»); folding a file name makes RFC 2231 continuations, which some clients ignore. Unfolded, those
    lines stay far below RFC 5322's 998 characters."""

    def fold(self, name, value):
        return (BODY_POLICY if name.lower() == "subject" else _UNFOLDED).fold(name, value)

    def fold_binary(self, name, value):
        return (BODY_POLICY if name.lower() == "subject" else _UNFOLDED).fold_binary(name, value)


POLICY = _EmlPolicy(linesep="\r\n")
VN_TZ = timezone(timedelta(hours=7))    # a naive `when` is the province's local time
FALLBACK_DOMAIN = "baocao.invalid"      # Message-ID domain without a sender address (RFC 2606)
MIME_TYPES = {
    ".pdf": ("application", "pdf"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xls": ("application", "vnd.ms-excel"),
    ".doc": ("application", "msword"),
    ".json": ("application", "json"),
    ".zip": ("application", "zip"),
}   # a fixed table: the mimetypes module reads the machine's /etc/mime.types
BLANK = "…"    # a number or day the clerk fills in once the công văn is issued
DRAFT_NOTE = ("[LƯU Ý TRƯỚC KHI GỬI – xóa đoạn này] Công văn đính kèm là bản dự thảo, chưa có số và ngày ban hành. "
              "Đề nghị trình ký, lấy số, đóng dấu công văn, thay tệp đính kèm bằng bản đã ban hành, điền số và ngày "
              f"của công văn vào các chỗ «{BLANK}» trong thư rồi mới gửi.")
_LETTER_KEYS = ("issuer", "sender_unit", "number_line", "date_line", "subject", "plan_number", "period_label",
                "answer_by", "draft")
_LONG_DATE = re.compile(r"ngày\s+(\d{1,2})?\s*tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", str(s))


def mail_subject(follow: AgencyFollowUp, letter: dict) -> str:
    """«Đôn đốc báo cáo kết quả thực hiện Kế hoạch số <plan number>, <period> – <agency name>»."""
    return _nfc(f"Đôn đốc báo cáo kết quả thực hiện Kế hoạch số {letter['plan_number']}, "
                f"{letter['period_label']} – {follow.agency.name}")


def _letter_reference(letter: dict) -> str:
    """The công văn as the body names it: «Công văn số 45/UBND-TH ngày 05/10/2022 của … về việc …»;
    a draft's blank number and day stay blank («số …/UBND-TH ngày …/10/2022») for the clerk to fill."""
    about = re.sub(r"^V/v\s+", "về việc ", letter["subject"].strip())
    number = re.sub(r"^\s*Số\s*:\s*", "", letter["number_line"]).strip()
    if not number[:1].isalnum():
        number = BLANK + number
    on = ""
    found = _LONG_DATE.search(letter["date_line"])
    if found:
        day, month, year = found.groups()
        try:
            month_year = format_date_short(date(int(year), int(month), 1)).split("/", 1)[1]   # "10/2022", "01/2023"
            on = f" ngày {format_date_short(date(int(year), int(month), int(day))) if day else BLANK + '/' + month_year}"
        except ValueError:
            on = ""
    return f"Công văn số {number}{on} của {letter['issuer']} {about}"


def _task_ref(follow: AgencyFollowUp, task_id: str) -> str:
    task = next((t for t in follow.tasks if t.id == task_id), None)
    return f"{task_id} ({short_name(task)})" if task and short_name(task) != task_id else task_id


def _fault_text(fault) -> str:
    reason = end_sentence(fault.reason)
    return f"cột «{fault.column}»: {reason}" if fault.column else reason


def _requests(follow: AgencyFollowUp, letter: dict) -> list[str]:
    """What the agency must do, one numbered item per kind of point (sub-lines indented)."""
    items: list[list[str]] = []
    period = letter["period_label"]
    if follow.silent:
        item = [f"Gửi phiếu báo cáo {period} về {len(follow.unreported)} nhiệm vụ được giao chủ trì "
                f"(đến nay chưa nhận được phiếu hợp lệ của Quý cơ quan): "
                f"{'; '.join(_task_ref(follow, t) for t in follow.unreported)}."]
        item += [f"   - Tệp «{name}» Quý cơ quan đã gửi không được tiếp nhận: {end_sentence(lower_first(reason))}"
                 for name, reason in follow.refused_files]
        items.append(item)
    else:
        if follow.rejected:
            item = [f"Sửa {len(follow.rejected)} dòng chưa hợp lệ, chưa được tổng hợp, của phiếu báo cáo "
                    f"(tệp «{follow.file}»):"]
            for row in follow.rejected:
                faults = " ".join(_fault_text(f) for f in row.faults)
                item.append(f"   - Nhiệm vụ {_task_ref(follow, row.task_id)} – trang «{row.sheet}», dòng {row.row}, "
                            f"{faults}")
            items.append(item)
        if follow.missing:
            items.append([f"Bổ sung kết quả thực hiện {len(follow.missing)} nhiệm vụ chưa có trong phiếu báo cáo: "
                          f"{'; '.join(_task_ref(follow, t) for t in follow.missing)}."])
    if follow.due_soon:
        item = [f"Tập trung thực hiện, hoàn thành đúng hạn {len(follow.due_soon)} nhiệm vụ sắp đến hạn:"]
        item += [f"   - Nhiệm vụ {_task_ref(follow, d.task_id)}: đến hạn ngày {format_date_short(d.due)} "
                 f"(thời hạn: {d.deadline_text})." for d in follow.due_soon]
        items.append(item)
    lines = []
    for number, item in enumerate(items, start=1):
        lines.append(f"{number}. {item[0]}")
        lines.extend(item[1:])
    return lines


def mail_body(follow: AgencyFollowUp, letter: dict, attachment_names: list[str]) -> str:
    """The plain-text body (see the module docstring)."""
    unit = letter["sender_unit"]
    lines = [DRAFT_NOTE, ""] if letter["draft"] else []
    lines += [f"Kính gửi: {follow.agency.name}.", ""]
    why = (f"để Quý cơ quan hoàn thiện, gửi lại phiếu báo cáo kết quả thực hiện Kế hoạch số {letter['plan_number']} "
           f"{letter['period_label']}" if follow.must_send else
           f"để Quý cơ quan lưu ý các nhiệm vụ sắp đến hạn của Kế hoạch số {letter['plan_number']}")
    attached = {0: "", 1: " đính kèm thư này"}.get(len(attachment_names), " và các tệp đính kèm dưới đây")
    lines += [f"{unit} gửi Quý cơ quan {_letter_reference(letter)}{attached}, {why}.", ""]
    if attachment_names:
        lines += ["Tệp đính kèm:", *(f"- {name}" for name in attachment_names), ""]
    lines += ["Đề nghị Quý cơ quan:", *_requests(follow, letter), ""]
    if follow.must_send:
        filled = ("các nhiệm vụ Quý cơ quan chủ trì và nội dung đã báo cáo kỳ trước (nếu có); đề nghị cập nhật "
                  "kết quả đến kỳ này" if follow.silent else
                  "những nội dung hợp lệ Quý cơ quan đã gửi; đề nghị sửa các ô chưa hợp lệ, bổ sung nội dung còn thiếu")
        lines += [
            f"Phiếu báo cáo đính kèm đã điền sẵn {filled}, ghi ngày báo cáo mới và gửi lại chính tệp này bằng cách "
            "trả lời thư. Không cần lo về tên tệp: phiếu được nhận biết theo thông tin ghi sẵn bên trong, không theo "
            "tên tệp; chỉ đề nghị không thêm, xóa hoặc đổi tên các trang, các cột của phiếu.",
            "",
            f"Phiếu báo cáo đề nghị gửi về {unit} trước ngày {letter['answer_by']}.",
            "",
        ]
    else:
        lines += [f"Phiếu báo cáo {letter['period_label']} của Quý cơ quan đã được tiếp nhận, không cần gửi lại; "
                  "kết quả thực hiện các nhiệm vụ trên đề nghị báo cáo trong phiếu kỳ tiếp theo.", ""]
    lines += ["Trân trọng.", "", unit]
    return _nfc("\n".join(lines) + "\n")


def _mime_type(name: str, path: Path) -> tuple[str, str]:
    suffix = Path(name).suffix.lower() or Path(path).suffix.lower()
    return MIME_TYPES.get(suffix, ("application", "octet-stream"))


def _missing_address(follow: AgencyFollowUp, letter: dict) -> Problem:
    agency = follow.agency
    registry = letter.get("registry") or agency.code
    return Problem(registry, f"Cơ quan «{agency.name}» ({agency.code}) chưa có địa chỉ thư điện tử hợp lệ trong danh mục "
                             f"cơ quan: thư đôn đốc được lập nhưng chưa có người nhận. Bổ sung địa chỉ ở cột "
                             f"«{EMAIL_COLUMN}», trang «{AGENCY_SHEET}» của bảng nhiệm vụ rồi chạy lại, hoặc điền "
                             "người nhận khi gửi thư.",
                   WARNING, sheet=AGENCY_SHEET, column=EMAIL_COLUMN, agency=agency.code)


def follow_up_mail(follow: AgencyFollowUp, letter: dict, attachments: list[tuple[str, Path]],
                   sender: tuple[str, str] | None, when: datetime) -> tuple[EmailMessage, list[Problem]]:
    """The e-mail draft to one agency and the problems found (an agency or sender without an address).

    `letter`: the công văn's facts as final Vietnamese text (keys in _LETTER_KEYS; optional "registry":
    the registry workbook's name, for the problem entry); `attachments`: (name shown, file) in order;
    `sender`: (display name, address) or None (the mail client fills From); `when`: the Date header."""
    missing_keys = [k for k in _LETTER_KEYS if k not in letter]
    if missing_keys:
        raise ValueError(f"letter lacks {missing_keys}")
    letter = {k: (_nfc(v) if isinstance(v, str) else v) for k, v in letter.items()}
    problems: list[Problem] = []
    files = []
    for name, path in attachments:
        path = Path(path)
        if not path.is_file():
            raise PipelineError(f"Không tìm thấy tệp đính kèm «{path.name}» của thư gửi {follow.agency.name}.")
        files.append((_nfc(name), path.read_bytes(), _mime_type(name, path)))

    message = EmailMessage(policy=BODY_POLICY)
    from_address = None
    if sender:
        address = check_email(sender[1])
        if address:
            from_address = Address(_nfc(sender[0]), addr_spec=address)
            message["From"] = from_address
        else:
            problems.append(Problem(follow.agency.code, f"Địa chỉ gửi thư «{sender[1]}» không hợp lệ: thư đôn đốc để "
                                                        "trống người gửi, chương trình thư sẽ tự điền.", WARNING,
                                    agency=follow.agency.code))
    to = check_email(follow.agency.email) if follow.agency.email else None
    if to:
        message["To"] = Address(_nfc(follow.agency.name), addr_spec=to)
    else:
        problems.append(_missing_address(follow, letter))
    subject = mail_subject(follow, letter)
    message["Subject"] = subject
    when = when if when.tzinfo else when.replace(tzinfo=VN_TZ)
    message["Date"] = format_datetime(when)
    body = mail_body(follow, letter, [name for name, _, _ in files])

    digest = hashlib.sha256()
    for part in (str(from_address or ""), to or "", subject, message["Date"], body):
        digest.update(part.encode("utf-8") + b"\0")
    for name, data, _ in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    key = digest.hexdigest()
    domain = from_address.domain if from_address else FALLBACK_DOMAIN
    message["Message-ID"] = f"<{key[:32]}.thu-don-doc@{domain}>"
    message["X-Unsent"] = "1"
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = "vi"     # after set_content, which clears the Content-* headers
    for name, data, (maintype, subtype) in files:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if files:
        message.set_boundary(f"=_baocao_{key[32:64]}")   # "=_" never occurs in base64 or quoted-printable text
        for part in message.iter_parts():
            del part["MIME-Version"]                     # add_attachment stamps it on every part; the top is enough
    if "MIME-Version" not in message:
        message["MIME-Version"] = "1.0"
    message.policy = POLICY     # parts are encoded by now; from here on only how headers are written
    return message, problems


def eml_bytes(message: EmailMessage) -> bytes:
    """The message as an .eml file: CRLF line ends, 7-bit clean."""
    return message.as_bytes(policy=POLICY)


def write_eml(path: Path, message: EmailMessage) -> Path:
    """Write the message atomically as an .eml file; returns the path."""
    return write_bytes_atomic(Path(path), eml_bytes(message))
