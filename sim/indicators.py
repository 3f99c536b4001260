"""Indicators (docs/ODD.md §7.11): one value each per month, measured at the end of the month.

``INDICATORS`` holds each with its labels and meaning in English and German and how to
judge a change; every table, summary, plot, report and document takes them from here.

The "nette Runde" (a pleasant round table without effect [000]) is flagged when, over the
last ``nette_runde_window`` months, meetings were held and still drew members beyond duty
(mean attendance at least ``nette_runde_attendance``, above what duty alone brings,
``attendance_norm``) while the joint part of the need (complex and hard-to-reach) stayed
largely unserved (mean joint coverage below ``nette_runde_joint_coverage``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms.funding import gini
from sim.mechanisms.goals import consensus
from sim.mechanisms.ties import upper_pairs

if TYPE_CHECKING:
    from sim.mechanisms.network import Network


@dataclass(frozen=True)
class Indicator:
    """An indicator: labels and meanings in both languages, and how to judge a change.

    ``better`` is +1 when higher is better, -1 when lower is better, 0 when a change is
    neither (more meeting hours are not good or bad in themselves). ``resolution`` is the
    smallest difference worth calling a difference when comparing scenarios.
    """

    name: str
    label_en: str
    label_de: str
    en: str
    de: str
    unit: str  # "share" (0-1), "count", "hours" or "ratio"
    better: int
    resolution: float

    def label(self, lang: str) -> str:
        return self.label_de if lang == "de" else self.label_en

    def meaning(self, lang: str) -> str:
        return self.de if lang == "de" else self.en


_TABLE = (
    Indicator(
        "effectiveness",
        "effectiveness",
        "Wirksamkeit",
        "Need-weighted coverage of all need (headline, 0-1)",
        "Bedarfsgewichtete Abdeckung aller Bedarfe (Hauptindikator, 0-1)",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "coverage_simple",
        "simple need served",
        "einfache Bedarfe gedeckt",
        "Share of simple need served",
        "Gedeckter Anteil einfacher Bedarfe",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "coverage_complex",
        "complex need served",
        "komplexe Bedarfe gedeckt",
        "Share of complex need served",
        "Gedeckter Anteil komplexer Bedarfe",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "coverage_hard_to_reach",
        "hard-to-reach need served",
        "schwer Erreichbare erreicht",
        "Share of hard-to-reach need served",
        "Gedeckter Anteil schwer erreichbarer Bedarfe",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "joint_coverage",
        "joint need served",
        "gemeinsame Bedarfe gedeckt",
        "Share of the need only joint work can serve (complex, hard-to-reach)",
        "Gedeckter Anteil der Bedarfe, die nur gemeinsame Arbeit deckt",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "cooperation",
        "cooperation",
        "Kooperation",
        "Mean share of free hours members give to joint work",
        "Mittlerer Anteil freier Stunden, den Mitglieder gemeinsamer Arbeit geben",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "trust",
        "trust",
        "Vertrauen",
        "Mean tie strength of members to those they work with in a working group",
        "Mittlere Beziehungsstärke der Mitglieder zu denen, mit denen sie in einer "
        "Arbeitsgruppe arbeiten",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "cross_field_ties",
        "ties across fields",
        "Beziehungen über Felder",
        "Share of the tie strength among members that links different fields (0 = pillars only)",
        "Anteil der Beziehungsstärke unter Mitgliedern, der verschiedene Handlungsfelder "
        "verbindet (0 = nur Säulen)",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "goal_consensus",
        "goal consensus",
        "Zielkonsens",
        "1 - mean goal distance between members, relative to the widest possible "
        "(1 = one shared goal, 0 = two opposite camps)",
        "1 - mittlerer Zielabstand der Mitglieder relativ zum größtmöglichen "
        "(1 = ein gemeinsames Ziel, 0 = zwei entgegengesetzte Lager)",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "motivation",
        "motivation",
        "Motivation",
        "Mean motivation of members",
        "Mittlere Motivation der Mitglieder",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "carrier_motivation",
        "carriers' motivation",
        "Motivation der Träger",
        "Mean motivation of the carriers in the network (0 when none is left)",
        "Mittlere Motivation der Träger im Netzwerk (0, wenn keiner mehr dabei ist)",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "attendance",
        "attendance",
        "Teilnahme",
        "Share of members attending the meetings held this month",
        "Anteil der Mitglieder, die an Sitzungen dieses Monats teilnahmen",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "meetings_held",
        "meetings held",
        "Sitzungen gehalten",
        "Share of the meetings due over the last 12 months that took place (meetings nobody "
        "is paid to convene can lapse; attendance counts only those held)",
        "Anteil der in den letzten 12 Monaten fälligen Sitzungen, die stattfanden (Sitzungen, "
        "die niemand bezahlt einberuft, können ausfallen; die Teilnahme zählt nur die "
        "gehaltenen)",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "members",
        "members",
        "Mitglieder",
        "Active members (coordinator not counted)",
        "Aktive Mitglieder (ohne Koordination)",
        "count",
        +1,
        0.5,
    ),
    Indicator(
        "active_administration",
        "administration departments",
        "Fachbereiche",
        "Active administration departments",
        "Aktive Fachbereiche der Verwaltung",
        "count",
        +1,
        0.5,
    ),
    Indicator(
        "active_carriers",
        "carriers",
        "Träger",
        "Active carriers",
        "Aktive freie Träger",
        "count",
        +1,
        0.5,
    ),
    Indicator(
        "active_volunteers",
        "volunteer initiatives",
        "Ehrenamtliche Initiativen",
        "Active volunteer initiatives",
        "Aktive ehrenamtliche Initiativen",
        "count",
        +1,
        0.5,
    ),
    Indicator(
        "volunteer_retention",
        "volunteer retention",
        "Verbleib Ehrenamtlicher",
        "Share of all volunteers who ever joined that are still active",
        "Anteil aller je beigetretenen Ehrenamtlichen, die noch aktiv sind",
        "share",
        +1,
        0.01,
    ),
    Indicator(
        "duplicate_structures",
        "duplicate structures",
        "Doppelstrukturen",
        "Working groups that duplicate another one",
        "Arbeitsgruppen, die eine andere doppeln",
        "count",
        -1,
        0.5,
    ),
    Indicator(
        "meeting_time",  # not meeting_hours: that is the parameter (hours one meeting costs)
        "meeting hours",
        "Sitzungsstunden",
        "Hours spent in meetings this month, all attendees",
        "Sitzungsstunden aller Teilnehmenden in diesem Monat",
        "hours",
        0,
        1.0,
    ),
    Indicator(
        "coordination_hours",
        "coordination hours",
        "Koordinationsstunden",
        "Hours of coordination work this month",
        "Stunden Koordinationsarbeit in diesem Monat",
        "hours",
        0,
        1.0,
    ),
    Indicator(
        "coordinator_load",
        "coordinator load",
        "Auslastung Koordination",
        "Hours coordination needs over hours available (0 = nobody coordinates; capped at 10)",
        "Benötigte über verfügbare Koordinationsstunden (0 = niemand koordiniert; höchstens 10)",
        "ratio",
        0,
        0.05,
    ),
    Indicator(
        "funding_gini",
        "funding concentration",
        "Konzentration der Förderung",
        "Concentration of funding among the carriers, in the network or not (Gini)",
        "Konzentration der Fördermittel unter den Trägern, im Netzwerk oder nicht (Gini)",
        "share",
        0,
        0.01,
    ),
    Indicator(
        "nette_runde",
        "'nette Runde'",
        "„nette Runde“",
        "1 when the network is a 'nette Runde': meetings without joint effect",
        "1, wenn das Netzwerk eine nette Runde ist: Sitzungen ohne gemeinsame Wirkung",
        "share",
        -1,
        0.01,
    ),
)

INDICATORS: dict[str, Indicator] = {i.name: i for i in _TABLE}

SHARES = tuple(i.name for i in _TABLE if i.unit == "share")
"""Indicators that are shares in [0, 1]."""

FINAL_MONTHS = 12
"""A run's *final value* of an indicator is its mean over the last 12 months: one month
alone would mix in the meeting calendar and month-to-month noise."""


def final_values(table, months: int = FINAL_MONTHS):
    """Final value of every indicator of a run's monthly table (a pandas Series)."""
    return table[list(INDICATORS)].iloc[-months:].mean()


