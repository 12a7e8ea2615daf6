"""What every section of the course summary needs: the summary, the clinic, the styles and the
frame width, plus the time formatting (clinic time zone) the sections share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bedside.ids import SessionId
from charting.course_summary import CourseSummary
from export.pdf.styles import Styles


@dataclass(frozen=True)
class CourseContext:
    """One course summary being built.

    Satisfies :class:`export.pdf.blocks.Layout`, so the session summary's headings, label/value
    blocks and data tables serve the course summary too.
    """

    summary: CourseSummary
    styles: Styles
    width: float
    """Usable frame width in points."""
    clinic_name: str
    clinic_address: str
    record_hashes: Mapping[SessionId, str] = field(default_factory=dict)
    """Each session's current record hash (``bedside verify --hash``); empty: not printed."""

    @property
    def tz(self) -> str:
        """The clinic time zone every time is printed in."""
        return self.summary.timezone

    def local(self, when: datetime) -> datetime:
        """An instant in the clinic's time zone."""
        return when.astimezone(ZoneInfo(self.tz))

    def when(self, when: datetime | None) -> str:
        """``2026-11-24 14:05 EST`` (clinic time, with the zone); an en dash for nothing."""
        return self.local(when).strftime("%Y-%m-%d %H:%M %Z") if when is not None else "–"

    def day(self, when: datetime) -> date:
        """The clinic-local date of an instant."""
        return self.local(when).date()
