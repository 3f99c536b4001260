"""Indicators (DESIGN §5): one value each per month, measured at the end of the month.

``INDICATORS`` names each with its meaning in English and German; every table, summary,
plot and document takes names and meanings from here.

The "nette Runde" (a pleasant round table without effect [000]) is flagged when, over the
last 12 months, meetings were held and well attended while the joint part of the need
(complex and hard-to-reach) stayed largely unserved.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from sim.funding import gini
from sim.goals import consensus

if TYPE_CHECKING:
    from sim.model import KommuneModel

NETTE_RUNDE_ATTENDANCE = 0.5  # meetings at least half full ...
NETTE_RUNDE_JOINT_COVERAGE = 0.3  # ... while under 30 % of complex and hard-to-reach need is met
WINDOW = 12  # months the flag looks back

INDICATORS: dict[str, tuple[str, str]] = {
    "effectiveness": ("Need-weighted coverage of all need (headline, 0-1)",
                      "Bedarfsgewichtete Abdeckung aller Bedarfe (Hauptindikator, 0-1)"),
    "coverage_simple": ("Share of simple need served", "Gedeckter Anteil einfacher Bedarfe"),
    "coverage_complex": ("Share of complex need served", "Gedeckter Anteil komplexer Bedarfe"),
    "coverage_hard_to_reach": ("Share of hard-to-reach need served",
                               "Gedeckter Anteil schwer erreichbarer Bedarfe"),
    "joint_coverage": ("Share of the need only joint work can serve (complex, hard-to-reach)",
                       "Gedeckter Anteil der Bedarfe, die nur gemeinsame Arbeit deckt"),
    "cooperation": ("Mean share of free hours members give to joint work",
                    "Mittlerer Anteil freier Stunden für gemeinsame Arbeit"),
    "trust": ("Mean tie strength between members of the same body",
              "Mittlere Beziehungsstärke zwischen Mitgliedern desselben Gremiums"),
    "goal_consensus": ("1 - mean goal distance between members, relative to the widest "
                       "possible (1 = one shared goal, 0 = two opposite camps)",
                       "1 - mittlerer Zielabstand der Mitglieder relativ zum größtmöglichen "
                       "(1 = ein gemeinsames Ziel, 0 = zwei entgegengesetzte Lager)"),
    "motivation": ("Mean motivation of members", "Mittlere Motivation der Mitglieder"),
    "attendance": ("Share of members attending the meetings held this month",
                   "Anteil der Mitglieder, die an Sitzungen dieses Monats teilnahmen"),
    "members": ("Active members (coordinator not counted)",
                "Aktive Mitglieder (ohne Koordination)"),
    "active_administration": ("Active administration departments",
                              "Aktive Fachbereiche der Verwaltung"),
    "active_carriers": ("Active carriers", "Aktive freie Träger"),
    "active_volunteers": ("Active volunteer initiatives", "Aktive ehrenamtliche Initiativen"),
    "volunteer_retention": ("Share of all volunteers who ever joined that are still active",
                            "Anteil aller je beigetretenen Ehrenamtlichen, die noch aktiv sind"),
    "duplicate_structures": ("Working groups that duplicate another one",
                             "Arbeitsgruppen, die eine andere doppeln"),
    "meeting_hours": ("Hours spent in meetings this month, all attendees",
                      "Sitzungsstunden aller Teilnehmenden in diesem Monat"),
    "coordination_hours": ("Hours of coordination work this month",
                           "Stunden Koordinationsarbeit in diesem Monat"),
    "coordinator_load": ("Hours coordination needs over hours available (0 = nobody "
                         "coordinates; capped at 10)",
                         "Benötigte über verfügbare Koordinationsstunden (0 = niemand "
                         "koordiniert; höchstens 10)"),
    "funding_gini": ("Concentration of funding among carriers (Gini)",
                     "Konzentration der Fördermittel unter den Trägern (Gini)"),
    "nette_runde": ("1 when the network is a 'nette Runde': meetings without joint effect",
                    "1, wenn das Netzwerk eine nette Runde ist: Sitzungen ohne gemeinsame Wirkung"),
}

SHARES = ("effectiveness", "coverage_simple", "coverage_complex", "coverage_hard_to_reach",
          "joint_coverage", "cooperation", "trust", "goal_consensus", "motivation", "attendance",
          "volunteer_retention", "funding_gini", "nette_runde")
"""Indicators that are shares in [0, 1]."""

HEADLINE = ("effectiveness", "cooperation", "trust", "goal_consensus", "motivation",
            "coverage_complex", "coverage_hard_to_reach", "members")
"""The indicators a summary or a figure shows first."""


class NetteRundeWatch:
    """Rolling memory of attendance and joint coverage for the 'nette Runde' flag."""

    def __init__(self) -> None:
        self.attendance: deque[float] = deque(maxlen=WINDOW)
        self.joint: deque[float] = deque(maxlen=WINDOW)

    def update(self, attendance: float | None, joint_coverage: float) -> bool:
        if attendance is not None:
            self.attendance.append(attendance)
        self.joint.append(joint_coverage)
        if len(self.joint) < WINDOW or not self.attendance:
            return False  # "stays" needs a year to tell
        return (float(np.mean(self.attendance)) >= NETTE_RUNDE_ATTENDANCE
                and float(np.mean(self.joint)) < NETTE_RUNDE_JOINT_COVERAGE)


def _share(part: float, whole: float) -> float:
    """part / whole in [0, 1] (sums of capped parts can overshoot by rounding); 1 if no need."""
    return min(1.0, part / whole) if whole > 0 else 1.0


def _body_trust(model: KommuneModel) -> float:
    values = []
    for body in model.bodies:
        ids = [m.unique_id for m in body.members]
        values.extend(model.ties.mean_to(i, ids) for i in ids)
    return float(np.mean(values)) if values else 0.0


def measure(model: KommuneModel) -> dict[str, float]:
    """All indicators for the month that has just ended."""
    members = model.member_list
    served, need = model.served, model.need_total
    covered = {part: _share(served[part], need[part]) for part in served}
    joint_cov = _share(served["complex"] + served["hard_to_reach"],
                       need["complex"] + need["hard_to_reach"])
    held = [b for b in model.bodies if b.last_met == model.month and b.invited]
    attendance = (sum(b.present for b in held) / sum(b.invited for b in held)) if held else None
    by_kind = {k: 0 for k in ("administration", "carrier", "volunteer")}
    for m in members:
        by_kind[m.kind] += 1
    shares = model.contribution_shares
    carriers = [m.funding for m in members if m.kind == "carrier"]
    goals = np.array([m.goal for m in members]) if members else np.zeros((0, 1))
    nette = model.nette_watch.update(attendance, joint_cov)
    if attendance is None:
        attendance = model.current.get("attendance", 0.0)
    total_need = sum(need.values())
    return {
        "effectiveness": _share(sum(served.values()), total_need),
        "coverage_simple": covered["simple"],
        "coverage_complex": covered["complex"],
        "coverage_hard_to_reach": covered["hard_to_reach"],
        "joint_coverage": joint_cov,
        "cooperation": float(np.mean(shares)) if shares else 0.0,
        "trust": _body_trust(model),
        "goal_consensus": consensus(goals),
        "motivation": float(np.mean([m.motivation for m in members])) if members else 0.0,
        "attendance": attendance,
        "members": len(members),
        "active_administration": by_kind["administration"],
        "active_carriers": by_kind["carrier"],
        "active_volunteers": by_kind["volunteer"],
        "volunteer_retention": (by_kind["volunteer"] / model.volunteers_ever
                                if model.volunteers_ever else 1.0),
        "duplicate_structures": len(model.duplicates()),
        "meeting_hours": model.meeting_hours,
        "coordination_hours": model.coordination_hours,
        "coordinator_load": model.coordinator_load,
        "funding_gini": gini(carriers),
        "nette_runde": 1.0 if nette else 0.0,
    }
