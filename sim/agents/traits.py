"""The actors' traits, drawn from the parameters when the network is founded and when a
newcomer joins: goals, reciprocity, motivation, fields, hours and sensitivities.

Shares are drawn from Beta distributions with the parameter as mean and
``trait_concentration`` as concentration, hours from log-normals; every draw comes from
the model's generator, in a fixed order, so a run is reproducible from its seed.
"""

from __future__ import annotations

import math

import numpy as np

from sim.mechanisms.cooperation import draw_slope
from sim.params import Params


def beta(rng: np.random.Generator, p: Params, mean: float, n: int) -> np.ndarray:
    """n draws in [0, 1] with the given mean (Beta with ``trait_concentration``)."""
    if mean <= 0.0 or mean >= 1.0:
        return np.full(n, float(mean))
    c = p.trait_concentration
    return rng.beta(c * mean, c * (1.0 - mean), n)


def goals(rng: np.random.Generator, p: Params, n: int) -> list[np.ndarray]:
    """Goal positions around the centre of the goal space, ``goal_heterogeneity`` apart."""
    spread = p.goal_heterogeneity
    raw = rng.random((n, p.goal_dimensions))
    return list(0.5 + spread * (raw - 0.5))


def slopes(rng: np.random.Generator, p: Params, n: int) -> list[float]:
    """How closely each actor matches the effort it expects of others (reciprocity)."""
    return [draw_slope(rng, p.reciprocity, p.trait_concentration) for _ in range(n)]


def motivations(rng: np.random.Generator, p: Params, n: int) -> np.ndarray:
    return beta(rng, p, p.initial_motivation, n)


def carrier_fields(
    rng: np.random.Generator, p: Params, n: int, start: int = 0
) -> list[tuple[int, ...]]:
    """Carriers spread over the fields in turn from ``start``; ``multi_field_share`` of them
    serve a second field too."""
    nf = p.n_fields
    fields = []
    for i in range(n):
        first = (start + i) % nf
        if nf > 1 and rng.random() < p.multi_field_share:
            fields.append((first, (first + 1 + int(rng.integers(nf - 1))) % nf))
        else:
            fields.append((first,))
    return fields


def carrier_traits(rng: np.random.Generator, p: Params, n: int) -> dict:
    sigma = p.carrier_hours_spread
    return dict(
        capacity=rng.lognormal(math.log(p.carrier_hours) - sigma**2 / 2, sigma, n),
        overlap=beta(rng, p, p.competition_intensity, n),
        dependency=beta(rng, p, p.funding_dependency, n),
        sensitivity=beta(rng, p, p.carrier_sensitivity, n),
    )


def volunteer_traits(rng: np.random.Generator, p: Params, n: int) -> dict:
    hours = rng.lognormal(math.log(p.volunteer_hours), p.volunteer_hours_spread, n)
    return dict(
        capacity=np.minimum(hours, p.volunteer_hours_max),
        sensitivity=beta(rng, p, p.volunteer_sensitivity, n),
    )
