"""The report context: every heading, sentence, number and date the report shows, built once.

Both renderers (DOCX, PDF) take only this plain dict; its keys are described in
context_schema.md. Nothing here knows about Word or HTML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipeline.config import PlanConfig
from pipeline.errors import PipelineError
from pipeline.merge import (DONE_LATE, DONE_ON_TIME, NOT_REPORTED, ONGOING, OPEN_IN_TIME, OPEN_OVERDUE,
                            STATUS_DONE, LeadReport, Merged)
from pipeline.model import Master, Task
from pipeline.vntext import (format_date_blank_day, format_date_long, format_date_short, format_number,
                             format_percent, point_letter, roman)

POINT_LETTERS = 23  # a, b, c, d, đ, e, g, h, i, k, l, m, n, o, p, q, r, s, t, u, v, x, y
DRAFT_BLANK = "      "  # the blank a văn thư fills in by hand (FORMAT.md §4)
APPENDIX_COLUMNS = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tình trạng",
                    "Kết quả thực hiện, sản phẩm"]


@dataclass(frozen=True)
class Issue:
    """Number and date the văn thư gives when the report is issued."""
    number: int
    date: date

    @property
    def number_text(self) -> str:
        return f"{self.number:02d}"


def document_date(context: dict) -> date:
    """The one date an output file carries: the issue date, else the draft's DocumentDate."""
    meta = context["meta"]
    value = str(meta.get("IssuedDate") or meta["DocumentDate"])
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PipelineError(f"Ngày văn bản «{value}» trong nội dung báo cáo không đúng dạng NNNN-TT-NN.") from None


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".;:!?…" else text + "."


def _one_line(text: str) -> str:
    """Multi-line cell text as one sentence run; list dashes dropped (the items keep their `;`)."""
    lines = (re.sub(r"^[-–•+]\s*", "", line.strip()) for line in text.splitlines())
    return " ".join(line for line in lines if line)


