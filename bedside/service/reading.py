"""What the printouts and the course view read (the :class:`~bedside.context.ClinicReader`
reads that the service provides, beside :meth:`ServiceBase.context`)."""

from __future__ import annotations

from bedside.context import CourseRecords, CourseSessionRecord
from bedside.course import live_order, order_chain
from bedside.ids import PatientId, SessionId
from bedside.protocol import Protocol
from bedside.service.base import ServiceBase


class ReadingOperations(ServiceBase):
    """A patient's course as read, and whether a session's record proves itself."""

    def session_problems(self, session_id: SessionId) -> list[str]:
        """What ``verify`` finds wrong with one session's record: its chain re-hashed, its
        header, and the records it is bound to (empty: the record proves itself). Printouts
        stamp a record that fails, and its window says so."""
        return self.store.verify_session(session_id)

    def ledger_head(self) -> str:
        """The state of the whole record as ``SEQ:HASH``: a printout carries it, so anyone can
        later prove a database still holds everything printed (``bedside verify --against``).
        Exports' own audit rows are left out (:meth:`~bedside.store.Store.printout_head`), so
        printing a record twice with the same time and printer gives the same bytes."""
        head = self.store.printout_head()
        return f"{head.seq}:{head.hash}"

    def course_records(self, patient_id: PatientId) -> CourseRecords:
        """The live course order with the orders it superseded, and every session opened
        under any of them, each folded with the protocol it ran under.

        Raises
        ------
        bedside.errors.StoreError
            When the patient does not exist.
        """
        patient = self.store.patient(patient_id)
        orders = self.store.courses_for(patient_id)
        live = live_order(orders)
        chain = order_chain(orders, live) if live is not None else ()
        in_course = {o.id for o in chain}
        protocols: dict[str, Protocol] = {}
        sessions = []
        for header in self.store.sessions_for_patient(patient_id):
            if header.course_id not in in_course:
                continue
            if header.protocol_id not in protocols:
                protocols[header.protocol_id] = self.store.protocol(header.protocol_id)
            sessions.append(
                CourseSessionRecord(header, self.state(header.id), protocols[header.protocol_id])
            )
        return CourseRecords(patient, chain, tuple(sessions), self.timezone)
