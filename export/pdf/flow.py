"""How a printout flows over its pages (issue 12, items 5 and 9).

- :class:`KeptTable`: a data table never leaves fewer than :data:`MIN_ROWS` body rows at the
  foot of one page or the top of the next (its header row repeats on every page).
- :class:`KeepSection`: a heading (or caption) with what it heads. A small section moves whole
  to the next page rather than split from its heading; a long one starts on a page only where
  the heading, what leads to its first table and that table's first rows fit.
- :class:`Heading`: a section heading that puts itself in the PDF outline (bookmarks).
- :class:`BoxRow`: blocks side by side in framed boxes of one height.

Each of them notes what it drew where (:class:`Placed`) on a canvas that keeps such a list
(:func:`export.pdf.page.canvas_maker`); :func:`recording_layout` hands those lists to a test, so
page breaks are checked on the layout itself, not guessed from the text layer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable

MIN_ROWS = 2
"""Body rows a table keeps together at its start and at its end: never one alone on a page."""

SMALL_SECTION = 0.4
"""A section at most this share of the page's frame high moves whole to the next page rather
than split (a controlled-substance record, the signatures, a short course table)."""

_TALL = 0xFFFFFF
"""The height a container reports so that the frame asks it to split (as KeepTogether does)."""


@dataclass(frozen=True)
class Placed:
    """One thing as it was drawn: the page, what it is, and where (points from the page's
    bottom-left corner)."""

    page: int
    kind: str
    """``heading``, ``table`` (one page's part of a data table), ``box`` (of a
    :class:`BoxRow`), or ``flowable``: any flowable of the story, once placed."""
    name: str
    """A heading's text; a table's header cells joined by ``|``; a box's title; a flowable's
    class name."""
    top: float
    """Where the thing's top is; for a ``flowable``, where the frame's next one would start."""
    height: float = 0.0
    rows: tuple[int, int] = (0, 0)
    """A table part's body rows: the index of its first and how many."""
    total: int = 0
    """A table's body rows in all its parts."""
    head: str = ""
    """The text of a table part's first cell (the header repeated on every page)."""


_RECORDING: ContextVar[list[list[Placed]] | None] = ContextVar("recording_layout", default=None)


@contextmanager
def recording_layout() -> Iterator[list[list[Placed]]]:
    """While open, every PDF built appends what it placed where, in drawing order (one list per
    document): the tests of page breaks read the layout rather than guess it from text."""
    documents: list[list[Placed]] = []
    token = _RECORDING.set(documents)
    try:
        yield documents
    finally:
        _RECORDING.reset(token)


def publish_layout(placed: list[Placed]) -> None:
    """Hand a finished document's layout to :func:`recording_layout`, when one is open."""
    documents = _RECORDING.get()
    if documents is not None:
        documents.append(list(placed))


def note(canv: Any, kind: str, name: str, top: float, **detail: Any) -> None:
    """Note a drawn thing on ``canv``'s layout list (a canvas without one keeps no layout)."""
    placed = getattr(canv, "placed", None)
    if placed is not None:
        placed.append(Placed(canv.getPageNumber(), kind, name, top, **detail))


def _plain(cell: Any) -> str:
    """A table cell's text (a table holds a paragraph cell as a one-item list once wrapped)."""
    if isinstance(cell, list | tuple):
        return " ".join(_plain(c) for c in cell)
    return str(cell.getPlainText()) if isinstance(cell, Paragraph) else str(cell)


