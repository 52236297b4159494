"""What the tool did with the clerk's review (input/<kỳ>/bien-tap.xlsx), for every run and `tinh-hinh`.

How many of the clerk's edits were used, how many points are settled, and which points still block
issuing (the issue gate's own list: `issuing.issue_blockers`), each with the file, row and column to change.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.drafting.blocks import Draft
from pipeline.drafting.editorial import COLUMNS, COL_NOTE, COL_TEXT, FIRST_ROW, Edit, is_checked
from pipeline.drafting.issuing import Blocker, blocker_line

NOTE_COLUMN, TEXT_COLUMN = COLUMNS[COL_NOTE - 1][0], COLUMNS[COL_TEXT - 1][0]


@dataclass
class Review:
    source: str                  # the clerk's copy as the user finds it: "input/2022-Q3/bien-tap.xlsx"
    found: bool                  # the clerk's copy exists (else the tool's copy is where to start)
    draft_copy: str              # the tool's copy: "output/2022-Q3/bien-tap.xlsx"
    rows: dict[str, int]         # block code -> its row in the copy to edit
    edits_read: int = 0          # rows of the clerk's copy with a block code
    edits_applied: int = 0       # blocks whose text or «Đưa vào báo cáo» the clerk changed, used in this run
    checked: int = 0             # blocks marked «Đã kiểm tra»
    points: int = 0
    settled: int = 0
    blocking: list[Blocker] = field(default_factory=list)

    @property
    def editable(self) -> str:
        """The clerk's copy to edit, and where to get it when there is none yet."""
        return self.source if self.found else f"{self.source} (chưa có: chép {self.draft_copy} vào đó)"

    @property
    def can_issue(self) -> bool:
        return not self.blocking

    def place(self, code: str) -> str:
        """Where to settle a point of block `code`: file, row, columns."""
        row = self.rows.get(code)
        where = f"{self.source}, dòng {row}" if row else self.source
        return (f"{where} (khối «{code}»): ghi «Đã kiểm tra» ở cột «{NOTE_COLUMN}» hoặc sửa cột "
                f"«{TEXT_COLUMN}»")

    def lines(self) -> list[str]:
        """The summary every run prints and writes at the top of van-de.txt."""
        if self.found:
            head = (f"Biên tập ({self.source}): dùng {self.edits_applied} khối đã biên tập, {self.checked} khối ghi "
                    f"«Đã kiểm tra» (đọc {self.edits_read} dòng).")
        else:
            head = (f"Biên tập: chưa có {self.source}; chép {self.draft_copy} vào đó, biên tập rồi chạy lại.")
        out = [head, f"Điểm cần xem: {self.points}, đã xử lý {self.settled}, còn {self.points - self.settled}."]
        if self.blocking:
            out.append(f"Chưa thể phát hành: còn {len(self.blocking)} điểm làm thay đổi nội dung báo cáo chưa xử lý:")
            out += [f"  - {blocker_line(b, self.place)}" for b in self.blocking]
        else:
            out.append("Có thể phát hành: không còn điểm nào làm thay đổi nội dung báo cáo chưa xử lý.")
        return out


def review_of(draft: Draft, edits: dict[str, Edit], source: str, found: bool, draft_copy: str,
              blocking: list[Blocker]) -> Review:
    """`edits`: the clerk's copy as read (empty when there is none); `source`, `draft_copy`: paths to show."""
    rows = {b.code: FIRST_ROW + i for i, b in enumerate(draft.blocks)}    # the tool's copy: one row per block
    if found:
        rows.update({code: e.row for code, e in edits.items()})
    known = {b.code for b in draft.blocks}
    points = [p for b in draft.blocks for p in b.points]
    return Review(source=source, found=found, draft_copy=draft_copy, rows=rows,
                  edits_read=len(edits),
                  edits_applied=sum(b.edited for b in draft.blocks if b.code in edits),
                  checked=sum(is_checked(e.note) for code, e in edits.items() if code in known),
                  points=len(points), settled=sum(p.settled for p in points),
                  blocking=blocking)
