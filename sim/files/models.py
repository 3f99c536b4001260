"""What scenario and experiment files may hold, as pydantic models: the one definition of
their keys, types, defaults and limits. The loaders (``sim.files.scenario``,
``sim.files.experiment``) check files against them and turn pydantic's report into the
project's one-line messages (file, line, key, allowed values, "did you mean");
``json_schema`` generates the JSON Schema editors use (``kommune scenarios schema``) from
the same models and from the parameter table's own model (``sim.params.Params``), so the
two cannot disagree.

A field's ``description`` is what a message calls allowed, so it is written for a reader
("whole number from 1 to 10000"), and it is what an editor shows beside the key.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sim.indicators import INDICATORS
from sim.mechanisms.events import CUT_SHARE, PARTNERS, SHOCKS, Kind
from sim.params import SPEC_BY_NAME, SPECS, Params

MONTHS_MAX = int(SPEC_BY_NAME["months"].high)  # an event can fall in any month a run can have
FIELDS_MAX = int(SPEC_BY_NAME["n_fields"].high)
SCHEMA_ID = "https://vernetzte-kommune.invalid/scenario.schema.json"
EXPERIMENT_SCHEMA_ID = "https://vernetzte-kommune.invalid/experiment.schema.json"

Text = Annotated[str, Field(pattern=r"\S")]  # not empty, not only spaces

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
    actors: Text | None = Field(
        None,
        description="The network's actors as a list (.csv or .xlsx, a path relative to this "
        "file): kind, fields, hours, partners and steering seats of each",
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
    levers: dict[str, float] | None = Field(
        None,
        min_length=1,
        description="levers only: live levers and their values from this month, "
        "e.g. { eye_level = 0.9 } (kommune params: the levers that can move)",
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


# --- experiment files ---------------------------------------------------------------------
DESIGNS = ("factorial", "lhs", "sobol", "morris")
ANALYSES = ("sensitivity", "grid", "governance", "sustainability")
ANALYSIS_KEYS = {  # [analysis] keys beyond kind, outcome and threshold, per kind
    "sensitivity": (),
    "grid": ("x", "y"),  # the factors on the heat map's axes
    "governance": ("size", "trust", "consensus", "competence"),  # contingency -> factor
    "sustainability": (),
}
RECORDS = ("final", "monthly")
MAX_STEPS = 1000  # values of one factor in a factorial grid
EVENT_FACTORS = {f"{kind}_month": kind for kind in SHOCKS}  # 0: the event does not happen
CUT_SHARE_FACTOR = "funding_cut_share"
FACTOR_KEYS = ("range", "levels", "steps")
SEED_MAX = 2**63 - 1  # numpy's SeedSequence takes any; a TOML integer stops here
DESIGN_SEED_MAX = 2**32 - 1  # SALib's samplers seed numpy's legacy generator


def _whole(low: int, high: int, text: str | None = None) -> str:
    return f"whole number from {low} to {text or high}"


def numeric_parameters() -> tuple:
    """What ``[factors] all = "numeric"`` varies: every parameter that is a number or a whole
    number, except the run group (months, spinup_months), in the order of ``SPECS``."""
    return tuple(s for s in SPECS if s.group != "run" and not s.choices and s.kind in (int, float))


class RunMeta(_Strict):
    """What every file that runs a scenario many times begins with (an experiment's,
    a calibration's, an optimisation's first table): its title, base scenario and length."""

    title: Text = Field(description="text in quotes (required)")
    description: str = Field("", description="text in quotes")
    scenario: str = Field("default", description="a scenario name or the path of a .toml file")
    months: int | None = Field(
        None, ge=1, le=MONTHS_MAX, description=_whole(1, MONTHS_MAX) + " (default: the scenario's)"
    )


class ExperimentMeta(RunMeta):
    """The [experiment] table: the base scenario, its length, replications and seeds."""

    replications: int = Field(1, ge=1, le=10_000, description=_whole(1, 10_000))
    seed: int = Field(0, ge=0, le=SEED_MAX, description=_whole(0, SEED_MAX, "2^63 - 1"))
    record: Literal[RECORDS] = Field(
        "final", description="final (each indicator's last-year mean), monthly (every `every`)"
    )
    every: int = Field(12, ge=1, le=MONTHS_MAX, description=_whole(1, MONTHS_MAX))
    retries: int = Field(2, ge=0, le=100, description=_whole(0, 100))


class DesignSpec(_Strict):
    """The [design] table: which points of the factors' space are run."""

    kind: Literal[DESIGNS] = Field("factorial", description=", ".join(DESIGNS))
    samples: int = Field(
        16,
        ge=1,
        le=1_000_000,
        description=_whole(1, 1_000_000) + " (lhs: points; sobol: N, a power of 2; "
        "morris: trajectories)",
    )
    seed: int = Field(0, ge=0, le=DESIGN_SEED_MAX, description=_whole(0, DESIGN_SEED_MAX))
    levels: int = Field(4, ge=2, le=100, description=_whole(2, 100) + " (morris: grid levels)")