HEADLINE = (
    "effectiveness",
    "joint_coverage",
    "cooperation",
    "trust",
    "motivation",
    "goal_consensus",
    "members",
    "volunteer_retention",
)
"""The headline indicators, the most telling first: the one list every surface draws from.
The dashboard's line chart takes its first five shares (``headline_shares``), the
comparison report's figures all eight, ``kommune run`` these and then ``DETAIL``."""

DETAIL = (
    "coverage_simple",
    "coverage_complex",
    "coverage_hard_to_reach",
    "attendance",
    "meetings_held",
    "duplicate_structures",
    "meeting_time",
    "coordinator_load",
    "funding_gini",
)
"""What ``kommune run`` shows below the headline: the parts of need and what the network
costs its members."""


def headline_shares(n: int) -> tuple[str, ...]:
    """The first ``n`` headline indicators that are shares (0-1), for a chart with one
    axis."""
    return tuple(name for name in HEADLINE if INDICATORS[name].unit == "share")[:n]


class NetteRundeWatch:
    """Rolling memory of attendance and joint coverage for the 'nette Runde' flag."""

    def __init__(self, window: int) -> None:
        self.window = window
        self.attendance: deque[float] = deque(maxlen=window)
        self.joint: deque[float] = deque(maxlen=window)

    def update(self, attendance: float | None, joint_coverage: float) -> None:
        if attendance is not None:
            self.attendance.append(attendance)
        self.joint.append(joint_coverage)

    def means(self) -> tuple[float, float] | None:
        """Mean attendance and joint coverage over the window; None until it is full
        ("stays" needs the whole window to tell)."""
        if len(self.joint) < self.window or not self.attendance:
            return None
        return float(np.mean(self.attendance)), float(np.mean(self.joint))

    def flag(self, attendance_at_least: float, joint_below: float) -> bool:
        means = self.means()
        return means is not None and means[0] >= attendance_at_least and means[1] < joint_below


