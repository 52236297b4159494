"""The plain data every stage passes on: agencies, deadlines, tasks, the master table."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from datetime import date

from pipeline.errors import Problem

# Deadline kinds. Fixed ones carry a due date; the others are never late (FORMAT.md §6).
FIXED_KINDS = ("quarter", "month", "year", "years", "stage")
OPEN_KINDS = ("recurring", "annual", "per_plan", "per_decision")

OPEN_KIND_LABELS = {
    "recurring": "thực hiện thường xuyên",
    "annual": "thực hiện hằng năm",
    "per_plan": "thực hiện theo kế hoạch",
    "per_decision": "theo quyết định phê duyệt của cấp có thẩm quyền",
}


@dataclass(frozen=True)
class Deadline:
    text: str              # as written in the plan: "Quý II/2022"
    kind: str              # one of FIXED_KINDS or OPEN_KINDS
    due: date | None       # last day allowed; None for OPEN_KINDS

    @property
    def fixed(self) -> bool:
        return self.due is not None


@dataclass(frozen=True)
class Agency:
    code: str                       # "SKHDT"
    name: str                       # "Sở Kế hoạch và Đầu tư"
    short_name: str                 # "Sở KH&ĐT"
    aliases: tuple[str, ...] = ()   # other spellings found in documents
    leads_tasks: bool = False       # filled by the master loader
    email: str = ""                 # official address from the registry; "" when none (never guessed)


# Kinds of plan change (sheet «Điều chỉnh» of the master workbook).
EXTEND, ADD, DROP = "extend", "add", "drop"


@dataclass(frozen=True)
class Adjustment:
    """A change to the plan decided by a document: a deadline extended, a task added or dropped."""
    task_id: str
    kind: str                  # EXTEND | ADD | DROP
    deadline: Deadline | None  # EXTEND: the new deadline
    doc_number: str            # "5678/VPCP-CN"
    doc_date: date
    issuer: str                # "Văn phòng Chính phủ"
    note: str = ""

    @property
    def citation(self) -> str:
        from pipeline.text.vntext import format_date_short
        return f"Văn bản số {self.doc_number} ngày {format_date_short(self.doc_date)} của {self.issuer}"


@dataclass(frozen=True)
class Task:
    id: str                  # "I.1", "II.4", "III.4.1"
    section: str             # "I", "II", "III"
    section_title: str       # "CÁC NHIỆM VỤ TRỌNG TÂM THỰC HIỆN THƯỜNG XUYÊN"
    number: str              # TT in the appendix: "1", "4.1"
    group: str               # parent group text for sub-items, "" otherwise
    content: str
    lead_codes: tuple[str, ...]
    lead_note: str           # qualifier written with the leads, e.g. "theo chức năng, nhiệm vụ của ngành"
    coordinators: str        # as written
    deadline: Deadline
    product: str
    order: int = 0           # position in the appendix
    leads_as: str = ""       # co-leads named as one actor in the report («Lực lượng vũ trang tỉnh»); "" = by name
    extension: Adjustment | None = None   # the extension in force at the period's cut-off
    short_name: str = ""     # «Tên gọn»: the officer's name for it in a sentence ("lập Quy hoạch tỉnh"); "" = none

    @property
    def deadline_in_force(self) -> Deadline:
        return self.extension.deadline if self.extension else self.deadline

    @property
    def deadline_text(self) -> str:
        """The deadline as the report prints it: the plan's, and the extension in force if any."""
        from pipeline.text.vntext import deadline_words
        if not self.extension:
            return self.deadline.text
        return (f"{self.deadline.text}, đã được gia hạn đến {deadline_words(self.extension.deadline.text)} "
                f"({self.extension.citation})")


@dataclass(frozen=True)
class Correction:
    where: str       # "Nhiệm vụ III.1, cột Nội dung" or "Văn bản kế hoạch, mục Nơi nhận"
    original: str
    corrected: str
    note: str = ""


@dataclass
class Master:
    tasks: list[Task]
    agencies: dict[str, Agency]
    corrections: list[Correction] = field(default_factory=list)
    source: str = ""
    adjustments: list[Adjustment] = field(default_factory=list)
    retired: list[tuple[Task, Adjustment]] = field(default_factory=list)   # set by as_of: tasks dropped by then
    written_ids: tuple[str, ...] = ()     # set by as_of: every task id of the plan as written
    warnings: list[Problem] = field(default_factory=list)   # found while loading (errors stop the load)

    @property
    def plan_task_ids(self) -> tuple[str, ...]:
        """The task ids of the plan as written (changes aside): what identifies the plan in a form."""
        return self.written_ids or tuple(t.id for t in self.tasks)

    def task(self, task_id: str) -> Task:
        return self._by_id[task_id]

    @cached_property
    def _by_id(self) -> dict[str, Task]:  # tasks are not edited after loading
        return {t.id: t for t in self.tasks}

    def tasks_of(self, code: str) -> list[Task]:
        return [t for t in self.tasks if code in t.lead_codes]

    def as_of(self, cutoff: date) -> "Master":
        """The plan in force at a cut-off day: dropped tasks gone, added ones in, extensions applied."""
        decided = sorted((a for a in self.adjustments if a.doc_date <= cutoff), key=lambda a: a.doc_date)
        dropped = {a.task_id for a in decided if a.kind == DROP}
        pending = {a.task_id for a in self.adjustments if a.kind == ADD and a.doc_date > cutoff}
        extension = {a.task_id: a for a in decided if a.kind == EXTEND}   # the latest decision wins
        tasks = [replace(t, extension=extension.get(t.id)) for t in self.tasks
                 if t.id not in dropped and t.id not in pending]
        retired = [(t, next(a for a in decided if a.kind == DROP and a.task_id == t.id))
                   for t in self.tasks if t.id in dropped]
        return Master(tasks=tasks, agencies=self.agencies, corrections=self.corrections, source=self.source,
                      adjustments=decided, retired=retired, written_ids=self.plan_task_ids,
                      warnings=self.warnings)

    def lead_codes(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.tasks:
            for c in t.lead_codes:
                seen.setdefault(c, None)
        return list(seen)
