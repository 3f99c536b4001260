"""Scenarios: named, documented descriptions of a municipality, stored as TOML files.

A scenario file::

    extends = "coordinated"          # optional: a built-in name or a path to another file

    [scenario]
    title_de = "Unsere Kommune"       # required, German and English
    title_en = "Our municipality"
    description_de = "..."
    description_en = "..."
    source = "[001] ..."              # the seed passage or source it stands for
    field_names = ["Jugend", "Senioren"]   # optional labels, one per field

    [parameters]                      # only what differs from the parent (or the defaults)
    coordinator_hours = 120

    [[events]]                        # any number, inherited ones come first
    month = 48
    kind = "coordinator_ends"   # or funding_cut, key_person_leaves, new_partner, levers,
                                # coordinator_hired (sim/mechanisms/events.py)

Built-in scenarios live in ``sim/scenarios/``; any other file is given by its path. A
parent named by a path is found relative to the file that extends it.

Everything is checked on load, strictly: an unknown key is an error with a "did you mean"
suggestion (a typo must never be silently ignored); a wrong type or a value out of range
names the file, the line where it can be found, the key and the allowed values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.files.actors import COUNTS, FIXED, ActorList, load_actors
from sim.files.models import (
    EVENT_KEYS,
    FIELDS_MAX,
    META_KEYS,
    MONTHS_MAX,
    REQUIRED_META,
    TOP_KEYS,
    EventEntry,
    ScenarioFile,
)
from sim.files.tomlfile import as_written, file_problem, line_of, read_toml
from sim.mechanisms.events import CUT_SHARE, KINDS, PARTNERS, Event
from sim.params import (
    FIELD_NAMES,
    FIELD_NAMES_DE,
    LIVE_LEVERS,
    SPEC_BY_NAME,
    ParameterError,
    Params,
    explain,
    make_params,
    suggest,
)

SCENARIO_DIR = Path(__file__).parent.parent / "scenarios"
MAX_EXTENDS = 32  # parents in an extends chain: real chains have 2 to 4
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


class ScenarioError(ParameterError):
    """A scenario that cannot be used, phrased as the one line a user should read."""


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
    chain: tuple[str, ...]  # names from the root ancestor to this scenario
    set_by: dict[str, str] = field(default_factory=dict)  # parameter -> scenario that set it
    field_names: tuple[str, ...] | None = None
    actors: ActorList | None = None  # the real network's actors, if the scenario names a list

    def title(self, lang: str) -> str:
        return self.title_de if lang == "de" else self.title_en

    def description(self, lang: str) -> str:
        return self.description_de if lang == "de" else self.description_en

    def fields(self, lang: str) -> tuple[str, ...]:
        """Display names of the fields, custom or the standard ones."""
        if self.field_names:
            return self.field_names
        names = FIELD_NAMES_DE if lang == "de" else FIELD_NAMES
        return names[: self.params.n_fields]


def builtin_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def locate(ref: str, relative_to: Path | None = None) -> Path:
    """The file a scenario reference means: a path (relative to ``relative_to``) or a name."""
    looks_like_path = ref.endswith(".toml") or "/" in ref or "\\" in ref
    if looks_like_path:
        path = Path(ref)
        if relative_to is not None and not path.is_absolute():
            path = relative_to / path
        problem = file_problem(path)
        if problem:
            problem = "no such scenario file" if problem == "no such file" else problem
            raise ScenarioError(f"{ref}: {problem}")
        return path
    builtin = SCENARIO_DIR / f"{ref}.toml"
    if builtin.is_file():
        return builtin
    if Path(ref).is_file():  # a file without the .toml ending in the working folder
        return Path(ref)
    raise ScenarioError(
        f"unknown scenario '{ref}'{suggest(ref, builtin_names())}; built-in: "
        f"{', '.join(builtin_names())} (or give the path of a .toml file)"
    )


def display_name(path: Path) -> str:
    return path.stem if path.parent.resolve() == SCENARIO_DIR.resolve() else str(path)


def _at(path: Path, line: int | None) -> str:
    return f"{path}, line {line}" if line else f"{path}"


# --- checking the parts of a file ----------------------------------------------------------
# The keys, types and limits are those of the file models (sim.files.models); what follows
# orders pydantic's report as a reader meets the file and says each problem in one line.
_TOP_KINDS = {
    "scenario": "a table [scenario]",
    "parameters": "a table [parameters]",
    "events": "a list of [[events]] tables",
    "extends": "a scenario name or path in quotes",
}


def _errors(raw: dict) -> list[dict]:
    try:
        ScenarioFile.model_validate(raw)
    except ValidationError as error:
        return error.errors()
    return []


def _check_top(errors: list[dict], raw: dict, path: Path, text: str) -> None:
    top = [e for e in errors if len(e["loc"]) == 1]
    order = list(raw)
    for e in sorted(
        (e for e in top if e["type"] == "extra_forbidden"), key=lambda e: order.index(e["loc"][0])
    ):
        key = e["loc"][0]
        raise ScenarioError(
            f"{_at(path, line_of(text, None, key))}: unknown key '{key}'"
            f"{suggest(key, TOP_KEYS)}; allowed at the top: {', '.join(TOP_KEYS)}"
        )
    if any(e["type"] == "missing" for e in top):
        raise ScenarioError(
            f"{path}: the [scenario] table is missing (it needs title_de and title_en)"
        )
    for key in _TOP_KINDS:
        if any(e["loc"][0] == key for e in top):
            raise ScenarioError(
                f"{_at(path, line_of(text, None, key))}: '{key}' must be {_TOP_KINDS[key]}"
            )


def _check_meta(errors: list[dict], meta: dict, path: Path, text: str) -> None:
    found = [e for e in errors if e["loc"][0] == "scenario" and len(e["loc"]) > 1]
    order = list(meta)
    for e in sorted(
        (e for e in found if e["loc"][1] in meta), key=lambda e: order.index(e["loc"][1])
    ):
        key = e["loc"][1]
        line = line_of(text, "scenario", key)
        if e["type"] == "extra_forbidden":
            raise ScenarioError(
                f"{_at(path, line)}: unknown key '{key}' in [scenario]"
                f"{suggest(key, META_KEYS)}; allowed: {', '.join(META_KEYS)}"
            )
        if key == "field_names":
            raise ScenarioError(
                f"{_at(path, line)}: field_names must be a list of names in quotes, one per "
                f"field (at most {FIELDS_MAX})"
            )
        if e["type"] != "string_pattern_mismatch":  # an empty title is a missing one
            raise ScenarioError(f"{_at(path, line)}: {key} must be text in quotes")
    for key in REQUIRED_META:
        if any(e["loc"][1] == key for e in found):
            raise ScenarioError(
                f"{path}: [scenario] needs {key} (the "
                f"{'German' if key.endswith('de') else 'English'} title)"
            )


_ALLOWED = {
    "month": f"whole number from 1 to {MONTHS_MAX}",
    "share": f"number above 0 and at most 1 (e.g. {CUT_SHARE} for a {CUT_SHARE:.0%} cut)",
    "partner": ", ".join(PARTNERS),
    "field": "whole number from 0 to n_fields - 1",
    "levers": "a table of live levers and numbers, e.g. { eye_level = 0.9 }",
}


def _event_order(e: dict, spec: Any) -> tuple[int, int, int]:
    """A reader's order: event by event; in each, its shape (a table, known keys, month and
    kind given) before its values, and the values in the order of the keys."""
    k = e["loc"][1]
    key = e["loc"][2] if len(e["loc"]) > 2 else ""
    shape = ("model_type", "extra_forbidden", "missing")
    rank = shape.index(e["type"]) if e["type"] in shape else len(shape)
    keys = list(spec) if isinstance(spec, dict) else []
    at = EVENT_KEYS.index(key) if key in EVENT_KEYS else (keys.index(key) if key in keys else 0)
    return k, rank, at


def _check_events(errors: list[dict], raw: dict, path: Path, text: str) -> None:
    """Every [[events]] table against ``EventEntry``; the first problem, in a reader's order."""
    specs = raw.get("events", [])
    found = [e for e in errors if e["loc"][0] == "events" and len(e["loc"]) > 1]
    if not found:
        return
    e = min(found, key=lambda e: _event_order(e, specs[e["loc"][1]]))
    k = e["loc"][1]
    spec = specs[k]
    where = _at(path, line_of(text, "events", "kind", k) or line_of(text, "events", "month", k))
    if len(e["loc"]) == 2:
        raise ScenarioError(f"{where}: events must be [[events]] tables")
    key = e["loc"][2]
    line = _at(path, line_of(text, "events", key, k))
    if e["type"] == "extra_forbidden":
        raise ScenarioError(
            f"{line}: unknown key '{key}' in event {k + 1}{suggest(key, EVENT_KEYS)}; "
            f"allowed: {', '.join(EVENT_KEYS)}"
        )
    if e["type"] == "missing":
        raise ScenarioError(f"{where}: event {k + 1} needs '{key}'")
    if key == "kind":
        raise ScenarioError(
            f"{line}: event {k + 1}: kind = {as_written(spec[key])} is not allowed"
            f"{suggest(str(spec[key]), KINDS)}; allowed: {', '.join(KINDS)}"
        )
    raise ScenarioError(
        f"{line}: event {k + 1}: {key} = {as_written(spec[key])} is not allowed; "
        f"allowed: {_ALLOWED[key]}"
    )


