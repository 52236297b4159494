"""V. Đề xuất, kiến nghị: the requests the Government or a ministry can grant, sorted by addressee.

Rules:
- only proposals the agencies addressed to the Prime Minister or a central ministry; those to the province go
  to the leaders' sheet («Kiến nghị với UBND tỉnh»), never here;
- a request to move a deadline of the province's own plan (reading: lui-thoi-han) is the province's to decide
  by an adjustment of its plan: it goes to the leaders' sheet, with a point for the clerk;
- a task waiting on the Prime Minister's decision (reading: cho-trung-uong) is offered as a request to him
  when its agency made none, marked for the clerk to confirm;
- the Prime Minister first, then each ministry in first-seen order; each ministry addressed is added to
  Nơi nhận;
- the addressee is said once, in the heading: "Đề nghị Bộ … cho phép …" under it reads "Cho phép …".
"""
from __future__ import annotations

from pipeline.collection.sheet_layout import PROPOSAL_TO_MINISTRY, PROPOSAL_TO_PM, PROPOSAL_TO_PROVINCE
from pipeline.drafting.blocks import DEPENDENCY_PROPOSAL, EXTENSION_REQUEST, Block, Heading
from pipeline.status.merge import Attributed, Merged
from pipeline.drafting.reading import asks_for_more_time, strip_addressee
from pipeline.drafting.sections.common import Drafting, bare
from pipeline.drafting.sections.difficulties import found_dependencies, item_code, tasks_of
from pipeline.text.vntext import lower_first, upper_first

PHRASES: dict[str, tuple[str, ...]] = {
    "heading.proposals": (),
    "heading.proposals_to": ("addressee",),
    "proposal.item": ("task", "text"),
    "proposal.waiting": ("task", "action"),
    "proposal.none": (),
    "proposal.to_ministries": (),
    "label.proposal": ("addressee", "task"),
    "label.no_proposal": (),
    "review.extension": ("agency", "task", "text"),
    "review.waiting": ("agency", "task", "clause"),
}

def _to_government(item: Attributed) -> bool:
    return item.addressee in (PROPOSAL_TO_PM, PROPOSAL_TO_MINISTRY) and not asks_for_more_time(item.text)


def province_proposals(merged: Merged) -> list[Attributed]:
    """Proposals for the leaders' sheet, never the report: those addressed to the UBND tỉnh, and requests to move a
    deadline of the province's own plan whoever they were addressed to."""
    return [p for p in merged.proposals if p.addressee in ("", PROPOSAL_TO_PROVINCE) or not _to_government(p)]


def _addressee(d: Drafting, item: Attributed) -> str:
    if item.addressee == PROPOSAL_TO_PM:
        return PROPOSAL_TO_PM
    ministry = " ".join(item.ministry.split())
    return upper_first(ministry) if ministry else d.pb.say("proposal.to_ministries")


def proposals(d: Drafting) -> list:
    pb = d.pb
    heading = pb.say("heading.proposals")
    out: list = [Heading("heading1", heading)]
    groups: dict[str, list[Block]] = {}
    taken: set[str] = set()
    asked_pm = set()
    for item in d.merged.proposals:
        if item.addressee not in (PROPOSAL_TO_PM, PROPOSAL_TO_MINISTRY):
            continue
        task_id, agency = item.sources[0]
        if not _to_government(item):
            _extension_point(d, item, d.master.task(task_id))
            continue
        name = _addressee(d, item)
        block = Block(item_code("V", task_id, agency, taken), pb.say("label.proposal", addressee=name, task=task_id), "")
        text = d.voiced(block, strip_addressee(item.text, name), agency)
        if text:
            block.auto = pb.say("proposal.item", task=tasks_of(d, item), text=lower_first(bare(text)))
        groups.setdefault(name, []).append(block)
        if item.addressee == PROPOSAL_TO_MINISTRY and item.ministry and name not in d.addressed:
            d.addressed.append(name)
        if name == PROPOSAL_TO_PM:
            asked_pm.update(item.task_ids)
    for f in found_dependencies(d):
        if not (f.dependency.on_prime_minister and f.dependency.action) or f.task.id in asked_pm:
            continue
        block = Block(item_code("V.phu-thuoc", f.task.id, f.agency, taken),
                      pb.say("label.proposal", addressee=PROPOSAL_TO_PM, task=f.task.id), "")
        block.auto = pb.say("proposal.waiting", task=upper_first(d.ref(f.task)), action=f.dependency.action)
        block.point(DEPENDENCY_PROPOSAL, pb.say("review.waiting", agency=d.name(f.agency), task=f.task.id,
                                                clause=f.dependency.clause))
        groups.setdefault(PROPOSAL_TO_PM, []).append(block)
        asked_pm.add(f.task.id)
    order = sorted(groups, key=lambda name: (name != PROPOSAL_TO_PM, list(groups).index(name)))
    for name in order:
        group_heading = pb.say("heading.proposals_to", addressee=name)
        out.append(Heading("heading3", group_heading))
        for block in groups[name]:
            block.anchor = group_heading
            out.append(block)
    if not groups:
        out.append(Block("V.khong", pb.say("label.no_proposal"), pb.say("proposal.none"), anchor=heading))
    return out


def _extension_point(d: Drafting, item: Attributed, task) -> None:
    """A request for more time on the province's own plan: for the leaders, said to the clerk once."""
    d.extension_requests.append((item, d.pb.say("review.extension", agency=d.name(item.sources[0][1]),
                                                task=task.id, text=item.text)))
