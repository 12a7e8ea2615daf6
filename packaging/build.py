"""Build the bundle a clinic's IT copies to each workstation: one tar.gz holding Bedside's wheel,
every locked dependency as a wheel (with its hash from uv.lock), the install and uninstall
scripts, the desktop entry and the icon. Installing it reaches no package registry.

Run it from the repository with ``./run package`` (it needs the internet, once, here).
Why a wheelhouse and not a .deb: PySide6 is not in Debian at the version we lock, so a .deb
would have to carry the same wheels inside a private virtual environment anyway (the
dh-virtualenv way) and would tie the bundle to one release's Python; the wheelhouse installs on
any Debian or Ubuntu with Python 3.11 or newer, with the machine's own python3.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "packaging"
# Debian 12 has 3.11, Ubuntu 24.04 3.12, Debian 13 3.13; the compiled wheels differ by version.
DEFAULT_PYTHONS = ("3.11", "3.12", "3.13")
# The oldest glibc we promise is Debian 12's (2.36): any manylinux wheel up to it will do.
GLIBC_MINORS = range(17, 37)
SHIPPED = ("install.sh", "uninstall.sh", "bedside.desktop", "INSTALL.txt")


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def _run(*args: str | Path, cwd: Path = ROOT) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    # This machine's pip settings (extra indexes, caps) must not change what the bundle holds.
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull}
    subprocess.run([str(a) for a in args], cwd=cwd, check=True, env=env)


def _platform_args(machine: str) -> list[str]:
    """pip's --platform tags for every manylinux wheel a Debian 12 workstation can load."""
    tags = [f"manylinux_2_{minor}_{machine}" for minor in GLIBC_MINORS]
    tags += [f"manylinux2014_{machine}", "linux_" + machine]
    return [arg for tag in tags for arg in ("--platform", tag)]


def _download(pip: Path, requirements: Path, wheels: Path, python: str, machine: str) -> None:
    """Every locked dependency as a binary wheel for CPython ``python`` on ``machine``."""
    nodot = python.replace(".", "")
    _run(
        pip, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--require-hashes", "--only-binary=:all:", "--no-deps",
        "--python-version", python, "--implementation", "cp",
        "--abi", f"cp{nodot}", "--abi", "abi3", "--abi", "none",
        *_platform_args(machine), "-r", requirements, "-d", wheels,
    )  # fmt: skip


def build(out: Path, pythons: tuple[str, ...], uv: list[str]) -> Path:
    """Write ``bedside-<version>-linux-<machine>.tar.gz`` (and its .sha256) into ``out``."""
    version, machine = _version(), platform.machine()
    name = f"bedside-{version}-linux-{machine}"
    with tempfile.TemporaryDirectory(prefix="bedside-build-") as tmp:
        stage = Path(tmp) / name
        wheels = stage / "wheels"
        wheels.mkdir(parents=True)
        _run(*uv, "build", "--wheel", "--out-dir", wheels)
        (wheels / ".gitignore").unlink(missing_ok=True)  # uv build's, meant for a dist/ folder
        requirements = stage / "requirements.txt"
        _run(
            *uv, "export", "--frozen", "--no-dev", "--no-emit-project",
            "--format", "requirements.txt", "--output-file", requirements,
        )  # fmt: skip
        # A throwaway environment with pip, only to fetch the wheels for each target Python.
        tools = Path(tmp) / "pip-env"
        _run(*uv, "venv", "--quiet", "--seed", tools)
        for python in pythons:
            _download(tools / "bin" / "python", requirements, wheels, python, machine)
        for shipped in SHIPPED:
            shutil.copy2(HERE / shipped, stage / shipped)
        shutil.copytree(ROOT / "resources" / "icons", stage / "icons")
        (stage / "VERSION").write_text(f"{version}\n", encoding="utf-8")
        (stage / "PYTHONS").write_text(" ".join(pythons) + "\n", encoding="utf-8")
        out.mkdir(parents=True, exist_ok=True)
        bundle = out / f"{name}.tar.gz"
        with tarfile.open(bundle, "w:gz") as tar:
            tar.add(stage, arcname=name)
    digest = hashlib.sha256(bundle.read_bytes()).hexdigest()
    (out / f"{name}.tar.gz.sha256").write_text(f"{digest}  {bundle.name}\n", encoding="utf-8")
    print(f"built {bundle} ({bundle.stat().st_size / 1e6:.0f} MB), sha256 {digest}")
    return bundle


def main() -> int:
    """``./run package [--out dist] [--python 3.11 --python 3.12 ...]``."""
    parser = argparse.ArgumentParser(prog="./run package", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder for the bundle")
    parser.add_argument(
        "--python",
        action="append",
        help=f"a target Python X.Y (repeat; default: {' '.join(DEFAULT_PYTHONS)})",
    )
    args = parser.parse_args()
    uv = shlex.split(os.environ.get("BEDSIDE_UV", "uv"))  # ./run passes the uv it found
    build(args.out, tuple(args.python or DEFAULT_PYTHONS), uv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
