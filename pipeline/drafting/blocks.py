"""Blocks: the units of the drafted report the clerk reviews, and the points they must settle."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

# Points that change a printed fact (or print text nobody reviewed this period): an issued report is refused
# while one is unsettled.
UNDATED_DONE = "undated_done"
REJECTED_ROW = "rejected_row"
DONE_AFTER_ISSUE = "done_after_issue"
STALE_EDIT = "stale_edit"           # the block's automatic text changed after the clerk edited it
FUTURE_DATE = "future_date"         # printed text cites a day after the issue date
REREAD = "reread"                   # the workbook said «new point» on a settled block; the clerk has not cleared it
CARRIED_EDIT = "carried_edit"       # the clerk's edit of the previous period, pre-filled, not yet confirmed
BLOCKING_KINDS = (UNDATED_DONE, REJECTED_ROW, DONE_AFTER_ISSUE, STALE_EDIT, FUTURE_DATE, REREAD, CARRIED_EDIT)
# Points to read: rewritten or withheld sentences, silent agencies, late completions.
REWRITTEN = "rewritten"
WITHHELD = "withheld"
SILENT_AGENCIES = "silent_agencies"
DONE_AFTER_CUTOFF = "done_after_cutoff"
DATE_AFTER_CUTOFF = "date_after_cutoff"   # printed text cites a day after the cut-off (FUTURE_DATE once issued)
STATUS_BACKWARDS = "status_backwards"
LATE_FORM = "late_form"                        # a form dated after the cut-off was used
DEPENDENCY_PROPOSAL = "dependency_proposal"    # a wait on the Prime Minister offered as a request to him
EXTENSION_REQUEST = "extension_request"        # a request for more time on the province's own plan, rerouted
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
    key: str = ""         # what the clerk vouched for, when a draft showed it in other words (else the message)

    @property
    def blocking(self) -> bool:
        return self.kind in BLOCKING_KINDS

    @property
    def decision(self) -> bool:
        """The clerk must decide it: marked by a Word comment, not only listed in the workbook."""
        return self.kind in DECISION_KINDS


def point_digest(block_code: str, point: Point) -> str:
    """A short fingerprint of a point as the clerk was shown it: a mark settles only the points whose
    fingerprints stand beside it in the editorial workbook, so a point that appears later is open again."""
    raw = "\x1f".join((block_code, point.key or point.message)).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:12]


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
    row: int | None = None       # its row in the clerk's editorial workbook, when there is one

    @property
    def digests(self) -> list[str]:
        return [point_digest(self.code, p) for p in self.points]

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
    addressed: list[str] = field(default_factory=list)      # the ministries V addresses: each is in Nơi nhận

    @property
    def blocks(self) -> list[Block]:
        return [b for b in self.body if isinstance(b, Block)] + list(self.summaries.values())

    def unsettled(self, blocking_only: bool = False) -> list[tuple[Block, Point]]:
        return [(b, p) for b in self.blocks for p in b.points
                if not p.settled and (p.blocking or not blocking_only)]
