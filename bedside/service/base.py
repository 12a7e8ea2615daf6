"""What every part of the service shares: the store, the clock, the accounts, reading a session,
and the one write path every chart entry goes through (:meth:`ServiceBase._append`).

The write path checks the author's role as stored now and the kind's phase rule, then appends
in one durable transaction against the record the caller judged (optimistic concurrency), and
returns a :class:`~bedside.context.SessionChange` with the session as it stands after.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bedside.accounts import Accounts
from bedside.branches import at_workstation, fold_branches, with_entries
from bedside.clock import Clock
from bedside.consent import ConsentTemplate, default_consent_template
from bedside.context import SessionChange, SessionContext
from bedside.errors import InputRejected, OperationRefused, SessionLocked
from bedside.events import ChartEvent, EventDraft, Override, Payload, rule_for
from bedside.ids import SessionId
from bedside.people import Permission, User
from bedside.report import RuleReport
from bedside.rules import append, copy_forward
from bedside.rules.clinical_time import clinical_time_problem
from bedside.signatures import Meaning
from bedside.state import SessionState, fold
from bedside.store import Store
from bedside.validation import parse

log = logging.getLogger(__name__)

MIN_OVERRIDE_REASON = 5


def override_reason_problem(reason: str) -> str | None:
    """Why an override's reason is not enough, or ``None`` (the dialog checks with this before
    it closes, so what the clinician typed is not lost)."""
    if len(reason.strip()) < MIN_OVERRIDE_REASON:
        return f"An override needs a reason (at least {MIN_OVERRIDE_REASON} characters)"
    return None


MAX_REASON = 1000


def reason_problem(reason: str | None) -> str | None:
    """Why a correction's or void's reason cannot be stored (too long, or with a character
    that has no UTF-8 form), or ``None``."""
    if reason is None:
        return None
    if len(reason) > MAX_REASON:
        return f"Reason must have at most {MAX_REASON} characters (it has {len(reason)})"
    try:
        reason.encode("utf-8")
    except UnicodeEncodeError:
        return "Reason contains a character that cannot be stored: type it again"
    return None


SessionRef = SessionId | SessionContext
"""A session by id (it is read first), or as the caller read it: a window passes the context it
shows, so what the nurse saw is what the entry is judged against, and nothing is read again."""


class ServiceBase:
    """The store, the clock and the accounts of one signed-in workstation."""

    def __init__(
        self, store: Store, clock: Clock, *, consent_template: ConsentTemplate | None = None
    ) -> None:
        self.store = store
        self.clock = clock
        self.accounts = Accounts(store, clock)
        self.consent_template = consent_template or default_consent_template()

    @property
    def timezone(self) -> str:
        """The clinic's IANA time zone (setting ``timezone``, default UTC)."""
        return self.store.get_setting("timezone", "UTC")

    # --- reading ----------------------------------------------------------------------------------

    def context(self, session: SessionRef) -> SessionContext:
        """One session with its patient, order and protocol, folded (a context passed in is
        returned as it is: the caller judges against what it read)."""
        if isinstance(session, SessionContext):
            return session
        header = self.store.session(session)
        received, origins = self.store.received_entries(session)
        return SessionContext(
            header=header,
            patient=self.store.patient(header.patient_id),
            order=self.store.course(header.course_id),
            protocol=self.store.protocol(header.protocol_id),
            state=self._here(fold_branches(self.store.events(session), received, origins)),
            held_elsewhere=self.store.held_elsewhere(session),
        )

    def state(self, session_id: SessionId) -> SessionState:
        """The folded state of one session."""
        return self._here(
            fold_branches(self.store.events(session_id), *self.store.received_entries(session_id))
        )

    def _here(self, state: SessionState) -> SessionState:
        """A forked session's state naming this workstation (its summary lists both)."""
        return at_workstation(state, self.store.server_login()) if state.fork else state

    # --- the one write path -----------------------------------------------------------------------

    def _clinical_time(self, ctx: SessionContext, when: datetime | None) -> datetime:
        """``when`` checked (aware, not in the future, not before the session), or now."""
        now = self.clock.now()
        if when is None:
            return now
        problem = clinical_time_problem(when, opened_at=ctx.header.opened_at, now=now)
        if problem:
            raise InputRejected(problem)
        return when

    def _append(
        self,
        actor: User,
        ctx: SessionContext,
        drafts: list[EventDraft],
        *,
        supersedes: ChartEvent | None = None,
        follow_up: Callable[[list[ChartEvent]], list[EventDraft]] | None = None,
    ) -> SessionChange:
        """Check and append ``drafts`` against ``ctx``; ``follow_up`` may add events that
        reference them (an alert naming its reading) inside the same transaction."""
        for draft in drafts:
            problem = reason_problem(draft.reason)
            if problem:
                raise InputRejected(problem)
        # The account as stored now, not as it was at login: a deactivated or re-roled user's
        # old session object must not keep charting.
        actor = self.store.user(actor.id)
        for draft in drafts:
            self._check(ctx.state, draft, actor, supersedes)
        recheck = None
        if supersedes is None and all(rule_for(d.payload.kind).independent for d in drafts):
            # Another workstation may have charted meanwhile. An entry that does not depend on
            # other entries is re-checked against the record as it is then (the write lock is
            # held) and saved; judged steps are refused by the store instead.
            def recheck(events: list[ChartEvent]) -> None:
                fresh = fold(events)
                for draft in drafts:
                    self._check(fresh, draft, actor, None)

        fresh, saved = self.store.append_after(
            ctx.header.id,
            drafts,
            author=actor.id,
            at=self.clock.now(),
            expected_head=ctx.state.head_hash,
            recheck=recheck,
            follow_up=follow_up,
        )
        for event in saved:  # ids and kinds only: never what was charted (issue 13 item 3)
            log.info(
                "charted %s session=%s event=%s user=%s",
                event.payload.kind,
                event.session_id,
                event.id,
                event.author,
            )
        if fresh is not None:  # another workstation charted here meanwhile: its line as read
            received = self.store.received_entries(ctx.header.id)
            state = self._here(fold_branches([*fresh, *saved], *received))
        else:
            state = with_entries(ctx.state, saved)
        after = SessionContext(ctx.header, ctx.patient, ctx.order, ctx.protocol, state)
        return SessionChange(ctx.header.id, tuple(saved), after)

    @staticmethod
    def _check(
        state: SessionState, draft: EventDraft, actor: User, supersedes: ChartEvent | None
    ) -> None:
        report = append.append_report(state, draft.payload.kind, actor, supersedes=supersedes)
        if not report.is_valid:
            log.info(
                "refused %s session=%s user=%s codes=%s",
                draft.payload.kind,
                state.session_id,
                actor.id,
                ",".join(sorted(report.codes())),
            )
            if "session.locked" in report.codes():
                raise SessionLocked("This session is closed.", report)
            raise OperationRefused("Not saved.", report)
        copy_forward.check_copied(state, draft.payload)

    def _record(
        self,
        model: type[Any],
        actor: User,
        session: SessionRef,
        data: dict[str, Any],
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """Validate ``data`` as ``model`` and chart it: the shape of every simple operation."""
        return self._chart(actor, session, parse(model, data), clinical_time=clinical_time)

    def _chart(
        self,
        actor: User,
        session: SessionRef,
        payload: Payload,
        *,
        clinical_time: datetime | None = None,
    ) -> SessionChange:
        """Append one payload of a kind charted as typed (notes, PRN, side effects, pump
        pauses ...) after its operation's own checks. Private: callers use the named
        operations, which validate references and reasons."""
        if not rule_for(payload.kind).as_typed:
            raise OperationRefused(
                f"{payload.kind.replace('_', ' ')} must be recorded through its own operation"
            )
        ctx = self.context(session)
        when = self._clinical_time(ctx, clinical_time)
        return self._append(actor, ctx, [EventDraft(payload=payload, clinical_time=when)])

    def _override(
        self,
        report: RuleReport,
        override_by: User | None,
        password: str | None,
        reason: str | None,
        content_hash: str,
    ) -> Override | None:
        """The clinician's signed override of a guard's blocking findings, or a refusal."""
        if report.is_valid:
            return None
        if override_by is None:
            raise OperationRefused("Not allowed yet.", report)
        self.accounts.require(override_by, Permission.OVERRIDE, "override a safety check")
        if not report.overridable:
            raise OperationRefused("These problems cannot be overridden.", report)
        reason = reason or ""
        problem = override_reason_problem(reason)
        if problem:
            raise InputRejected(problem)
        if password is None:
            raise InputRejected("An override needs the clinician's password")
        signature = self.accounts.sign(
            override_by, password, Meaning.OVERRIDE, content_hash, Permission.OVERRIDE
        )
        return Override(
            clinician_id=override_by.id,
            reason=reason.strip(),
            finding_codes=tuple(f.code for f in report.errors),
            signature=signature,
        )
