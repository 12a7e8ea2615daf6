"""Page 1's story: the session in about ten lines before the detail, then the monitoring points
an audit looks for (the lines come from :mod:`charting.session_story`; this only lays them out).

A line a reader must not pass over is marked with ▶ and set in bold, so the mark survives a
greyscale printout and the text layer (the words say it too: "NOT MET", "STOPPED EARLY").
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from charting.monitoring_points import StoryLine
from charting.session_story import session_story
from export.pdf.blocks import heading, hex_colour
from export.pdf.context import PrintContext
from export.pdf.styles import DANGER, RULE, SHADE, esc, para

ATTENTION = "▶"
"""The mark before a line that needs attention (not a colour alone)."""

STORY_TITLE = "At a glance"
MONITORING_TITLE = "Monitoring points"


def story_section(ctx: PrintContext) -> list[Flowable]:
    """The story's lines in a shaded box, then the monitoring points beside each other."""
    story = session_story(
        ctx.state,
        ctx.inputs.context.protocol,
        names=ctx.names,
        timezone=ctx.tz,
        at=ctx.judged_at,
        course_first_phq9=ctx.inputs.course_first_phq9,
    )
    rows = [_row(ctx, line) for line in story.lines]
    label_w = 0.2 * ctx.width
    box = Table(rows, colWidths=[label_w, ctx.width - label_w], hAlign="LEFT")
    box.setStyle(_box_style())
    points = [_point(ctx, line) for line in story.monitoring]
    strip = Table([points], colWidths=[ctx.width / len(points)] * len(points), hAlign="LEFT")
    strip.setStyle(_strip_style())
    caption = para(f"<b>{MONITORING_TITLE}</b>", ctx.styles.label)
    return [heading(ctx, STORY_TITLE), KeepTogether([box, Spacer(1, 3), caption, strip])]


def _row(ctx: PrintContext, line: StoryLine) -> list[Flowable]:
    label = para(esc(line.label), ctx.styles.label)
    text = esc(line.text)
    if line.attention:
        text = f'<font color="{hex_colour(DANGER)}"><b>{ATTENTION} {text}</b></font>'
    return [label, para(text, ctx.styles.cell)]


def _point(ctx: PrintContext, line: StoryLine) -> Flowable:
    text = esc(line.text)
    if line.attention:
        text = f"<b>{ATTENTION} {text}</b>"
    return para(f"<b>{esc(line.label)}</b><br/>{text}", ctx.styles.cell)


def _box_style() -> TableStyle:
    return TableStyle(
        [
            ("BACKGROUND", (0, 0), (-1, -1), SHADE),
            ("BOX", (0, 0), (-1, -1), 0.6, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ]
    )


def _strip_style() -> TableStyle:
    return TableStyle(
        [
            ("BOX", (0, 0), (-1, -1), 0.6, RULE),
            ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
