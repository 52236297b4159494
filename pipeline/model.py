"""The plain data every stage passes on: agencies, deadlines, tasks, the master table."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date

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

    def task(self, task_id: str) -> Task:
        return self._by_id[task_id]

    @cached_property
    def _by_id(self) -> dict[str, Task]:  # tasks are not edited after loading
        return {t.id: t for t in self.tasks}

    def tasks_of(self, code: str) -> list[Task]:
        return [t for t in self.tasks if code in t.lead_codes]

    def lead_codes(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.tasks:
            for c in t.lead_codes:
                seen.setdefault(c, None)
        return list(seen)
