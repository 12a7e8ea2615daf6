"""A throwaway PostgreSQL cluster for the tests and the benchmarks (issue 14): ``initdb`` into a
temporary folder, ``pg_ctl`` on 127.0.0.1 with a free port and a private socket folder, stopped
and removed at the end. ``initdb`` refuses to run as root, so as root both run as the
``postgres`` user (``runuser``), which then owns the folder.

A machine without PostgreSQL's server programs gets :data:`MISSING` (a clear reason to skip);
CI sets ``BEDSIDE_REQUIRE_POSTGRES=1`` so that the tests fail there instead of skipping.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REQUIRE_ENV = "BEDSIDE_REQUIRE_POSTGRES"
SUPERUSER = "bedside_test_admin"


def _server_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (Debian keeps them out of PATH)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    return versions[0].parent if versions else None


BIN = _server_bin()
MISSING = (
    None
    if BIN is not None and (BIN / "initdb").exists()
    else "PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
    "sudo apt-get install postgresql (the tests start a throwaway cluster themselves)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """One running throwaway cluster; :attr:`url` reaches it as its superuser."""

    folder: Path
    port: int = field(default_factory=_free_port)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def sockets(self) -> Path:
        return self.folder / "sockets"

    def url(
        self, dbname: str = "postgres", user: str = SUPERUSER, password: str | None = None
    ) -> str:
        """A connection string over TCP to 127.0.0.1."""
        secret = self.password if password is None else password
        return f"postgresql://{user}:{secret}@127.0.0.1:{self.port}/{dbname}"

    def _as_owner(self, *args: str) -> list[str]:
        program = [str(BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *program]
        return program

    def init(self) -> None:
        """A new cluster: password auth over TCP, nothing over the (private) socket."""
        self.sockets.mkdir(parents=True)
        pwfile = self.folder / "pw"
        pwfile.write_text(self.password + "\n")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.sockets, "postgres")
            shutil.chown(pwfile, "postgres")
        subprocess.run(
            self._as_owner(
                "initdb", "-D", str(self.data), "-U", SUPERUSER, "--pwfile", str(pwfile),
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync",
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        pwfile.unlink()

    def start(self) -> None:
        """Start (or start again) and wait until it accepts connections."""
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.sockets} -c fsync=off "
            "-c synchronous_commit=on -c full_page_writes=off"
        )
        subprocess.run(
            self._as_owner(
                "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.data / "log.txt"),
                "-w", "-t", "60", "start",
            ),
            check=True, capture_output=True,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop: ``fast`` (clean) or ``immediate`` (a crash, as a power cut would)."""
        subprocess.run(
            self._as_owner("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop"),
            check=False, capture_output=True,
        )  # fmt: skip


def start_cluster() -> Cluster:
    """A new running cluster in a new temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="bedside-pg-"))
    os.chmod(folder, 0o755)  # runuser's postgres must reach it before the chown
    cluster = Cluster(folder)
    cluster.init()
    cluster.start()
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    """Stop it and delete its folder."""
    cluster.stop("immediate")
    shutil.rmtree(cluster.folder, ignore_errors=True)
