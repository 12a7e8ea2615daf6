"""The server's schema, as numbered migrations applied once each, in order, and never edited
once landed (like the local ones in :mod:`bedside.store.migrations`).

Everything lives in the schema ``bedside``. The record's rules are the database's own, so no
client — a buggy workstation, a hand-typed ``psql`` — can break them:

* the chart, its sessions, the server ledger and the holds are append-only (no UPDATE, DELETE
  or TRUNCATE, whoever asks);
* an event must extend its session's chain: its ``prev_hash`` is the session's genesis or the
  hash of an event of the same session already on the server, and its ``seq`` follows that
  parent's. Two events with the same parent (two workstations that charted the session while
  cut off from each other) are both kept: that is a fork, listed by the view ``forks`` for a
  clinician to resolve, never a silent reorder;
* the server ledger chains every event in the order the server received it:
  ``link = sha256(previous link | event id | event hash)``, written by the insert trigger.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """One numbered step of the server's schema."""

    name: str
    sql: str


_APPEND_ONLY = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON bedside.{table}
    FOR EACH ROW EXECUTE FUNCTION bedside.refuse_change();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON bedside.{table}
    FOR EACH STATEMENT EXECUTE FUNCTION bedside.refuse_change();
"""

M001_RECORD = (
    """
CREATE SCHEMA IF NOT EXISTS bedside;

CREATE FUNCTION bedside.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'bedside: % on %.% refused: the record is append-only',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE bedside.sessions (
    id text PRIMARY KEY,
    patient_id text NOT NULL,
    course_id text NOT NULL,
    number_in_course integer NOT NULL,
    chair integer NOT NULL,
    protocol_id text NOT NULL,
    opened_at text NOT NULL,
    local_date text NOT NULL,
    opened_by text NOT NULL,
    genesis_hash text NOT NULL,
    origin text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_local_date ON bedside.sessions (local_date);

CREATE TABLE bedside.chart_events (
    id text PRIMARY KEY,
    session_id text NOT NULL REFERENCES bedside.sessions (id),
    seq integer NOT NULL CHECK (seq >= 1),
    kind text NOT NULL,
    clinical_time text NOT NULL,
    recorded_time text NOT NULL,
    author text NOT NULL,
    supersedes text,
    reason text,
    payload text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL UNIQUE,
    origin text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chart_events_session ON bedside.chart_events (session_id, seq);
CREATE INDEX chart_events_parent ON bedside.chart_events (session_id, prev_hash);

CREATE FUNCTION bedside.chart_event_extends_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent_seq integer;
BEGIN
    IF NEW.prev_hash = (SELECT genesis_hash FROM bedside.sessions WHERE id = NEW.session_id) THEN
        parent_seq := 0;
    ELSE
        SELECT seq INTO parent_seq FROM bedside.chart_events
            WHERE session_id = NEW.session_id AND hash = NEW.prev_hash;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'bedside: event % does not extend session %''s chain (its parent is '
                'not on the server)', NEW.id, NEW.session_id USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF NEW.seq <> parent_seq + 1 THEN
        RAISE EXCEPTION 'bedside: event % has seq % after a parent at seq %',
            NEW.id, NEW.seq, parent_seq USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER chart_events_extend_chain BEFORE INSERT ON bedside.chart_events
    FOR EACH ROW EXECUTE FUNCTION bedside.chart_event_extends_chain();

-- The server's own ledger: every event in the order the server received it. One writer at a
-- time (a transaction-long advisory lock), so the links form one line however many
-- workstations push at once, and seq order is commit order: a workstation that pulls "after
-- seq N" never misses an event committed later with a smaller number.
CREATE TABLE bedside.ledger (
    seq bigint PRIMARY KEY,
    event_id text NOT NULL UNIQUE REFERENCES bedside.chart_events (id),
    link text NOT NULL
);

CREATE FUNCTION bedside.ledger_append() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, bedside AS $$
DECLARE
    last_seq bigint;
    previous text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('bedside.ledger'));
    SELECT seq, link INTO last_seq, previous FROM bedside.ledger ORDER BY seq DESC LIMIT 1;
    INSERT INTO bedside.ledger (seq, event_id, link) VALUES (
        coalesce(last_seq, 0) + 1, NEW.id,
        encode(sha256(convert_to(coalesce(previous, '') || '|' || NEW.id || '|' || NEW.hash,
                                 'UTF8')), 'hex'));
    RETURN NEW;
END $$;
CREATE TRIGGER chart_events_to_ledger AFTER INSERT ON bedside.chart_events
    FOR EACH ROW EXECUTE FUNCTION bedside.ledger_append();

-- Who charts a session now: the highest epoch. A takeover is a new row; two at once cannot
-- both win (the primary key), and nothing is ever rewritten.
CREATE TABLE bedside.session_holds (
    session_id text NOT NULL REFERENCES bedside.sessions (id),
    epoch integer NOT NULL CHECK (epoch >= 1),
    workstation text NOT NULL,
    taken_by text NOT NULL,
    taken_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, epoch)
);

