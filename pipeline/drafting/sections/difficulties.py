"""IV. Khó khăn, vướng mắc: what the agencies reported as difficulties, and the dependencies read in their results.

Rules:
- each item of an agency's «Khó khăn, vướng mắc» cell, after `voice`, one line with the task's short name;
  repeats across agencies merged;
- a task's results that show it waiting on a central decision, approval or opinion (reading: cho-trung-uong),
  on another task's result (cho-nhiem-vu-khac) or without its sponsor or capital (thieu-nguon-luc) are
  difficulties too, said in the agency's own words, once per task and rule;
- tasks done are not held up: their results are not read for dependencies;
- nothing found: the zero sentence.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.drafting.blocks import Block, Heading
from pipeline.status.merge import DONE_STATUSES, Attributed
from pipeline.drafting.reading import Dependency, dependencies
from pipeline.drafting.sections.common import Drafting, bare
from pipeline.plan.model import Task
from pipeline.text.vntext import fold, lower_first, upper_first

PHRASES: dict[str, tuple[str, ...]] = {
    "heading.difficulties": (),
    "difficulty.item": ("task", "text"),
    "difficulty.none": (),
    "label.difficulty": ("task",),
    "label.dependency": ("task", "rule"),
    "label.no_difficulty": (),
}


@dataclass(frozen=True)
class Found:
    task: Task
    agency: str
    dependency: Dependency


def found_dependencies(d: Drafting) -> list[Found]:
    """Every dependency read in the results of a task not done, in the plan's order."""
    out, seen = [], set()
    for task in d.master.tasks:
        if d.status(task).status in DONE_STATUSES:
            continue
        for lead in d.reported(task):
            for dep in dependencies(f"{lead.results}\n{lead.difficulties}"):
                if (task.id, dep.rule) not in seen:
                    seen.add((task.id, dep.rule))
                    out.append(Found(task, lead.agency, dep))
    return out


def item_code(prefix: str, task_id: str, agency: str, taken: set[str]) -> str:
    code, n = f"{prefix}.{task_id}.{agency}", 2
    while code in taken:
        code, n = f"{prefix}.{task_id}.{agency}.{n}", n + 1
    taken.add(code)
    return code


def tasks_of(d: Drafting, item: Attributed) -> str:
    return upper_first(d.refs([d.master.task(t) for t in item.task_ids]))


def difficulties(d: Drafting) -> list:
    pb = d.pb
    heading = pb.say("heading.difficulties")
    out: list = [Heading("heading1", heading)]
    taken: set[str] = set()
    said: dict[str, set[str]] = {}
    for item in d.merged.difficulties:
        block = Block(item_code("IV", item.task_ids[0], item.sources[0][1], taken),
                      pb.say("label.difficulty", task=item.task_ids[0]), "", anchor=heading)
        text = d.voiced(block, item.text, item.sources[0][1])
        if text:
            block.auto = pb.say("difficulty.item", task=tasks_of(d, item), text=lower_first(bare(text)))
            for t in item.task_ids:
                said.setdefault(t, set()).add(fold(bare(text)))
        out.append(block)
    for f in found_dependencies(d):
        clause = bare(f.dependency.clause)
        if any(fold(clause) in s or s in fold(clause) for s in said.get(f.task.id, ())):
            continue
        block = Block(item_code("IV.phu-thuoc", f.task.id, f.agency, taken),
                      pb.say("label.dependency", task=f.task.id, rule=f.dependency.rule), "", anchor=heading)
        block.auto = pb.say("difficulty.item", task=upper_first(d.ref(f.task)), text=lower_first(clause))
        out.append(block)
    if not any(isinstance(b, Block) and b.auto for b in out):
        out.append(Block("IV.khong", pb.say("label.no_difficulty"), pb.say("difficulty.none"), anchor=heading))
    return out
