"""Where a result came from: the versions, the commit and the time, recorded the same way
by every command that stores results (sweep, compare, calibrate, validate)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import platform
import shutil
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import sim

KEY_PACKAGES = (
    "mesa",
    "numpy",
    "pandas",
    "pyarrow",
    "scipy",
    "pydantic",
    "networkx",
    "salib",
    "dask",
    "distributed",
    "duckdb",
    "ema-workbench",
)


def model_versions() -> dict[str, str]:
    """What decides a run's result besides its inputs: the model's and Mesa's versions."""
    return {
        "vernetzte-kommune": sim.__version__,
        "mesa": metadata.version("mesa"),
        "numpy": metadata.version("numpy"),
    }


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def git() -> dict:
    root = Path(sim.__file__).resolve().parent.parent
    if not (root / ".git").exists() or shutil.which("git") is None:
        return {"commit": None, "dirty": None}
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def fingerprint(content: dict) -> str:
    """A short hash of what decides a result (its inputs as JSON, keys sorted): a resumed
    command continues only what has the same fingerprint."""
    text = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def opened(extra_versions: dict[str, str] | None = None) -> dict:
    """The fields every result folder's manifest starts with: versions, commit, start time
    and status (running until the command says otherwise)."""
    return {
        "versions": {**versions(), **(extra_versions or {})},
        "git": git(),
        "started": now(),
        "ended": None,
        "status": "running",
    }


def versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "vernetzte-kommune": sim.__version__}
    for name in KEY_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found
