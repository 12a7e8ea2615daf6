"""The demo clinic never meets a clinic server: its made-up patients and its accounts with a
public password would reach every workstation, and a clinic's patients pulled into it would be
open to those accounts. Every way in or out refuses it before the server is used; ``server
join`` and ``sync`` refuse it before the server is even reached; the demo is never made in a
database that joined one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_support import run

from bedside.errors import OperationRefused
from bedside.store import Store
from bedside.store.server import SERVER_URL_SETTING
from bedside.store.server.clinic_rows import pull_clinic_rows, push_clinic_rows
from bedside.store.server.demo_guard import refuse_demo
from bedside.store.server.pull import pull_chart
from bedside.store.server.push import push
from bedside.store.server.sync import sync
from ui.demo import build_demo

T = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
NOWHERE = "postgresql://ws_chair_1@127.0.0.1:1/clinic"


class Untouchable:
    """A server connection that fails the test if anything uses it."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the server was used ({name}) for a demo database")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    with Store(path) as store:
        build_demo(store, T, timezone="UTC")
    return path


def test_every_way_in_or_out_refuses_the_demo_before_the_server_is_used(demo: Path) -> None:
    server = Untouchable()
    with Store(demo) as store:
        head = store.ledger_head()
        for way in (
            lambda: sync(store.conn, server, now=T),  # type: ignore[arg-type]
            lambda: push(store.conn, server),  # type: ignore[arg-type]
            lambda: push_clinic_rows(store.conn, server),  # type: ignore[arg-type]
            lambda: pull_clinic_rows(store.conn, server),  # type: ignore[arg-type]
            lambda: pull_chart(store.conn, server, now=T),  # type: ignore[arg-type]
        ):
            with pytest.raises(OperationRefused, match="never joins nor syncs"):
                way()
        assert store.ledger_head() == head


@pytest.mark.parametrize("command", ["join", "sync", "push"])
def test_the_command_line_refuses_the_demo_before_reaching_the_server(
    demo: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "server", command, NOWHERE, "--db", str(demo))
    assert code == 1
    assert "DEMO clinic" in err
    assert "connect" not in err.lower()  # refused first: the server was never tried
    with Store(demo) as store:
        assert store.get_setting(SERVER_URL_SETTING, "") == ""  # not joined


def test_a_clinics_database_is_not_taken_for_the_demo(tmp_path: Path) -> None:
    with Store(tmp_path / "clinic.db") as store:
        refuse_demo(store.conn)  # a new file
        store.set_settings({"clinic_name": "Lakeside"}, actor=None, at=T)
        refuse_demo(store.conn)


def test_the_demo_is_never_made_in_a_database_that_joined_a_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    joined = tmp_path / "joined.db"
    with Store(joined) as store:
        store.set_settings({SERVER_URL_SETTING: NOWHERE}, actor=None, at=T)
        with pytest.raises(OperationRefused, match="joined a clinic server"):
            build_demo(store, T, timezone="UTC")
        assert not store.has_users()
    code, _, err = run(capsys, "demo", "--db", str(joined))
    assert code == 1
    assert "joined a clinic server" in err