class FactorSpec(_Strict):
    """One factor: a range (sampled continuously, or in `steps` for a factorial design) or
    levels (sampled as categories). Its bounds are the parameter's own."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"anyOf": [{"required": ["range"]}, {"required": ["levels"]}]},
    )

    range: list[float] | None = Field(
        None, min_length=2, max_length=2, description="[low, high] within the parameter's range"
    )
    levels: list[Any] | None = Field(None, min_length=1, description="a non-empty list of values")
    steps: int | None = Field(None, ge=2, le=MAX_STEPS, description=_whole(2, MAX_STEPS))


class AnalysisSpec(_Strict):
    """The [analysis] table, checked before the sweep so a typo is found before hours of runs."""

    kind: Literal[ANALYSES] = Field("sensitivity", description=", ".join(ANALYSES))
    outcome: Literal[tuple(INDICATORS)] = Field("effectiveness", description=", ".join(INDICATORS))
    threshold: float = Field(
        0.0,
        allow_inf_nan=False,
        description="a number (the outcome level a network must reach)",
    )
    x: str | None = Field(None, description="a factor (grid: the heat map's x axis)")
    y: str | None = Field(None, description="a factor (grid: the heat map's y axis)")
    size: str | None = Field(None, description="a factor, '-' before it if low values favour")
    trust: str | None = Field(None, description="a factor, '-' before it if low values favour")
    consensus: str | None = Field(None, description="a factor, '-' before it if low values favour")
    competence: str | None = Field(None, description="a factor, '-' before it if low values favour")


class ExperimentFile(_Strict):
    """An experiment file. [factors] maps factor names to a range or levels (see
    ``FactorSpec``), or says ``all = "numeric"`` with an optional ``exclude`` list."""

    experiment: ExperimentMeta
    design: DesignSpec = Field(default_factory=DesignSpec)
    factors: dict[str, Any] = Field(description="factor name -> { range } or { levels }")
    analysis: AnalysisSpec = Field(default_factory=AnalysisSpec)


EXPERIMENT_TOP_KEYS = tuple(ExperimentFile.model_fields)


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


def experiment_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of an experiment file, generated from the models; the
    factor names are the parameters, the events' months and the funding cut's share."""
    schema = ExperimentFile.model_json_schema()
    schema["$defs"]["FactorSpec"] = FactorSpec.model_json_schema()
    numeric = [s.name for s in numeric_parameters()]
    names = [*SPEC_BY_NAME, *EVENT_FACTORS, CUT_SHARE_FACTOR]
    schema["properties"]["factors"] = {
        "type": "object",
        "description": ExperimentFile.model_fields["factors"].description,
        "minProperties": 1,
        "propertyNames": {"enum": [*names, "all", "exclude"]},
        "properties": {
            "all": {"const": "numeric", "description": "every numeric parameter, whole range"},
            "exclude": {"type": "array", "items": {"enum": numeric}},
        },
        "additionalProperties": {"$ref": "#/$defs/FactorSpec"},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": EXPERIMENT_SCHEMA_ID,
        "title": "Vernetzte Kommune experiment",
        **{k: v for k, v in schema.items() if k != "title"},
    }
