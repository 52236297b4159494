"""How the report names a task: one function for the body, the appendix sheets and the follow-up letters."""
from __future__ import annotations

from pipeline.plan.model import Task


def short_name(task: Task) -> str:
    """The name the body uses for a task: the master's short name («Tên gọn») when it has one, else the task
    code alone. Never a cut of the task's text."""
    return (getattr(task, "short_name", "") or "").strip() or task.id
