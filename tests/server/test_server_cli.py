"""``bedside server init`` and ``bedside server add-workstation`` as IT types them."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from pg_cluster import Cluster
from server_helpers import SYNCED_AT, unmark_demo

from bedside.store import Store
from ui.launcher import main


def _as_clinic(db: Path) -> None:
    """The demo ``bedside demo`` made, as a clinic's database (see ``clinic_from_demo``)."""
    with Store(db) as store:
        unmark_demo(store, SYNCED_AT)


def test_init_then_again_then_a_workstation_login_that_works(
    server_url: str, cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server", "init", server_url]) == 0
    assert "applied 0001_record" in capsys.readouterr().out
    assert main(["server", "init", server_url]) == 0
    assert "already up to date" in capsys.readouterr().out
    name = "chair_" + server_url.rsplit("_", 1)[1]  # roles are the cluster's, shared by tests
    assert main(["server", "add-workstation", name, "--url", server_url]) == 0
    out = capsys.readouterr().out
    line = next(x.strip() for x in out.splitlines() if x.strip().startswith("echo '127.0.0.1:"))
    host, port, database, role, password = line.split("'")[1].split(":")
    assert (host, int(port), role) == ("127.0.0.1", cluster.port, f"ws_{name}")
    with psycopg.connect(cluster.url(database, role, password)) as conn:
        assert conn.execute("SELECT count(*) FROM bedside.chart_events").fetchone() == (0,)


def test_an_unreachable_server_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["server", "init", "postgresql://x@127.0.0.1:9/none?connect_timeout=2"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bedside server: Cannot reach the clinic server")
    assert "Traceback" not in err


def test_push_starts_a_clinic_server_from_one_workstations_database(
    server_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    _as_clinic(db)  # a demo itself never meets a server
    assert main(["server", "init", server_url]) == 0
    capsys.readouterr()
    assert main(["server", "push", server_url, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    with Store(db) as store:
        events = store.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0]
        sessions = len(store.all_sessions())
    assert f"Pushed {events} chart entries in {sessions} new sessions" in out
    assert main(["server", "push", server_url, "--db", str(db)]) == 0
    assert "Pushed 0 chart entries in 0 new sessions" in capsys.readouterr().out


def test_verify_server_proves_the_copy_and_names_a_forged_entry(
    server_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    _as_clinic(db)  # a demo itself never meets a server
    assert main(["server", "init", server_url]) == 0
    assert main(["server", "push", server_url, "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["verify", "--server", server_url]) == 0
    assert "OK: the clinic server's" in capsys.readouterr().out
    # Someone with the server's superuser edits an entry behind the triggers' back.
    with psycopg.connect(server_url) as conn:
        conn.execute("ALTER TABLE bedside.chart_events DISABLE TRIGGER USER")
        target = conn.execute(
            "SELECT id FROM bedside.chart_events WHERE kind = 'vitals_recorded' LIMIT 1"
        ).fetchone()
        assert target is not None
        conn.execute(
            "UPDATE bedside.chart_events SET payload = replace(payload, '\"spo2\":9', "
            "'\"spo2\":8') WHERE id = %s",
            target,
        )
        conn.execute("ALTER TABLE bedside.chart_events ENABLE TRIGGER USER")
    assert main(["verify", "--server", server_url]) == 3
    err = capsys.readouterr().err
    assert f"event {target[0]}: its content does not match its hash" in err


def test_sync_from_the_command_line_says_what_went_each_way(
    server_url: str, cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo, new = tmp_path / "demo.db", tmp_path / "new.db"
    assert main(["demo", "--db", str(demo)]) == 0
    _as_clinic(demo)  # a demo itself never meets a server
    assert main(["server", "init", server_url]) == 0
    dbname = server_url.rsplit("/", 1)[1]
    urls = []
    for name in ("one", "two"):
        unique = f"{name}_{dbname.rsplit('_', 1)[1]}"
        assert main(["server", "add-workstation", unique, "--url", server_url]) == 0
        line = next(x.strip() for x in capsys.readouterr().out.splitlines() if "echo '" in x).split(
            "'"
        )[1]
        _, _, _, role, password = line.split(":")
        urls.append(cluster.url(dbname, role, password))
    assert main(["server", "sync", urls[0], "--db", str(demo)]) == 0
    assert "0 entries wait to be sent" in capsys.readouterr().out
    assert main(["server", "sync", urls[1], "--db", str(new)]) == 0
    out = capsys.readouterr().out
    with Store(demo) as store:
        events = store.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0]
    assert f"received {events} entries" in out


def test_join_refuses_a_password_in_the_url_and_then_joins(
    server_url: str, cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server", "init", server_url]) == 0
    dbname = server_url.rsplit("/", 1)[1]
    name = "join_" + dbname.rsplit("_", 1)[1]
    assert main(["server", "add-workstation", name, "--url", server_url]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "echo '" in x).split("'")[1]
    _, _, _, role, password = line.split(":")
    db = tmp_path / "new.db"
    assert main(["server", "join", cluster.url(dbname, role, password), "--db", str(db)]) == 1
    assert "leave the password out" in capsys.readouterr().err
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{cluster.port}:{dbname}:{role}:{password}\n")
    pgpass.chmod(0o600)
    bare = f"postgresql://{role}@127.0.0.1:{cluster.port}/{dbname}?passfile={pgpass}"
    assert main(["server", "join", bare, "--db", str(db)]) == 0
    assert "Joined" in capsys.readouterr().out
    with Store(db) as store:
        assert store.get_setting("server_url") == bare
    capsys.readouterr()
    assert main(["server", "sync", "--db", str(db)]) == 0  # the joined server, no URL typed
    assert "Sent 0 chart entries" in capsys.readouterr().out
    assert main(["server", "sync", "--db", str(tmp_path / "alone.db")]) == 1
    assert "has not joined a clinic server: give the URL" in capsys.readouterr().err


def test_verify_server_with_a_workstation_checks_its_record_against_the_server(
    server_url: str, cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Everything a workstation sent must be on the server, unchanged: a server restored from
    an older (here: an empty) backup is named, entry by entry."""
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    _as_clinic(db)  # a demo itself never meets a server
    assert main(["server", "init", server_url]) == 0
    assert main(["server", "push", server_url, "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["verify", "--server", server_url, "--db", str(db)]) == 0
    with Store(db) as store:
        events = store.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0]
    assert f"OK: the {events} entries this workstation sent or received are on the server" in (
        capsys.readouterr().out
    )
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {server_url.rsplit('/', 1)[1]}_old")
    older = server_url + "_old"
    assert main(["server", "init", older]) == 0
    capsys.readouterr()
    assert main(["verify", "--server", older, "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert "VERIFY FAILED (this workstation's" in err
    assert "is in this workstation's record (sent) but not on the server" in err
    assert main(["verify", "--server", server_url, "--db", str(tmp_path / "typo.db")]) == 1
    assert not (tmp_path / "typo.db").exists()


def test_a_server_restored_from_an_older_backup_stops_the_sync_until_sent_again(
    workstation_urls: tuple[str, str],
    cluster: Cluster,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A workstation that received entry N from the server notices a server that no longer has
    it (restored from an older backup, or replaced) before sending or receiving anything; with
    --after-restore it sends everything again and the server holds all of it, once."""
    url_a, url_b = workstation_urls
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert main(["demo", "--db", str(a)]) == 0
    _as_clinic(a)  # a demo itself never meets a server
    assert main(["server", "sync", url_a, "--db", str(a)]) == 0
    assert main(["server", "sync", url_b, "--db", str(b)]) == 0  # B has received entry N
    # The server is "restored" from a backup taken before any of it: an empty clinic server.
    dbname = url_b.rsplit("/", 1)[1]
    with psycopg.connect(cluster.url(dbname), autocommit=True) as admin:
        tables = ("ledger", "hold_order", "session_holds", "chart_events", "sessions")
        for table in tables:
            admin.execute(f"ALTER TABLE bedside.{table} DISABLE TRIGGER USER")
        admin.execute(f"TRUNCATE {', '.join('bedside.' + t for t in tables)}")
        for table in tables:
            admin.execute(f"ALTER TABLE bedside.{table} ENABLE TRIGGER USER")
    capsys.readouterr()
    assert main(["server", "sync", url_b, "--db", str(b)]) == 1
    err = capsys.readouterr().err
    assert "does not continue what this workstation received from it" in err
    assert "--after-restore" in err
    with Store(b) as store:
        held = store.conn.execute("SELECT count(*) FROM chart_events").fetchone()[0]
    assert main(["server", "sync", url_b, "--db", str(b), "--after-restore"]) == 0
    with psycopg.connect(cluster.url(dbname)) as admin:
        on_server = admin.execute("SELECT count(*) FROM bedside.chart_events").fetchone()
    assert on_server == (held,)  # everything B held is on the server again
    assert main(["server", "sync", url_a, "--db", str(a), "--after-restore"]) == 0
    with psycopg.connect(cluster.url(dbname)) as admin:
        assert admin.execute("SELECT count(*) FROM bedside.chart_events").fetchone() == (held,)
    assert main(["verify", "--server", url_a, "--db", str(a)]) == 0