CREATE VIEW bedside.forks AS
    SELECT e.session_id, e.prev_hash, array_agg(e.id ORDER BY l.seq) AS event_ids,
           array_agg(e.origin ORDER BY l.seq) AS origins
    FROM bedside.chart_events e JOIN bedside.ledger l ON l.event_id = e.id
    GROUP BY e.session_id, e.prev_hash HAVING count(*) > 1;
"""
    + "".join(
        _APPEND_ONLY.format(table=t)
        for t in ("sessions", "chart_events", "ledger", "session_holds")
    )
    + """
-- What a workstation may do: read the clinic's record and add to it; never change it. Each
-- workstation logs in as its own role, a member of this one (bedside server add-workstation).
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bedside_workstation') THEN
        CREATE ROLE bedside_workstation NOLOGIN;
    END IF;
END $$;
GRANT USAGE ON SCHEMA bedside TO bedside_workstation;
GRANT SELECT ON ALL TABLES IN SCHEMA bedside TO bedside_workstation;
GRANT INSERT ON bedside.sessions, bedside.chart_events, bedside.session_holds
    TO bedside_workstation;
"""
)

M002_ORIGIN = """
-- Which workstation sent a row is the server's word, not the sender's: the login role.
CREATE FUNCTION bedside.stamp_origin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.origin := session_user;
    NEW.received_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER sessions_origin BEFORE INSERT ON bedside.sessions
    FOR EACH ROW EXECUTE FUNCTION bedside.stamp_origin();
CREATE TRIGGER chart_events_origin BEFORE INSERT ON bedside.chart_events
    FOR EACH ROW EXECUTE FUNCTION bedside.stamp_origin();