class KeptTable(Table):  # type: ignore[misc]  # reportlab is untyped
    """A table with a header row repeated on every page that never splits so as to leave fewer
    than :data:`MIN_ROWS` body rows on either side of a page break."""

    _nosplitCmds: list[Any]  # reportlab's NOSPLIT commands (set by Table.__init__)

    def __init__(self, data: list[list[Any]], *args: Any, name: str = "", **kwargs: Any) -> None:
        # reportlab makes the parts of a split through this class too, with their own keywords.
        kwargs.setdefault("repeatRows", 1)
        super().__init__(data, *args, **kwargs)
        self.name = name
        self.first = 0
        self.total = len(data) - 1
        if name:
            # NOSPLIT forbids a break between the rows it spans: the header with the first
            # rows, and the last rows (reportlab carries both over to the parts of a split).
            self.setStyle(
                [("NOSPLIT", (0, 0), (-1, MIN_ROWS)), ("NOSPLIT", (0, -MIN_ROWS), (-1, -1))]
            )

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Laid out once for a width: a section measures its tables before the frame places
        # them (KeepSection), and a table's rows do not depend on the height left.
        if getattr(self, "_laid_out_for", None) != availWidth:
            super().wrap(availWidth, availHeight)
            self._laid_out_for = availWidth
        self.availWidth = availWidth
        return self._width, self._height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        frame = getattr(self, "_frame", None)
        if not parts and frame is not None and getattr(frame, "_atTop", False):
            # Kept rows taller than a whole page: split anyway rather than fail the printout.
            kept, self._nosplitCmds = self._nosplitCmds, []
            try:
                parts = super().split(availWidth, availHeight)
            finally:
                self._nosplitCmds = kept
        first = self.first
        for part in parts:
            part.name, part.total, part.first = self.name, self.total, first
            first += len(part._cellvalues) - 1
        return parts

    def draw(self) -> None:
        _, top = self.canv.absolutePosition(0, self._height)
        note(
            self.canv,
            "table",
            self.name,
            top,
            height=self._height,
            rows=(self.first, len(self._cellvalues) - 1),
            total=self.total,
            head=_plain(self._cellvalues[0][0]),
        )
        super().draw()