HELD_WINDOW = 12  # months: meetings held are counted over a year, so that a network whose
# working groups meet every few months is judged over several meetings, not one


class HeldWatch:
    """Rolling count of the meetings due and held, for ``meetings_held``."""

    def __init__(self, window: int = HELD_WINDOW) -> None:
        self.due: deque[int] = deque(maxlen=window)
        self.held: deque[int] = deque(maxlen=window)

    def update(self, due: int, held: int) -> float:
        """This month's counts in; the share held over the window out (1 when none was
        due: nothing was missed)."""
        self.due.append(due)
        self.held.append(held)
        due_total = sum(self.due)
        return sum(self.held) / due_total if due_total else 1.0


def nette_runde_flags(
    table, attendance_at_least: float, joint_below: float, window: int
) -> np.ndarray:
    """The 'nette Runde' flag of every month, recomputed from a run's monthly table with
    other thresholds (to see how robust a verdict is). Months without a meeting carry the
    last attendance in the table, so they count it again; with monthly working groups
    every month has a meeting and the result equals the model's own flag."""
    attendance = table["attendance"].rolling(window).mean().to_numpy()
    joint = table["joint_coverage"].rolling(window).mean().to_numpy()
    with np.errstate(invalid="ignore"):
        flags = (attendance >= attendance_at_least) & (joint < joint_below)
    return np.where(np.isnan(attendance), False, flags)


def _share(part: float, whole: float) -> float:
    """part / whole in [0, 1] (sums of capped parts can overshoot by rounding); 1 if no need."""
    return min(1.0, part / whole) if whole > 0 else 1.0


def _trust(model: Network, members) -> float:
    """Mean, over members, of their mean tie strength to everyone they work with in a
    working group (the steering group, a plenary under shared governance, is left out so
    that a change of governance does not change whom trust is measured against).

    Over arrays: every pair of partners once (a pair in two groups counts once), each
    member's partner count and the summed weight of its ties to them."""
    row = {m.unique_id: k for k, m in enumerate(members)}
    groups = [  # active members only (a leaver is out of every body already)
        [row[o.unique_id] for o in b.members if o.unique_id in row] for b in model.working_groups
    ]
    n = len(members)
    pairs = [_pairs_within(np.array(g), n) for g in groups if len(g) > 1]
    if not pairs:
        return 0.0
    keys = np.unique(np.concatenate(pairs))  # lo * n + hi, each pair of partners once
    lo, hi = keys // n, keys % n
    partners = np.bincount(lo, minlength=n) + np.bincount(hi, minlength=n)
    a, b, w = model.ties.arrays()
    index = np.full(max(model.ties.largest, *row) + 1, -1)
    index[list(row)] = list(row.values())
    ta, tb = index[a], index[b]
    among = (ta >= 0) & (tb >= 0)
    ta, tb, w = ta[among], tb[among], w[among]
    tie_keys = np.minimum(ta, tb) * n + np.maximum(ta, tb)
    at = np.minimum(np.searchsorted(keys, tie_keys), len(keys) - 1)  # keys come sorted
    tied = keys[at] == tie_keys  # ties between partners (np.isin, without its overhead)
    strength = np.bincount(ta[tied], w[tied], minlength=n) + np.bincount(
        tb[tied], w[tied], minlength=n
    )
    has = partners > 0
    return float((strength[has] / partners[has]).mean())


