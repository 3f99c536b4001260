"""Run the model from (scenario, seed) and hand back the monthly indicator table.

Every command that runs the model to the end (run, compare, sweep, patterns, validate,
calibrate) goes through ``run``, so a run is defined in one place: the same scenario,
parameters and seed always give the same table. The dashboard steps the same ``KommuneModel``
month by month.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim.files.actors import ActorList
from sim.indicators import final_values
from sim.mechanisms.events import Event
from sim.model import KommuneModel
from sim.params import Params

INTEGER_INDICATORS = (
    "members",
    "active_administration",
    "active_carriers",
    "active_volunteers",
    "duplicate_structures",
)


@dataclass
class RunResult:
    scenario: str
    seed: int
    params: Params
    events: tuple[Event, ...]
    table: pd.DataFrame  # one row per month, column "month" first
    seconds: float
    exits: dict[str, int] = field(default_factory=dict)
    entries: dict[str, int] = field(default_factory=dict)

    @property
    def months(self) -> int:
        return int(self.table["month"].iloc[-1]) if len(self.table) else 0

    @property
    def final(self) -> dict[str, float]:
        """Every indicator's final value, as comparisons and sweeps define it (the mean of
        the last year, ``sim.indicators.final_values``), so that ``run --json`` and
        ``compare`` report the same number for the same run."""
        return {name: float(value) for name, value in final_values(self.table).items()}

    def as_json(self) -> dict[str, Any]:
        """The one JSON object ``kommune run --json`` prints."""
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "months": self.months,
            "final": self.final,
            "exits": self.exits,
            "entries": self.entries,
        }


def run(
    params: Params,
    seed: int,
    events: tuple[Event, ...] = (),
    scenario: str = "default",
    actors: ActorList | None = None,
) -> RunResult:
    """Run one model for ``params.months`` months (from an actor list's actors, if given)."""
    started = time.perf_counter()
    model = KommuneModel(rng=seed, params=params, events=events, actors=actors)
    model.run_for(params.months)
    table = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    table.insert(0, "month", range(1, len(table) + 1))
    for name in INTEGER_INDICATORS:
        table[name] = table[name].astype(int)
    return RunResult(
        scenario=scenario,
        seed=seed,
        params=params,
        events=tuple(events),
        table=table,
        seconds=time.perf_counter() - started,
        exits=dict(model.exits),
        entries=dict(model.entries),
    )
