"""Errors a user sees, and problems found in input files.

`PipelineError` stops a run with one Vietnamese sentence (the CLI prints it, no traceback).
`Problem` is one entry in the check list: a run goes on and reports it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


class PipelineError(Exception):
    """A fatal, user-facing error. The message is Vietnamese and names the file/cell."""


EXIT_OK = 0
EXIT_PROBLEMS = 1      # the report was built, but the check list is not empty
EXIT_FAILED = 2        # nothing could be built

ERROR = "lỗi"          # the row or file is rejected
WARNING = "cảnh báo"   # accepted, but a person should look


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    severity: str = ERROR
    sheet: str = ""
    row: int | None = None
    column: str = ""
    agency: str = ""

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"trang «{self.sheet}»")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột «{self.column}»")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"[{self.severity}] {self.where()}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


class ProblemList(list):
    """Problems collected during a stage; raise when any is an error."""

    def add(self, file: str, message: str, **kw) -> Problem:
        p = Problem(file=file, message=message, **kw)
        self.append(p)
        return p

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity == ERROR]

    def raise_if_errors(self, what: str) -> None:
        errs = self.errors
        if errs:
            lines = "\n".join(f"  - {p}" for p in errs)
            raise PipelineError(f"{what}: {len(errs)} lỗi\n{lines}")
