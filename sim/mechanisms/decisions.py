"""Decisions: how long it takes until what the network needs actually happens.

Two kinds of decision need the administration's sign-off, and both wait for it
[001 "schädliche Prozessdauer durch zu viele notwendige Zwischeninformationen";
004 "durch Hierarchien und Zuständigkeiten geprägte Organisationsstruktur"]:

* **merging duplicate bodies.** Transparency work finds a duplicate working group
  (each month, per duplicate, with the probability of the transparency effect in its
  field); the steering group decides on it at its next meeting ("das Treffen
  richtungsweisender Entscheidungen" [003]); the merge takes effect ``delay`` months
  later [001: "dass bestehende Arbeitsstrukturen zum Teil zusammengeführt ... werden
  konnten"].
* **the annual grants to carriers** (Zuwendungsbescheide). Until the year's grants are
  decided, carriers receive ``interim_funding`` of last year's funding
  (``sim.mechanisms.funding``).

    delay = decision_months x bureaucratic_delay x (1 + hierarchy_delay x hierarchy)
                            x (1 - support_speedup x leadership_support)

Bureaucracy and a hierarchical steering style lengthen decisions; the leadership's support
shortens them [001 Oldenburg: "Hilfreich dabei war die Unterstützung der
Verwaltungsspitze"; 004].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.mechanisms.bodies import Body
    from sim.params import Params


def delay(p: Params) -> float:
    """Months from a decision being due to it taking effect."""
    return (
        p.decision_months
        * p.bureaucratic_delay
        * (1.0 + p.hierarchy_delay * p.hierarchy)
        * (1.0 - p.support_speedup * p.leadership_support)
    )


def delay_months(p: Params) -> int:
    """The delay in whole months (a decision takes effect at the start of a month)."""
    return round(delay(p))


@dataclass
class MergeDecisions:
    """Duplicates found (waiting for the steering group) and merges decided (waiting for
    the administration)."""

    found: dict[Body, Body] = field(default_factory=dict)  # duplicate -> original
    decided: list[tuple[int, Body, Body]] = field(default_factory=list)  # (due, dup, orig)

    def find(self, duplicate: Body, original: Body) -> None:
        if duplicate not in self.found and all(d is not duplicate for _, d, _ in self.decided):
            self.found[duplicate] = original

    def decide(self, clock: int, months: int) -> None:
        """The steering group meets: every found duplicate is decided on."""
        for duplicate, original in self.found.items():
            self.decided.append((clock + months, duplicate, original))
        self.found.clear()

    def due(self, clock: int) -> list[tuple[Body, Body]]:
        """Merges that take effect now (removed from the list)."""
        ready = [(d, o) for when, d, o in self.decided if when <= clock]
        self.decided = [item for item in self.decided if item[0] > clock]
        return ready

    def forget(self, body: Body) -> None:
        """A body that ended (dissolved, merged) is no longer a case for a decision."""
        self.found = {d: o for d, o in self.found.items() if body is not d and body is not o}
        self.decided = [
            item for item in self.decided if body is not item[1] and body is not item[2]
        ]

    @property
    def pending(self) -> int:
        return len(self.found) + len(self.decided)