def _check_parameters(values: dict, base: dict, path: Path, text: str) -> None:
    """Each parameter on its own (unknown key, type, range), then all of them together."""
    for key, value in values.items():
        line = line_of(text, "parameters", key)
        if key not in SPEC_BY_NAME:
            raise ScenarioError(
                f"{_at(path, line)}: unknown parameter '{key}'"
                f"{suggest(key, SPEC_BY_NAME)}; see: kommune params"
            )
        try:
            Params.model_validate({**base, key: value}, strict=True)
        except ValidationError as error:
            first = error.errors()[0]
            if first["loc"] and first["loc"][0] == key:
                raise ScenarioError(
                    explain(error, f"{_at(path, line)}: [parameters]", quote_text=True)
                ) from None
    make_params({**base, **values}, where=f"{path}: [parameters]", strict=True)


def _event(entry: dict, k: int, values: dict, path: Path, text: str) -> Event:
    """One checked [[events]] table as an ``Event``; a levers event's names must be live
    levers and its values within their ranges."""
    found = EventEntry.model_validate(entry).model_dump()
    levers = found.pop("levers") or {}
    if (found["kind"] == "levers") != bool(levers):
        where = _at(path, line_of(text, "events", "kind", k))
        raise ScenarioError(
            f"{where}: event {k + 1}: a levers event needs levers = {{ name = value, ... }}, "
            "and only a levers event has them"
        )
    where = _at(path, line_of(text, "events", "levers", k))
    for name in levers:
        if name not in LIVE_LEVERS:
            raise ScenarioError(
                f"{where}: event {k + 1}: '{name}' cannot move while a network runs"
                f"{suggest(name, LIVE_LEVERS)}; allowed: {', '.join(LIVE_LEVERS)}"
            )
    make_params({**values, **levers}, where=f"{where}: event {k + 1}: levers")
    return Event(**found, levers=tuple(levers.items()))


