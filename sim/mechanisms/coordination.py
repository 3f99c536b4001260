"""Coordinator effort: seven tasks, per field, with diminishing returns.

Each month the coordinator (or, under shared governance, the members together) splits its
hours over seven tasks, and six of them over the fields (Handlungsfelder) as well: the
coordinator works "in den einzelnen Bereichen" [001]. A task's effect in a field saturates
with the hours put in there:

    effect[t, f] = 1 - exp(-quality[t] * hours[t, f] / load[t, f])

``load`` is the hours a task needs in a field for about two thirds of its full effect; it
grows with what there is to coordinate there (members, bodies, working groups), so the
same coordinator does less per member in a bigger network. ``quality`` is competence times
mandate, or under shared governance what members' trust and consensus make of an hour
(``sim.mechanisms.governance``). The exponential gives the diminishing returns: the first hours of
contact maintenance in a field matter most, the fortieth hardly at all.

=============  =========================  ========================================  ==========
task           German                     effect in the model (in its field)        source
=============  =========================  ========================================  ==========
contact        Kontaktpflege              ties fade slower                          [002] Th.2
translation    Vorteilsübersetzung        raises perceived benefit, most for those  [001]
                                          who gain least
moderation     Moderation                 openness: defuses competition, widens     [002] Th.1
                                          goal tolerance, shields eye level
transparency   Transparenz                finds duplicate bodies for the steering   [001]
                                          group to merge
onboarding     Netzwerkerweiterung        attracts and binds newcomers (whole       [002] Th.2,
                                          network)                                  [003]
roles          Rollenklärung              role clarity: less friction in mixed      [003]
                                          groups, less overload for volunteers
monitoring     Wirkungsorientierung       joint work aims at unmet complex and      [000]
                                          hard-to-reach need instead of drifting
                                          to what is easy
=============  =========================  ========================================  ==========

Three tasks build routines rather than acting only while they are done: open talk
(moderation), clear roles and impact orientation (monitoring) settle in over
``routine_memory`` months of work and fade as slowly once nobody maintains them [002 These 2
"Pflege des Netzwerkes ist notwendig"], more slowly still in a persistent network that
keeps its goals in view [003 Durchhaltevermögen: "sich diese immer wieder vor Augen
führt"]; ``ROUTINES`` holds them (``sim.model`` keeps the stock).

Every task gets the same share of the hours: the seven tasks are the job. The coordinator
is a probe that learns where the shoe pinches [001]: it puts a task's hours into the
fields where they relieve the most pinching, i.e. it maximises the pinch-weighted effect

    sum over fields of pinch[t, f] * (1 - exp(-quality * hours[t, f] / load[t, f]))

for each task. With diminishing returns the optimum fills the most pressing field first
and spreads as hours grow ("water-filling"):

    hours[t, f] = max(0, load / quality * ln(pinch * quality / (load * lambda_t)))

with lambda_t set so that the task's hours add up. An "equal" split of each task's hours by
the fields' loads was a parameter (``allocation``) until measurement showed it makes no
difference beyond seed noise anywhere (ODD 9): the loads already follow most problems'
size, and the probe moves hours only between fields, not between tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.params import Params

TASKS = (
    "contact",
    "translation",
    "moderation",
    "transparency",
    "onboarding",
    "roles",
    "monitoring",
)

NETWORK_WIDE = ("onboarding",)
"""Tasks done for the network as a whole; the others are done field by field."""

ROUTINES = ("moderation", "roles", "monitoring")
"""Tasks whose effect is a routine that settles in and fades over ``routine_memory``."""


@dataclass(frozen=True)
class FieldSituation:
    """What a coordinator can see of one field at the start of a month (last month's)."""

    members: float  # a member of two fields counts half in each
    bodies: float  # working groups, plus the field's share of the steering group
    working_groups: int
    duplicates: int
    trust: float
    benefit: float
    pressure: float
    consensus: float
    cooperation: float
    joint_coverage: float
    output: float = 0.0  # joint output of the field's working groups
    mix: float = 0.0  # output-weighted diversity of those groups (0..1)
    openness: float = 0.0  # last month's routines ...
    clarity: float = 0.0
    targeting: float = 0.0


@dataclass(frozen=True)
class Situation:
    fields: tuple[FieldSituation, ...]
    trust: float  # network-wide: shared governance's quality, an office's acceptance
    consensus: float


def loads(s: Situation, p: Params) -> dict[str, np.ndarray]:
    """Hours each task needs in each field for about two thirds of its full effect."""
    f = s.fields
    per = {
        "contact": [p.load_contact * x.members for x in f],
        "translation": [p.load_translation * x.members for x in f],
        "moderation": [p.load_moderation * x.bodies for x in f],
        "transparency": [p.load_transparency * x.bodies for x in f],
        "roles": [p.load_roles * x.working_groups for x in f],
        "monitoring": [p.load_monitoring for _ in f],
        "onboarding": [p.load_onboarding],
    }
    return {t: np.asarray(per[t], dtype=float) for t in TASKS}


def _relative(values: list[float]) -> list[float]:
    top = max(values) if values else 0.0
    return [v / top if top > 0 else 0.0 for v in values]


def pinch(s: Situation, p: Params) -> dict[str, np.ndarray]:
    """How much each task's problem costs in each field now, in [0, 1]: what the probe
    senses [001]. Weak ties, little benefit, undefused competition, hierarchy and
    disagreement,
    duplicates, friction from unclear roles in mixed groups, and joint output drifting to
    easy work while joint need is unmet; the last two scale with the field's joint output
    (relative to the field with the most), because that is what they waste."""
    f = s.fields
    per = {
        "contact": [1.0 - x.trust for x in f],
        "translation": [1.0 - x.benefit for x in f],
        "moderation": [
            0.5
            * (
                (x.pressure + p.hierarchy_eye_cost * p.hierarchy) * (1.0 - x.openness)
                + 1.0
                - x.consensus
            )
            for x in f
        ],
        "transparency": [x.duplicates / (x.duplicates + 1.0) for x in f],
        "roles": _relative([x.output * x.mix * (1.0 - x.clarity) for x in f]),
        "monitoring": _relative(
            [x.output * (1.0 - x.targeting) * (1.0 - x.joint_coverage) for x in f]
        ),
        "onboarding": [1.0],  # one task for the whole network: it gets its share anyway
    }
    return {t: np.clip(np.asarray(per[t], dtype=float), 0.0, 1.0) for t in TASKS}


def _share(weights: np.ndarray) -> np.ndarray:
    total = weights.sum()
    return weights / total if total > 0 else np.full(len(weights), 1.0 / len(weights))


def plan(
    hours: float,
    s: Situation,
    p: Params,
    quality: dict[str, float] | None = None,
    strategy: str = "adaptive",
) -> dict[str, np.ndarray]:
    """Split ``hours`` over tasks and fields (``quality`` per task, for the probe).

    Every task gets the same hours (the seven tasks are the job); "adaptive" (the model's
    coordinator) puts them where the task relieves the most pinching (``fill``), "equal"
    (kept for comparison in the tests, no longer a parameter: ODD 9) spreads them over the
    fields by their load."""
    need = loads(s, p)
    per_task = hours / len(TASKS)
    if strategy == "equal" or hours <= 0.0:
        return {t: per_task * _share(need[t]) for t in TASKS}
    urgency = pinch(s, p)
    q = quality or dict.fromkeys(TASKS, 1.0)
    width = max(len(need[t]) for t in TASKS)  # a network-wide task: one field, padded
    rows = np.zeros((len(TASKS), width)), np.zeros((len(TASKS), width))
    for k, t in enumerate(TASKS):
        rows[0][k, : len(need[t])], rows[1][k, : len(need[t])] = need[t], urgency[t]
    split = fill_all(per_task, *rows, np.array([q[t] for t in TASKS]))
    return {t: split[k, : len(need[t])] for k, t in enumerate(TASKS)}


def plan_tasks(
    hours: np.ndarray, s: Situation, p: Params, quality: dict[str, float] | None = None
) -> dict[str, np.ndarray]:
    """As ``plan``, but with the hours of each task given (a player in the room splits the
    coordinator's time, ``sim.mechanisms.players``); each task's hours still go where
    the task relieves the most pinching."""
    need, urgency = loads(s, p), pinch(s, p)
    q = quality or dict.fromkeys(TASKS, 1.0)
    return {t: fill(float(h), need[t], urgency[t], q[t]) for t, h in zip(TASKS, hours, strict=True)}


def fill(hours: float, load: np.ndarray, urgency: np.ndarray, quality: float) -> np.ndarray:
    """The split of ``hours`` over fields that maximises sum(urgency * effect), effect =
    1 - exp(-quality * h / load) (``fill_all`` for one task)."""
    return fill_all(hours, load[None, :], urgency[None, :], np.array([quality]))[0]


def fill_all(
    hours: float, load: np.ndarray, urgency: np.ndarray, quality: np.ndarray
) -> np.ndarray:
    """``hours`` for each task (a row of ``load`` and ``urgency``, one ``quality`` each),
    split over the fields to maximise sum(urgency * effect), effect = 1 - exp(-quality *
    h / load): water-filling, h = max(0, load / quality * (g - level)) with gain g =
    ln(urgency * quality / load). The level comes in closed form: with the k fields of
    highest gain active, level_k = (sum w g - hours) / sum w (w = load / quality), and the
    active set is the largest k whose level lies below its own k-th gain (the fields are
    few, so sorting them costs less than any search). All tasks at once, row by row."""
    q = quality[:, None]
    with np.errstate(divide="ignore", over="ignore", under="ignore", invalid="ignore"):
        ratio = np.where(load > 0, urgency * q / np.where(load > 0, load, 1.0), 0.0)
        useful = (load > 0) & (urgency > 0) & (ratio > 0)  # a ratio that underflows gains nothing
        scale = np.where(useful, load / q, 0.0)
        log_gain = np.where(
            useful,
            np.log(np.where(useful, urgency * q, 1.0) / np.where(useful, load, 1.0)),
            -np.inf,
        )
        order = np.argsort(-log_gain, axis=1, kind="stable")  # the useful fields first
        gain = np.take_along_axis(log_gain, order, axis=1)
        weight = np.take_along_axis(scale, order, axis=1)
        levels = (np.cumsum(weight * gain, axis=1) - hours) / np.cumsum(weight, axis=1)
        below = levels < gain  # false beyond the useful fields (nan, -inf)
        last = load.shape[1] - 1 - np.argmax(below[:, ::-1], axis=1)
        level = np.where(
            below.any(axis=1), np.take_along_axis(levels, last[:, None], axis=1)[:, 0], gain[:, 0]
        )  # a task without a useful field: -inf, and it is spread by load below
        out = np.where(useful, scale * np.maximum(0.0, log_gain - level[:, None]), 0.0)
    total = out.sum(axis=1)
    out = out * (hours / np.where(total > 0, total, 1.0))[:, None]
    for r in np.flatnonzero(total <= 0.0).tolist():  # too few hours to register (1e-127, say)
        out[r] = 0.0
        out[r, order[r, 0]] = hours
    # an hour that achieves (next to) nothing has no best place; load / quality would
    # overflow for a quality near zero: spread by load
    idle = (hours <= 0.0) | ~useful.any(axis=1) | (quality <= 1e-12)
    for r in np.flatnonzero(idle).tolist():
        out[r] = (
            hours * _share(np.where(load[r] > 0, load[r], 0.0))
            if load[r].sum() > 0
            else load[r] * 0
        )
    return out


def effects(
    hours: dict[str, np.ndarray], quality: dict[str, float], s: Situation, p: Params
) -> dict[str, np.ndarray]:
    """Effect in [0, 1) of each task in each field (onboarding: one value)."""
    need = loads(s, p)
    out = {}
    for t in TASKS:
        load = np.maximum(need[t], 1e-12)
        out[t] = np.where(need[t] > 0, 1.0 - np.exp(-quality[t] * hours[t] / load), 0.0)
    return out


def no_effects(n_fields: int) -> dict[str, np.ndarray]:
    return {t: np.zeros(1 if t in NETWORK_WIDE else n_fields) for t in TASKS}


LOAD_CAP = 10.0
"""The coordinator-load indicator stops at ten times too much work: hopeless enough, and a
vanishing number of hours must not make it infinite (an indicator bound, not a mechanism)."""


def load_ratio(hours: float, s: Situation, p: Params) -> float:
    """Coordinator load: hours the tasks need over hours available (above 1 = overloaded);
    0 when nobody coordinates."""
    if hours <= 0:
        return 0.0
    return min(LOAD_CAP, sum(float(v.sum()) for v in loads(s, p).values()) / hours)


def mean_over(effect: np.ndarray, fields: tuple[int, ...]) -> float:
    """A member's share of a field task's effect: the mean over the fields it serves."""
    if len(fields) == 1:
        return float(effect[fields[0]])
    return float(sum(effect[f] for f in fields) / len(fields))


def total_effect(effect: np.ndarray) -> float:
    return float(effect.mean()) if len(effect) else 0.0
