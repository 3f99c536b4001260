"""What a scenario file may hold, as pydantic models: the one definition of its keys, their
types, defaults and limits. The loader (``sim.files.scenario``) checks files against them
and turns pydantic's report into the project's one-line messages (file, line, key,
allowed values, "did you mean"); ``json_schema`` generates the JSON Schema editors use
(``kommune scenarios schema``) from the same models and from the parameter table's own
model (``sim.params.Params``), so the two cannot disagree.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sim.mechanisms.events import CUT_SHARE, KINDS, PARTNERS
from sim.params import SPEC_BY_NAME, Params

MONTHS_MAX = int(SPEC_BY_NAME["months"].high)  # an event can fall in any month a run can have
FIELDS_MAX = int(SPEC_BY_NAME["n_fields"].high)
SCHEMA_ID = "https://vernetzte-kommune.invalid/scenario.schema.json"

Text = Annotated[str, Field(pattern=r"\S")]  # not empty, not only spaces
Kind = Literal[KINDS]  # the events module's lists, not copies of them
Partner = Literal[PARTNERS]


class _Strict(BaseModel):
    # files have types: "80" is text where a number belongs, 1 is no true
    model_config = ConfigDict(extra="forbid", strict=True)


class Meta(_Strict):
    """The [scenario] table: what the scenario is called and what it stands for."""

    title_de: Text = Field(description="German title (required)")
    title_en: Text = Field(description="English title (required)")
    description_de: str = Field("", description="What the scenario shows, in German")
    description_en: str = Field("", description="What the scenario shows, in English")
    source: str = Field("", description="The seed passage or source it stands for")
    field_names: list[Text] | None = Field(
        None, min_length=1, max_length=FIELDS_MAX, description="Labels of the fields, one per field"
    )


class EventEntry(_Strict):
    """One [[events]] table: something that happens to the network in a given month."""

    month: int = Field(ge=1, le=MONTHS_MAX, description="Month of the run it happens in")
    kind: Kind = Field(description="What happens")
    share: float = Field(
        CUT_SHARE, gt=0, le=1, description="funding_cut only: share of the budget cut"
    )
    partner: Partner = Field("carrier", description="new_partner only: which kind joins")
    field: int | None = Field(
        None,
        ge=0,
        le=FIELDS_MAX - 1,
        description="new_partner only: which field (from 0; none: a random one)",
    )


class ScenarioFile(_Strict):
    """A scenario file. Its [parameters] are the parameter table's (``Params``): checked
    there, key by key, with the table's messages."""

    extends: str | None = Field(
        None, description="Parent scenario: a built-in name or a path relative to this file"
    )
    scenario: Meta
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Only what differs from the parent or the defaults"
    )
    events: list[EventEntry] = Field(default_factory=list)


TOP_KEYS = tuple(ScenarioFile.model_fields)
META_KEYS = tuple(Meta.model_fields)
REQUIRED_META = tuple(k for k, f in Meta.model_fields.items() if f.is_required())
EVENT_KEYS = tuple(EventEntry.model_fields)


def _parameters_schema() -> dict[str, Any]:
    """The [parameters] table: every parameter with its description, unit, default and
    limits, from the parameter model; none required (a file changes what it names)."""
    properties = {}
    for name, entry in Params.model_json_schema()["properties"].items():
        spec = SPEC_BY_NAME[name]
        entry = {k: v for k, v in entry.items() if k not in ("title", "group", "source")}
        entry["description"] = f"{spec.en} / {spec.de} [{spec.unit}]"
        entry.pop("de", None)
        entry.pop("unit", None)
        properties[name] = entry
    return {"type": "object", "additionalProperties": False, "properties": properties}


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a scenario file, generated from the models."""
    schema = ScenarioFile.model_json_schema()
    schema["properties"]["parameters"] = _parameters_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Vernetzte Kommune scenario",
        **{k: v for k, v in schema.items() if k != "title"},
    }
