"""Draft the report as the Committee's own: the opening, sections I–VI, the closing, and each task's appendix
summary. The report's shape is this module's order; each section lives in `drafting/sections/` and names the
rules it applies.

Facts come from the merged statuses (judged at the cut-off); every sentence comes from the phrasebook
(templates/phrasebook/bao-cao.toml); agency text passes through `voice` before it is printed. The result is
a `Draft` of blocks the clerk reviews in bien-tap.xlsx.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.status.compare import Comparison
from pipeline.drafting.blocks import EXTENSION_REQUEST, Block, Draft
from pipeline.status.merge import Merged
from pipeline.drafting.names import short_name
from pipeline.drafting.phrasebook import Phrasebook, with_zero_forms
from pipeline.drafting.sections import appendix, assessment, common, deployment, difficulties, next_steps, proposals
from pipeline.drafting.sections import results
from pipeline.drafting.sections.common import Drafting, and_join
from pipeline.drafting.sections.proposals import province_proposals
from pipeline.plan.config import PlanConfig
from pipeline.plan.model import Master

__all__ = ["PHRASEBOOK", "PHRASES", "closing", "draft_report", "load_phrasebook", "province_proposals", "short_name",
           "subject"]

PHRASEBOOK = Path(__file__).resolve().parents[2] / "templates" / "phrasebook" / "bao-cao.toml"

# The slots the drafting fills, per phrase: the contract with the phrasebook file (with each counting
# phrase's zero form).
PHRASES: dict[str, tuple[str, ...]] = with_zero_forms({
    "subject": ("directive_subject", "directive_citation", "period"),
    "opening": ("directive_citation", "issuer", "period"),
    "closing": ("issuer", "period", "directive_subject", "recipients"),
    "label.opening": (), "label.closing": (),
    **common.PHRASES, **deployment.PHRASES, **results.PHRASES, **assessment.PHRASES, **difficulties.PHRASES,
    **proposals.PHRASES, **next_steps.PHRASES, **appendix.PHRASES,
})


def load_phrasebook(path: Path = PHRASEBOOK) -> Phrasebook:
    return Phrasebook(path, PHRASES)


def draft_report(config: PlanConfig, master: Master, merged: Merged, rejected: pd.DataFrame | None = None,
                 superseded_files=(), phrasebook: Phrasebook | None = None,
                 comparison: Comparison | None = None, charts: dict[str, dict] | None = None) -> Draft:
    """`rejected`: the collection's rejected rows; rows of `superseded_files` (an agency's older form) are
    not points, the agency's later form stands for them. `comparison`: the previous period's record.
    `charts`: the charts (plain data) to show after the overall figures, captioned in order."""
    pb = phrasebook or load_phrasebook()
    d = Drafting(config, master, merged, pb, comparison, charts or {})
    superseded = set(superseded_files)
    summaries = {t.id: appendix.summary(d, t) for t in master.tasks}
    body: list = [Block("mo-dau", pb.say("label.opening"), pb.say(
        "opening", directive_citation=config.directive_citation, issuer=config.issuer_name,
        period=merged.period.label))]
    body += deployment.deployment(d)
    body += results.results(d)
    body += assessment.assessment(d, appendix.rejected_count(d, rejected, superseded))
    body += difficulties.difficulties(d)
    body += proposals.proposals(d)
    body += next_steps.next_steps(d)
    body.append(Block("ket-thuc", pb.say("label.closing"), closing(config, merged, pb)))
    general = next(b for b in body if isinstance(b, Block) and b.code == "II.tong-so")
    appendix.rejected_points(d, rejected, superseded, summaries, general)
    for item, message in d.extension_requests:
        summaries[item.task_ids[0]].point(EXTENSION_REQUEST, message)
    return Draft(body, summaries, d.charts, addressed=list(d.addressed))


def subject(config: PlanConfig, period_label: str, pb: Phrasebook) -> str:
    return pb.say("subject", directive_subject=config.directive_subject,
                  directive_citation=config.directive_citation, period=period_label)


def closing(config: PlanConfig, merged: Merged, pb: Phrasebook) -> str:
    return pb.say("closing", issuer=config.issuer_name, period=merged.period.label,
                  directive_subject=config.directive_subject, recipients=and_join(pb, list(config.recipients)))
