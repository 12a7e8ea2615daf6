"""The PDF's trend chart cannot be misread: a legend entry per series drawn in the series'
colour and shape, every kind of mark keyed, and the alert in the event lane above the values."""

from __future__ import annotations

from collections.abc import Iterator

from export_pdf_support import Clinic
from reportlab.graphics.shapes import Drawing, Group, Polygon, Shape, String

from charting.plot_key import MARK_STYLES, SERIES_STYLES, MarkKind, legend_entries
from charting.series import SessionSeries, build_series
from export.pdf.fonts import pdf_fonts
from export.pdf.styles import DANGER
from export.pdf.trend_chart import trend_chart
from export.pdf.trend_glyphs import PAPER


def signed_series(demo: Clinic) -> SessionSeries:
    ctx = demo.service.context(demo.session_where(signed=True))
    return build_series(ctx.state, ctx.protocol)


def shapes(node: Group | Drawing) -> Iterator[Shape]:
    """Every shape in a drawing, groups opened."""
    for child in node.contents:
        if isinstance(child, Group):
            yield from shapes(child)
        else:
            yield child


def legend_items(drawing: Drawing) -> dict[str, Group]:
    """Each legend entry (a group: its swatch, then its words), by its words."""
    found: dict[str, Group] = {}

    def visit(node: Group | Drawing) -> None:
        for child in node.contents:
            if isinstance(child, Group):
                last = child.contents[-1] if child.contents else None
                first = child.contents[0] if child.contents else None
                if (
                    isinstance(last, String)
                    and isinstance(first, Group)
                    and len(child.contents) == 2
                ):
                    found[last.text] = child
                visit(child)

    visit(drawing)
    return found


def test_the_pdf_legend_has_an_entry_per_series_in_its_colour(demo: Clinic) -> None:
    series = signed_series(demo)
    drawing = trend_chart(series, pdf_fonts(), 515, 221)
    items = legend_items(drawing)
    for style in SERIES_STYLES:
        assert style.label in items, style.label
        colours = {getattr(s, "strokeColor", None) for s in shapes(items[style.label])}
        assert PAPER[style.glyph.hue] in colours, style.label
    assert set(items) == {e.label for e in legend_entries(series)}
    assert MARK_STYLES[MarkKind.ALERT_PAUSE].label in items
    assert MARK_STYLES[MarkKind.PRN].label in items
    assert MARK_STYLES[MarkKind.SIDE_EFFECT].label in items
    assert MARK_STYLES[MarkKind.ALERT_NOTIFY].label not in items  # none in this session


def test_the_pdf_alert_is_a_lettered_octagon_above_the_values(demo: Clinic) -> None:
    drawing = trend_chart(signed_series(demo), pdf_fonts(), 515, 221)
    legend_shapes = {id(s) for item in legend_items(drawing).values() for s in shapes(item)}
    octagons = [
        s
        for s in shapes(drawing)
        if isinstance(s, Polygon) and len(s.points) == 16 and id(s) not in legend_shapes
    ]
    (alert,) = octagons
    assert alert.fillColor == DANGER
    letters = [s for s in shapes(drawing) if isinstance(s, String) and s.text == "P"]
    assert len(letters) == 2  # on the chart and in the legend
    grid_top = max(
        s.y for s in shapes(drawing) if isinstance(s, String) and s.text == "220"
    )  # the "220" value label
    assert min(alert.points[1::2]) > grid_top + 2.2  # wholly above the 220 line
