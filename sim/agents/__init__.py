"""The actors of a municipal network (docs/ODD.md §2)."""

from sim.agents.actor import Actor
from sim.agents.administration import Administration
from sim.agents.carrier import Carrier
from sim.agents.coordinator import Coordinator
from sim.agents.volunteer import Volunteer

KINDS = ("administration", "carrier", "volunteer")
KINDS_DE = {
    "administration": "Verwaltung",
    "carrier": "Freier Träger",
    "volunteer": "Ehrenamt",
    "coordinator": "Koordination",
}

__all__ = ["KINDS", "KINDS_DE", "Actor", "Administration", "Carrier", "Coordinator", "Volunteer"]
