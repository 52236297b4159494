"""The công văn đôn đốc's context: every line of the letter (Nghị định 30/2020, Phụ lục III, Mẫu 1.5), built once.

The same plain structure as the report's context (context_schema.md) where the two documents share a
part (header, Kính gửi, body paragraphs, Nơi nhận, signature, archive record), so both renderers and
the shared Nghị định 30 layout take it as they take the report's; `document` names the type
(pipeline.documents.doctypes). Its sentences live in templates/phrasebook/cong-van.toml.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pipeline.drafting.names import short_name
from pipeline.drafting.letterhead import Issue, Signature, archive_record, frame, recipient_lines
from pipeline.drafting.phrasebook import Phrasebook
from pipeline.errors import PipelineError
from pipeline.followup.findings import AgencyFollowUp, FollowUp
from pipeline.plan.config import PlanConfig
from pipeline.plan.model import Master
from pipeline.text.vntext import format_date_short

DOCUMENT = "cong-van"
PHRASEBOOK = Path(__file__).resolve().parents[2] / "templates" / "phrasebook" / "cong-van.toml"
PHRASES: dict[str, tuple[str, ...]] = {
    "subject": ("plan_number", "period"),
    "opening": ("plan_number", "plan_date", "plan_issuer", "directive_subject", "directive_citation", "period",
                "cutoff", "report_due"),
    "received": ("received", "leads", "period"),
    "silent": ("count",), "faulty": ("count",), "due": ("count",),
    "request": ("issuer",),
    "agency": ("number", "agency"),
    "silent_tasks": ("period", "count", "tasks"),
    "refused_file": ("file", "reason"),
    "rejected_rows": ("report_date", "count", "rows"),
    "rejected_row": ("task", "faults"),
    "missing_rows": ("count", "tasks"),
    "due_tasks": ("count", "tasks", "window_end"),
    "task": ("id", "name"),
    "task_code": ("id",),
    "due_task": ("id", "name", "deadline", "due"),
    "due_task_code": ("id", "deadline", "due"),
    "resend": (),
    "closing": ("answer_by", "recipient"),
}
REPORT_DUE_DAY = 25   # a provincial report reaches the Government by the 25th of the period's last month


def load_phrasebook(path: Path = PHRASEBOOK) -> Phrasebook:
    return Phrasebook(path, PHRASES)


@dataclass(frozen=True)
class LetterDates:
    letter: date          # the issue date, or for a draft the day after the cut-off (file stamps only)
    answer_by: date       # the date the agencies must answer by
    report_due: date


def letter_dates(config: PlanConfig, follow: FollowUp, issue: Issue | None, answer_by: date | None) -> LetterDates:
    """The letter's dates; the reply-by date defaults to `answer_days` before the report is due.

    Refused (one sentence): a reply-by date on or before the letter's date (or, for a draft, the cut-off),
    or an issue date before the cut-off."""
    period = follow.period
    report_due = date(period.year, period.last_month, REPORT_DUE_DAY)
    letter = issue.date if issue else period.end + timedelta(days=1)
    if issue and issue.date <= period.end:
        raise PipelineError(f"Ngày ban hành công văn {format_date_short(issue.date)} không sau ngày chốt số liệu "
                            f"{format_date_short(period.end)}: công văn đôn đốc được gửi sau ngày chốt.")
    given = answer_by is not None
    answer_by = answer_by or report_due - timedelta(days=config.follow_up.answer_days)
    floor = issue.date if issue else period.end
    if answer_by <= floor:
        what = f"ngày ban hành {format_date_short(floor)}" if issue else f"ngày chốt số liệu {format_date_short(floor)}"
        hint = "" if given else " (hạn mặc định); hãy ghi hạn trả lời bằng --han, ví dụ --han " + \
            (floor + timedelta(days=5)).isoformat()
        raise PipelineError(f"Hạn gửi phiếu {format_date_short(answer_by)} không sau {what}{hint}.")
    return LetterDates(letter, answer_by, report_due)


def _task_ref(pb: Phrasebook, master: Master, task_id: str) -> str:
    name = short_name(master.task(task_id))
    return pb.say("task_code", id=task_id) if name == task_id else pb.say("task", id=task_id, name=name)


def _due_ref(pb: Phrasebook, master: Master, d) -> str:
    name, due = short_name(master.task(d.task_id)), format_date_short(d.due)
    if name == d.task_id:
        return pb.say("due_task_code", id=d.task_id, deadline=d.deadline_text, due=due)
    return pb.say("due_task", id=d.task_id, name=name, deadline=d.deadline_text, due=due)


def _agency_points(pb: Phrasebook, master: Master, follow: FollowUp, agency: AgencyFollowUp) -> list[str]:
    """What one agency must do, one paragraph per kind of point."""
    out = []
    period = follow.period
    if agency.silent:
        for name, reason in agency.refused_files:
            out.append(pb.say("refused_file", file=name, reason=reason))
        out.append(pb.say("silent_tasks", period=period.label, count=len(agency.unreported),
                          tasks="; ".join(_task_ref(pb, master, t) for t in agency.unreported)))
    else:
        if agency.rejected:
            rows = [pb.say("rejected_row", task=_task_ref(pb, master, r.task_id),
                           faults="; ".join(f"cột «{f.column}», {f.reason[:1].lower() + f.reason[1:].rstrip('.')}"
                                            if f.column else f.reason.rstrip(".") for f in r.faults))
                    for r in agency.rejected]
            when = f" ngày {format_date_short(agency.report_date)}" if agency.report_date else ""
            out.append(pb.say("rejected_rows", report_date=when, count=len(rows), rows="; ".join(rows)))
        if agency.missing:
            out.append(pb.say("missing_rows", count=len(agency.missing),
                              tasks="; ".join(_task_ref(pb, master, t) for t in agency.missing)))
    if agency.due_soon:
        tasks = [_due_ref(pb, master, d) for d in agency.due_soon]
        out.append(pb.say("due_tasks", count=len(tasks), tasks="; ".join(tasks),
                          window_end=format_date_short(follow.window_end)))
    return out


def _paragraph(text: str) -> dict:
    return {"style": "paragraph", "lead": "", "text": text, "id": "", "chart": ""}


def _heading(text: str) -> dict:
    return {"style": "heading2", "lead": "", "text": text, "id": "", "chart": ""}


def _status_line(pb: Phrasebook, follow: FollowUp) -> str:
    leads = len(follow.agencies)
    received = sum(not a.silent for a in follow.agencies)
    clauses = []
    silent = sum(a.silent for a in follow.agencies)
    faulty = sum((not a.silent) and a.must_send for a in follow.agencies)
    due = sum(bool(a.due_soon) for a in follow.agencies)
    if silent:
        clauses.append(pb.say("silent", count=silent))
    if faulty:
        clauses.append(pb.say("faulty", count=faulty))
    if due:
        clauses.append(pb.say("due", count=due))
    line = pb.say("received", received=received, leads=leads, period=follow.period.label)
    return line + ("; " + "; ".join(clauses) if clauses else "") + "."


def build_letter_context(config: PlanConfig, master: Master, follow: FollowUp, dates: LetterDates,
                         issue: Issue | None = None, phrasebook: Phrasebook | None = None) -> dict:
    """The công văn's context (see the module docstring); only the concerned agencies are addressed."""
    pb = phrasebook or load_phrasebook()
    fu = config.follow_up
    period = follow.period
    concerned = follow.concerned
    if not concerned:
        raise PipelineError(f"Không có cơ quan nào cần đôn đốc trong {period.label}: mọi cơ quan chủ trì đã gửi "
                            "phiếu hợp lệ và không có nhiệm vụ đến hạn trong thời gian tới.")
    subject = pb.say("subject", plan_number=config.plan_number, period=period.label)
    body = [
        _paragraph(pb.say("opening", plan_number=config.plan_number, plan_date=format_date_short(config.plan_date),
                          plan_issuer=config.issuer_name, directive_subject=config.directive_subject,
                          directive_citation=config.directive_citation, period=period.label,
                          cutoff=format_date_short(period.end), report_due=format_date_short(dates.report_due))),
        _paragraph(_status_line(pb, follow) + " " + pb.say("request", issuer=fu.issuer_name)),
    ]
    for number, agency in enumerate(concerned, start=1):
        body.append(_heading(pb.say("agency", number=number, agency=agency.agency.name)))
        body.extend(_paragraph(text) for text in _agency_points(pb, master, follow, agency))
    if any(a.must_send for a in concerned):
        body.append(_paragraph(pb.say("resend")))
    recipient = f"{config.issuer_name} (qua {fu.sender_unit})" if fu.issuer_name == config.issuer_name \
        else fu.issuer_name
    body.append(_paragraph(pb.say("closing", answer_by=format_date_short(dates.answer_by), recipient=recipient)))

    names = [a.agency.name for a in concerned]
    sign = Signature(parent_lines=fu.parent_lines, issuer_lines=fu.header_lines, issuer_name=fu.issuer_name,
                     notation=fu.notation, place=config.place, authority_lines=fu.authority_lines,
                     position=fu.position, name=fu.name, noi_nhan=fu.noi_nhan, drafting_unit=fu.drafting_unit,
                     priority=fu.priority)
    return {
        "document": DOCUMENT,
        "period": {"code": period.code, "label": period.label},
        **frame(sign, issue, dates.letter, recipient_lines(names)),
        "subject": subject,
        "body": body,
        "answer_by": format_date_short(dates.answer_by),
        "agencies": [{"code": a.agency.code, "name": a.agency.name, "must_send": a.must_send} for a in concerned],
        "meta": archive_record(sign, issue, "Công văn", subject, dates.letter, names,
                               len(names) + len(fu.noi_nhan) + 1,   # each addressee, each Nơi nhận, the archive
                               f"Công văn đôn đốc các cơ quan chủ trì báo cáo kết quả thực hiện Kế hoạch số "
                               f"{config.plan_number}, {period.label}"),
        "charts": {},
        "review": [],
    }
