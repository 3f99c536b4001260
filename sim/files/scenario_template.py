"""Writing scenario files: the commented template a planner edits, and the JSON Schema
editors use to complete and check them.

Both are generated from the one parameter definition (``sim.params.SPECS``), so a new
parameter appears in templates and in editors without further work.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sim.files.scenario import (
    META_KEYS,
    PARTNERS,
    REQUIRED_META,
    SCENARIO_DIR,
    Scenario,
)
from sim.mechanisms.events import KINDS, KINDS_DE
from sim.params import GROUPS, SPEC_BY_NAME, SPECS

SCHEMA_ID = "https://vernetzte-kommune.invalid/scenario.schema.json"

MONTHS_MAX = SPEC_BY_NAME["months"].high  # an event can fall in any month a run can have


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


def _extends_ref(base: Scenario, target: Path) -> str:
    """How the new file should name its parent: a built-in name, or a relative path."""
    if base.path.parent.resolve() == SCENARIO_DIR.resolve():
        return base.name
    return Path(os.path.relpath(base.path.resolve(), target.parent.resolve())).as_posix()


def template(base: Scenario, name: str, target: Path) -> str:
    """A scenario file that extends ``base`` with every parameter listed, commented out,
    at the value ``base`` gives it, with unit, range and meaning (German first)."""
    p = base.params.model_dump()
    lines = [
        f"# Szenario {name!r} / scenario {name!r}",
        f"# abgeleitet von / based on: {base.name} ({base.title_de})",
        "#",
        "# So geht's: Titel und Beschreibung anpassen, dann bei den Parametern unten das '#'",
        "# vor einer Zeile entfernen und den Wert ändern. Nicht geänderte Werte kommen vom",
        "# Basisszenario. Erlaubte Bereiche stehen hinter jedem Wert.",
        "# How to: adapt title and description, then remove the '#' in front of a parameter",
        "# below and change its value. Values you leave alone come from the base scenario.",
        "#",
        f"#   kommune run {target.name}",
        f"#   kommune compare {base.name} {target.name} --lang de --out vergleich",
        "",
        f"extends = {_toml_value(_extends_ref(base, target))}",
        "",
        "[scenario]",
        f"title_de = {_toml_value('Unsere Kommune: ' + name)}",
        f"title_en = {_toml_value('Our municipality: ' + name)}",
        'description_de = "Beschreiben Sie hier Ihre Kommune und was Sie ändern."',
        'description_en = "Describe your municipality here and what you change."',
        'source = "eigene Kommune / own municipality"',
        "# field_names = "
        + _toml_value(list(base.fields("de")))
        + "   # Namen der Handlungsfelder, je Feld einer / one name per field",
        "",
        "[parameters]",
    ]
    for group in GROUPS:
        lines.append(f"# --- {group} ---")
        for spec in (s for s in SPECS if s.group == group):
            lines.append(f"# {spec.name} = {_toml_value(p[spec.name])}")
            lines.append(f"#     {spec.de} | {spec.allowed()}")
            lines.append(f"#     {spec.en}")
    lines += [
        "",
        "# Ereignisse / events: remove the '#' to schedule one; copy the block for more.",
        "# kind: " + ", ".join(f"{k} ({KINDS_DE[k]})" for k in KINDS),
        "# [[events]]",
        "# month = 49          # wirkt ab Beginn dieses Monats / from the start of this month",
        '# kind = "coordinator_ends"',
        "# share = 0.3                 # nur funding_cut: gekürzter Anteil / share cut",
        '# partner = "volunteer"       # nur new_partner: carrier oder volunteer',
        "",
    ]
    if base.events:
        lines.insert(
            lines.index("[parameters]") - 1,
            "# Vom Basisszenario geerbte Ereignisse / events inherited from the base: "
            + "; ".join(f"month {e.month} {e.kind}" for e in base.events),
        )
    return "\n".join(lines)


def _parameter_schema(spec) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "description": f"{spec.en} / {spec.de} [{spec.unit}]",
        "default": spec.default,
    }
    if spec.choices:
        entry["enum"] = list(spec.choices)
        entry["type"] = "string"
    elif isinstance(spec.default, bool):
        entry["type"] = "boolean"
    else:
        entry["type"] = "integer" if isinstance(spec.default, int) else "number"
        entry["minimum"] = spec.low
        entry["maximum"] = spec.high
    return entry


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a scenario file."""
    text = {"type": "string", "minLength": 1}
    meta_props = {key: dict(text) for key in META_KEYS if key != "field_names"}
    meta_props["field_names"] = {
        "type": "array",
        "items": text,
        "minItems": 1,
        "maxItems": 4,
        "description": "Labels of the fields, one per field",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Vernetzte Kommune scenario",
        "type": "object",
        "additionalProperties": False,
        "required": ["scenario"],
        "properties": {
            "extends": {
                "type": "string",
                "description": "Parent scenario: a built-in name or a path relative to this file",
            },
            "scenario": {
                "type": "object",
                "additionalProperties": False,
                "required": list(REQUIRED_META),
                "properties": meta_props,
            },
            "parameters": {
                "type": "object",
                "additionalProperties": False,
                "properties": {s.name: _parameter_schema(s) for s in SPECS},
            },
            "events": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["month", "kind"],
                    "properties": {
                        "month": {"type": "integer", "minimum": 1, "maximum": MONTHS_MAX},
                        "kind": {"enum": list(KINDS)},
                        "share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                        "partner": {"enum": list(PARTNERS)},
                        "field": {"type": "integer", "minimum": 0, "maximum": 3},
                    },
                },
            },
        },
    }
