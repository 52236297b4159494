"""Blocks: the units of the drafted report the clerk reviews, and the points they must settle."""
from __future__ import annotations

from dataclasses import dataclass, field

# Points that change a printed fact (or print text nobody reviewed this period): an issued report is refused
# while one is unsettled.
UNDATED_DONE = "undated_done"
REJECTED_ROW = "rejected_row"
DONE_AFTER_ISSUE = "done_after_issue"
CARRIED_EDIT = "carried_edit"                # the clerk's edit of the previous period, pre-filled, not yet confirmed
BLOCKING_KINDS = (UNDATED_DONE, REJECTED_ROW, DONE_AFTER_ISSUE, CARRIED_EDIT)
# Points to read: rewritten or withheld sentences, silent agencies, late completions, stale edits.
REWRITTEN = "rewritten"
WITHHELD = "withheld"
SILENT_AGENCIES = "silent_agencies"
DONE_AFTER_CUTOFF = "done_after_cutoff"
STALE_EDIT = "stale_edit"
STATUS_BACKWARDS = "status_backwards"
LATE_FORM = "late_form"                      # a form dated after the cut-off was used
DEPENDENCY_PROPOSAL = "dependency_proposal"  # a wait on a central decision, offered as a proposal
# What the clerk must decide about the printed text: these are Word comments on the draft too. Every point
# (automatic rewrites, silent agencies, a completion after the cut-off, a carried edit, which is confirmed where
# it was pre-filled) is listed in bien-tap.xlsx «Điểm cần xem».
DECISION_KINDS = (UNDATED_DONE, REJECTED_ROW, DONE_AFTER_ISSUE, LATE_FORM, STATUS_BACKWARDS, WITHHELD,
                  DEPENDENCY_PROPOSAL, STALE_EDIT)

CHECKED_MARK = "Đã kiểm tra"   # written in «Ghi chú» by the clerk: the point is settled


@dataclass
class Point:
    kind: str
    message: str          # Vietnamese, shown in the Word comment and the editorial workbook
    settled: bool = False

    @property
    def blocking(self) -> bool:
        return self.kind in BLOCKING_KINDS

    @property
    def decision(self) -> bool:
        """The clerk must decide it: marked by a Word comment, not only listed in the workbook."""
        return self.kind in DECISION_KINDS


@dataclass
class Block:
    code: str             # «Mã khối»: stable across runs ("II.phan-III.qua-han", "PL.II.5")
    label: str            # where it stands, for the clerk ("Phần II, nhóm III: nhiệm vụ quá hạn")
    auto: str             # the text the tool drafted
    place: str = "body"   # "body" | "appendix"
    anchor: str = ""      # a printed text nearby, for a Word comment when the block is not printed
    points: list[Point] = field(default_factory=list)
    text: str | None = None      # the clerk's text (None = the automatic one)
    include: bool = True
    edited: bool = False
    note: str = ""

    @property
    def printed(self) -> str:
        """What the report prints for this block ("" = nothing)."""
        if not self.include:
            return ""
        return self.auto if self.text is None else self.text

    def point(self, kind: str, message: str) -> Point:
        p = Point(kind, message)
        self.points.append(p)
        return p


@dataclass
class Heading:
    style: str            # heading1 | heading2 | heading3
    text: str


@dataclass
class Figure:
    chart: str            # key of the context's "charts"
    caption: str          # "Biểu đồ 1. Tình trạng …", printed under the chart


@dataclass
class Draft:
    body: list            # Heading | Block | Figure, in reading order
    summaries: dict[str, Block]   # task id -> the appendix «Kết quả thực hiện» block
    charts: dict[str, dict] = field(default_factory=dict)   # the charts the Figure items show (plain data)

    @property
    def blocks(self) -> list[Block]:
        return [b for b in self.body if isinstance(b, Block)] + list(self.summaries.values())

    def unsettled(self, blocking_only: bool = False) -> list[tuple[Block, Point]]:
        return [(b, p) for b in self.blocks for p in b.points
                if not p.settled and (p.blocking or not blocking_only)]
