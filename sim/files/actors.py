"""Actor lists: the real network a planner works with, as a table (CSV or Excel).

One row per actor (Akteur)::

    Name;Art;Felder;Stunden;Partner;Steuerungsgruppe
    Jugendamt;Verwaltung;Jugend/Familie;40;Familienzentrum Nord;ja
    Familienzentrum Nord;Träger;Familie;80;Jugendamt/Sprachtreff;ja
    Sprachtreff;Ehrenamt;Jugend;8;;nein

- ``Name`` (name): unique;
- ``Art`` (kind): Verwaltung, Träger, Ehrenamt (administration, carrier, volunteer);
- ``Felder`` (fields): the fields it works in, by the scenario's field names or numbers
  1..n_fields, separated by "/" (a volunteer initiative one, a carrier one or two, a
  department any);
- ``Stunden`` (hours): hours per month it has for the network's work (its capacity);
- ``Partner`` (partners, optional): who it already works with, by name, separated by "/";
  where the column is filled, these partnerships are the network's ties at the start
  (instead of ties drawn at random);
- ``Steuerungsgruppe`` (steering, optional): ja/nein; where marked, these actors hold the
  steering group's seats (instead of the rule in ``KommuneModel._steering_seats``);
- ``Arbeitsgruppen`` (working_groups, optional): the working groups it sits in, by name,
  separated by "/". Each is a row of its own of kind ``Arbeitsgruppe`` (working group)
  with one field and, in column ``Intervall`` (interval), the months between its meetings
  (empty: ``working_group_interval``); where groups are defined, they are the working
  groups at the founding (instead of ``Bodies.create``'s rule).

English headers and kinds work too. Everything else about an actor (goals, motivation,
reciprocity, a carrier's dependency on funding, ...) is drawn from the parameters, as for
actors drawn from counts, reproducibly from the seed. Every row is checked before any is
used; a problem is one line naming the file, the row, the column and what is allowed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.files.tables import number_in, read_rows
from sim.params import SPEC_BY_NAME, ParameterError

KINDS = {  # as written (lower case) -> the model's kind
    "verwaltung": "administration",
    "administration": "administration",
    "träger": "carrier",
    "traeger": "carrier",
    "carrier": "carrier",
    "ehrenamt": "volunteer",
    "volunteer": "volunteer",
    "arbeitsgruppe": "group",  # not an actor: a working group the actors name
    "working group": "group",
    "working_group": "group",
}
KIND_DE = {"administration": "Verwaltung", "carrier": "Träger", "volunteer": "Ehrenamt"}
COLUMNS = {  # column -> the headers that name it (lower case)
    "name": ("name",),
    "kind": ("art", "kind"),
    "fields": ("felder", "fields", "feld", "field"),
    "hours": ("stunden", "hours"),
    "partners": ("partner", "partners"),
    "steering": ("steuerungsgruppe", "steering"),
    "groups": ("arbeitsgruppen", "working_groups", "working groups"),
    "interval": ("intervall", "interval"),
}
REQUIRED = ("name", "kind", "fields", "hours")
HEADERS_DE = (
    "Name",
    "Art",
    "Felder",
    "Stunden",
    "Partner",
    "Steuerungsgruppe",
    "Arbeitsgruppen",
    "Intervall",
)
HEADERS_EN = (
    "name",
    "kind",
    "fields",
    "hours",
    "partners",
    "steering",
    "working_groups",
    "interval",
)
YES = {"ja", "yes", "x", "1", "true", "wahr"}
NO = {"nein", "no", "", "0", "false", "falsch"}
HOURS = {  # the parameter whose range bounds an actor's hours, per kind
    "administration": "administration_hours",
    "carrier": "carrier_hours",
    "volunteer": "volunteer_hours_max",
}
MAX_FIELDS = {"administration": None, "carrier": 2, "volunteer": 1}
COUNTS = {
    "administration": "n_administration",
    "carrier": "n_carriers",
    "volunteer": "n_volunteers",
}
FIXED = (*COUNTS.values(), "n_fields")
"""What an actor list fixes: the counts it gives, and the fields it was read against; no
child scenario, --set, sweep factor or optimisation lever may change them."""
SEPARATOR = re.compile(r"\s*[/|]\s*")


class ActorListError(ParameterError):
    """An actor list that cannot be used, phrased as one line for the user."""


@dataclass(frozen=True)
class ActorRow:
    name: str
    kind: str  # administration, carrier, volunteer
    fields: tuple[int, ...]  # 0-based
    hours: float
    partners: tuple[str, ...]
    steering: bool
    groups: tuple[str, ...] = ()  # the working groups it sits in (by name)


@dataclass(frozen=True)
class GroupRow:
    """A working group the list defines (a row of kind Arbeitsgruppe): its field and how
    often it meets; its members are the actors that name it."""

    name: str
    field: int  # 0-based
    interval: float | None  # months between meetings; None: working_group_interval


@dataclass(frozen=True)
class ActorList:
    """The actors of a real network, checked; ``digest`` identifies the content."""

    path: Path
    rows: tuple[ActorRow, ...]
    has_partners: bool  # the Partner column is filled somewhere: ties from it
    has_steering: bool  # someone is marked for the steering group: seats from it
    digest: str
    groups: tuple[GroupRow, ...] = ()  # working groups the list defines: bodies from it

    def members_of(self, group: str) -> list[str]:
        return [r.name for r in self.rows if group in r.groups]

    def of_kind(self, kind: str) -> list[ActorRow]:
        return [r for r in self.rows if r.kind == kind]

    def counts(self) -> dict[str, int]:
        """The parameter values the list fixes: how many actors of each kind."""
        return {COUNTS[kind]: len(self.of_kind(kind)) for kind in COUNTS}

    def check(self, values: dict[str, Any]) -> None:
        """Parameters a model built from this list must have: its counts, and enough fields
        for the fields it names."""
        for name, count in self.counts().items():
            if values[name] != count:
                raise ActorListError(
                    f"{name} = {values[name]} does not match the actor list {self.path.name} "
                    f"({count}); the list gives it"
                )
        needed = 1 + max(f for r in self.rows for f in r.fields)
        if values["n_fields"] < needed:
            raise ActorListError(
                f"n_fields = {values['n_fields']} is fewer than the {needed} fields the actor "
                f"list {self.path.name} names"
            )

    def partnerships(self) -> list[tuple[str, str]]:
        """Every named partnership once (either side may name it)."""
        pairs = {tuple(sorted((r.name, p))) for r in self.rows for p in r.partners}
        return sorted(pairs)

    def record(self) -> dict[str, Any]:
        return {"file": str(self.path), "actors": len(self.rows), "digest": self.digest}


def _header(cells: list, path: Path, row: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for k, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip().lower()
        if not text:
            continue
        column = next((c for c, names in COLUMNS.items() if text in names), None)
        if column is None:
            raise ActorListError(
                f"{path}, row {row}: unknown column '{cell}'; allowed: "
                f"{', '.join(HEADERS_DE)} (or {', '.join(HEADERS_EN)})"
            )
        if column in found:
            raise ActorListError(f"{path}, row {row}: column '{cell}' appears twice")
        found[column] = k
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        names = ", ".join(HEADERS_DE[list(COLUMNS).index(c)] for c in missing)
        raise ActorListError(
            f"{path}, row {row}: the header lacks {names}; the first row names the columns "
            f"{', '.join(HEADERS_DE[:4])} (optional: Partner, Steuerungsgruppe)"
        )
    return found


def _field(text: str, names: tuple[tuple[str, ...], ...], where: str) -> int:
    """A field by one of its names (``names[k]``: the names of field k) or its number."""
    lowered = {name.lower(): k for k, aliases in enumerate(names) for name in aliases}
    if text.lower() in lowered:
        return lowered[text.lower()]
    if text.isdigit() and 1 <= int(text) <= len(names):
        return int(text) - 1
    shown = ", ".join(aliases[0] for aliases in names)
    raise ActorListError(
        f"{where}: unknown field '{text}'; allowed: {shown} (or the numbers 1 to {len(names)})"
    )


def _row(cells: list, columns: dict[str, int], comma: bool, names: tuple, where) -> ActorRow:
    """One actor; ``names[k]`` are the names field k may be given by."""

    def cell(column: str) -> Any:
        k = columns.get(column)
        return None if k is None or k >= len(cells) else cells[k]

    def text(column: str) -> str:
        value = cell(column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()

    name = text("name")
    if not name:
        raise ActorListError(f"{where('Name')}: the name is empty; every actor needs one")
    raw_kind = text("kind")
    kind = KINDS.get(raw_kind.lower())
    if kind is None:
        raise ActorListError(
            f"{where('Art')}: '{raw_kind}' is not allowed; allowed: Verwaltung, Träger, "
            "Ehrenamt, Arbeitsgruppe (or administration, carrier, volunteer, working group)"
        )
    parts = [p for p in SEPARATOR.split(text("fields")) if p]
    if not parts:
        raise ActorListError(f"{where('Felder')}: no field; name at least one")
    fields = tuple(_field(p, names, where("Felder")) for p in parts)
    if kind == "group":
        return _group(name, fields, cell("interval"), text("interval"), comma, where)
    if len(set(fields)) != len(fields):
        raise ActorListError(f"{where('Felder')}: a field is named twice")
    most = MAX_FIELDS[kind]
    if most is not None and len(fields) > most:
        raise ActorListError(
            f"{where('Felder')}: {KIND_DE[kind]} '{name}' works in {len(fields)} fields; "
            f"allowed: at most {most}"
        )
    hours = _hours(number_in(cell("hours"), comma), text("hours"), kind, where)
    partners = tuple(p for p in SEPARATOR.split(text("partners")) if p)
    steering = text("steering").lower()
    if steering not in YES | NO:
        raise ActorListError(
            f"{where('Steuerungsgruppe')}: '{text('steering')}' is not allowed; allowed: "
            "ja or nein (or yes, no; empty means no)"
        )
    groups = tuple(g for g in SEPARATOR.split(text("groups")) if g)
    return ActorRow(name, kind, fields, float(hours), partners, steering in YES, groups)


def _hours(hours: float | None, shown: str, kind: str, where) -> float:
    """An actor's hours per month for the network, within its kind's range."""
    spec = SPEC_BY_NAME[HOURS[kind]]
    low = 0.0 if kind == "administration" else 0.5
    if hours is None or not low < hours <= spec.high:
        raise ActorListError(
            f"{where('Stunden')}: '{shown}' is not allowed; allowed: a number of "
            f"hours per month above {low:g}, at most {spec.high:g} for {KIND_DE[kind]}"
        )
    return hours


def _group(name: str, fields: tuple, raw: Any, shown: str, comma: bool, where) -> GroupRow:
    if len(fields) != 1:
        raise ActorListError(
            f"{where('Felder')}: Arbeitsgruppe '{name}' works in {len(fields)} fields; "
            "allowed: exactly 1"
        )
    spec = SPEC_BY_NAME["working_group_interval"]
    interval = None if shown == "" else number_in(raw, comma)
    if shown != "" and (interval is None or not spec.low <= interval <= spec.high):
        raise ActorListError(
            f"{where('Intervall')}: '{shown}' is not allowed; allowed: months between the "
            f"group's meetings, from {spec.low:g} to {spec.high:g} (empty: "
            f"working_group_interval)"
        )
    return GroupRow(name, fields[0], interval)


def load_actors(path: Path, names: tuple[tuple[str, ...], ...]) -> ActorList:
    """Read and check an actor list against the scenario's fields (``names[k]``: the names
    field k may be given by)."""
    if not path.is_file():
        raise ActorListError(f"{path}: no such actor list")
    rows, comma = read_rows(path, ActorListError, "an actor list")
    if not rows:
        raise ActorListError(
            f"{path}: no rows; the first row names the columns {', '.join(HEADERS_DE[:4])}"
        )
    header_row, header = rows[0]
    columns = _header(header, path, header_row)
    actors: list[ActorRow] = []
    for n, cells in rows[1:]:

        def where(column: str, n=n) -> str:
            return f"{path}, row {n}, column {column}"

        actors.append(_row(cells, columns, comma, names, where))
    groups = [a for a in actors if isinstance(a, GroupRow)]
    numbered = [
        (a, row) for a, row in zip(actors, rows[1:], strict=True) if isinstance(a, ActorRow)
    ]
    actors = [a for a, _ in numbered]
    if not actors:
        raise ActorListError(f"{path}: no actors below the header")
    _check_whole(actors, [row for _, row in numbered], path)
    _check_groups(groups, numbered, path)
    text = repr([r.__dict__ for r in (*actors, *groups)])
    return ActorList(
        path=path,
        rows=tuple(actors),
        has_partners=any(r.partners for r in actors),
        has_steering=any(r.steering for r in actors),
        digest=hashlib.sha256(text.encode()).hexdigest()[:16],
        groups=tuple(groups),
    )


def _check_groups(groups: list[GroupRow], numbered: list, path: Path) -> None:
    """Every group an actor names is defined by a row of kind Arbeitsgruppe, once, and
    has at least two members (joint work takes two)."""
    defined = {g.name for g in groups}
    if len(defined) != len(groups):
        raise ActorListError(f"{path}: an Arbeitsgruppe is defined twice")
    for actor, (n, _) in numbered:
        for group in actor.groups:
            if group not in defined:
                raise ActorListError(
                    f"{path}, row {n}, column Arbeitsgruppen: '{group}' is not defined; "
                    "allowed: the names of rows of kind Arbeitsgruppe"
                    + (f" ({', '.join(sorted(defined))})" if defined else " (there are none)")
                )
    for group in groups:
        members = sum(group.name in a.groups for a, _ in numbered)
        if members < 2:
            raise ActorListError(
                f"{path}: Arbeitsgruppe '{group.name}' has {members} member(s); a working "
                "group needs at least 2 (name it in their column Arbeitsgruppen)"
            )


def _check_whole(actors: list[ActorRow], rows: list, path: Path) -> None:
    """What only the whole list can tell: unique names, partners that exist, enough actors."""
    seen: dict[str, int] = {}
    for actor, (n, _) in zip(actors, rows, strict=True):
        if actor.name in seen:
            raise ActorListError(
                f"{path}, row {n}, column Name: '{actor.name}' appears twice (also row "
                f"{seen[actor.name]}); every actor needs its own name"
            )
        seen[actor.name] = n
    for actor, (n, _) in zip(actors, rows, strict=True):
        for partner in actor.partners:
            if partner not in seen:
                raise ActorListError(
                    f"{path}, row {n}, column Partner: '{partner}' is not in the list; "
                    "allowed: the names in column Name"
                )
            if partner == actor.name:
                raise ActorListError(
                    f"{path}, row {n}, column Partner: '{actor.name}' names itself"
                )
    if not any(a.kind == "carrier" for a in actors):
        raise ActorListError(f"{path}: no Träger (carrier); a network needs at least one")
    if not any(a.kind == "administration" for a in actors):
        raise ActorListError(
            f"{path}: no Verwaltung (administration); a network needs at least one department"
        )


def template(lang: str = "de") -> str:
    """An actor list to fill in (CSV, separated by ';' as German Excel reads it)."""
    if lang == "de":
        rows = [
            ";".join(HEADERS_DE),
            "Jugendamt;Verwaltung;1/2;40;Familienzentrum Nord;ja;AG Familie;",
            "Familienzentrum Nord;Träger;2;80;Jugendamt/Sprachtreff;ja;AG Familie;",
            "Jugendhilfe Süd;Träger;1;60;;nein;;",
            "Sprachtreff;Ehrenamt;1;8;Familienzentrum Nord;nein;AG Familie;",
            "AG Familie;Arbeitsgruppe;2;;;;;1",
        ]
    else:
        rows = [
            ";".join(HEADERS_EN),
            "Youth office;administration;1/2;40;Family centre North;yes;Family group;",
            "Family centre North;carrier;2;80;Youth office/Language café;yes;Family group;",
            "Youth services South;carrier;1;60;;no;;",
            "Language café;volunteer;1;8;Family centre North;no;Family group;",
            "Family group;working group;2;;;;;1",
        ]
    return "\n".join(rows) + "\n"


def template_xlsx(lang: str = "de") -> bytes:
    """``template`` as an Excel workbook (numbers as numbers, so Excel shows no warnings)."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in template(lang).splitlines():
        sheet.append([float(c) if c.isdigit() else c for c in line.split(";")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
