"""Events that happen to a network at a given month, scheduled or triggered live.

=====================  =======================================  =========================
kind                   what happens                             German
=====================  =======================================  =========================
funding_cut            budgets and current funding shrink by    Fördermittel gekürzt
                       ``share``
coordinator_ends       the coordinator's position ends; the     Koordinationsstelle endet
                       members coordinate themselves (shared)
key_person_leaves      the most connected member (not a         Schlüsselperson geht
                       department) leaves
new_partner            a new carrier or volunteer initiative    Neuer Partner
                       joins (``partner``, optional ``field``)
levers                 live levers move to new values           Stellschrauben bewegt
                       (``levers``: name -> value), as a
                       dashboard slider moved in month m - 1
coordinator_hired      the coordinator's position is funded     Koordinationsstelle
                       again after a gap: a new person, the     neu besetzt
                       governance the network was built with
=====================  =======================================  =========================

An event at ``month`` m takes effect at the start of month m, before that month's step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from sim.mechanisms.network import Network

Kind = Literal[
    "funding_cut",
    "coordinator_ends",
    "key_person_leaves",
    "new_partner",
    "levers",
    "coordinator_hired",
]
KINDS: tuple[str, ...] = get_args(Kind)
SHOCKS = ("funding_cut", "coordinator_ends", "key_person_leaves", "new_partner")
"""What happens to a network: the experiments' event factors, the dashboard's buttons."""
PARTNERS = ("carrier", "volunteer")  # who a new partner is
CUT_SHARE = 0.3
"""Share of the budget a funding cut takes unless it says otherwise (files, experiments,
the dashboard's button)."""
KINDS_DE = {
    "funding_cut": "Fördermittel gekürzt",
    "coordinator_ends": "Koordinationsstelle endet",
    "key_person_leaves": "Schlüsselperson geht",
    "new_partner": "Neuer Partner",
    "coordinator_hired": "Koordinationsstelle neu besetzt",
    "levers": "Stellschrauben bewegt",
}


@dataclass(frozen=True)
class Event:
    month: int
    kind: Kind
    share: float = CUT_SHARE  # funding_cut: share of the budget cut
    partner: Literal["carrier", "volunteer"] = "carrier"  # new_partner: which kind joins
    field: int | None = None  # new_partner: which field (None = random)
    levers: tuple[tuple[str, float], ...] = ()  # levers: (name, value) pairs, in order

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown event '{self.kind}'; allowed: {', '.join(KINDS)}")
        if self.month < 1:
            raise ValueError(f"event month must be 1 or later, not {self.month}")
        if not 0.0 < self.share <= 1.0:
            raise ValueError(f"funding cut share must be above 0 and at most 1, not {self.share}")
        if (self.kind == "levers") != bool(self.levers):
            raise ValueError("a levers event, and only one, names levers and their values")

    def __repr__(self) -> str:
        # as the dataclass would write it, the levers only where there are any: the
        # validation page fingerprints the patterns' events by their repr
        shown = ", ".join(f"{k}={v!r}" for k, v in self.record().items() if k != "levers")
        return f"Event({shown}" + (f", levers={self.levers!r})" if self.levers else ")")

    def record(self) -> dict:
        """The event as manifests, ``--json`` and fingerprints write it: every field, the
        levers only where there are any (so records of the other kinds read as before)."""
        found = {
            "month": self.month,
            "kind": self.kind,
            "share": self.share,
            "partner": self.partner,
            "field": self.field,
        }
        if self.levers:
            found["levers"] = dict(self.levers)
        return found

    def detail(self) -> str:
        """What the event's kind alone does not say: the cut's share, the partner, the
        levers' new values ("" for the others)."""
        if self.kind == "funding_cut":
            return f"{self.share:.0%}"
        if self.kind == "new_partner":
            return self.partner
        if self.kind == "levers":
            return ", ".join(f"{name} = {value:g}" for name, value in self.levers)
        return ""


def key_person(model: Network):
    """The member with the strongest ties; departments cannot leave."""
    members = model.member_list
    active = {m.unique_id for m in members}
    candidates = [m for m in members if m.leaves_when_unmotivated]
    if not candidates:
        return None
    return max(candidates, key=lambda m: (model.ties.strength(m.unique_id, active), -m.unique_id))


def apply_event(model: Network, event: Event) -> None:
    """Make ``event`` happen now."""
    if event.kind == "funding_cut":
        model.cut_funding(event.share)
    elif event.kind == "coordinator_ends":
        model.end_coordination()
    elif event.kind == "key_person_leaves":
        person = key_person(model)
        if person is not None:
            model.remove_member(person)
    elif event.kind == "new_partner":
        field = event.field if event.field is not None and event.field < model.p.n_fields else None
        model.add_member(event.partner, field)
        model.bodies.fit()  # between months, so the full group splits at once
    elif event.kind == "levers":
        model.set_levers(**dict(event.levers))
    elif event.kind == "coordinator_hired":
        model.hire_coordinator()