def _sentence_case(title: str) -> str:
    lower = title.lower()
    return lower[:1].upper() + lower[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _percent(part: int, whole: int) -> str:
    return format_percent(100.0 * part / whole if whole else 0.0)


def _p(text: str, lead: str = "", style: str = "paragraph") -> dict:
    return {"style": style, "lead": lead, "text": text}


def _names(master: Master, codes) -> str:
    return ", ".join(master.agencies[c].name for c in codes)


def _lead_text(lead: LeadReport) -> str:
    """What one lead agency reported on one task, in report prose."""
    if not lead.reported:
        return "Chưa báo cáo."
    parts = [_sentence(_one_line(lead.results)) if lead.results else "Chưa nêu kết quả cụ thể."]
    if lead.output_doc:
        parts.append(_sentence(f"Văn bản, sản phẩm: {_one_line(lead.output_doc)}"))
    if lead.status == STATUS_DONE:
        parts.append(f"Hoàn thành ngày {format_date_short(lead.completed_on)}." if lead.completed_on
                     else "Báo cáo đã hoàn thành nhưng không ghi ngày hoàn thành.")
    elif lead.progress is not None:
        parts.append(f"{lead.status}, tiến độ đạt {format_percent(lead.progress)}.")
    else:
        parts.append(_sentence(lead.status))
    return " ".join(parts)


def _task_result_cell(task: Task, merged: Merged, master: Master) -> str:
    st = merged.statuses[task.id]
    many = len(st.leads) > 1
    lines = []
    for lead in st.leads:
        text = _lead_text(lead)
        lines.append(f"{master.agencies[lead.agency].short_name}: {text}" if many else text)
    return "\n".join(lines)


def _overview(config: PlanConfig, master: Master, merged: Merged) -> list[dict]:
    n = len(master.tasks)
    s = merged.by_status
    period = merged.period
    leads = master.lead_codes()
    done = s[DONE_ON_TIME] + s[DONE_LATE]
    open_ = s[OPEN_IN_TIME] + s[OPEN_OVERDUE]
    out = [
        _p(f"Kế hoạch số {config.plan_number} ngày {format_date_short(config.plan_date)} giao "
           f"{format_number(n)} nhiệm vụ cho {format_number(len(leads))} cơ quan chủ trì thực hiện. "
           f"Số liệu báo cáo tính từ ngày {format_date_short(period.start)} đến ngày "
           f"{format_date_short(period.end)}; tình trạng từng nhiệm vụ được đánh giá đến ngày "
           f"{format_date_short(period.end)}, cụ thể như sau:"),
        _p(f"- Đã hoàn thành: {format_number(done)} nhiệm vụ ({_percent(done, n)}), trong đó đúng hạn "
           f"{format_number(s[DONE_ON_TIME])}, quá hạn {format_number(s[DONE_LATE])};"),
        _p(f"- Chưa hoàn thành: {format_number(open_)} nhiệm vụ ({_percent(open_, n)}), trong đó trong hạn "
           f"{format_number(s[OPEN_IN_TIME])}, quá hạn {format_number(s[OPEN_OVERDUE])};"),
        _p(f"- Thực hiện thường xuyên, không có thời hạn cụ thể: {format_number(s[ONGOING])} nhiệm vụ "
           f"({_percent(s[ONGOING], n)});"),
        _p(f"- Chưa có báo cáo: {format_number(s[NOT_REPORTED])} nhiệm vụ ({_percent(s[NOT_REPORTED], n)})."),
    ]
    sections = []
    for section, row in merged.by_section.iterrows():
        title = next(t.section_title for t in master.tasks if t.section == section)
        sections.append(
            f"Phần {section} ({_lower_first(_sentence_case(title))}): {format_number(row['total'])} nhiệm vụ, "
            f"đã hoàn thành {format_number(row[DONE_ON_TIME] + row[DONE_LATE])}, chưa hoàn thành "
            f"{format_number(row[OPEN_IN_TIME] + row[OPEN_OVERDUE])}, thực hiện thường xuyên "
            f"{format_number(row[ONGOING])}, chưa báo cáo {format_number(row[NOT_REPORTED])}"
        )
    out.append(_p("Theo từng phần của Kế hoạch: " + "; ".join(sections) + "."))
    reported, missing = merged.reported_agencies, merged.missing_agencies
    text = f"Có {format_number(len(reported))}/{format_number(len(leads))} cơ quan chủ trì đã gửi báo cáo."
    if missing:
        text += f" Còn {format_number(len(missing))} cơ quan chưa gửi báo cáo: {_names(master, missing)}."
    out.append(_p(text))
    return out


def _task_blocks(config: PlanConfig, master: Master, merged: Merged) -> list[dict]:
    out = []
    sections = list(dict.fromkeys(t.section for t in master.tasks))
    for number, section in enumerate(sections, start=1):
        tasks = [t for t in master.tasks if t.section == section]
        out.append(_p(f"{number}. {_sentence_case(tasks[0].section_title)}", style="heading2"))
        points = len({t.group or t.id for t in tasks})
        # Points run a), b) … y) (FORMAT.md §2); a section with more points than letters keeps
        # the plan's own numbering, so the reader can still find each one in the appendix.
        def point(index: int, tt: str) -> str:
            return f"{point_letter(index)})" if points <= POINT_LETTERS else f"{tt})"

        letter = -1
        group = None
        for task in tasks:
            if task.group and task.group != group:
                letter += 1
                out.append(_p(f"{point(letter, task.number.split('.')[0])} {task.group.rstrip(':')}",
                              style="heading3"))
            elif not task.group:
                letter += 1
            group = task.group or None
            st = merged.statuses[task.id]
            heading = f"{task.number}. {_one_line(task.content)}" if task.group else \
                f"{point(letter, task.number)} {_one_line(task.content)}"
            out.append(_p(heading, style="heading3"))
            leads = _names(master, task.lead_codes)
            if task.lead_note:
                leads += f" ({task.lead_note})"
            out.append(_p(_sentence(f"{leads}; thời hạn: {task.deadline.text}; tình trạng: "
                                    f"{_lower_first(st.label)}"), lead="Cơ quan chủ trì: "))
            many = len(st.leads) > 1
            for lead in st.leads:
                out.append(_p(_lead_text(lead), lead=f"{lead.agency_name}: " if many else "Kết quả: "))
    return out


def _attributed(items, empty: str) -> list[dict]:
    if not items:
        return [_p(empty)]
    return [_p(_sentence(f"- {it.text} ({', '.join(it.agencies)})")) for it in items]


def _appendix_rows(master: Master, merged: Merged) -> list[dict]:
    rows, section, group = [], None, None
    blank = {"lead": "", "deadline": "", "status": "", "result": ""}
    for task in master.tasks:
        if task.section != section:
            section, group = task.section, None
            rows.append({"kind": "section", "tt": section, "content": task.section_title, **blank})
        if task.group and task.group != group:
            rows.append({"kind": "group", "tt": task.number.split(".")[0], "content": task.group, **blank})
        group = task.group or None
        lead = "; ".join(master.agencies[c].name for c in task.lead_codes)
        rows.append({
            "kind": "task", "tt": task.number, "content": task.content,
            "lead": lead + (f" ({task.lead_note})" if task.lead_note else ""),
            "deadline": task.deadline.text, "status": merged.statuses[task.id].label,
            "result": _task_result_cell(task, merged, master),
        })
    return rows


def build_context(config: PlanConfig, master: Master, merged: Merged, issue: Issue | None = None) -> dict:
    period = merged.period
    subject = (f"Kết quả thực hiện {config.directive_subject} tại {config.directive_citation}, {period.label}")
    if issue:
        number = f"Số: {issue.number_text}/{config.notation}"
        day_text = format_date_long(issue.date)
        doc_date = issue.date
    else:
        number = f"Số:{DRAFT_BLANK}/{config.notation}"
        day_text = format_date_blank_day(period.last_month, period.year)
        doc_date = date(period.year, period.last_month, 25)  # the reporting deadline (FORMAT.md §5)
    recipients = list(config.recipients)
    body = [
        _p(f"Thực hiện {config.directive_citation} về {config.directive_subject}, {config.issuer_name} đã ban "
           f"hành Kế hoạch số {config.plan_number} ngày {format_date_short(config.plan_date)} để triển khai "
           f"thực hiện. {config.issuer_name} báo cáo kết quả thực hiện {period.label} như sau:"),
        _p("I. TÌNH HÌNH CHUNG", style="heading1"),
        *_overview(config, master, merged),
        _p("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ", style="heading1"),
        *_task_blocks(config, master, merged),
        _p("III. KHÓ KHĂN, VƯỚNG MẮC", style="heading1"),
        *_attributed(merged.difficulties, "Các cơ quan chủ trì chưa phản ánh khó khăn, vướng mắc trong kỳ báo cáo."),
        _p("IV. ĐỀ XUẤT, KIẾN NGHỊ", style="heading1"),
        *_attributed(merged.proposals, "Các cơ quan chủ trì chưa có đề xuất, kiến nghị trong kỳ báo cáo."),
        _p(f"Trên đây là báo cáo kết quả thực hiện {config.directive_subject} {period.label} của "
           f"{config.issuer_name}, kính báo cáo {' và '.join(recipients)}./."),
    ]
    return {
        "draft": issue is None,
        "period": {"code": period.code, "label": period.label},
        "header": {
            "issuer_lines": list(config.issuer_header_lines),
            "national_name": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "motto": "Độc lập - Tự do - Hạnh phúc",
            "number_line": number,
            "date_line": f"{config.place}, {day_text}",
        },
        "doc_type": "BÁO CÁO",
        "subject": subject,
        "recipients_label": "Kính gửi:",
        "recipients": [f"- {r}{'.' if i == len(recipients) - 1 else ';'}" for i, r in enumerate(recipients)],
        "body": body,
        "noi_nhan_label": "Nơi nhận:",
        "noi_nhan": ["- Như trên;", *[f"- {x};" for x in config.noi_nhan], f"- Lưu: VT, {config.drafting_unit}."],
        "signer": {"authority_lines": list(config.signer_authority_lines), "name": config.signer_name},
        "appendix": {
            "heading": "Phụ lục",
            "title": f"Kết quả thực hiện các nhiệm vụ theo Kế hoạch số {config.plan_number}, {period.label}".upper(),
            "attached_line": (f"(Kèm theo Báo cáo số{' ' + issue.number_text if issue else DRAFT_BLANK}"
                              f"/{config.notation} {day_text} của {config.issuer_name})"),
            "columns": APPENDIX_COLUMNS,
            "rows": _appendix_rows(master, merged),
        },
        "meta": {
            "title": subject, "language": "vi",
            "TypeName": "Báo cáo",
            "CodeNumber": issue.number_text if issue else "",
            "CodeNotation": config.notation,
            "IssuedDate": issue.date.isoformat() if issue else "",
            "DocumentDate": doc_date.isoformat(),
            "OrganName": config.issuer_name,
            "Subject": subject,
            "Language": "vi",
            "SignerInfo": {"Position": config.signer_position, "FullName": config.signer_name},
            "To": recipients,
            "Priority": config.priority,
            "IssuedAmount": str(config.issued_amount),
            "Description": (f"Báo cáo định kỳ {period.label} về kết quả thực hiện Kế hoạch số {config.plan_number}"
                            + ("" if issue else " (bản dự thảo trình ký, chưa cấp số)")),
        },
    }
