"""The municipal cooperation network as a Mesa model (one step = one month).

The month (docs/ODD.md §3), in order:

1. ``pay_grants``  the year's grants arrive once they are decided (``sim.mechanisms.decisions``).
2. ``coordinate``  the coordinator (or, under shared governance, the members) splits its
                   hours over the seven tasks and the fields; their effects hold for the
                   month; members take in the eye level they meet.
3. ``meet``        bodies that are due meet: attendance, encounters, ties, goal alignment.
4. ``work``        working groups do joint work (conditional cooperation).
5. ``serve``       the rest of everyone's time goes to own services; need is served.
6. motivation      members weigh benefit against cost (agents' ``update_motivation``).
7. ``fund``        every 12 months the departments decide the year's grants.
8. ``turnover``    members leave with a chance that grows as motivation falls, burnt-out
                   volunteers leave; newcomers join.
9. ties decay      without contact, slowed by the coordinator's contact maintenance.
10. ``restructure`` ad-hoc duplicate groups appear; transparency finds them and the steering
                   group merges them after the administration's decision time.
11. indicators     are measured and collected.

A run begins ``spinup_months`` after the network was founded: the model first runs that
long unobserved, so that the reported months start from a state the network could be in,
not from the arbitrary values every simulation starts with (ODD 5). With
``spinup_months = 0`` the run starts at the founding.

All randomness comes from ``self.rng`` (numpy) and ``self.random`` (Mesa's AgentSet
shuffles), both seeded from the ``rng`` the model is created with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

import mesa
import numpy as np
from mesa.agentset import AgentSet

from sim.agents import KINDS, Actor, Administration, Carrier, Coordinator, Volunteer, traits
from sim.indicators import INDICATORS, HeldWatch, NetteRundeWatch, measure
from sim.mechanisms import coordination, decisions, funding, governance
from sim.mechanisms.bodies import Bodies, Body, held
from sim.mechanisms.events import Event, apply_event
from sim.mechanisms.goals import consensus
from sim.mechanisms.joint_work import work_all
from sim.mechanisms.needs import PARTS, Need, serve
from sim.mechanisms.players import Choice, leaves, note
from sim.mechanisms.ties import Ties, random_pairs
from sim.params import LIVE_LEVERS, Params, make_params

if TYPE_CHECKING:
    from sim.files.actors import ActorList


def _indicator(model: KommuneModel, name: str) -> float:
    return model.current[name]


class KommuneModel(mesa.Model):
    """A municipal network of administration, carriers, volunteers and a coordinator.

    Args:
        rng: seed or numpy Generator; the only source of randomness.
        params: validated parameters; ``values`` override single ones by name.
        events: scheduled events (funding cut, coordinator ends, ...), see
            ``sim.mechanisms.events``; their months count from the start of the reported run.
    """

    def __init__(
        self,
        rng: int | np.random.Generator | None = None,
        params: Params | None = None,
        events: Iterable[Event] = (),
        actors: ActorList | None = None,
        **values,
    ) -> None:
        super().__init__(rng=rng)
        self.actor_list = actors  # the real network's actors (sim.files.actors), or None
        base = params.model_dump() if params is not None else {}
        self.p: Params = make_params({**base, **values}) if values or params is None else params
        p = self.p
        self.clock = 0  # months since the network was founded (the spin-up included)
        self.mode = governance.mode(p.governance, p)
        self.ties = Ties(p.tie_floor)
        self.effects = coordination.no_effects(p.n_fields)
        self.routines = {t: np.zeros(p.n_fields) for t in coordination.ROUTINES}
        self.openness = np.zeros(p.n_fields)
        # how far members accept the broker (sim.mechanisms.governance.acceptance)
        self.acceptance = self.mode.neutrality
        self.clarity = np.full(p.n_fields, p.role_clarity)
        self.voice = 0.0
        self.voice_weight = 1.0  # how much one voice counts at the steering table
        self.budget_factor = 1.0
        self.merges = decisions.MergeDecisions()
        # the steering group and the working groups; a body that ends is no case for a merge
        self.bodies = Bodies(self, on_end=self.merges.forget)
        self.grants: list[tuple[int, dict[Carrier, float]]] = []  # decided, not yet paid
        self.exits: Counter[str] = Counter()
        self.entries: Counter[str] = Counter()
        self.meeting_hours = self.coordination_hours = self.coordinator_load = 0.0
        self.lead_hours = 0.0  # a lead organisation's coordinator hours for its own remit
        self.own_hours = 0.0  # members' own coordination hours under shared governance
        self.nette_watch = NetteRundeWatch(p.nette_runde_window)
        self.held_watch = HeldWatch()
        self.meetings_due = self.meetings_held = 0  # this month's, over all bodies
        self.current: dict[str, float] = {}
        self.choices: dict[int, Choice] = {}  # this month's choices of played members (room)
        self.by_rule: dict[int, dict] = {}  # ... and what the model's rule would have chosen
        self.field_state: dict[str, np.ndarray] = {}
        self._membership_changed = True  # who is in which field: recompute (_by_field)

        self._create_actors()
        self._members: dict[Actor, None] = {a: None for a in self.agents if isinstance(a, Actor)}
        self._member_set: AgentSet | None = None
        self.outside: dict[Carrier, None] = {}  # carriers that left: still serving, competing
        self.departed: list[Actor] = []  # volunteers and departments that left (see remove_member)
        self.volunteers_ever = p.n_volunteers
        self._create_ties()
        self.bodies.create(self.member_list, self._steering_seats, self._listed_groups())
        self.coordination_funded = p.coordinator_hours > 0
        self.coordinator = self._create_coordinator()
        if self.coordinator is None:
            self._become_shared()
        self.need = {
            f: Need.of(
                p.need_pressure * self._field_hours(f), p.complex_share, p.hard_to_reach_share
            )
            for f in range(p.n_fields)
        }
        self.field_budget = {
            f: sum(c.reference_funding / len(c.fields) for c in self.carriers_in(f))
            for f in range(p.n_fields)
        }
        self.served = dict.fromkeys(PARTS, 0.0)
        self.served_by_field = {f: dict.fromkeys(PARTS, 0.0) for f in range(p.n_fields)}
        self.need_total = {
            part: sum(getattr(n, part) for n in self.need.values()) for part in PARTS
        }

        self.own_hours = sum(
            min(p.shared_coordination_hours, m.capacity) for m in self.member_list
        )  # what members can pledge at first
        self.field_state = _field_state(self)  # what there is to see at the founding
        self.current = measure(self)
        self._spin_up(p.spinup_months)
        self.events = sorted(events, key=lambda e: e.month)
        for month in sorted({e.month for e in self.events}):
            self.schedule_event(self._fire_events, at=month - 1)
        self.datacollector = mesa.DataCollector(
            model_reporters={name: partial(_indicator, name=name) for name in INDICATORS}
        )

    # --- set-up -----------------------------------------------------------------------------
    def _create_actors(self) -> None:
        """Departments, carriers and volunteer initiatives: drawn from the counts, or taken
        from the actor list (kinds, fields, hours and names; the rest drawn as for drawn
        actors)."""
        p, listed = self.p, self.actor_list
        if listed is not None:
            listed.check(p.model_dump())
        nf, na = p.n_fields, p.n_administration
        rows = {k: listed.of_kind(k) for k in KINDS} if listed else None
        dept_fields = (
            [r.fields for r in rows["administration"]]
            if rows
            else [
                tuple(f for f in range(nf) if f % na == k) if na < nf else (k % nf,)
                for k in range(na)
            ]
        )
        created = Administration.create_agents(
            self,
            na,
            fields=dept_fields,
            capacity=[r.hours for r in rows["administration"]] if rows else p.administration_hours,
            goal=traits.goals(self.rng, self.p, na),
            motivation=traits.motivations(self.rng, self.p, na),
            slope=traits.slopes(self.rng, self.p, na),
        )
        self._name(created, rows, "administration")
        nc = p.n_carriers
        fields = [r.fields for r in rows["carrier"]] if rows else None
        fields = fields or traits.carrier_fields(self.rng, self.p, nc)
        drawn = dict(  # in this order: the draws of a seed stay where they were
            goal=traits.goals(self.rng, self.p, nc),
            motivation=traits.motivations(self.rng, self.p, nc),
            slope=traits.slopes(self.rng, self.p, nc),
        )
        drawn |= traits.carrier_traits(self.rng, self.p, nc)
        if rows:
            drawn["capacity"] = [r.hours for r in rows["carrier"]]
        created = Carrier.create_agents(self, nc, fields=fields, **drawn)
        self._name(created, rows, "carrier")
        nv = p.n_volunteers
        drawn = dict(
            goal=traits.goals(self.rng, self.p, nv),
            motivation=traits.motivations(self.rng, self.p, nv),
            slope=traits.slopes(self.rng, self.p, nv),
        )
        drawn |= traits.volunteer_traits(self.rng, self.p, nv)
        if rows:
            drawn["capacity"] = [r.hours for r in rows["volunteer"]]
        created = Volunteer.create_agents(
            self,
            nv,
            fields=[r.fields for r in rows["volunteer"]]
            if rows
            else [(i % nf,) for i in range(nv)],
            **drawn,
        )
        self._name(created, rows, "volunteer")

    @staticmethod
    def _name(created, rows: dict | None, kind: str) -> None:
        for agent, row in zip(created, rows[kind] if rows else (), strict=False):
            agent.name = row.name

    def _listed_groups(self) -> list[tuple[int, float | None, list[Actor]]] | None:
        """The working groups an actor list defines (field, interval, members), or None:
        then the members are dealt into groups by the rule (``Bodies.create``)."""
        listed = self.actor_list
        if listed is None or not listed.groups:
            return None
        by_name = {a.name: a for a in self.member_list}
        return [
            (g.field, g.interval, [by_name[n] for n in listed.members_of(g.name)])
            for g in listed.groups
        ]

    def _listed_ties(self) -> None:
        """The partnerships the actor list names: in-field ties start as strong as drawn
        in-field ties, ties across fields as cross-field ties."""
        p = self.p
        by_name = {a.name: a for a in self.member_list}
        pairs = [(by_name[a], by_name[b]) for a, b in self.actor_list.partnerships()]
        inside = traits.beta(self.rng, self.p, p.field_tie_strength, len(pairs))
        across = traits.beta(self.rng, self.p, p.cross_tie_strength, len(pairs))
        for (a, b), w_in, w_across in zip(pairs, inside, across, strict=True):
            shared = set(a.fields) & set(b.fields)
            self.ties.set(a.unique_id, b.unique_id, w_in if shared else w_across)

    def _create_ties(self) -> None:
        """Pillars: dense ties inside a field, few across (a stochastic block model) [004].

        Each pair is tied independently, with a probability that gives every actor
        ``field_degree`` ties in its own field and ``cross_field_degree`` ties in others,
        on average; in-field ties start stronger.
        """
        if self.actor_list is not None and self.actor_list.has_partners:
            self._listed_ties()
            return
        p = self.p
        blocks = [
            [a.unique_id for a in self.member_list if a.fields[0] == f] for f in range(p.n_fields)
        ]
        n = sum(len(b) for b in blocks)
        across = p.cross_field_degree / max(1.0, n - n / len(blocks))
        for x, block in enumerate(blocks):
            inside = p.field_degree / (len(block) - 1) if len(block) > 1 else 0.0
            pairs = random_pairs(self.rng, len(block), None, inside)
            for (i, j), w in zip(
                pairs, traits.beta(self.rng, self.p, p.field_tie_strength, len(pairs)), strict=True
            ):
                self.ties.set(block[i], block[j], w)
            for other in blocks[x + 1 :]:
                pairs = random_pairs(self.rng, len(block), len(other), across)
                for (i, j), w in zip(
                    pairs,
                    traits.beta(self.rng, self.p, p.cross_tie_strength, len(pairs)),
                    strict=True,
                ):
                    self.ties.set(block[i], other[j], w)

    def _steering_seats(self) -> list[Actor]:
        """Who sits in the steering group: under shared governance everyone (the plenary);
        otherwise departments (up to ``steering_admin_share`` of the seats), volunteers if
        they have seats (``steering_volunteer_share``, at least one), then the carriers
        with the largest capacity."""
        if not self.mode.has_coordinator:
            return self.member_list
        if self.actor_list is not None and self.actor_list.has_steering:
            marked = {r.name for r in self.actor_list.rows if r.steering}
            return [m for m in self.member_list if m.name in marked]
        p = self.p
        seats = p.steering_group_size
        admins = list(self.members.select(lambda a: a.kind == "administration"))[
            : int(seats * p.steering_admin_share)
        ]
        volunteers = []
        if p.volunteers_in_steering:
            pool = list(self.members.select(lambda a: a.kind == "volunteer"))
            self.rng.shuffle(pool)
            volunteers = pool[: max(1, int(seats * p.steering_volunteer_share))]
        carriers = sorted(
            self.members.select(lambda a: a.kind == "carrier"), key=lambda a: -a.capacity
        )
        chosen = admins + volunteers
        return chosen + carriers[: max(0, seats - len(chosen))]

    def _create_coordinator(self) -> Coordinator | None:
        """A lead organisation's or an office's coordinator (with 0 hours: a position
        nobody is paid for, so nobody coordinates); none under shared governance."""
        p = self.p
        if not self.mode.has_coordinator:
            return None
        hours = governance.coordinator_hours(p.coordinator_hours, self.mode, p)
        coordinator = Coordinator(self, hours, p.coordinator_competence)
        if hours > 0:
            for m in self.steering.members:
                self.ties.set(coordinator.unique_id, m.unique_id, p.coordinator_tie)
        return coordinator

    def _become_shared(self) -> None:
        """Nobody is employed to coordinate: the members steer themselves, all of them at
        the table (the plenary)."""
        self.mode = governance.mode("shared", self.p)
        steering = self.steering
        for m in self.member_list:
            steering.add(m)

    def _field_hours(self, field: int) -> float:
        return sum(a.capacity / len(a.fields) for a in self.member_list if field in a.fields)

    def _spin_up(self, months: int) -> None:
        """Run ``months`` unobserved, then start the record (ODD 5)."""
        for _ in range(months):
            self._month()
        self.exits.clear()
        self.entries.clear()
        self.initial_by_kind = Counter(self.members.groupby("kind").count())
        self.volunteers_ever = self.initial_by_kind["volunteer"]

    # --- views --------------------------------------------------------------------------
    @property
    def month(self) -> int:
        """Month of the reported run (0 before its first step)."""
        return round(self.time)

    @property
    def member_list(self) -> list[Actor]:
        """Active members in the order they joined."""
        return list(self._members)

    @property
    def members(self) -> AgentSet:
        """The active members as an AgentSet (made again only after someone joined or left:
        an AgentSet of thousands costs more to build than a month's phase)."""
        if self._member_set is None:
            self._member_set = AgentSet(self._members, random=self.random)
        return self._member_set

    def everyone(self) -> list[mesa.Agent]:
        """Every agent the network has had: Mesa's registry (members, carriers outside the
        network, the coordinator) and those who departed, in the order they came."""
        return sorted([*self.agents, *self.departed], key=lambda a: a.unique_id)

    @property
    def working_groups(self) -> list[Body]:
        return self.bodies.working

    @property
    def steering(self) -> Body:
        return self.bodies.steering

    def carriers(self) -> list[Carrier]:
        """Carriers in the network."""
        return [m for m in self._members if m.kind == "carrier"]

    def all_carriers(self) -> list[Carrier]:
        """Every carrier of the municipality: in the network or outside it."""
        return self.carriers() + list(self.outside)

    def carriers_in(self, field: int) -> list[Carrier]:
        """The carriers serving ``field``, in the network or outside it: they compete for
        the same funds and clients either way."""
        self._by_field()
        return self._carriers_by_field[field]

    def departments_in(self, field: int) -> int:
        self._by_field()
        return self._departments_per_field[field]

    def _by_field(self) -> None:
        """Recompute who serves which field, only after someone joined or left."""
        if self._membership_changed:
            self._carriers_by_field = {f: [] for f in range(self.p.n_fields)}
            self._departments_per_field = Counter()
            for m in self._members:
                for f in m.fields:
                    if m.kind == "carrier":
                        self._carriers_by_field[f].append(m)
                    elif m.kind == "administration":
                        self._departments_per_field[f] += 1
            for c in self.outside:
                for f in c.fields:
                    self._carriers_by_field[f].append(c)
            self._competitors: dict[Carrier, int] = {}
            self._pressures: dict[Carrier, float] = {}
            self._membership_changed = False

    def competitors_in(self, carrier: Carrier) -> int:
        """Other carriers sharing a contested field with ``carrier``, in the network or not
        (the most in any of its fields; none outside the ``competitive_fields``)."""
        self._by_field()
        known = self._competitors.get(carrier)
        if known is None:
            contested = [f for f in carrier.fields if f < self.p.competitive_fields]
            known = max(len(self._carriers_by_field[f]) for f in contested) - 1 if contested else 0
            self._competitors[carrier] = known
        return known

    def pressures(self) -> dict[Carrier, float]:
        """Each carrier's competition pressure, as far as known (``Carrier.pressure`` fills
        it): it changes only when someone joins or leaves or the levers move, and it is
        read several times a month per carrier (joint work, strain, the field state)."""
        self._by_field()
        return self._pressures

    def duplicates(self) -> list[tuple[Body, Body]]:
        """(duplicate, original) pairs of working groups."""
        return self.bodies.duplicates(self.p.duplicate_threshold)

    def openness_of(self, body: Body) -> float:
        """Open communication in a body: its field's, or all fields' for the steering group."""
        if body.field is None:
            return float(self.openness.mean())
        return float(self.openness[body.field])

    def hierarchy_factor(self, member: Actor) -> float:
        """Share of eye level that survives the administration's hierarchy: a fully
        hierarchical steering style takes ``hierarchy_eye_cost`` of it where nobody
        moderates; open communication shields it [004]."""
        p = self.p
        return 1.0 - p.hierarchy_eye_cost * p.hierarchy * (1.0 - member.openness())

    def coordination_cost(self) -> float:
        """What the coordination costs the carriers' budget per month
        (``sim.mechanisms.governance``)."""
        return governance.monthly_cost(self.funded_hours(), self.p)

    def situation(self) -> coordination.Situation:
        """What a coordinator sees at the start of the month (last month's state, by field)."""
        p = self.p
        nf = p.n_fields
        state = self.field_state
        members = np.zeros(nf)
        for m in self._members:
            for f in m.fields:
                members[f] += 1.0 / len(m.fields)
        groups = np.zeros(nf, dtype=int)
        for b in self.working_groups:
            groups[b.field] += 1
        dups = np.zeros(nf, dtype=int)
        for d, _ in self.duplicates():
            dups[d.field] += 1

        trust, benefit, pressure = state["trust"], state["benefit"], state["pressure"]
        agree, coop, joint = state["consensus"], state["cooperation"], state["joint"]
        output, mix = state["output"], state["mix"]
        targeting = p.targeting_base + (1.0 - p.targeting_base) * self.routines["monitoring"]
        fields = tuple(
            coordination.FieldSituation(
                members=float(members[f]),
                bodies=float(groups[f]) + 1.0 / nf,
                working_groups=int(groups[f]),
                duplicates=int(dups[f]),
                trust=float(trust[f]),
                benefit=float(benefit[f]),
                pressure=float(pressure[f]),
                consensus=float(agree[f]),
                cooperation=float(coop[f]),
                joint_coverage=float(joint[f]),
                output=float(output[f]),
                mix=float(mix[f]),
                openness=float(self.openness[f]),
                clarity=float(self.clarity[f]),
                targeting=float(targeting[f]),
            )
            for f in range(nf)
        )
        return coordination.Situation(
            fields=fields,
            trust=self.current["trust"],
            consensus=self.current["goal_consensus"],
        )

    # --- the month ------------------------------------------------------------------------
    def step(self) -> None:
        self._month()
        self.current = measure(self)
        self.datacollector.collect(self)

    def _month(self) -> None:
        """One month of the network's life (observed or in the spin-up)."""
        self.clock += 1
        self.pay_grants()
        self.members.do("start_month")
        for body in self.bodies:
            body.meeting_cost = body.output = 0.0
        self.coordinate()
        self.members.do("feel_eye_level")
        self.meet()
        if self.coordinator is None or not self.coordinator.active:  # shared governance
            self.own_hours = sum(
                self.members.map("give_coordination", self.p.shared_coordination_hours)
            )
        self.members.do("end_meetings")
        outputs = {f: [] for f in range(self.p.n_fields)}
        groups = self.working_groups
        for group, output in zip(groups, work_all(groups, self), strict=True):
            outputs[group.field].append(output)
        self.serve(outputs)
        self.members.do("update_motivation")
        if self.clock % 12 == 0:
            self.fund()
        self.turnover()
        self.ties.decay(self.p.tie_decay, self._contact_by_member())
        self.restructure()
        self.field_state = _field_state(self)
        if self.clock <= self.p.spinup_months:  # unobserved, but the agents read it
            self.current = measure(self)

    def coordinate(self) -> None:
        """Coordination effort for the month: one coordinator, or the members together."""
        p = self.p
        situation = self.situation()
        self.acceptance = governance.acceptance(self.mode, situation.trust, p)
        if self.coordinator is not None and self.coordinator.active:
            self.effects = self.coordinator.work(situation)
            self.coordination_hours = self.coordinator.hours
            self.lead_hours = self.coordinator.hours - self.coordinator.network_hours()
            self._keep_in_touch()
            self.coordinator_load = coordination.load_ratio(
                self.coordinator.network_hours(), situation, p
            )
        else:  # shared: funded coordination hours, spread over the members, plus their own
            # (given after the meetings; the month's plan rests on what they gave last month)
            given = governance.coordinator_hours(self.funded_hours(), self.mode, p) + self.own_hours
            pooled = governance.shared_hours(given, len(self._members), p)
            quality = governance.shared_quality(situation.trust, situation.consensus, p)
            plan = coordination.plan(pooled, situation, p, quality)
            self.effects = coordination.effects(plan, quality, situation, p)
            self.coordination_hours = given
            self.lead_hours = 0.0
            self.coordinator_load = coordination.load_ratio(pooled, situation, p)
        for task, stock in self.routines.items():  # routines settle in and fade slowly
            target = self.effects[task] * (self.acceptance if task == "moderation" else 1)
            step = (target - stock) / p.routine_memory
            stock += np.where(step < 0.0, step * (1.0 - p.persistence), step)
        self.openness = self.routines["moderation"]  # open talk, as far as the broker is trusted
        self.clarity = p.role_clarity + (1.0 - p.role_clarity) * self.routines["roles"]
        self.voice = self._voice()
        present = sum(1 for m in self.steering.present_members if m.active)
        self.voice_weight = min(1.0, p.steering_group_size / present) if present else 1.0

    def funded_hours(self) -> float:
        """Coordination hours the municipality or a programme pays for: the coordinator's,
        or under shared governance the members' funded coordination time; none once the
        funding has ended."""
        return self.p.coordinator_hours if self.coordination_funded else 0.0

    def _voice(self) -> float:
        """How far volunteers are heard where the network is steered: their share among
        those at the steering group's last meeting, relative to their share among members
        (1 = represented in proportion to their numbers)."""
        present = [m for m in self.steering.present_members if m.active]
        volunteers = sum(1 for m in self._members if m.kind == "volunteer")
        if not present or not volunteers:
            return 0.0
        at_table = sum(1 for m in present if m.kind == "volunteer") / len(present)
        return min(1.0, at_table / (volunteers / len(self._members)))

    def _keep_in_touch(self) -> None:
        """Contact maintenance also ties members to the coordinator, the network's hub: in
        each field, a share of its members as large as the field's contact effect."""
        contact = self.effects["contact"].tolist()
        by_field: list[list[int]] = [[] for _ in contact]
        for m in self._members:
            by_field[m.fields[0]].append(m.unique_id)
        hub = self.coordinator.unique_id
        pairs = []  # one encounter each, the fields' in turn (as if met field by field)
        for share, ids in zip(contact, by_field, strict=True):
            k = min(len(ids), round(share * len(ids)))
            pairs.extend((hub, ids[i]) for i in self.rng.choice(len(ids), size=k, replace=False))
        self.ties.meet_pairs(pairs, self.p.tie_growth)

    def _contact_by_member(self) -> dict[int, float]:
        contact = self.effects["contact"]
        by_id = {m.unique_id: coordination.mean_over(contact, m.fields) for m in self._members}
        if self.coordinator is not None:
            by_id[self.coordinator.unique_id] = coordination.total_effect(contact)
        return by_id

    def meet(self) -> None:
        """The due meetings that take place (``bodies.held``: where nobody is paid to
        convene them, daily business cancels some); the steering group, when it met,
        decides on the duplicates found so far."""
        due = [b for b in self.bodies if b.due(self.clock)]
        steering = [b for b in due if b.kind == "steering"]
        groups = [b for b in due if b.kind == "working"]
        self.random.shuffle(groups)
        convened = self.funded_hours() > 0
        hours = []
        steering_met = False
        self.meetings_due = self.meetings_held = 0
        for body in steering + groups:
            due_now = body.meetings(self.clock)
            times = held(due_now, convened, self.p, self.rng)
            self.meetings_due += due_now
            self.meetings_held += times
            if times:
                hours.append(body.meet(self, times))
                steering_met |= body.kind == "steering"
        self.meeting_hours = sum(hours)  # summed as before meetings could lapse, to the bit
        if steering_met:
            self.merges.decide(self.clock, decisions.delay_months(self.p))

    def serve(self, outputs: dict[int, list]) -> None:
        """Own work and need coverage per field; carriers' visible output for funding."""
        p = self.p
        self.members.do("do_own_work")
        for c in self.outside:
            c.work_outside()
        own = dict.fromkeys(range(p.n_fields), 0.0)
        for m in [*self.member_list, *self.outside]:
            for f in m.fields:
                own[f] += m.own_output / len(m.fields)
        for f in own:  # a lead organisation's coordinator also serves its own remit
            own[f] += self.lead_hours / p.n_fields
        targeting = p.targeting_base + (1.0 - p.targeting_base) * self.routines["monitoring"]
        used = {}
        self.served = dict.fromkeys(PARTS, 0.0)
        for f, need in self.need.items():
            served = serve(need, own[f], outputs[f], float(targeting[f]))
            used[f] = served.own_used
            self.served_by_field[f] = {part: getattr(served, part) for part in PARTS}
            for part in PARTS:
                self.served[part] += getattr(served, part)
        for c in self.all_carriers():
            c.visible_output += c.own_output * sum(used[f] for f in c.fields) / len(c.fields)
            c.joint_hours_year += c.joint_time

    def fund(self) -> None:
        """The departments decide the year's grants; they take effect after the decision
        time (several years' decisions may be on their way), and while none has arrived
        carriers get ``interim_funding`` of what they had."""
        carriers = self.all_carriers()
        for c in carriers:
            c.granted = 0.0
            c.expected = c.funding  # what it counts on this funding year
        budgets = funding.budgets(self)
        self.agents_by_type[Administration].do("distribute_funding", budgets)
        months = decisions.delay_months(self.p)
        grants = {c: c.granted for c in carriers}
        for c in carriers:
            c.new_funding_year()
        if months == 0:
            self._pay(grants)
            return
        if not self.grants:  # nothing on its way: the year starts on interim funding
            for c in carriers:
                c.funding *= self.p.interim_funding
                c.adjust_capacity()
        self.grants.append((self.clock + months, grants))

    def pay_grants(self) -> None:
        """Pay every grant decision that has taken its time (oldest first)."""
        while self.grants and self.clock >= self.grants[0][0]:
            _, grants = self.grants.pop(0)
            self._pay(grants)

    def _pay(self, grants: dict[Carrier, float]) -> None:
        for carrier, amount in grants.items():
            carrier.receive_grant(amount)

    def turnover(self) -> None:
        """Members leave with a chance that rises as motivation falls; burnt-out volunteers
        leave; newcomers arrive, drawn by the network's reputation and onboarding."""
        for m in self.member_list:
            chance = m.leave_chance()
            by_rule = self.rng.random() < chance
            choice = self.choices.get(m.unique_id) if self.choices else None
            if choice is not None:  # the rule's chance of leaving, not its one draw
                note(self.by_rule, m.unique_id, "leave", chance)
            if leaves(choice, by_rule):
                self.remove_member(m)
        p = self.p
        onboarding = float(self.effects["onboarding"][0])
        appeal = (
            p.reputation_weight * self.current["effectiveness"]
            + (1.0 - p.reputation_weight) * onboarding
        )
        founded = p.n_administration + p.n_carriers + p.n_volunteers
        for _ in range(int(self.rng.poisson(p.entry_rate * founded * appeal))):
            self.add_member()

    def remove_member(self, member: Actor) -> None:
        """A member leaves the network. A carrier stays in the municipality and stays a Mesa
        agent: it goes on serving its clients and competing for funds and clients, outside
        the network, and may rejoin. A volunteer initiative or a department that leaves is
        gone from the model: it leaves Mesa's registry (``remove()``), so the agent sets
        hold only who still acts, and is kept in ``departed`` for the dashboard's grey
        nodes (``everyone``)."""
        member.leave()
        del self._members[member]
        self._member_set = None
        if member.kind == "carrier":
            self.outside[member] = None
        else:
            self.departed.append(member)
            member.remove()
        self.exits[member.kind] += 1
        self._membership_changed = True

    def add_member(self, kind: str | None = None, field: int | None = None) -> Actor:
        """A newcomer joins, bound in by onboarding (the coordinator as contact point)."""
        p = self.p
        if kind is None:
            pool = p.n_carriers + p.n_volunteers
            carrier = pool == 0 or self.rng.random() < p.n_carriers / pool
            kind = "carrier" if carrier else "volunteer"
        if field is None:
            field = int(self.rng.integers(p.n_fields))
        bound = p.onboarding_binding * float(self.effects["onboarding"][0])
        motivation = float(traits.motivations(self.rng, self.p, 1)[0])
        common = dict(
            goal=traits.goals(self.rng, self.p, 1)[0],
            motivation=motivation + bound * (1 - motivation),
            slope=traits.slopes(self.rng, self.p, 1)[0],
        )
        outsiders = [c for c in self.outside if field in c.fields]
        if kind == "carrier" and outsiders:  # a carrier of the field (re)joins
            member = outsiders[int(self.rng.integers(len(outsiders)))]
            del self.outside[member]
            member.rejoin(common["motivation"])
        elif kind == "carrier":
            drawn = {k: v[0] for k, v in traits.carrier_traits(self.rng, self.p, 1).items()}
            fields = traits.carrier_fields(self.rng, self.p, 1, start=field)[0]
            member: Actor = Carrier(self, fields, **common, **drawn)
        elif kind == "volunteer":
            drawn = {k: v[0] for k, v in traits.volunteer_traits(self.rng, self.p, 1).items()}
            member = Volunteer(self, (field,), **common, **drawn)
            self.volunteers_ever += 1
        else:
            raise ValueError(f"unknown kind of member: {kind!r}")
        self._members[member] = None
        self._member_set = None
        self.entries[kind] += 1
        tie = p.newcomer_tie + bound * (1.0 - p.newcomer_tie)
        for f in member.fields:
            self.bodies.join(member, f, tie)
        if not self.mode.has_coordinator:
            self.steering.add(member)  # the plenary takes everyone
        if self.coordinator is not None and self.coordinator.active and self.coordinator.hours:
            self.ties.set(self.coordinator.unique_id, member.unique_id, tie)
        self._membership_changed = True
        return member

    def restructure(self) -> None:
        """Duplicates appear ad hoc; transparency finds them, the steering group decides,
        the administration's decision time passes, and they are merged [001]; then groups
        too small end, groups too large split, and empty steering seats are refilled."""
        for _ in range(int(self.rng.poisson(self.p.duplicate_emergence / 12.0))):
            self.bodies.duplicate_one()
        transparency = self.effects["transparency"]
        for duplicate, original in self.duplicates():
            if self.rng.random() < transparency[duplicate.field]:
                self.merges.find(duplicate, original)
        for duplicate, original in self.merges.due(self.clock):
            if duplicate in self.bodies and original in self.bodies:  # not merged away
                self.bodies.fold(duplicate, original)
        self.bodies.tidy(self._steering_seats)

    # --- events -------------------------------------------------------------------------
    def _fire_events(self) -> None:
        upcoming = self.month + 1
        for event in self.events:
            if event.month == upcoming:
                apply_event(self, event)

    def end_coordination(self) -> None:
        """The coordinator's position ends; the members coordinate themselves (shared)."""
        if self.coordinator is not None:
            self.coordinator.leave()
        self.coordination_funded = False
        self._become_shared()

    def hire_coordinator(self) -> None:
        """A coordinator's position is funded again after a gap (a Förderlücke between two
        funding periods): the network goes back to the governance it was built with. A new
        person takes the post and knows only the steering group, re-seated as at the
        start, at ``coordinator_tie``; whatever the network kept through the gap (members,
        ties, routines, motivation) it keeps, and what faded must grow again. Under shared
        governance the members' coordination hours are funded again. Nothing happens
        where a coordinator is at work or no hours are funded (``coordinator_hours`` 0)."""
        if self.p.coordinator_hours <= 0 or (
            self.coordinator is not None and self.coordinator.active
        ):
            return
        self.coordination_funded = True
        self.mode = governance.mode(self.p.governance, self.p)
        if not self.mode.has_coordinator:
            return
        seats = self._steering_seats()
        seated = set(seats)
        for m in [m for m in self.steering.members if m not in seated]:
            self.steering.discard(m)
        for m in seats:  # in the seats' order, never a set's
            self.steering.add(m)
        self.coordinator = self._create_coordinator()

    def cut_funding(self, share: float) -> None:
        funding.cut(self, share)

    def set_levers(self, **values) -> None:
        """Move levers of a running network; they act from the next month.

        Only ``LIVE_LEVERS`` can change while a model runs: the others shape the network
        when it is built (sizes, governance, seats) and need a new model. Values are
        checked like any parameter. Where a lever was turned into agent state at the start,
        that state follows: the coordinator's hours and competence, and the carriers'
        overlaps, which are scaled to the new competition intensity.
        """
        fixed = sorted(set(values) - set(LIVE_LEVERS))
        if fixed:
            raise ValueError(
                f"only these levers change a running model: {', '.join(LIVE_LEVERS)}"
                f" (not {', '.join(fixed)})"
            )
        old, new = self.p, make_params({**self.p.model_dump(), **values}, where="levers")
        self.p = new
        self._membership_changed = True  # competitors and pressures follow the new levers
        self.mode = governance.mode(self.mode.name, new)
        if self.coordinator is not None and self.coordinator.active:
            self.coordinator.hours = governance.coordinator_hours(
                new.coordinator_hours, self.mode, new
            )
            self.coordinator.competence = new.coordinator_competence
        if new.coordinator_hours != old.coordinator_hours:  # funded again, or no longer
            self.coordination_funded = new.coordinator_hours > 0
        if new.competition_intensity != old.competition_intensity:
            for carrier in self.all_carriers():
                carrier.overlap = (
                    min(
                        1.0, carrier.overlap * new.competition_intensity / old.competition_intensity
                    )
                    if old.competition_intensity > 0
                    else new.competition_intensity
                )


def _field_state(model: KommuneModel) -> dict[str, np.ndarray]:
    """Per field, what the coordinator will see next month: trust, benefit, competition
    pressure, goal consensus, cooperation and joint coverage of its members (a member of
    several fields counts in each with weight 1 / its number of fields)."""
    nf = model.p.n_fields
    members = model.member_list
    rows, cols, share = [], [], []
    goals: list[list[np.ndarray]] = [[] for _ in range(nf)]
    for k, m in enumerate(members):
        for f in m.fields:
            rows.append(k)
            cols.append(f)
            share.append(1.0 / len(m.fields))
            goals[f].append(m.goal)
    at = np.zeros((len(members), nf))  # each member's weight in each field
    at[rows, cols] = share
    seen = np.array(
        [
            (m.social, m.benefit, m.pressure(), sum(m.shares) / len(m.shares) if m.shares else 0.0)
            for m in members
        ]
    ).reshape(len(members), 4)
    sums = at.T @ seen  # fields x (trust, benefit, pressure, cooperation)
    n = np.maximum(at.sum(axis=0), 1e-12)
    output, mixed = np.zeros(nf), np.zeros(nf)
    for g in model.working_groups:
        output[g.field] += g.output
        mixed[g.field] += g.output * g.mix
    joint = np.zeros(nf)
    for f in range(nf):
        need = model.need[f].complex + model.need[f].hard_to_reach
        got = model.served_by_field[f]["complex"] + model.served_by_field[f]["hard_to_reach"]
        joint[f] = min(1.0, got / need) if need > 0 else 1.0
    return {
        "trust": sums[:, 0] / n,
        "benefit": sums[:, 1] / n,
        "pressure": sums[:, 2] / n,
        "cooperation": sums[:, 3] / n,
        "consensus": np.array([consensus(np.array(g)) if len(g) > 1 else 1.0 for g in goals]),
        "joint": joint,
        "output": output,
        "mix": np.where(output > 0, mixed / np.maximum(output, 1e-12), 0.0),
    }
