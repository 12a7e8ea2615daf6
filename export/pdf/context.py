"""What every section needs to print one session: the record, the people, the clinic, the time
zone and the styles, plus the small formatting rules shared by all sections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bedside.context import SessionContext
from bedside.events import ChartEvent, Kind
from bedside.ids import UserId
from bedside.people import User
from bedside.protocol import AlertLevel
from bedside.signatures import Signature
from bedside.state import SessionState, Supersession
from bedside.timeutil import minutes_between
from charting.course_summary import Phq9Point
from charting.plot_key import level_letter
from export.pdf.styles import Styles, esc


@dataclass(frozen=True)
class SummaryInputs:
    """Everything the session summary is printed from (all read from the store, nothing from
    the clock): the session's context, the staff who appear in it, and the clinic's name and
    address."""

    context: SessionContext
    staff: Mapping[UserId, User]
    clinic_name: str
    clinic_address: str
    problems: tuple[str, ...] = ()
    """What ``verify`` finds wrong with this session's record (empty: it proves itself)."""
    ledger_head: str = ""
    """The state of the whole record when printed, ``SEQ:HASH`` (empty: not printed)."""
    course_first_phq9: Phq9Point | None = None
    """The course's first PHQ-9, for the change the story tells (None: not known)."""
    demo: bool = False
    """Read from a demo database: every page and the document's title say DEMO."""

    @property
    def timezone(self) -> str:
        """The clinic time zone the session recorded when it was opened: a reprint years
        later shows the same clock times even if the clinic setting changed since."""
        return self.context.state.opened.clinic_timezone


