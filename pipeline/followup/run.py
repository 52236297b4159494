"""One chase run (`baocao don-doc`): read the period's forms, find who must be chased, write the công văn
and each concerned agency's files into output/<period>/don-doc/ (issued: don-doc/phat-hanh/<số>/).

The folder follows the output rules of pipeline.archive.outputs (its own manifest and lock; only files
the tool wrote are replaced; an issued công văn is never replaced). A report run keeps don-doc/ as it
keeps any subfolder. Per concerned agency (names begin with its code, so they sort together):
- <CODE>_thu-don-doc.eml: the e-mail draft (never sent), the công văn's PDF and the files below attached;
- <CODE>_van-de.xlsx and <CODE>_phieu-bao-cao.xlsx: when it must send a form (silent, tasks missing,
  rows refused): its problem list and its phiếu pre-filled with what was accepted, refused cells marked.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from pipeline.archive import outputs as out
from pipeline.files import file_record, write_bytes_atomic, write_manifest
from pipeline.archive.history import FILENAME as HISTORY_FILE
from pipeline.drafting.context import Issue
from pipeline.drafting.editorial import FILENAME as EDITORIAL_FILE
from pipeline.errors import Problem
from pipeline.followup.findings import FollowUp, find_follow_up
from pipeline.followup.letter import build_letter_context, letter_dates

FOLDER = out.FOLLOW_UP_DIR
VN_TZ = timezone(timedelta(hours=7))


@dataclass
class FollowUpResult:
    out_dir: Path
    follow: FollowUp
    context: dict
    problems: list[Problem]
    mail_problems: list[Problem] = field(default_factory=list)   # e.g. an agency without an e-mail address
    outputs: dict[str, Path] = field(default_factory=dict)      # key -> path in out_dir
    kept_aside: list[tuple[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def build_follow_up(config_path: Path, period_code: str, output_root: Path, input_dir: Path | None = None,
                    issue: Issue | None = None, answer_by: date | None = None, days: int | None = None,
                    replace_issued: bool = False, today: date | None = None, with_pdf: bool = True) -> FollowUpResult:
    from pipeline.collection.collect import collect
    from pipeline.status.merge import merge
    from pipeline.report import (carried_of, file_records, load_inputs, manifest_inputs, previous_record,
                                 silent_agency_problems)

    config, plan, period = load_inputs(config_path, period_code)
    master = plan.as_of(period.end)
    folder = Path(input_dir or config.input_dir / period.code)
    protected = [("thư mục phiếu của kỳ", folder), ("thư mục cấu hình", config.input_dir),
                 ("thư mục bảng nhiệm vụ", config.master_path.parent)]
    base = Path(output_root) / period.code / FOLDER
    out.check_no_overlap(base, protected)
    collection = collect(folder, master, period, today=today, plan_number=config.plan_number,
                         plan_date=config.plan_date, ignore=(EDITORIAL_FILE,))
    merged = merge(master, period, collection.rows, collection.reported_agencies)
    problems = [*master.warnings, *collection.problems,   # e.g. a malformed e-mail address in the registry
                *silent_agency_problems(master, merged, folder)]
    follow = find_follow_up(master, merged, collection, problems, anchor=period.end,
                            days=config.follow_up.due_soon_days if days is None else days)
    if not follow.concerned:   # nobody to chase: nothing is written
        return FollowUpResult(out_dir=base, follow=follow, context={}, problems=problems)
    dates = letter_dates(config, follow, issue, answer_by)
    context = build_letter_context(config, master, follow, dates, issue)
    with out.period_run(base, f"Việc đôn đốc kỳ {period.code}", protected,
                        issue.number if issue else None, replace_issued) as run:
        carried = carried_of(previous_record(config, plan, period, Path(output_root) / HISTORY_FILE, problems)) \
            if any(a.silent for a in follow.concerned) else None
        with out.environment_errors(run.period_dir), out.staging(run.period_dir) as tmp_dir:
            outputs, mail_problems = _write(tmp_dir, config, master, period, collection, follow, context, dates,
                                            carried, today or date.today(), with_pdf)
            project = config.path.parent.parent
            manifest = {
                "document": "cong-van",
                "period": {"code": period.code, "label": period.label},
                "draft": issue is None,
                "metadata": context["meta"],
                "configuration": file_record(config.path, project),
                "master": file_record(config.master_path, project),
                "inputs": manifest_inputs(file_records(collection, project, folder)),
                "agencies": context["agencies"],
                "outputs": {key: {**file_record(path, tmp_dir), "path": path.name} for key, path in outputs.items()},
            }
            outputs["manifest"] = write_manifest(tmp_dir / out.MANIFEST, manifest)
            done = out.commit(tmp_dir, run.target, [p.name for p in outputs.values()], draft_only=issue is None)
    return FollowUpResult(out_dir=run.target, follow=follow, context=context, problems=problems,
                          mail_problems=mail_problems,
                          outputs={k: run.target / p.name for k, p in outputs.items()},
                          kept_aside=done.kept_aside, notices=run.notices)


def mail_name(code: str) -> str:
    return f"{code}_thu-don-doc.eml"


def letter_name(period_code: str) -> str:
    return f"cong-van-don-doc-{period_code}"


def _write(tmp_dir: Path, config, master, period, collection, follow: FollowUp, context: dict, dates,
           carried, today: date, with_pdf: bool) -> tuple[dict[str, Path], list[Problem]]:
    from pipeline.documents.render_docx import render_docx
    from pipeline.collection.agency_workbook import workbook_filename
    from pipeline.followup.agency_files import agency_file_names, write_problem_workbook, write_resend_form
    from pipeline.followup.mail import follow_up_mail, write_eml

    base = letter_name(period.code)
    outputs: dict[str, Path] = {
        "context": write_bytes_atomic(tmp_dir / f"{base}.json", json.dumps(
            context, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")),
        "docx": render_docx(context, tmp_dir / f"{base}.docx"),
    }
    if with_pdf:
        from pipeline.documents.render_pdf import render_pdf
        outputs["pdf"] = render_pdf(context, tmp_dir / f"{base}.pdf")
    stamp = datetime.combine(dates.letter, time(8, 0))          # the workbooks' own date: the letter's
    generated = datetime.combine(today, time(0, 0))             # a re-sent form is newer than the first
    fu = config.follow_up
    letter = {"issuer": fu.issuer_name, "sender_unit": fu.sender_unit,
              "number_line": context["header"]["number_line"], "date_line": context["header"]["date_line"],
              "subject": context["subject"], "plan_number": config.plan_number, "period_label": period.label,
              "answer_by": context["answer_by"], "draft": context["draft"], "registry": config.master_path.name}
    sender = (fu.sender_unit, fu.email) if fu.email else None
    problems: list[Problem] = []
    for agency in follow.concerned:
        code = agency.agency.code
        names = agency_file_names(code)
        attachments = [(f"{base}.pdf", outputs["pdf"])] if with_pdf else [(f"{base}.docx", outputs["docx"])]
        if agency.must_send:
            form = write_resend_form(tmp_dir / names["form"], master, period, config, agency, collection, generated,
                                     carried if agency.silent else None)
            sheet = write_problem_workbook(tmp_dir / names["problems"], agency, period, config.plan_number, stamp)
            outputs[f"{code}:form"], outputs[f"{code}:problems"] = form, sheet
            # attached under the names the agency knows: its form's usual name (make templates)
            attachments += [(workbook_filename(period, agency.agency), form),
                            (f"Van-de_{period.code}_{code}.xlsx", sheet)]
        message, found = follow_up_mail(agency, letter, attachments, sender,
                                        datetime.combine(dates.letter, time(8, 0), tzinfo=VN_TZ))
        problems.extend(found)
        outputs[f"{code}:mail"] = write_eml(tmp_dir / mail_name(code), message)
    return outputs, problems
