"""Fixtures for the clinic server's tests: one throwaway PostgreSQL cluster for the whole run,
and a fresh database in it for each test."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import psycopg
import pytest
from pg_cluster import MISSING, REQUIRE_ENV, Cluster, remove_cluster, start_cluster


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
