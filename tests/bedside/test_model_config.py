"""The domain's models are built all at once before a second thread validates (the background
sync), so no two threads ever build the same deferred model (pydantic issues 11849, 13419)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, sys
import bedside
from bedside import model_config
from bedside.store.server.background import BackgroundSync
from bedside.clock import SystemClock
from pydantic import BaseModel

BackgroundSync(sys.argv[1], "postgresql://nobody@127.0.0.1:1/none", SystemClock(), print)
for info in pkgutil.walk_packages(bedside.__path__, "bedside."):
    importlib.import_module(info.name)  # every module: a model the list misses is new here

todo, unbuilt = list(BaseModel.__subclasses__()), []
while todo:
    model = todo.pop()
    todo.extend(model.__subclasses__())
    if model.__module__.startswith("bedside.") and not model.__pydantic_complete__:
        unbuilt.append(f"{model.__module__}.{model.__qualname__}")
print(sorted(set(unbuilt)))
print(model_config.build_all())
"""


def test_the_background_sync_finds_every_domain_model_built(tmp_path: Path) -> None:
    """Making the sync's loop (on the GUI thread) builds every model of every domain module,
    before the loop's thread starts; a module missing from MODEL_MODULES fails here."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "clinic.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    unbuilt, built_after = result.stdout.splitlines()[-2:]
    assert unbuilt == "[]"
    assert built_after == "0"


def test_every_listed_module_defines_models() -> None:
    from bedside import model_config

    for name in model_config.MODEL_MODULES:
        folder = ROOT / Path(*name.split("."))
        files = list(folder.glob("*.py")) if folder.is_dir() else [folder.with_suffix(".py")]
        assert any("BaseModel" in f.read_text(encoding="utf-8") for f in files), name
