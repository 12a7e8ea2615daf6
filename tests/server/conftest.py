"""Fixtures for the clinic server's tests: one throwaway PostgreSQL cluster for the whole run,
and a fresh database in it for each test."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from pg_cluster import MISSING, REQUIRE_ENV, Cluster, remove_cluster, start_cluster
from server_helpers import LATER, SYNCED_AT, VITALS, clinic_from_demo, infusing, sync_at

from bedside.clock import FixedClock
from bedside.ids import SessionId
from bedside.service import ChartService
from bedside.store import Store
from bedside.store.server import SERVER_URL_SETTING
from bedside.store.server.setup import add_workstation, connect, init_server
from bedside.store.server.sync import sync
from bedside.store.server.takeover import take_over_here


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """The run's PostgreSQL (skipped, with the reason, where it is not installed; a failure
    where CI requires it)."""
    if MISSING is not None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {MISSING}", pytrace=False)
        pytest.skip(MISSING)
    running = start_cluster()
    yield running
    remove_cluster(running)


@pytest.fixture
def server_url(cluster: Cluster) -> Iterator[str]:
    """A new empty database for one test, as the superuser (what IT's `server init` uses)."""
    name = f"clinic_{secrets.token_hex(4)}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield cluster.url(name)
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


Conn = psycopg.Connection[tuple[object, ...]]


@pytest.fixture
def workstation_urls(server_url: str, cluster: Cluster) -> tuple[str, str]:
    """The clinic's schema on the test's database and two workstations' own logins, A and B,
    as URLs (login roles are the cluster's, shared by all tests: named after the database)."""
    init_server(server_url)
    dbname = server_url.rsplit("/", 1)[1]
    unique = dbname.rsplit("_", 1)[1]
    a, b = (add_workstation(server_url, f"{w}_{unique}") for w in ("a", "b"))
    return cluster.url(dbname, a.role, a.password), cluster.url(dbname, b.role, b.password)


@pytest.fixture
def workstations(workstation_urls: tuple[str, str]) -> Iterator[tuple[Conn, Conn]]:
    """A's and B's connections (autocommit, as the sync requires)."""
    url_a, url_b = workstation_urls
    with (
        psycopg.connect(url_a, autocommit=True) as a,
        psycopg.connect(url_b, autocommit=True) as b,
    ):
        yield a, b


@pytest.fixture
def synced_clinic(
    tmp_path: Path, workstation_urls: tuple[str, str]
) -> Iterator[tuple[Store, Store]]:
    """A (the demo clinic, synced up) and B (new, synced down), each with its own login."""
    url_a, url_b = workstation_urls
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    clinic_from_demo(a, SYNCED_AT)
    for store, url in ((a, url_a), (b, url_b)):
        with connect(url) as server:
            sync(store.conn, server, now=SYNCED_AT)
        store.set_settings({SERVER_URL_SETTING: url}, actor=None, at=SYNCED_AT)
    yield a, b
    a.close()
    b.close()


@pytest.fixture
def forked_at(
    synced_clinic: tuple[Store, Store], workstation_urls: tuple[str, str]
) -> tuple[ChartService, ChartService, SessionId]:
    """A session charted at A and B while cut off: A charted vitals and stopped the pump; B,
    which had taken the session over, charted vitals and slowed the pump; then both synced."""
    a, b = synced_clinic
    url_a, url_b = workstation_urls
    at_a = ChartService(a, FixedClock(LATER + timedelta(minutes=2)))
    at_b = ChartService(b, FixedClock(LATER + timedelta(minutes=3)))
    session = infusing(at_b)
    sam = at_b.accounts.authenticate("sam", "bedside-demo")
    with connect(url_b) as server:
        take_over_here(b, server, sam, session, now=LATER)
    dana = at_a.accounts.authenticate("dana", "bedside-demo")
    at_a.record_vitals(dana, session, clinical_time=LATER + timedelta(minutes=1), **VITALS)
    at_a.stop_infusion(
        dana, session, volume_infused_ml=10, completed=False, reason="pump alarm, line kinked"
    )
    at_b.record_vitals(sam, session, clinical_time=LATER + timedelta(minutes=2), **VITALS)
    rate = at_b.context(session).state.infusion.segments[-1].rate_ml_h
    at_b.change_rate(sam, session, rate / 2, "patient dizzy: slowed")
    for store, url in ((a, url_a), (b, url_b), (a, url_a)):
        sync_at(store, url)
    return at_a, at_b, session
