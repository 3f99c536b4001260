"""Scenarios: named, documented sets of parameters and events, stored as TOML files.

A scenario file has a ``[scenario]`` table (German and English title and description, the
source it stands for), a ``[parameters]`` table with the values that differ from the
defaults, and any number of ``[[events]]``. Built-in scenarios live next to this module;
any other file can be given by its path. Everything is checked on load: an unknown key or
a value out of range is an error naming the file and the key, never silently ignored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.events import KINDS, Event
from sim.params import ParameterError, Params, make_params

HERE = Path(__file__).parent


class ScenarioError(ParameterError):
    """A scenario that cannot be used, phrased as one line for the user."""


class _Meta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title_de: str
    title_en: str
    description_de: str = ""
    description_en: str = ""
    source: str = ""


class _EventSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    month: int = Field(ge=1)
    kind: Literal[KINDS]  # type: ignore[valid-type]
    share: float = Field(0.3, gt=0, le=1)
    partner: Literal["carrier", "volunteer"] = "carrier"
    field: int | None = Field(None, ge=0, le=3)


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: _Meta
    parameters: dict[str, Any] = {}
    events: list[_EventSpec] = []


@dataclass(frozen=True)
class Scenario:
    name: str
    title_de: str
    title_en: str
    description_de: str
    description_en: str
    source: str
    params: Params
    events: tuple[Event, ...]
    path: Path


def builtin_names() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.toml"))


def _locate(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioError(f"{name_or_path}: no such scenario file")
        return path
    builtin = HERE / f"{name_or_path}.toml"
    if not builtin.is_file():
        raise ScenarioError(
            f"unknown scenario '{name_or_path}'; built-in: {', '.join(builtin_names())}"
            " (or give the path of a .toml file)")
    return builtin


def _where(error: ValidationError) -> str:
    first = error.errors()[0]
    loc = ".".join(str(part) for part in first["loc"])
    return f"{loc}: {first['msg']}"


def load(name_or_path: str, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, check and resolve a scenario; ``overrides`` (e.g. from ``--set``) win."""
    path = _locate(name_or_path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path}: not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"{path}: cannot read: {error}") from None
    try:
        spec = _File.model_validate(raw)
    except ValidationError as error:
        raise ScenarioError(f"{path}: {_where(error)}") from None
    params = make_params(spec.parameters, where=f"{path} [parameters]")
    if overrides:
        params = make_params({**params.model_dump(), **overrides}, where="--set")
    events = tuple(Event(**e.model_dump()) for e in spec.events)
    return Scenario(
        name=path.stem if path.parent == HERE else str(path),
        title_de=spec.scenario.title_de,
        title_en=spec.scenario.title_en,
        description_de=spec.scenario.description_de,
        description_en=spec.scenario.description_en,
        source=spec.scenario.source,
        params=params,
        events=events,
        path=path,
    )