class Heading(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A section heading that notes itself when drawn; the canvas makes each one a bookmark in
    the PDF outline, pointing at the heading (:func:`export.pdf.page.canvas_maker`)."""

    def __init__(self, text: str, style: Any, *args: Any, title: str = "", **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)
        self.title = title

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        for number, part in enumerate(parts):
            part.title = self.title if number == 0 else ""  # one bookmark, at the heading's top
        return parts

    def draw(self) -> None:
        if self.title:
            _, top = self.canv.absolutePosition(0, self.height)
            note(self.canv, "heading", self.title, top, height=self.height)
        super().draw()


def is_heading(flowable: Flowable) -> bool:
    """Whether ``flowable`` starts a section: a section heading, or a block kept with one."""
    if isinstance(flowable, KeepTogether | KeepSection):
        return bool(flowable._content) and is_heading(flowable._content[0])
    return isinstance(flowable, Paragraph) and flowable.style.name == "h1"


def keep_sections(flowables: Sequence[Flowable]) -> list[Flowable]:
    """The story with each section (a heading and all up to the next one) in a
    :class:`KeepSection`; what comes before the first heading is left as it is."""
    story: list[Flowable] = []
    section: list[Flowable] = []
    for flowable in flowables:
        if is_heading(flowable):
            if section:
                story.append(KeepSection(section))
            section = [flowable]
        elif section:
            section.append(flowable)
        else:
            story.append(flowable)
    if section:
        story.append(KeepSection(section))
    return story


_ROW_FLOOR = 12.0
"""No row of a data table is lower (a line of cell text and its padding): a table of many rows
is known to be tall without laying it out."""


def _height(flowable: Flowable, width: float, canv: Any, limit: float) -> float:
    """The height ``flowable`` takes at ``width`` (a container: all of its content), or any
    height past ``limit`` once it is known to be taller."""
    if isinstance(flowable, KeepSection):
        return stack_height(flowable._content, width, canv, limit)
    if isinstance(flowable, KeptTable) and len(flowable._cellvalues) * _ROW_FLOOR > limit:
        return len(flowable._cellvalues) * _ROW_FLOOR  # the long flowsheet is not laid out twice
    height = float(flowable.wrapOn(canv, width, _TALL)[1])
    return float(flowable._H) if isinstance(flowable, KeepTogether) else height


def _gap(above: Flowable | None, below: Flowable) -> float:
    """The space a frame leaves between two flowables (the larger of the two: reportlab's
    frames overlap the space after one with the space before the next)."""
    before = float(below.getSpaceBefore())
    return before if above is None else max(before, float(above.getSpaceAfter()))


def stack_height(
    flowables: Sequence[Flowable], width: float, canv: Any, limit: float = _TALL
) -> float:
    """The height of ``flowables`` one under the other on ``canv`` with the space between,
    or a height past ``limit`` as soon as it is known to be taller."""
    total = 0.0
    for number, flowable in enumerate(flowables):
        if number:
            total += _gap(flowables[number - 1], flowable)
        total += _height(flowable, width, canv, limit - total)
        if total > limit:
            break
    return total


def start_height(flowables: Sequence[Flowable], width: float, canv: Any) -> float:
    """The height of a section's start: its heading (or caption), any paragraphs after it, and
    the first block after those; of a table only its header and first :data:`MIN_ROWS` rows."""
    total = 0.0
    for number, flowable in enumerate(flowables):
        if number:
            total += _gap(flowables[number - 1], flowable)
        if number and isinstance(flowable, Table):
            return total + _first_rows_height(flowable, width, canv)
        total += _height(flowable, width, canv, _TALL)
        if number and not isinstance(flowable, Paragraph):
            break
    return total


def _first_rows_height(table: Table, width: float, canv: Any) -> float:
    """The height of ``table``'s first row (its header) and next :data:`MIN_ROWS` rows, laid
    out apart from the rest (a table lays out all its rows to know the height of one)."""
    count = 1 + MIN_ROWS
    head = Table(
        [list(row) for row in table._cellvalues[:count]],
        colWidths=table._argW,
        cellStyles=table._cellStyles[:count],
        normalizedData=1,
    )
    return float(head.wrapOn(canv, width, _TALL)[1])


class KeepSection(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A heading or caption with what it heads, never split from it: moved whole to the next
    page when small (at most :data:`SMALL_SECTION` of a page), else started on a page only
    where its start (:func:`start_height`) fits, then let flow over the pages."""

    def __init__(self, flowables: Sequence[Flowable]) -> None:
        self._content = list(flowables)

    def getSpaceBefore(self) -> float:
        return float(self._content[0].getSpaceBefore()) if self._content else 0.0

    def getSpaceAfter(self) -> float:
        return float(self._content[-1].getSpaceAfter()) if self._content else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, _TALL  # always asked to split: the decision is made there

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        # Led by an action, the content goes back on the story as it is (its first flowable
        # may be a container that cannot be placed without splitting in its turn).
        content = [NullActionFlowable(), *self._content]
        if frame is None or frame._atTop:
            return content  # a fresh page: nothing better to wait for
        small = SMALL_SECTION * (frame._height - frame._topPadding - frame._bottomPadding)
        need = stack_height(self._content, availWidth, self.canv, small)
        if need > small:
            need = start_height(self._content, availWidth, self.canv)
        if need > availHeight:
            return [FrameBreak(), *self._content]
        return content

    def draw(self) -> None:  # pragma: no cover - always split into its content first
        raise AssertionError("a KeepSection is laid out through its content")


class BoxRow(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Blocks side by side, each framed in a box of the same height (the tallest block's), so a
    row of signature blocks reads as one row whatever each block holds."""

    def __init__(
        self, boxes: Sequence[tuple[str, Flowable, Color, float]], *, gap: float = 6.0
    ) -> None:
        """``boxes``: each box's title (for the layout), content, frame colour and line width."""
        self.boxes = list(boxes)
        self.gap = gap
        self.spaceAfter = gap  # what follows the row does not touch the boxes' lower edges
        self.box_width = 0.0
        self.heights: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Each box is as wide as the widest content (the blocks are made to share the width
        # of the printout's tables, which is not quite the frame's).
        sizes = [content.wrap(availWidth, availHeight) for _, content, _, _ in self.boxes]
        self.box_width = max((w for w, _ in sizes), default=0.0)
        self.heights = [h for _, h in sizes]
        return len(sizes) * self.box_width + (len(sizes) - 1) * self.gap, self.box_height

    @property
    def box_height(self) -> float:
        """The height of every box: the tallest content's."""
        return max(self.heights, default=0.0)

    def draw(self) -> None:
        canv = self.canv
        for number, (title, content, colour, line) in enumerate(self.boxes):
            x = number * (self.box_width + self.gap)
            content.drawOn(canv, x, self.box_height - self.heights[number])
            canv.saveState()
            canv.setStrokeColor(colour)
            canv.setLineWidth(line)
            canv.rect(x, 0, self.box_width, self.box_height, stroke=1, fill=0)
            canv.restoreState()
            _, top = canv.absolutePosition(x, self.box_height)
            note(canv, "box", title, top, height=self.box_height)
