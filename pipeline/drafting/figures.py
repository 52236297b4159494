"""The report's two charts, as plain data (drawn by pipeline.documents.charts): status by part, completion by lead agency.

Each shows the previous period beside the current one when there is a record of it. Completion by
agency counts only what is due: tasks with a fixed deadline in force on or before the cut-off; an
agency with nothing due is named under the chart, never shown as 0%.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from pipeline.status.compare import Comparison
from pipeline.status.merge import DONE_STATUSES, NOT_REPORTED, ONGOING, OPEN_IN_TIME, OPEN_OVERDUE, Merged
from pipeline.plan.model import Master
from pipeline.plan.periods import short_label
from pipeline.text.vntext import format_number, format_percent

# --------------------------------------------------------------------------- the chart model

@dataclass(frozen=True)
class Style:
    name: str         # the legend text
    fill: str         # grey level, "#rrggbb"
    hatch: str = ""   # "" | "diagonal" | "cross" | "horizontal"
    dark: bool = False  # white text on it


@dataclass
class Segment:
    value: float
    style: int        # index into Chart.styles
    text: str         # the value as printed ("" = too small to print)


@dataclass
class Bar:
    caption: str                  # which period ("quý III", "quý II"), "" when there is one bar a row
    segments: list[Segment]


@dataclass
class Row:
    label: str
    bars: list[Bar]


@dataclass
class Chart:
    title: str
    rows: list[Row]
    styles: list[Style]
    scale: float                  # the value a full-width bar stands for
    note: str = ""                # a line under the legend
    alt: str = ""                 # what the chart says, for readers who cannot see it
    legend: bool = True
    draw_title: bool = True       # False: the document prints the title as the chart's caption


# --------------------------------------------------------------------------- what the report's charts show

STATUS_GROUPS = (
    (DONE_STATUSES, Style("Đã hoàn thành", "#404040", dark=True)),
    ((OPEN_IN_TIME,), Style("Chưa hoàn thành, trong hạn", "#bfbfbf")),
    ((OPEN_OVERDUE,), Style("Chưa hoàn thành, quá hạn", "#ffffff", "cross")),
    ((ONGOING,), Style("Thực hiện thường xuyên", "#ffffff", "horizontal")),
    ((NOT_REPORTED,), Style("Chưa báo cáo", "#ffffff", "diagonal")),
)


def _captions(merged: Merged, comparison: Comparison | None) -> tuple[str, str]:
    if not comparison:
        return "", ""
    now, before = merged.period, comparison.previous.period
    return short_label(before, now), short_label(now, before)


def _status_bar(statuses: dict[str, str], tasks: list[str], caption: str) -> Bar:
    segments = []
    for i, (group, _) in enumerate(STATUS_GROUPS):
        n = sum(statuses.get(t) in group for t in tasks)
        segments.append(Segment(n, i, format_number(n) if n else ""))
    return Bar(caption, segments)


def status_by_part(master: Master, merged: Merged, comparison: Comparison | None) -> Chart:
    before, now = _captions(merged, comparison)
    current = {t: st.status for t, st in merged.statuses.items()}
    rows, widest = [], 0
    for section in dict.fromkeys(t.section for t in master.tasks):
        ids = [t.id for t in master.tasks if t.section == section]
        bars = [_status_bar(current, ids, now)]
        if comparison:
            bars.insert(0, _status_bar(comparison.previous.statuses, ids, before))
        rows.append(Row(f"Nhóm {section} ({format_number(len(ids))} nhiệm vụ)", bars))
        widest = max(widest, len(ids))
    title = f"Tình trạng thực hiện nhiệm vụ theo nhóm, {merged.period.label}"
    parts = "; ".join(f"{r.label}: " + ", ".join(f"{STATUS_GROUPS[s.style][1].name.lower()} {s.text}"
                                                  for s in r.bars[-1].segments if s.text) for r in rows)
    return Chart(title, rows, [style for _, style in STATUS_GROUPS], float(widest),
                 note=f"So sánh với {comparison.previous.period.label}." if comparison else "",
                 alt=f"{title}. {parts}.")




def completion_by_agency(master: Master, merged: Merged, comparison: Comparison | None) -> Chart:
    before, now = _captions(merged, comparison)
    cutoff = merged.period.end
    entries, nothing_due = [], []
    for code in master.lead_codes():
        agency = master.agencies[code]
        due = [t for t in master.tasks_of(code) if t.deadline_in_force.due and t.deadline_in_force.due <= cutoff]
        if not due:
            nothing_due.append(agency.short_name)
            continue
        done = sum(merged.statuses[t.id].status in DONE_STATUSES for t in due)
        rate = 100.0 * done / len(due)
        bars = [Bar(now, [Segment(rate, 0, f"{format_percent(rate)} ({format_number(done)}/{format_number(len(due))})")])]
        if comparison:
            prev_due = [t for t in due if t.deadline_in_force.due <= comparison.previous.period.end]
            if prev_due:
                prev_done = sum(comparison.previous.statuses.get(t.id) in DONE_STATUSES for t in prev_due)
                prev_rate = 100.0 * prev_done / len(prev_due)
                bars.insert(0, Bar(before, [Segment(prev_rate, 1, format_percent(prev_rate))]))
            else:
                bars.insert(0, Bar(before, [Segment(0.0, 1, "không có nhiệm vụ đến hạn")]))
        entries.append((-rate, agency.short_name, Row(agency.short_name, bars)))
    entries.sort(key=lambda e: (e[0], e[1]))
    styles = [Style(f"Tỷ lệ hoàn thành {merged.period.label}", "#404040", dark=True)]
    if comparison:
        styles.append(Style(f"Tỷ lệ hoàn thành {comparison.previous.period.label}", "#bfbfbf"))
    title = f"Tỷ lệ hoàn thành nhiệm vụ đến hạn theo cơ quan chủ trì, {merged.period.label}"
    note = ("Tỷ lệ tính trên các nhiệm vụ có thời hạn đến ngày chốt số liệu. "
            + (f"Không có nhiệm vụ đến hạn: {', '.join(nothing_due)}." if nothing_due else ""))
    alt = f"{title}. " + "; ".join(f"{r.label}: {r.bars[-1].segments[0].text}" for _, _, r in entries) + "."
    return Chart(title, [r for _, _, r in entries], styles, 100.0, note=note.strip(), alt=alt)


CHART_KEYS = ("by_part", "by_agency")


def report_charts(master: Master, merged: Merged, comparison: Comparison | None) -> dict[str, dict]:
    """The charts as plain data for the context (both renderers draw them from here); their titles are
    printed as captions, so the pictures leave them out."""
    charts = {"by_part": status_by_part(master, merged, comparison),
              "by_agency": completion_by_agency(master, merged, comparison)}
    for chart in charts.values():
        chart.draw_title = False
    return {key: asdict(chart) for key, chart in charts.items()}
