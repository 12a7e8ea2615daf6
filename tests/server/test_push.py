"""Pushing a workstation's record to the clinic server: every event exactly once, in an order
the server's chain accepts, surviving a cut mid-push, refusing a different event under a known
id."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from server_helpers import clinic_from_demo

from bedside.errors import StoreError
from bedside.store import Store
from bedside.store.server import push as push_module
from bedside.store.server.push import cursor, push, waiting
from bedside.store.server.setup import connect, init_server

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


@pytest.fixture
def demo(tmp_path: Path) -> Store:
    store = Store(tmp_path / "demo.db")
    clinic_from_demo(store, NOW)
    return store


def _events(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0])


def _server_counts(conn: psycopg.Connection[tuple[object, ...]]) -> tuple[object, ...]:
    row = conn.execute(
        "SELECT (SELECT count(*) FROM bedside.sessions), (SELECT count(*) FROM bedside.chart_events),"
        " (SELECT count(*) FROM bedside.ledger)"
    ).fetchone()
    assert row is not None
    return row


def test_a_whole_clinic_is_pushed_once_and_a_second_push_sends_nothing(
    demo: Store, server_url: str
) -> None:
    init_server(server_url)
    total = _events(demo)
    sessions = len(demo.all_sessions())
    assert waiting(demo.conn) == total
    with psycopg.connect(server_url, autocommit=True) as server:
        first = push(demo.conn, server, batch=7)
        assert (first.events, first.sessions) == (total, sessions)
        assert waiting(demo.conn) == 0
        assert _server_counts(server) == (sessions, total, total)
        again = push(demo.conn, server)
        assert (again.events, again.sessions) == (0, 0)
        origins = server.execute("SELECT DISTINCT origin FROM bedside.chart_events").fetchall()
    assert origins == [
        (server_url.split("//")[1].split(":")[0],)
    ]  # the login, not the sender's word


def test_a_cut_after_the_server_committed_resends_and_loses_nothing(
    demo: Store, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_server(server_url)
    total = _events(demo)
    real_set = push_module._set_cursor
    calls = {"n": 0}

    def cut_after_second_batch(local: object, seq: int, key: str = "pushed_through") -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("network cut before the cursor moved")
        real_set(local, seq, key)  # type: ignore[arg-type]

    monkeypatch.setattr(push_module, "_set_cursor", cut_after_second_batch)
    with psycopg.connect(server_url, autocommit=True) as server:
        with pytest.raises(ConnectionError):
            push(demo.conn, server, batch=10)
        assert 0 < cursor(demo.conn) < total  # the first batch is confirmed, the second is not
    monkeypatch.setattr(push_module, "_set_cursor", real_set)
    with psycopg.connect(server_url, autocommit=True) as server:
        resumed = push(demo.conn, server, batch=10)
        assert resumed.events == total - 20  # the second batch was already there: not counted
        assert _server_counts(server)[1:] == (total, total)
    assert waiting(demo.conn) == 0


def test_a_different_event_under_a_known_id_stops_the_push(
    demo: Store, server_url: str, tmp_path: Path
) -> None:
    init_server(server_url)
    with psycopg.connect(server_url, autocommit=True) as server:
        push(demo.conn, server, batch=50)
    # A copy of this database whose first event was altered by hand (its triggers dropped):
    # the same id with another hash must never overwrite, nor be skipped over, on the server.
    copy_path = tmp_path / "forged.db"
    demo.backup(copy_path)
    forged = Store(copy_path, check_integrity=False)
    forged.conn.execute("DELETE FROM sync_state")
    forged.conn.execute("DROP TRIGGER chart_events_no_update")
    first_id = forged.conn.execute("SELECT id FROM chart_events ORDER BY rowid LIMIT 1").fetchone()[
        0
    ]
    forged.conn.execute("UPDATE chart_events SET hash = ? WHERE id = ?", ("e" * 64, first_id))
    forged.conn.commit()
    refused = pytest.raises(StoreError, match=f"different entry under the id {first_id}")
    with psycopg.connect(server_url, autocommit=True) as server, refused:
        push(forged.conn, server)
    assert cursor(forged.conn) == 0
    forged.close()


def test_a_silent_network_cut_is_noticed_in_seconds_and_the_url_has_the_last_word(
    server_url: str,
) -> None:
    """A pulled cable sends no word: keepalives make the workstation notice within about 20 s
    (not the system's two hours) and say OFFLINE; IT's own value in the URL is kept."""
    with connect(server_url) as conn:
        given = conn.info.get_parameters()
        assert (given["keepalives"], given["keepalives_idle"]) == ("1", "5")
        assert given["tcp_user_timeout"] == "20000"
    with connect(server_url + "?keepalives_idle=30") as conn:
        assert conn.info.get_parameters()["keepalives_idle"] == "30"
    with pytest.raises(StoreError, match="address cannot be read"):
        connect("not a url=")


def test_a_login_without_its_password_is_told_where_the_password_goes(
    workstation_urls: tuple[str, str],
) -> None:
    url = urlsplit(workstation_urls[0])
    without = url._replace(netloc=f"{url.username}@{url.hostname}:{url.port}").geturl()
    with pytest.raises(StoreError, match=r"check this workstation's ~/.pgpass line"):
        connect(without + "?passfile=/nonexistent")