-- A new event wakes every workstation that listens (the board's "within a second").
CREATE FUNCTION bedside.notify_chart() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('bedside_chart', NEW.session_id);
    RETURN NULL;
END $$;
CREATE TRIGGER chart_events_notify AFTER INSERT ON bedside.chart_events
    FOR EACH ROW EXECUTE FUNCTION bedside.notify_chart();
"""


M003_HOLDS = """
-- Who holds a session is the server's word: the login that inserted the row, at the server's
-- time. Each takeover is the next epoch; the primary key refuses a second one at once.
CREATE FUNCTION bedside.stamp_hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.workstation := session_user;
    NEW.taken_at := now();
    IF NEW.epoch <> coalesce((SELECT max(epoch) FROM bedside.session_holds
                              WHERE session_id = NEW.session_id), 0) + 1 THEN
        RAISE EXCEPTION 'bedside: session % is at another epoch than %', NEW.session_id,
            NEW.epoch - 1 USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER session_holds_stamp BEFORE INSERT ON bedside.session_holds
    FOR EACH ROW EXECUTE FUNCTION bedside.stamp_hold();
CREATE FUNCTION bedside.notify_hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('bedside_hold', NEW.session_id);
    RETURN NULL;
END $$;
CREATE TRIGGER session_holds_notify AFTER INSERT ON bedside.session_holds
    FOR EACH ROW EXECUTE FUNCTION bedside.notify_hold();
"""

M004_CLINIC_ROWS = (
    """
-- The clinic-wide data (accounts, signing keys, patients and their allergy statements,
-- protocol versions and approvals, course orders, clinic settings, each workstation's audit
-- log) as versions: a row's newest version is the one in force, the older ones stay. Numbered
-- under a lock, so seq order is commit order (a pull "after seq N" misses nothing). A push is
-- idempotent by (origin, source_seq): the sender's own ledger entry.
CREATE TABLE bedside.clinic_rows (
    seq bigint PRIMARY KEY,
    table_name text NOT NULL,
    row_key text NOT NULL,
    content jsonb NOT NULL,
    content_hash text NOT NULL,
    origin text NOT NULL,
    source_seq bigint NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (origin, source_seq)
);
CREATE INDEX clinic_rows_row ON bedside.clinic_rows (table_name, row_key, seq);

CREATE FUNCTION bedside.number_clinic_row() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, bedside AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('bedside.clinic_rows'));
    NEW.seq := coalesce((SELECT max(seq) FROM bedside.clinic_rows), 0) + 1;
    NEW.origin := session_user;
    NEW.received_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER clinic_rows_number BEFORE INSERT ON bedside.clinic_rows
    FOR EACH ROW EXECUTE FUNCTION bedside.number_clinic_row();
CREATE FUNCTION bedside.notify_clinic_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('bedside_clinic', NEW.table_name);
    RETURN NULL;
END $$;
CREATE TRIGGER clinic_rows_notify AFTER INSERT ON bedside.clinic_rows
    FOR EACH ROW EXECUTE FUNCTION bedside.notify_clinic_row();
"""
    + _APPEND_ONLY.format(table="clinic_rows")
    + """
GRANT SELECT, INSERT ON bedside.clinic_rows TO bedside_workstation;
"""
)

M005_HOLD_ORDER = (
    """
-- Holds are received like the chart: numbered in commit order under a lock, so a workstation
-- that pulls "after seq N" misses no takeover committed later with a smaller number.
CREATE TABLE bedside.hold_order (
    seq bigint PRIMARY KEY,
    session_id text NOT NULL,
    epoch integer NOT NULL,
    UNIQUE (session_id, epoch),
    FOREIGN KEY (session_id, epoch) REFERENCES bedside.session_holds (session_id, epoch)
);
INSERT INTO bedside.hold_order (seq, session_id, epoch)
    SELECT row_number() OVER (ORDER BY taken_at, session_id, epoch), session_id, epoch
    FROM bedside.session_holds;
CREATE FUNCTION bedside.order_hold() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, bedside AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('bedside.hold_order'));
    INSERT INTO bedside.hold_order (seq, session_id, epoch) VALUES (
        coalesce((SELECT max(seq) FROM bedside.hold_order), 0) + 1, NEW.session_id, NEW.epoch);
    RETURN NULL;
END $$;
CREATE TRIGGER session_holds_order AFTER INSERT ON bedside.session_holds
    FOR EACH ROW EXECUTE FUNCTION bedside.order_hold();

-- The workstation that sends a session first holds it from that moment (epoch 1, stamped
-- with its login): no session is ever on the server without a holder. Sessions already there
-- are given to the workstation that sent them, at the time it sent them.
CREATE FUNCTION bedside.first_hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bedside.session_holds (session_id, epoch, workstation, taken_by)
        VALUES (NEW.id, 1, '', NEW.opened_by);
    RETURN NULL;
END $$;
ALTER TABLE bedside.session_holds DISABLE TRIGGER session_holds_stamp;
INSERT INTO bedside.session_holds (session_id, epoch, workstation, taken_by, taken_at)
    SELECT s.id, 1, s.origin, s.opened_by, s.received_at FROM bedside.sessions s
    WHERE NOT EXISTS (SELECT 1 FROM bedside.session_holds h WHERE h.session_id = s.id)
    ORDER BY s.received_at, s.id;