# --- loading --------------------------------------------------------------------------------
def _read(path: Path) -> tuple[dict, str]:
    return read_toml(path, ScenarioError)


@dataclass
class _Resolved:
    values: dict[str, Any]
    set_by: dict[str, str]
    events: list[Event]
    chain: list[str]
    field_names: tuple[str, ...] | None
    actors: Path | None = None  # the actor list the nearest scenario in the chain names


def _actors(raw: dict, values: dict, inherited: Path | None, path: Path, text: str):
    """The actor list this scenario runs from: its own (``actors = ...``) or its parent's;
    what the list fixes (``FIXED``) may not be set beside it."""
    actors = inherited
    listed = raw["scenario"].get("actors")
    if listed is not None:
        actors = Path(listed) if Path(listed).is_absolute() else path.parent / listed
    fixed = [k for k in COUNTS.values() if k in values]
    if actors is not None and listed is None:  # inherited: read against the parent's fields
        fixed += [k for k in ("n_fields",) if k in values]
        if "field_names" in raw["scenario"]:
            raise ScenarioError(
                f"{_at(path, line_of(text, 'scenario', 'field_names'))}: field_names would "
                f"change the fields the actor list {actors.name} of the parent is read "
                "against; name the list here too (actors = ...) to read it with these names"
            )
    if actors is not None and fixed:
        raise ScenarioError(
            f"{_at(path, line_of(text, 'parameters', fixed[0]))}: {fixed[0]} is given by "
            f"the actor list {actors.name}; remove it from [parameters]"
        )
    return actors


