"""Fetch uv from PyPI with nothing but the Python standard library.

A fresh Debian/Ubuntu has python3 but often neither pip nor venv; uv's wheel on PyPI carries a
static binary, so downloading the wheel, checking its sha256 and unpacking the binary is enough.
Usage: python3 scripts/bootstrap_uv.py DEST_DIR   (writes DEST_DIR/uv)
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import stat
import sys
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

PLATFORM_TAGS = {
    ("Linux", "x86_64"): "manylinux_2_17_x86_64",
    ("Linux", "aarch64"): "manylinux_2_17_aarch64",
    ("Darwin", "x86_64"): "macosx_10_12_x86_64",
    ("Darwin", "arm64"): "macosx_11_0_arm64",
}


def main(dest: Path) -> int:
    """Download the newest uv wheel for this machine and unpack ``uv`` into ``dest``."""
    tag = PLATFORM_TAGS.get((platform.system(), platform.machine()))
    if tag is None:
        sys.stderr.write(f"no uv wheel known for {platform.system()} {platform.machine()}\n")
        return 1
    index = "https://pypi.org/pypi/uv/json"
    with urllib.request.urlopen(index, timeout=60) as response:
        release = json.load(response)
    wheel = next(
        (f for f in release["urls"] if f["packagetype"] == "bdist_wheel" and tag in f["filename"]),
        None,
    )
    if wheel is None:
        sys.stderr.write(f"PyPI has no uv wheel tagged {tag}\n")
        return 1
    # Mirrors may answer with a URL relative to the index page.
    url = urllib.parse.urljoin(index, wheel["url"])
    with urllib.request.urlopen(url, timeout=300) as response:
        data = response.read()
    if hashlib.sha256(data).hexdigest() != wheel["digests"]["sha256"]:
        sys.stderr.write("downloaded uv wheel failed its sha256 check\n")
        return 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = next(n for n in archive.namelist() if n.endswith("/scripts/uv"))
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / "uv"
        target.write_bytes(archive.read(member))
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    sys.stdout.write(f"uv {release['info']['version']} installed at {target}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".tools/bin")))
