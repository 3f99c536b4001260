"""Writing scenario files: the commented template a planner edits, and the JSON Schema
editors use to complete and check them (generated from the file models: see
``sim.files.models.json_schema``).

Both come from the one parameter definition (``sim.params.SPECS``) and the file models, so
a new parameter or event key appears in templates and in editors without further work.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sim.files.scenario import SCENARIO_DIR, Scenario
from sim.mechanisms.events import CUT_SHARE, KINDS, KINDS_DE
from sim.params import GROUPS, SPECS


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
        f"# share = {CUT_SHARE:<21} # nur funding_cut: gekürzter Anteil / share cut",
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