def _resolve(path: Path, visiting: tuple[Path, ...]) -> tuple[_Resolved, dict, str]:
    raw, text = _read(path)
    errors = _errors(raw)
    _check_top(errors, raw, path, text)
    _check_meta(errors, raw["scenario"], path, text)
    name = display_name(path)
    if "extends" in raw:
        try:
            parent_path = locate(raw["extends"], relative_to=path.parent)
        except ScenarioError as error:
            raise ScenarioError(
                f"{_at(path, line_of(text, None, 'extends'))}: extends: {error}"
            ) from None
        if len(visiting) >= MAX_EXTENDS:
            raise ScenarioError(
                f"{_at(path, line_of(text, None, 'extends'))}: extends: the "
                f"chain of parents is longer than {MAX_EXTENDS} files; "
                "extend a scenario nearer the root"
            )
        if parent_path.resolve() in visiting:
            raise ScenarioError(
                f"{_at(path, line_of(text, None, 'extends'))}: extends "
                f"'{raw['extends']}', which leads back to this file (a cycle)"
            )
        parent, _, _ = _resolve(parent_path, (*visiting, parent_path.resolve()))
    else:
        parent = _Resolved(Params().model_dump(), {}, [], [], None)
    values = raw.get("parameters", {})
    _check_parameters(values, parent.values, path, text)
    merged = {**parent.values, **values}
    _check_events(errors, raw, path, text)
    own_events = [_event(e, k, merged, path, text) for k, e in enumerate(raw.get("events", []))]
    events = parent.events + own_events
    names = raw["scenario"].get("field_names")
    field_names = tuple(names) if names else parent.field_names
    if field_names is not None and len(field_names) != merged["n_fields"]:
        line = line_of(text, "scenario", "field_names")
        raise ScenarioError(
            f"{_at(path, line)}: field_names has {len(field_names)} names but "
            f"n_fields is {merged['n_fields']}; give one name per field"
        )
    for k, event in enumerate(own_events):
        if event.field is not None and event.field >= merged["n_fields"]:
            line = line_of(text, "events", "field", k)
            raise ScenarioError(
                f"{_at(path, line)}: event {k + 1}: field = {event.field} is "
                f"not allowed; allowed: whole number from 0 to "
                f"{merged['n_fields'] - 1} (n_fields is {merged['n_fields']})"
            )
    actors = _actors(raw, values, parent.actors, path, text)
    resolved = _Resolved(
        values=merged,
        set_by={**parent.set_by, **dict.fromkeys(values, name)},
        events=events,
        chain=[*parent.chain, name],
        field_names=field_names,
        actors=actors,
    )
    return resolved, raw, text


def load(ref: str, overrides: dict[str, Any] | None = None, where: str = "--set") -> Scenario:
    """Load, check and resolve a scenario; ``overrides`` (from ``--set``) win over the file."""
    path = locate(ref)
    resolved, raw, _ = _resolve(path, (path.resolve(),))
    actors = None
    if resolved.actors is not None:
        n = int(resolved.values["n_fields"])
        names = (
            tuple((name,) for name in resolved.field_names)
            if resolved.field_names
            else tuple(zip(FIELD_NAMES_DE[:n], FIELD_NAMES[:n], strict=True))
        )
        actors = load_actors(resolved.actors, names)
        resolved.values.update(actors.counts())
        resolved.set_by.update(dict.fromkeys(actors.counts(), resolved.actors.name))
        for count in FIXED:
            if overrides and count in overrides:
                raise ScenarioError(
                    f"{where}: {count} is given by the actor list {resolved.actors}; it "
                    "cannot be set"
                )
    params = make_params(resolved.values, where=str(path))
    set_by = dict(resolved.set_by)
    if overrides:
        params = make_params({**resolved.values, **overrides}, where=where)
        set_by.update(dict.fromkeys(overrides, where))
    if resolved.field_names is not None and len(resolved.field_names) != params.n_fields:
        raise ScenarioError(
            f"{where}: n_fields = {params.n_fields} does not match the "
            f"{len(resolved.field_names)} field_names of {path}"
        )
    meta = raw["scenario"]
    return Scenario(
        name=display_name(path),
        title_de=meta["title_de"].strip(),
        title_en=meta["title_en"].strip(),
        description_de=" ".join(meta.get("description_de", "").split()),
        description_en=" ".join(meta.get("description_en", "").split()),
        source=meta.get("source", "").strip(),
        params=params,
        events=tuple(resolved.events),
        path=path,
        chain=tuple(resolved.chain),
        set_by=set_by,
        field_names=resolved.field_names,
        actors=actors,
    )


def load_all() -> list[Scenario]:
    return [load(name) for name in builtin_names()]