ALTER TABLE bedside.session_holds ENABLE TRIGGER session_holds_stamp;
CREATE TRIGGER sessions_first_hold AFTER INSERT ON bedside.sessions
    FOR EACH ROW EXECUTE FUNCTION bedside.first_hold();

-- Each workstation's login belongs to one workstation's database (its id, local migration
-- m010): a login copied to a second machine would hide the two from each other (a pull skips
-- what its own login sent), so the second is refused at its first sync.
CREATE TABLE bedside.workstations (
    login text PRIMARY KEY,
    database_id text NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION bedside.stamp_workstation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.login := session_user;
    NEW.registered_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER workstations_stamp BEFORE INSERT ON bedside.workstations
    FOR EACH ROW EXECUTE FUNCTION bedside.stamp_workstation();
"""
    + "".join(_APPEND_ONLY.format(table=t) for t in ("hold_order", "workstations"))
    + """
GRANT SELECT ON bedside.hold_order TO bedside_workstation;
GRANT SELECT, INSERT ON bedside.workstations TO bedside_workstation;
"""
)

M006_PUSH_IN_ONE_STATEMENT = """
-- A batch of the chart pushed in one statement: the sessions, then (unless the server already
-- holds a different entry under one of the ids: the batch is refused whole) the entries in
-- the order given. Called in autocommit, the statement is its own transaction, so the ledger's
-- lock (taken by the first entry) is released when the server has finished, never held across
-- a round trip to a workstation that may freeze or lose power mid-push.
CREATE FUNCTION bedside.push_chart(sessions jsonb, events jsonb)
RETURNS TABLE (new_sessions bigint, new_events bigint) LANGUAGE plpgsql AS $$
DECLARE
    differing text;
BEGIN
    INSERT INTO bedside.sessions (id, patient_id, course_id, number_in_course, chair,
                                  protocol_id, opened_at, local_date, opened_by, genesis_hash,
                                  origin)
        SELECT d->>'id', d->>'patient_id', d->>'course_id', (d->>'number_in_course')::integer,
               (d->>'chair')::integer, d->>'protocol_id', d->>'opened_at', d->>'local_date',
               d->>'opened_by', d->>'genesis_hash', ''
        FROM jsonb_array_elements(sessions) WITH ORDINALITY AS s(d, n)
        ORDER BY s.n
        ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS new_sessions = ROW_COUNT;
    SELECT v.d->>'id' INTO differing
        FROM jsonb_array_elements(events) AS v(d)
        JOIN bedside.chart_events e ON e.id = v.d->>'id'
        WHERE e.hash <> v.d->>'hash' LIMIT 1;
    IF differing IS NOT NULL THEN
        RAISE EXCEPTION 'bedside: the server holds a different entry under the id %', differing
            USING ERRCODE = 'BSD01';
    END IF;
    INSERT INTO bedside.chart_events (id, session_id, seq, kind, clinical_time, recorded_time,
                                      author, supersedes, reason, payload, prev_hash, hash,
                                      origin)
        SELECT d->>'id', d->>'session_id', (d->>'seq')::integer, d->>'kind',
               d->>'clinical_time', d->>'recorded_time', d->>'author', d->>'supersedes',
               d->>'reason', d->>'payload', d->>'prev_hash', d->>'hash', ''
        FROM jsonb_array_elements(events) WITH ORDINALITY AS v(d, n)
        ORDER BY v.n
        ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS new_events = ROW_COUNT;
    RETURN NEXT;
END $$;
GRANT EXECUTE ON FUNCTION bedside.push_chart(jsonb, jsonb) TO bedside_workstation;
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_record", M001_RECORD),
    Migration("0002_origin", M002_ORIGIN),
    Migration("0003_holds", M003_HOLDS),
    Migration("0004_clinic_rows", M004_CLINIC_ROWS),
    Migration("0005_hold_order", M005_HOLD_ORDER),
    Migration("0006_push_in_one_statement", M006_PUSH_IN_ONE_STATEMENT),
)
