"""Need and coverage: why cooperation matters structurally.

Each field has a monthly need made of three parts [002 These 3, 003]:

* **simple** need, which any single organisation can serve with its own work;
* **complex** need, which only joint work of at least two different kinds of actor serves;
* **hard-to-reach** need, which only joint work *with volunteers involved* reaches
  (e.g. older migrants), and only as far as volunteer hours open the door.

Serving follows one rule that can be explained in a workshop in a sentence: *own work goes
to simple need; joint work aimed at impact goes first to what only joint work can do.*
A share ``targeting`` of joint output is aimed that way (impact monitoring,
Wirkungsorientierung [000], raises it); the rest drifts to simple need, where it is often
wasted because own work already covers it. What one part cannot absorb overflows to the
next easier part.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTS = ("simple", "complex", "hard_to_reach")


@dataclass(frozen=True)
class Need:
    """Monthly need of one field, in service units (1 unit = 1 hour of own work)."""

    simple: float
    complex: float
    hard_to_reach: float

    @classmethod
    def of(cls, total: float, complex_share: float, hard_to_reach_share: float) -> Need:
        # the two shares may sum to 1 up to rounding (1.0 + 3e-215 == 1.0), and the rest
        # must then be none, not a negative need
        return cls(
            simple=total * max(0.0, 1.0 - complex_share - hard_to_reach_share),
            complex=total * complex_share,
            hard_to_reach=total * hard_to_reach_share,
        )


@dataclass(frozen=True)
class GroupOutput:
    """What one working group produced this month."""

    output: float  # need units
    mixed: bool  # at least two kinds of actor contributed: can serve complex need
    reach: float  # hard-to-reach units its volunteers open (0 without volunteers)


@dataclass(frozen=True)
class Served:
    simple: float
    complex: float
    hard_to_reach: float
    own_used: float  # share of own work that found unmet simple need (clients to go round)


def serve(need: Need, own: float, groups: list[GroupOutput], targeting: float) -> Served:
    """Allocate one field's own and joint output to its need."""
    htr = cplx = easy = 0.0
    for g in groups:
        aimed = targeting * g.output
        easy += g.output - aimed
        to_htr = min(aimed, g.reach) if g.mixed else 0.0
        htr += to_htr
        rest = aimed - to_htr
        if g.mixed:
            cplx += rest
        else:
            easy += rest
    htr_served = min(need.hard_to_reach, htr)
    cplx += htr - htr_served
    cplx_served = min(need.complex, cplx)
    easy += cplx - cplx_served
    own_served = min(need.simple, own)
    simple_served = min(need.simple, own_served + easy)
    return Served(
        simple=simple_served,
        complex=cplx_served,
        hard_to_reach=htr_served,
        own_used=own_served / own if own > 0 else 1.0,
    )


def coverage(served: float, need: float) -> float:
    """Share of a need that was served; a need of zero counts as fully covered."""
    return served / need if need > 0 else 1.0