def _pairs_within(rows: np.ndarray, n: int) -> np.ndarray:
    """Keys lo * n + hi of every pair among ``rows`` (numbers below ``n``)."""
    a, b = upper_pairs(len(rows))
    return np.minimum(rows[a], rows[b]) * n + np.maximum(rows[a], rows[b])


def _cross_field_ties(model: Network, members) -> float:
    """Share of the tie strength among active members that runs between members whose
    fields do not overlap: how far the pillars [004] have been bridged."""
    if not members:
        return 0.0
    a, b, w = model.ties.arrays()
    fields = np.zeros(max(model.ties.largest, *(m.unique_id for m in members)) + 1, dtype=np.int64)
    for m in members:  # a bit per field served; 0 for everyone not an active member
        fields[m.unique_id] = sum(1 << f for f in m.fields)
    among = (fields[a] != 0) & (fields[b] != 0)
    total = float(w[among].sum())
    across = float(w[among & ((fields[a] & fields[b]) == 0)].sum())
    return across / total if total > 0 else 0.0


def measure(model: Network) -> dict[str, float]:
    """All indicators for the month that has just ended."""
    members = model.member_list
    served, need = model.served, model.need_total
    covered = {part: _share(served[part], need[part]) for part in served}
    joint_cov = _share(
        served["complex"] + served["hard_to_reach"], need["complex"] + need["hard_to_reach"]
    )
    held = [b for b in model.bodies if b.last_met == model.clock and b.invited]
    attendance = (sum(b.present for b in held) / sum(b.invited for b in held)) if held else None
    by_kind = {k: 0 for k in ("administration", "carrier", "volunteer")}
    for m in members:
        by_kind[m.kind] += 1
    shares = [sum(m.shares) / len(m.shares) for m in members if m.shares]
    carriers = [c.funding for c in model.all_carriers()]
    goals = np.array([m.goal for m in members]) if members else np.zeros((0, 1))
    model.nette_watch.update(attendance, joint_cov)
    meetings_held = model.held_watch.update(model.meetings_due, model.meetings_held)
    nette = model.nette_watch.flag(
        model.p.nette_runde_attendance, model.p.nette_runde_joint_coverage
    )
    if attendance is None:  # no meeting this month: the last value, or what is expected
        norm = model.p.attendance_norm
        expected = (
            float(np.mean([norm + (1 - norm) * m.motivation for m in members])) if members else 0.0
        )
        attendance = model.current.get("attendance", expected)
    total_need = sum(need.values())
    return {
        "effectiveness": _share(sum(served.values()), total_need),
        "coverage_simple": covered["simple"],
        "coverage_complex": covered["complex"],
        "coverage_hard_to_reach": covered["hard_to_reach"],
        "joint_coverage": joint_cov,
        "cooperation": sum(shares) / len(shares) if shares else 0.0,
        "trust": _trust(model, members),
        "cross_field_ties": _cross_field_ties(model, members),
        "goal_consensus": consensus(goals),
        "motivation": sum(m.motivation for m in members) / len(members) if members else 0.0,
        "carrier_motivation": (
            float(np.mean([m.motivation for m in members if m.kind == "carrier"]))
            if by_kind["carrier"]
            else 0.0
        ),
        "attendance": attendance,
        "meetings_held": meetings_held,
        "members": len(members),
        "active_administration": by_kind["administration"],
        "active_carriers": by_kind["carrier"],
        "active_volunteers": by_kind["volunteer"],
        "volunteer_retention": (
            by_kind["volunteer"] / model.volunteers_ever if model.volunteers_ever else 1.0
        ),
        "duplicate_structures": len(model.duplicates()),
        "meeting_time": model.meeting_hours,
        "coordination_hours": model.coordination_hours,
        "coordinator_load": model.coordinator_load,
        "funding_gini": gini(carriers),
        "nette_runde": 1.0 if nette else 0.0,
    }
