"""What the mechanisms see of the network and its members, as structural types.

The mechanisms, the agents and the indicators act on the model and its members, and the
model puts them together; if they named ``KommuneModel`` or the agent classes even for
their type hints, the model, its agents and its mechanisms would import each other in
one circle. They name these protocols instead: ``KommuneModel`` and every ``Actor``
satisfy them structurally, and the package's imports run one way (parameters and ties,
then mechanisms, then agents, then the model). The lists are also the answer to "what
does this mechanism read of the model?": nothing else.

Only type checkers read this module; nothing here runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np

    from sim.mechanisms.governance import Mode
    from sim.mechanisms.ties import Ties
    from sim.params import Params


class Member(Protocol):
    """A member of the network (administration, carrier, volunteer) as bodies, joint work
    and funding see it (``sim.agents.Actor``)."""

    unique_id: int
    kind: str
    fields: tuple[int, ...]
    goal: np.ndarray
    motivation: float
    expectation: float
    slope: float
    eye: float
    free: float  # hours left this month once meetings are over
    joint_time: float  # hours given to joint work this month
    bodies: list[Any]  # the bodies it sits in (sim.mechanisms.bodies.Body)

    @property
    def working_groups(self) -> list[Any]: ...
    def pressure(self) -> float: ...
    def spend_meeting(self, hours: float) -> None: ...
    def note_work(
        self,
        given: float,
        social: float,
        share: float,
        expectation: float,
        fairness: float,
        benefit: float,
    ) -> None: ...


class Grantee(Member, Protocol):
    """A carrier as funding sees it (``sim.agents.Carrier``)."""

    funding: float
    visible_output: float
    joint_hours_year: float

    def adjust_capacity(self) -> None: ...


class Network(Protocol):
    """The model as its mechanisms, agents, events and indicators see it
    (``sim.model.KommuneModel``)."""

    p: Params
    rng: np.random.Generator
    clock: int
    ties: Ties
    mode: Mode
    bodies: Any  # sim.mechanisms.bodies.Bodies: iterable, .working, .steering, .fit(), ...
    openness: np.ndarray
    clarity: np.ndarray
    voice: float
    voice_weight: float
    current: dict[str, float]
    served: dict[str, float]
    need_total: dict[str, float]
    meeting_hours: float
    coordination_hours: float
    coordinator_load: float
    volunteers_ever: int
    budget_factor: float  # share of the budgets left after cuts
    field_budget: dict[int, float]
    nette_watch: Any  # sim.indicators.NetteRundeWatch
    held_watch: Any  # sim.indicators.HeldWatch
    meetings_due: int  # this month's meetings due and held, over all bodies
    meetings_held: int
    choices: dict[int, Any]  # this month's choices of played members (sim.mechanisms.players)
    by_rule: dict[int, dict]  # ... and what the model's rule would have chosen for them

    @property
    def member_list(self) -> list[Member]: ...
    def all_carriers(self) -> list[Grantee]: ...
    @property
    def steering(self) -> Any: ...
    def duplicates(self) -> list[tuple[Any, Any]]: ...
    def openness_of(self, body: Any) -> float: ...
    def hierarchy_factor(self, member: Member) -> float: ...
    def competitors_in(self, carrier: Grantee) -> int: ...
    def pressures(self) -> dict[Any, float]: ...
    def coordination_cost(self) -> float: ...
    def add_member(self, kind: str | None = None, field: int | None = None) -> Member: ...
    def remove_member(self, member: Member) -> None: ...
    def set_levers(self, **values: Any) -> None: ...
    def end_coordination(self) -> None: ...
    def hire_coordinator(self) -> None: ...
    def cut_funding(self, share: float) -> None: ...


__all__ = ["Grantee", "Member", "Network"]
