"""What each CLI subcommand does and prints (Vietnamese). The work itself lives in the stage modules."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

from pipeline.errors import EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS
from pipeline.errors import PipelineError
from pipeline.status.merge import STATUS_LABELS, STATUS_ORDER
from pipeline.text.vntext import format_date_short, format_number


def _out(text: str = "") -> None:
    print(text, flush=True)


class ProgressBar:
    """«Đang đọc phiếu k/n [####....] tệp» on stderr, redrawn in place, only on a terminal: a log or a
    pipe gets nothing (the summary printed afterwards says what was read)."""

    WIDTH = 24

    def __init__(self, label: str, stream=sys.stderr):
        self.label, self.stream = label, stream
        self.tty = stream.isatty()

    def __call__(self, i: int, n: int, path) -> None:
        if not self.tty or n == 0:
            return
        from pipeline.collection.collect import display_name

        done = self.WIDTH * i // n
        name = display_name(Path(path).name)
        name = name if len(name) <= 40 else name[:39] + "…"
        self.stream.write(f"\r\x1b[K{self.label} {i}/{n} [{'#' * done}{'.' * (self.WIDTH - done)}] {name}")
        if i == n:
            self.stream.write("\r\x1b[K")     # the bar leaves no line behind
        self.stream.flush()


def cmd_check(args) -> int:
    from pipeline.plan.config import load_config
    from pipeline.plan.master import load_master
    from pipeline.plan.periods import parse_period

    config = load_config(args.config)
    period = parse_period(args.period, config.reporting_year) if args.period else None
    master = load_master(config.master_path)
    _out(f"Kế hoạch số {config.plan_number} ngày {format_date_short(config.plan_date)} – {config.issuer_name}")
    _out(f"Bảng nhiệm vụ: {config.master_path.name}: {len(master.tasks)} nhiệm vụ, "
         f"{len(master.lead_codes())} cơ quan chủ trì, {len(master.agencies)} cơ quan trong danh mục, "
         f"{len(master.corrections)} đính chính lỗi bản quét.")
    for section in dict.fromkeys(t.section for t in master.tasks):
        n = sum(t.section == section for t in master.tasks)
        _out(f"  Phần {section}: {n} nhiệm vụ")
    if period:
        _out(f"Kỳ báo cáo: {period.label} ({period.code}); số liệu tính từ {format_date_short(period.start)} "
             f"đến {format_date_short(period.end)}.")
        master = master.as_of(period.end)
        due = [t for t in master.tasks if t.deadline_in_force.due and t.deadline_in_force.due <= period.end]
        open_ = [t for t in master.tasks if not t.deadline_in_force.fixed]
        _out(f"  Nhiệm vụ có hạn đến hết ngày {format_date_short(period.end)}: {len(due)}; "
             f"không có thời hạn cố định: {len(open_)}; hạn sau kỳ này: {len(master.tasks) - len(due) - len(open_)}.")
    _out("Cấu hình và bảng nhiệm vụ hợp lệ.")
    return EXIT_OK


def cmd_templates(args) -> int:
    from pipeline.collection.agency_workbook import write_agency_workbooks
    from pipeline.archive.history import FILENAME as HISTORY_FILE
    from pipeline.archive.history import ISSUED, previous_period
    from pipeline.report import carried_of, latest_record, load_inputs, previous_record

    from pipeline.archive import outputs as out

    config, plan, period = load_inputs(args.config, args.period)
    master = plan.as_of(period.end)   # agencies are asked about the tasks in force
    period_dir = args.output / period.code
    out_dir = period_dir / "phieu"
    generated = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    protected = [("thư mục cấu hình", config.input_dir), ("thư mục bảng nhiệm vụ", config.master_path.parent)]
    with out.period_run(period_dir, f"Kỳ báo cáo {period.code}", protected), out.environment_errors(period_dir):
        found = []
        # the previous period's record (or forms); when it has neither, the latest record before it: what was
        # done then is still done, pre-filled and locked
        record = (previous_record(config, plan, period, args.output / HISTORY_FILE, found)
                  or latest_record(args.output / HISTORY_FILE, period))
        carried = carried_of(record)
        paths = write_agency_workbooks(master, period, out_dir, generated_at=generated, config=config,
                                       carried=carried, deadline=config.submission_deadline(period))
    _out(f"Đã tạo {len(paths)} phiếu báo cáo {period.label} trong {out_dir}:")
    for p in paths:
        _out(f"  {p.name}")
    for p in found:
        if p.message.startswith("Tệp bản ghi các kỳ"):   # a damaged record set aside: said once, here
            _out(f"  ({p.message})")
    _out(_carried_line(record, record.period if record else previous_period(period), args.output / HISTORY_FILE,
                       config.input_dir, master,
                       carried, ISSUED))
    return EXIT_OK


def _shown(path) -> str:
    """A path as the user typed it from here: relative to the current folder when inside it."""
    try:
        return str(Path(path).absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _carried_line(record, before, history, input_dir, master, carried, issued: str) -> str:
    """One line: which period the pre-filled answers come from, and from where."""
    if record is None:
        return (f"Không có câu trả lời của kỳ trước ({before.label}) để điền sẵn: chưa có bản ghi trong "
                f"{_shown(history)} và không có thư mục phiếu {_shown(input_dir / before.code)}; phiếu để trống.")
    pairs = [(t.id, code) for t in master.tasks for code in t.lead_codes if (t.id, code) in carried.answers]
    locked = {task_id for task_id, _ in pairs if task_id in carried.settled}
    if record.kind == "input":
        source = (f"lập từ các phiếu trong thư mục {_shown(input_dir / before.code)} (kỳ đó chưa có bản ghi trong "
                  f"{_shown(history)})")
    else:
        kind = f"bản phát hành số {record.number}" if record.kind == issued else "bản dự thảo"
        source = f"lấy từ bản ghi báo cáo ({kind}) trong {_shown(history)}"
    return (f"Điền sẵn {len(pairs)} câu trả lời của {before.label} (kỳ trước), {source}; "
            f"{len(locked)} nhiệm vụ đã hoàn thành được khóa.")


def cmd_report(args) -> int:
    from pipeline.report import build_report

    issue = _issue_of(args)
    result = build_report(args.config, args.period, args.output, input_dir=args.input, issue=issue,
                          on_file=ProgressBar("Đang đọc phiếu"), replace_issued=args.replace_issued)
    m = result.merged
    _out(f"Báo cáo {result.period.label} ({'bản phát hành số ' + str(args.so) if issue else 'bản dự thảo trình ký'})")
    read = [f for f in result.files if f["outcome"] != "rejected"]
    _out(f"  Tệp đã đọc: {len(result.files)} (dùng {sum(f['outcome'] == 'accepted' for f in result.files)}, "
         f"bị thay thế {sum(f['outcome'] == 'superseded' for f in result.files)}, "
         f"bỏ qua {len(result.files) - len(read)})")
    _out(f"  Dòng đọc được: {format_number(result.rows_read)} = nhận {format_number(result.rows_accepted)} "
         f"+ loại {format_number(result.rows_rejected)}")
    if m.missing_agencies:
        names = ", ".join(result.master.agencies[c].name for c in m.missing_agencies)
        _out(f"  Cơ quan chưa báo cáo ({len(m.missing_agencies)}): {names}")
    for s in STATUS_ORDER:
        _out(f"  {STATUS_LABELS[s]}: {m.by_status[s]}")
    _out(f"Đã ghi vào {result.out_dir}/:")
    for key, path in result.outputs.items():
        _out(f"  {path.name}")
    for notice in result.notices:
        _out(f"  ({notice})")
    for name, aside in result.kept_aside:
        _out(f"  (tệp «{name}» có sẵn không phải do công cụ ghi hoặc đã bị sửa: giữ lại với tên «{aside}»)")
    if result.review:
        for line in result.review.lines():
            _out(line)
    if result.problems:
        _out(f"Có {len(result.problems)} vấn đề cần xem (chi tiết trong {result.outputs['problems'].name} "
             f"và trang «Vấn đề» của {result.outputs['workbook'].name}):")
        for p in result.problems[:15]:
            _out(f"  - {p}")
        if len(result.problems) > 15:
            _out(f"  … và {len(result.problems) - 15} vấn đề khác.")
        return EXIT_PROBLEMS
    _out("Không có vấn đề nào.")
    return EXIT_OK


def cmd_tinh_hinh(args) -> int:
    """The period at a glance, nothing written: who replied (on time or late), who is silent, files refused,
    points open and settled, and whether the report can be issued (the issue gate's own list)."""
    from datetime import date

    from pipeline.plan.periods import sent_late
    from pipeline.report import prepare

    from pipeline.drafting.context import Issue

    # --ngay: the intended issue date; the points it raises (a completion after it) count, as the gate counts them
    issue = Issue(1, args.ngay) if args.ngay else None
    p = prepare(args.config, args.period, args.output, input_dir=args.input, issue=issue,
                on_file=ProgressBar("Đang đọc phiếu"), gate=False)
    m, names = p.merged, p.master.agencies
    deadline = p.config.submission_deadline(p.period)
    when = format_date_short(deadline)
    _out(f"Tình hình {p.period.label}: số liệu chốt ngày {format_date_short(p.period.end)}, hạn gửi phiếu {when} "
         f"(thư mục {_shown(p.folder)}).")
    replied = [(c, m.report_dates.get(c)) for c in m.reported_agencies]
    late = [(c, d) for c, d in replied if sent_late(d, deadline)]
    _out(f"Đã gửi phiếu ({len(replied)}/{len(m.reported_agencies) + len(m.missing_agencies)}):")
    for code, day in replied:
        note = "gửi chậm" if (code, day) in late else "không ghi ngày báo cáo" if day is None else "đúng hạn"
        _out(f"  - {names[code].name}" + (f", ngày {format_date_short(day)}" if day else "") + f": {note}")
    _out(f"Gửi chậm (sau hạn {when}): {len(late)}" + (": " + ", ".join(names[c].name for c, _ in late) if late else ""))
    overdue = date.today() > deadline
    _out(f"Chưa gửi phiếu ({len(m.missing_agencies)})" + (f", đã quá hạn {when}" if overdue and m.missing_agencies
                                                          else "") + (":" if m.missing_agencies else "."))
    for code in m.missing_agencies:
        open_ids = [t.id for t in p.master.tasks_of(code) if not m.statuses[t.id].done_before]
        _out(f"  - {names[code].name} (nhiệm vụ {', '.join(open_ids)})")
    if m.nothing_due:
        _out("Không cần gửi (mọi nhiệm vụ đã hoàn thành ở kỳ trước): " + ", ".join(names[c].name for c in m.nothing_due))
    refused = [f for f in p.collection.files if f.outcome == "rejected"]
    superseded = [f for f in p.collection.files if f.outcome == "superseded"]
    _out(f"Tệp bị loại ({len(refused)})" + (":" if refused else "."))
    for f in refused:
        _out(f"  - {f.name}: {f.reason}")
    if superseded:
        _out(f"Tệp bị thay thế bằng phiếu gửi sau ({len(superseded)}): " + ", ".join(f.name for f in superseded))
    _out(f"Dòng phiếu: đọc {format_number(p.collection.rows_read)} = nhận {format_number(p.collection.rows_accepted)} "
         f"+ loại {format_number(p.collection.rows_rejected)}.")
    for line in p.review.lines():
        _out(line)
    return EXIT_OK if p.review.can_issue else EXIT_PROBLEMS


def _issue_of(args):
    from pipeline.drafting.context import Issue

    if (args.so is None) != (args.ngay is None):
        raise PipelineError("Bản phát hành cần cả số (--so) và ngày ban hành (--ngay); bản dự thảo không ghi cả hai.")
    if args.replace_issued and args.so is None:
        raise PipelineError("--ghi-de-ban-phat-hanh chỉ dùng cùng --so và --ngay (lập lại một bản phát hành).")
    if args.so is not None and args.so > MAX_NUMBER:
        shown = str(args.so) if len(str(args.so)) <= 12 else str(args.so)[:8] + "…"
        raise PipelineError(f"Số văn bản «{shown}» quá lớn: số do văn thư cấp đánh lại từ 01 mỗi năm (Nghị định "
                            f"30/2020), không quá {format_number(MAX_NUMBER)}; kiểm tra lại --so.")
    return Issue(args.so, args.ngay) if args.so else None


MAX_NUMBER = 999_999   # numbers restart at 01 each year; a longer one is a typing slip (and an over-long name)


def cmd_don_doc(args) -> int:
    from pipeline.followup.run import build_follow_up

    issue = _issue_of(args)
    result = build_follow_up(args.config, args.period, args.output, input_dir=args.input, issue=issue,
                             answer_by=args.han, days=args.days, replace_issued=args.replace_issued,
                             on_file=ProgressBar("Đang đọc phiếu"))
    follow = result.follow
    if not result.outputs:
        _out(f"Không có cơ quan nào cần đôn đốc trong {follow.period.label}: mọi cơ quan chủ trì đã gửi phiếu hợp lệ "
             f"và không có nhiệm vụ nào đến hạn trong {follow.days} ngày sau ngày chốt số liệu; không ghi tệp nào.")
        return EXIT_OK
    kind = f"bản phát hành số {args.so}" if issue else "bản dự thảo trình ký"
    _out(f"Công văn đôn đốc {follow.period.label} ({kind}), hạn gửi phiếu {result.context['answer_by']}:")
    for agency in follow.concerned:
        what = []
        if agency.silent:
            what.append("chưa gửi phiếu")
        if agency.rejected:
            what.append(f"{len(agency.rejected)} dòng bị loại")
        if agency.missing:
            what.append(f"thiếu {len(agency.missing)} nhiệm vụ")
        if agency.due_soon:
            what.append(f"{len(agency.due_soon)} nhiệm vụ sắp đến hạn")
        _out(f"  - {agency.agency.name}: {', '.join(what)}")
    _out(f"Đã ghi vào {result.out_dir}/:")
    for path in result.outputs.values():
        _out(f"  {path.name}")
    for notice in result.notices:
        _out(f"  ({notice})")
    for name, aside in result.kept_aside:
        _out(f"  (tệp «{name}» có sẵn không phải do công cụ ghi hoặc đã bị sửa: giữ lại với tên «{aside}»)")
    for p in result.mail_problems:
        _out(f"  - {p}")
    _out("Thư điện tử chỉ là bản nháp (.eml): mở bằng chương trình thư, kiểm tra rồi tự gửi; công cụ không gửi thư.")
    return EXIT_OK


def _problems(what: str, messages: list[str]) -> int:
    _out(f"{what} có {len(messages)} vấn đề:")
    for msg in messages:
        _out(f"  - {msg}")
    return EXIT_PROBLEMS


def cmd_check_template(args) -> int:
    from pipeline.drafting.body import PHRASEBOOK, PHRASES
    from pipeline.drafting.phrasebook import check_phrasebook
    from pipeline.documents.render_docx import DEFAULT_TEMPLATE, check_template
    from pipeline.report import load_inputs
    from pipeline.drafting.context import build_context
    from pipeline.status.merge import merge
    import pandas as pd

    from pipeline.followup import letter

    # The phrasebooks first: a context cannot be built from a broken one.
    phrasebook = args.phrasebook or PHRASEBOOK
    for book, phrases in ((phrasebook, PHRASES), (letter.PHRASEBOOK, letter.PHRASES)):
        messages = check_phrasebook(book, phrases)
        if messages:
            return _problems(f"Sổ câu chữ {book}", messages)
        _out(f"Sổ câu chữ {book} hợp lệ: đủ {len(phrases)} câu, mọi chỗ trống đều có số liệu.")
    # Any period will do: the check is about which keys the template asks for.
    config, plan, period = load_inputs(args.config, "Q3")
    unnamed = _unnamed_tasks(plan, config.master_path.name)
    master = plan.as_of(period.end)
    merged = merge(master, period, pd.DataFrame(), [])
    template = args.template or DEFAULT_TEMPLATE
    messages = check_template(template, build_context(config, master, merged))
    if messages:
        return _problems(f"Mẫu {template}", messages)
    _out(f"Mẫu {template} hợp lệ: mọi biến đều có trong nội dung báo cáo, không thẻ nào xóa ngắt trang phụ lục.")
    if args.template is None:   # the công văn's template, checked against a letter to every agency
        from pipeline.collection.collect import Collection
        from pipeline.documents.doctypes import TYPES
        from pipeline.followup.findings import find_follow_up

        nothing = Collection(pd.DataFrame(columns=["agency", "task_id"]), pd.DataFrame(
            columns=["agency", "task_id", "file", "sheet", "row", "reason"]), [], [], [])
        follow = find_follow_up(master, merged, nothing, [])
        context = letter.build_letter_context(config, master, follow, letter.letter_dates(config, follow, None, None))
        template = TYPES[context["document"]].docx_template
        messages = check_template(template, context)
        if messages:
            return _problems(f"Mẫu {template}", messages)
        _out(f"Mẫu {template} hợp lệ: mọi biến đều có trong nội dung công văn.")
    if unnamed:
        return _problems(f"Bảng nhiệm vụ {config.master_path.name}", unnamed)
    _out(f"Bảng nhiệm vụ {config.master_path.name}: mọi nhiệm vụ đều có tên gọn.")
    return EXIT_OK


def _unnamed_tasks(plan, master_name: str) -> list[str]:
    """The tasks the report can only call by their code: no usable «Tên gọn» in the master."""
    from pipeline.plan.master import SHORT_NAME_COLUMN, TASK_SHEET

    out = [str(w) for w in plan.warnings if w.column == SHORT_NAME_COLUMN]   # a name that cannot stand in a sentence
    missing = [t.id for t in plan.tasks if not t.short_name]
    if missing:
        out.append(f"{len(missing)} nhiệm vụ chưa có tên gọn (cột «{SHORT_NAME_COLUMN}», trang «{TASK_SHEET}» của "
                   f"{master_name}), báo cáo chỉ gọi bằng mã: {', '.join(missing)}")
    return out


def cmd_import_plan(args) -> int:
    from pipeline.plan.config import load_config
    from pipeline.plan.plan_import import cmd_import_plan as run

    registry = args.registry or load_config(args.config).master_path
    return run(args.docx, args.output, registry)


__all__ = ["cmd_check", "cmd_templates", "cmd_report", "cmd_tinh_hinh", "cmd_don_doc", "cmd_check_template", "cmd_import_plan",
           "EXIT_FAILED"]
