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
    kind = "coordinator_ends"   # funding_cut, coordinator_ends, key_person_leaves, new_partner

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

from sim.files.tomlfile import as_written, file_problem, read_toml
from sim.mechanisms.events import KINDS, Event
from sim.params import (
    FIELD_NAMES,
    FIELD_NAMES_DE,
    SPEC_BY_NAME,
    ParameterError,
    Params,
    explain,
    make_params,
    suggest,
)

SCENARIO_DIR = Path(__file__).parent.parent / "scenarios"
TOP_KEYS = ("extends", "scenario", "parameters", "events")
META_KEYS = ("title_de", "title_en", "description_de", "description_en", "source", "field_names")
REQUIRED_META = ("title_de", "title_en")
EVENT_KEYS = ("month", "kind", "share", "partner", "field")
PARTNERS = ("carrier", "volunteer")
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


# --- finding the line of a key, for messages ---------------------------------------------
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"-]+)\s*\]\]?\s*(#.*)?$")


def line_of(text: str, section: str | None, key: str, index: int = 0) -> int | None:
    """1-based line where ``key`` is set in ``[section]`` (the ``index``-th ``[[section]]``),
    or at the top level for ``section=None``; None if it cannot be found."""
    current, seen = None, -1
    pattern = re.compile(rf'^\s*("?){re.escape(key)}\1\s*=')
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = header.group(2).strip('"')
            if section is None and current == key:  # a top-level key written as a table
                return number
            if current == section:
                seen += 1
            continue
        if current == section and (section is None or seen == index) and pattern.match(line):
            return number
    return None


def _at(path: Path, line: int | None) -> str:
    return f"{path}, line {line}" if line else f"{path}"


# --- checking the parts of a file ----------------------------------------------------------
def _check_top(raw: dict, path: Path, text: str) -> None:
    for key in raw:
        if key not in TOP_KEYS:
            raise ScenarioError(
                f"{_at(path, line_of(text, None, key))}: unknown key '{key}'"
                f"{suggest(key, TOP_KEYS)}; allowed at the top: {', '.join(TOP_KEYS)}"
            )
    if "scenario" not in raw:
        raise ScenarioError(
            f"{path}: the [scenario] table is missing (it needs title_de and title_en)"
        )
    for key, kind in (("scenario", dict), ("parameters", dict), ("events", list), ("extends", str)):
        if key in raw and not isinstance(raw[key], kind):
            what = {
                dict: "a table [" + key + "]",
                list: "a list of [[events]] tables",
                str: "a scenario name or path in quotes",
            }[kind]
            raise ScenarioError(f"{_at(path, line_of(text, None, key))}: '{key}' must be {what}")


def _check_meta(meta: dict, path: Path, text: str) -> None:
    for key, value in meta.items():
        line = line_of(text, "scenario", key)
        if key not in META_KEYS:
            raise ScenarioError(
                f"{_at(path, line)}: unknown key '{key}' in [scenario]"
                f"{suggest(key, META_KEYS)}; allowed: {', '.join(META_KEYS)}"
            )
        if key == "field_names":
            if not (
                isinstance(value, list)
                and value
                and all(isinstance(v, str) and v.strip() for v in value)
            ):
                raise ScenarioError(
                    f"{_at(path, line)}: field_names must be a list of names "
                    "in quotes, one per field"
                )
        elif not isinstance(value, str):
            raise ScenarioError(f"{_at(path, line)}: {key} must be text in quotes")
    for key in REQUIRED_META:
        if not str(meta.get(key, "")).strip():
            raise ScenarioError(
                f"{path}: [scenario] needs {key} (the "
                f"{'German' if key.endswith('de') else 'English'} title)"
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


def _check_event_keys(spec: Any, k: int, path: Path, text: str) -> None:
    """An event is a table with known keys, among them month and kind."""
    where = _at(path, line_of(text, "events", "kind", k) or line_of(text, "events", "month", k))
    if not isinstance(spec, dict):
        raise ScenarioError(f"{where}: events must be [[events]] tables")
    for key in spec:
        if key not in EVENT_KEYS:
            raise ScenarioError(
                f"{_at(path, line_of(text, 'events', key, k))}: unknown key "
                f"'{key}' in event {k + 1}{suggest(key, EVENT_KEYS)}; allowed: "
                f"{', '.join(EVENT_KEYS)}"
            )
    for key in ("month", "kind"):
        if key not in spec:
            raise ScenarioError(f"{where}: event {k + 1} needs '{key}'")


def _event(spec: Any, k: int, path: Path, text: str) -> Event:
    """One [[events]] table, checked; months past the end of a run are simply not reached."""
    _check_event_keys(spec, k, path, text)

    def bad(key: str, allowed: str) -> ScenarioError:
        line = line_of(text, "events", key, k)
        return ScenarioError(
            f"{_at(path, line)}: event {k + 1}: {key} = {as_written(spec[key])}"
            " is not "
            f"allowed; allowed: {allowed}"
        )

    month, kind = spec["month"], spec["kind"]
    top = SPEC_BY_NAME["months"].high
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= top:
        raise bad("month", f"whole number from 1 to {top:g}")
    if kind not in KINDS:
        raise ScenarioError(
            f"{_at(path, line_of(text, 'events', 'kind', k))}: event {k + 1}: "
            f"kind = {as_written(kind)} is not allowed{suggest(str(kind), KINDS)}; "
            f"allowed: {', '.join(KINDS)}"
        )
    share = spec.get("share", 0.3)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        raise bad("share", "number above 0 and at most 1 (e.g. 0.3 for a 30 % cut)")
    partner = spec.get("partner", "carrier")
    if partner not in PARTNERS:
        raise bad("partner", ", ".join(PARTNERS))
    chosen = spec.get("field")
    if chosen is not None and (
        isinstance(chosen, bool) or not isinstance(chosen, int) or not 0 <= chosen < 4
    ):
        raise bad("field", "whole number from 0 to n_fields - 1")
    return Event(month=month, kind=kind, share=float(share), partner=partner, field=chosen)


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


def _resolve(path: Path, visiting: tuple[Path, ...]) -> tuple[_Resolved, dict, str]:
    raw, text = _read(path)
    _check_top(raw, path, text)
    _check_meta(raw["scenario"], path, text)
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
    own_events = [_event(e, k, path, text) for k, e in enumerate(raw.get("events", []))]
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
    resolved = _Resolved(
        values=merged,
        set_by={**parent.set_by, **dict.fromkeys(values, name)},
        events=events,
        chain=[*parent.chain, name],
        field_names=field_names,
    )
    return resolved, raw, text


def load(ref: str, overrides: dict[str, Any] | None = None, where: str = "--set") -> Scenario:
    """Load, check and resolve a scenario; ``overrides`` (from ``--set``) win over the file."""
    path = locate(ref)
    resolved, raw, _ = _resolve(path, (path.resolve(),))
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
    )


def load_all() -> list[Scenario]:
    return [load(name) for name in builtin_names()]
