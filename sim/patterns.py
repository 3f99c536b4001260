"""The patterns the model must reproduce (DESIGN §6), as experiments with checkable claims.

Pattern-oriented modelling (Grimm et al. 2005): the mechanisms are built from the sources;
these patterns are what practice reports about whole networks, and the model is only
credible if its mechanisms together produce them. They are checks, never hard-coded.

Each pattern names a few conditions (parameter changes and events against the defaults)
and claims. A claim is a *contrast* computed per seed from the tables of all conditions
run with that seed (common random numbers), and it holds when the lower end of the 95 %
confidence interval of its mean exceeds the claim's margin. The tests in
``tests/test_patterns.py`` and ``kommune patterns`` evaluate exactly these definitions.
Pattern 7 (governance contingencies after Provan & Kenis 2008) is an experiment that reports
agreement and divergence rather than a pass/fail check; it belongs to the experiment engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.compare import Interval
from sim.events import Event
from sim.params import make_params
from sim.replicate import Condition, replicate

Tables = dict[str, pd.DataFrame]  # condition name -> table of one seed


def final(column: str, months: int = 12) -> Callable[[pd.DataFrame], float]:
    """Mean of ``column`` over the last ``months`` months."""
    return lambda t: float(t[column].iloc[-months:].mean())


def early(column: str, months: int = 36) -> Callable[[pd.DataFrame], float]:
    """Mean of ``column`` over the first ``months`` months (before leavers bias the rest)."""
    return lambda t: float(t[column].iloc[:months].mean())


def survival(column: str) -> Callable[[pd.DataFrame], float]:
    """Months until the 6-month mean of ``column`` first falls below half its start level
    (mean of months 1-3); a run that never falls that low counts its length plus one."""

    def measure(t: pd.DataFrame) -> float:
        series = t[column].to_numpy(dtype=float)
        start = series[:3].mean()
        rolling = pd.Series(series).rolling(6, min_periods=1).mean().to_numpy()
        below = np.flatnonzero(rolling < 0.5 * start)
        return float(below[0] + 1) if below.size else float(len(series) + 1)

    return measure


def per_member(column: str, months: int = 12) -> Callable[[pd.DataFrame], float]:
    return lambda t: float((t[column] / t["members"].clip(lower=1)).iloc[-months:].mean())


def diff(a: str, b: str, measure: Callable[[pd.DataFrame], float]) -> Callable[[Tables], float]:
    """measure(a) - measure(b), per seed."""
    return lambda tables: measure(tables[a]) - measure(tables[b])


@dataclass(frozen=True)
class Claim:
    text: str
    contrast: Callable[[Tables], float]
    margin: float = 0.0
    checked: bool = True  # False: reported with its interval, never a pass/fail check


@dataclass(frozen=True)
class Pattern:
    number: int
    title: str
    source: str
    conditions: dict[str, dict]
    claims: tuple[Claim, ...]
    events: dict[str, tuple[Event, ...]] = field(default_factory=dict)

    def condition(self, name: str, base: dict | None = None) -> Condition:
        """Condition ``name``: its changes on top of ``base`` (parameter values; default:
        the parameter defaults)."""
        return Condition(make_params({**(base or {}), **self.conditions[name]}),
                         self.events.get(name, ()))


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    mean: float
    ci_low: float
    ci_high: float
    n: int

    @property
    def holds(self) -> bool:
        return self.ci_low > self.claim.margin or not self.claim.checked


NO_COORDINATION = dict(governance="shared", shared_coordination_hours=0.0)
STRONG = dict(governance="nao", coordinator_hours=160.0, coordinator_competence=0.8,
              leadership_support=0.8)


def _effort(hours: float, support: float = 0.8) -> dict:
    return dict(governance="nao", coordinator_hours=hours, leadership_support=support)


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        1, "Without coordination and with competitive funding a network drifts into a "
           "'nette Runde': attendance survives longer than joint output",
        "[000], [002] These 1",
        conditions={
            "uncoordinated": dict(NO_COORDINATION, joint_funding_share=0.0),
            "coordinated": dict(STRONG, joint_funding_share=0.5),
        },
        claims=(
            Claim("attendance stays above half its start level longer than joint output "
                  "(months)",
                  lambda t: survival("attendance")(t["uncoordinated"])
                  - survival("joint_coverage")(t["uncoordinated"])),
            Claim("the uncoordinated network is a 'nette Runde' in most of its last year "
                  "(share of months above one half)",
                  lambda t: final("nette_runde")(t["uncoordinated"]) - 0.5),
            Claim("a coordinated network with joint funding is a 'nette Runde' less often "
                  "(share of months over the run)",
                  diff("uncoordinated", "coordinated", final("nette_runde", 120))),
        ),
    ),
    Pattern(
        2, "A coordinator with a mandate raises effectiveness; the effect saturates with effort",
        "[000], [004]",
        conditions={
            "h0": dict(NO_COORDINATION),
            "h40": _effort(40),
            "h80": _effort(80),
            "h160": _effort(160),
            "h320": _effort(320),
            "h80_no_mandate": _effort(80, support=0.0),
        },
        claims=(
            Claim("80 h/month of coordination beat none (effectiveness, last 2 years)",
                  diff("h80", "h0", final("effectiveness", 24))),
            Claim("160 h/month beat 40 h/month",
                  diff("h160", "h40", final("effectiveness", 24))),
            Claim("saturation: an hour adds more between 0 and 80 h than between 160 and "
                  "320 h (effectiveness per 100 h)",
                  lambda t: 100 * ((final("effectiveness", 24)(t["h80"])
                                    - final("effectiveness", 24)(t["h0"])) / 80
                                   - (final("effectiveness", 24)(t["h320"])
                                      - final("effectiveness", 24)(t["h160"])) / 160)),
            Claim("the mandate matters: leadership support 0.8 beats 0 at 80 h/month",
                  diff("h80", "h80_no_mandate", final("effectiveness", 24))),
        ),
    ),
    Pattern(
        3, "Competition that is not defused by open communication lowers motivation and "
           "cooperation",
        "[002] These 1, [001] Oldenburg",
        conditions={
            "low": dict(NO_COORDINATION, competition_intensity=0.1, joint_funding_share=0.0),
            "high": dict(NO_COORDINATION, competition_intensity=0.9, joint_funding_share=0.0),
            "low_moderated": dict(STRONG, competition_intensity=0.1, joint_funding_share=0.0),
            "high_moderated": dict(STRONG, competition_intensity=0.9, joint_funding_share=0.0),
        },
        claims=(
            Claim("high competition lowers cooperation (mean of the first 3 years)",
                  diff("low", "high", early("cooperation"))),
            Claim("high competition lowers motivation (mean of the first 3 years)",
                  diff("low", "high", early("motivation"))),
            Claim("moderation defuses it: competition costs less effectiveness when a "
                  "coordinator moderates",
                  lambda t: diff("low", "high", final("effectiveness", 24))(t)
                  - diff("low_moderated", "high_moderated", final("effectiveness", 24))(t)),
        ),
    ),
    Pattern(
        4, "Eye-level inclusion of volunteers raises their retention and hard-to-reach coverage",
        "[002] These 3, [003]",
        conditions={"eye_high": dict(eye_level=0.9), "eye_low": dict(eye_level=0.2)},
        claims=(
            Claim("volunteer retention after 10 years",
                  diff("eye_high", "eye_low", final("volunteer_retention", 1))),
            Claim("coverage of hard-to-reach need (last year)",
                  diff("eye_high", "eye_low", final("coverage_hard_to_reach"))),
        ),
    ),
    Pattern(
        5, "Transparency removes duplicate structures and frees meeting time",
        "[001]",
        conditions={
            # the same coordinator; bureaucracy either lets merges happen or blocks them
            "transparent": dict(initial_duplicates=8, duplicate_emergence=0.0,
                                leadership_support=0.0, bureaucratic_delay=0.0),
            "blocked": dict(initial_duplicates=8, duplicate_emergence=0.0,
                            leadership_support=0.0, bureaucratic_delay=1.0),
        },
        claims=(
            Claim("fewer duplicate working groups (last year)",
                  diff("blocked", "transparent", final("duplicate_structures"))),
            Claim("fewer meeting hours per member (last year)",
                  diff("blocked", "transparent", per_member("meeting_hours"))),
            Claim("duplicates fall from 8 to under 1 on average where merges can happen",
                  lambda t: 1.0 - final("duplicate_structures")(t["transparent"])),
        ),
    ),
    Pattern(
        6, "Persistence lets a network survive disruptions (the coordinator's position ends "
           "after the funding period, a funding cut)",
        "[003] Durchhaltevermögen",
        conditions={
            "persistent": dict(persistence=0.95),
            "fickle": dict(persistence=0.6),
            "persistent_undisturbed": dict(persistence=0.95),
            "fickle_undisturbed": dict(persistence=0.6),
        },
        events={
            "persistent": (Event(48, "coordinator_ends"), Event(48, "funding_cut", share=0.3)),
            "fickle": (Event(48, "coordinator_ends"), Event(48, "funding_cut", share=0.3)),
        },
        claims=(
            Claim("more members remain 6 years after the disruption",
                  diff("persistent", "fickle", final("members"))),
            Claim("more volunteers stay",
                  diff("persistent", "fickle", final("volunteer_retention", 1))),
            # persistence works through membership; effectiveness after the disruption
            # hardly differs (see docs/ODD.md, pattern 6), so the claim is only that
            # persistence does not make it clearly worse
            Claim("effectiveness after the disruption is not clearly lower (margin -0.05)",
                  diff("persistent", "fickle", final("effectiveness", 24)), margin=-0.05),
            Claim("reported: members the disruption costs a fickle network minus those it "
                  "costs a persistent one (above 0 = persistence buffers the disruption itself)",
                  lambda t: diff("fickle_undisturbed", "fickle", final("members"))(t)
                  - diff("persistent_undisturbed", "persistent", final("members"))(t),
                  checked=False),
        ),
    ),
)


def evaluate(pattern: Pattern, seeds: range | list[int], workers: int | None = None,
             progress: Callable[[int], None] | None = None,
             base: dict | None = None) -> list[Verdict]:
    """Run every condition of ``pattern`` on ``seeds`` and judge its claims; the conditions
    change ``base`` (parameter values, e.g. a calibration particle's; default: the defaults)."""
    conditions = {name: pattern.condition(name, base) for name in pattern.conditions}
    runs = replicate(conditions, seeds, workers=workers, progress=progress)
    seeds = list(seeds)
    verdicts = []
    for claim in pattern.claims:
        values = np.array([claim.contrast({name: runs[name][k] for name in runs})
                           for k in range(len(seeds))])
        mean = float(values.mean())
        half = float(Interval.half_width(values)) if len(values) > 1 else float("inf")
        verdicts.append(Verdict(claim, mean, mean - half, mean + half, len(values)))
    return verdicts
