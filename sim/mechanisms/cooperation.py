"""Conditional cooperation in a repeated public-goods setting.

Fischbacher, Gächter & Fehr (2001) found that most people are conditional cooperators:
they contribute roughly what they expect the others to contribute, but a little less
(a slope below one). Expectations follow what they saw last time (Fischbacher & Gächter
2010). Together this makes contributions decay round after round in public-goods
experiments (Fehr & Gächter 2000) unless something else holds them up.

In a working group the share ``s`` of free hours a member puts into joint work is

    s = clip(slope * expectation + support - competition, 0, 1)

    support     = support_strength * (goal_share + trust + motivation)
    competition = competition_strength * pressure * (1 - openness)

``goal_share``  how close the member's goal is to its group's   [002 These 1, 003]
``trust``       its mean tie strength to the group's members      (reciprocity memory)
``motivation``  how much it wants to be part of the network, which follows the benefit
                it sees, its ties and fairness, less its strains  [002 These 1: "Ansonsten
                fehlt die nötige Motivation, sich zeitlich ... einzubringen"]
``pressure``    competition for the same funds and clients        [002 These 1, 001]
``openness``    open communication (the coordinator's moderation) that defuses it.

With all supports at zero this is the bare conditional-cooperation dynamic and decays.
"""

from __future__ import annotations

import numpy as np


def contribution(
    expectation: float,
    slope: float,
    support: float = 0.0,
    pressure: float = 0.0,
    openness: float = 0.0,
    competition_strength: float = 0.0,
) -> float | np.ndarray:
    """Share of free hours a member gives to joint work this month, in [0, 1] (a group's
    members at once when given arrays)."""
    s = slope * expectation + support - competition_strength * pressure * (1.0 - openness)
    return np.minimum(1.0, np.maximum(0.0, s))


def bounded(asked, left):
    """Hours a member can give: what is asked, at most what it has left, never less than
    none (arrays: for each member)."""
    return np.maximum(0.0, np.minimum(asked, left))


def support(support_strength: float, goal_share: float, trust: float, motivation: float) -> float:
    """What holds contributions up beyond bare reciprocity."""
    return support_strength * (goal_share + trust + motivation)


def update_expectation(
    expectation: float, observed: float, rate: float, persistence: float = 0.0
) -> float | np.ndarray:
    """Expectation moves a share ``rate`` towards what the partners just contributed; a
    disappointment only a share ``1 - persistence`` of that: members with
    Durchhaltevermögen do not give up on partners after one bad month [003 "durch
    Komplikationen nicht entmutigen lassen"]."""
    step = rate * (observed - expectation)
    return expectation + np.where(step < 0.0, step * (1.0 - persistence), step)


def draw_slope(rng, mean: float, concentration: float = 4.0) -> float:
    """A member's reciprocity slope: Beta-distributed around ``mean``.

    The Beta(c m, c (1 - m)) spread (c = ``trait_concentration``, 4 by default) gives the
    mix of near-free-riders and strong conditional cooperators seen by Fischbacher et al.
    (2001), with mean ``m``.
    """
    if mean <= 0.0 or mean >= 1.0:
        return float(mean)
    return float(rng.beta(concentration * mean, concentration * (1.0 - mean)))