@dataclass(frozen=True)
class PrintContext:
    """One printout being built: inputs, styles and the usable frame width (points)."""

    inputs: SummaryInputs
    styles: Styles
    width: float
    printed_at: datetime | None = None
    """When it is printed: the moment a draft's missed checks are judged at."""

    @property
    def state(self) -> SessionState:
        """The folded record."""
        return self.inputs.context.state

    @property
    def judged_at(self) -> datetime:
        """The moment the record is judged at (missed checks): its closing once signed or
        ended early, else when it is printed (else its last entry)."""
        return self.state.closed_at or self.printed_at or self.state.last_entry_at

    @property
    def tz(self) -> str:
        """The clinic time zone the times are printed in."""
        return self.inputs.timezone

    # --- times ---------------------------------------------------------------------------------

    def local(self, when: datetime) -> datetime:
        """An instant in the clinic's time zone."""
        return when.astimezone(ZoneInfo(self.tz))

    def hm(self, when: datetime | None) -> str:
        """``14:05`` (clinic time), ``25 Nov 00:10`` when not on the session's day (a session
        that runs past midnight); an en dash for nothing."""
        if when is None:
            return "–"
        local = self.local(when)
        if local.date() == self.inputs.context.header.local_date:
            return local.strftime("%H:%M")
        return f"{local.day} {local:%b %H:%M}"

    def when(self, when: datetime | None) -> str:
        """``2026-11-24 14:05 EST`` (clinic time, with the zone)."""
        return self.local(when).strftime("%Y-%m-%d %H:%M %Z") if when is not None else "–"

    def hm_on_day(self, when: datetime) -> str:
        """``14:05``, or the full date when it is not the session's day (e.g. an addendum)."""
        if self.local(when).date() == self.inputs.context.header.local_date:
            return self.hm(when)
        return self.local(when).strftime("%Y-%m-%d %H:%M")

    def offset(self, when: datetime) -> str:
        """Minutes from the infusion start, e.g. ``+25′`` (blank before the infusion)."""
        start = self.state.infusion.started_at
        if start is None:
            return ""
        return f"{minutes_between(start, when):+.0f}′"

    # --- people --------------------------------------------------------------------------------

    @property
    def names(self) -> dict[UserId, str]:
        """Display names by account id (what the Qt-free ``charting`` words take)."""
        return {user_id: user.display_name for user_id, user in self.inputs.staff.items()}

    def person(self, user_id: UserId) -> str:
        """``Dana Reyes, RN`` (the account id when the account is unknown here)."""
        user = self.inputs.staff.get(user_id)
        return user.display_name if user is not None else str(user_id)

    def short(self, user_id: UserId) -> str:
        """``D Reyes``: initial and family name, for narrow columns."""
        user = self.inputs.staff.get(user_id)
        if user is None:
            return str(user_id)[:8]
        parts = user.full_name.split()
        return f"{parts[0][0]} {' '.join(parts[1:])}" if len(parts) > 1 else user.full_name

    def role(self, user_id: UserId) -> str:
        """``nurse`` / ``clinician`` / ``admin``."""
        user = self.inputs.staff.get(user_id)
        return user.role.value if user is not None else "unknown"

    def signature_line(self, sig: Signature) -> str:
        """Markup for one signature manifestation: name, role, meaning, date and time."""
        return (
            f"<b>{esc(sig.signer_name)}</b> ({esc(sig.signer_role.value)}) — "
            f"{esc(sig.meaning.value)} — {esc(self.when(sig.signed_at))}"
        )

    # --- corrections ---------------------------------------------------------------------------

    def gone(self, event: ChartEvent) -> Supersession | None:
        """How an entry was corrected or voided, if it was."""
        return self.state.superseded.get(event.id)

    def struck_note(self, event: ChartEvent) -> str:
        """Markup saying why an entry is struck through (not struck itself: the reason must
        stay legible)."""
        gone = self.gone(event)
        if gone is None:
            return ""
        what = "Voided" if gone.voided else "Corrected"
        if gone.by_event.kind == Kind.FORK_RESOLVED:
            what = "Set aside by a clinician (charted at two workstations)"
        if gone.wrong_patient:
            what += " (charted on the wrong patient's record)"
        return (
            f"<b>{what}</b> {esc(self.hm_on_day(gone.by_event.recorded_time))} by "
            f"{esc(self.short(gone.by_event.author))}: {esc(gone.reason)}"
        )

    def late_note(self, event: ChartEvent) -> str:
        """Markup for a late entry: when it was first charted, and how late."""
        late_after = self.inputs.context.protocol.monitoring.late_entry_after_min
        if not self.state.is_late(event, late_after):
            return ""
        first = self.state.first_recorded(event)
        delay = minutes_between(event.clinical_time, first)
        return f"<b>LATE ENTRY</b>: charted {esc(self.hm(first))} ({delay:.0f} min after)"

    def remarks(self, event: ChartEvent) -> str:
        """Markup for everything unusual about an entry: struck (why), a correction (of
        what, why), late (when first charted)."""
        notes = []
        struck = self.struck_note(event)
        if struck:
            notes.append(struck)
        if event.supersedes is not None:
            notes.append(f"<b>Correction</b> of the entry above: {esc(event.reason or '')}")
        late = self.late_note(event)
        if late:
            notes.append(late)
        return "<br/>".join(notes)


def strike(markup: str, struck: bool) -> str:
    """Markup struck through (and greyed) when ``struck``."""
    return (
        f'<strike><font color="#6b6b6b">{markup}</font></strike>' if struck and markup else markup
    )


SUPERSEDED = "SUPERSEDED"
"""The word a struck entry carries beside its time: a line through text does not survive copying
or a screen reader (pdftotext read a corrected SpO₂ 89 % as an ordinary row)."""


def superseded_mark(struck: bool) -> str:
    """Markup after a struck entry's time: the word itself, small and bold (empty otherwise)."""
    return f'<br/><font size="6.8"><b>{SUPERSEDED}</b></font>' if struck else ""


def level_mark(level: AlertLevel) -> str:
    """A value's alert level as a letter after its ▲/▼ (N notify, P pause, D do not start),
    so levels differ in greyscale and in the text layer, not only in colour."""
    return f'<font size="6.4">{level_letter(level)}</font>'


def with_remarks(markup: str, remarks: str) -> str:
    """``markup`` with an entry's remarks (:meth:`PrintContext.remarks`) on a line below."""
    return markup + (f"<br/>{remarks}" if remarks else "")


def yes_no(value: bool) -> str:
    """``yes`` / ``no``."""
    return "yes" if value else "no"
