"""Tasks falling due soon after the cut-off: what the follow-up reminds and «Sắp đến hạn» lists."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.plan.model import Master
from pipeline.status.merge import DONE_STATUSES, Merged

DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class DueTask:
    task_id: str
    due: date
    deadline_text: str   # as the plan (or its extension) words it


def due_soon(master: Master, merged: Merged, anchor: date, days: int = DUE_SOON_DAYS) -> dict[str, list[DueTask]]:
    """Per lead agency code, its tasks not done at the cut-off whose deadline in force falls in
    (anchor, anchor + days]; tasks without a fixed deadline never fall due."""
    end = anchor + timedelta(days=days)
    out: dict[str, list[DueTask]] = {}
    for task in master.tasks:
        deadline = task.deadline_in_force
        if deadline.due is None or not anchor < deadline.due <= end:
            continue
        if merged.statuses[task.id].status in DONE_STATUSES:
            continue
        for code in task.lead_codes:
            out.setdefault(code, []).append(DueTask(task.id, deadline.due, task.deadline_text))
    return out
