"""The municipal cooperation network as a Mesa model (one step = one month).

The month (DESIGN §3), in order:

1. ``coordinate``  the coordinator (or the members, under shared governance) splits its
                   hours over the seven tasks; their effects hold for the month.
2. ``meet``        bodies that are due meet: attendance, encounters, ties, goal alignment.
3. ``work``        working groups do joint work (conditional cooperation).
4. ``serve``       the rest of everyone's time goes to own services; need is served.
5. motivation      members weigh benefit against cost (agents' ``update_motivation``).
6. ``fund``        every 12 months the departments distribute their budgets.
7. ``turnover``    members with sustained low motivation or burnout leave; newcomers join.
8. ties decay      without contact, slowed by the coordinator's contact maintenance.
9. ``restructure`` ad-hoc duplicate groups appear; transparency work merges them.
10. indicators     are measured and collected.

All randomness comes from ``self.rng`` (numpy) and ``self.random`` (Mesa's AgentSet
shuffles), both seeded from the ``rng`` the model is created with.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import partial

import mesa
import numpy as np
from mesa.agentset import AgentSet

from sim import coordination, funding, governance
from sim.agents import Actor, Administration, Carrier, Coordinator, Volunteer
from sim.bodies import Body, duplicates, merge
from sim.cooperation import draw_slope
from sim.events import Event, apply_event
from sim.indicators import INDICATORS, NetteRundeWatch, measure
from sim.joint_work import work
from sim.needs import PARTS, Need, serve
from sim.params import Params, make_params
from sim.ties import Ties, random_pairs

VOLUNTEER_SPREAD = 1.57
"""Log-sd of volunteers' time budgets: with a median of 6 h/month it gives the
Freiwilligensurvey 2019's shares (60 % give up to 2 h/week, 17 % 6 h/week or more)."""


def _indicator(model: KommuneModel, name: str) -> float:
    return model.current[name]


class KommuneModel(mesa.Model):
    """A municipal network of administration, carriers, volunteers and a coordinator.

    Args:
        rng: seed or numpy Generator; the only source of randomness.
        params: validated parameters; ``values`` override single ones by name.
        events: scheduled events (funding cut, coordinator ends, ...), see ``sim.events``.
    """

    def __init__(
        self,
        rng: int | np.random.Generator | None = None,
        params: Params | None = None,
        events: Iterable[Event] = (),
        **values,
    ) -> None:
        super().__init__(rng=rng)
        base = params.model_dump() if params is not None else {}
        self.p: Params = make_params({**base, **values}) if values or params is None else params
        self.mode = governance.MODES[self.p.governance]
        self.ties = Ties()
        self.effects = dict(coordination.NO_EFFECTS)
        self.openness = 0.0
        self.budget_factor = 1.0
        self.bodies: list[Body] = []
        self.exits: Counter[str] = Counter()
        self.entries: Counter[str] = Counter()
        self.meeting_hours = self.coordination_hours = self.coordinator_load = 0.0
        self.nette_watch = NetteRundeWatch()
        self.current: dict[str, float] = {}
        self._structure_changed = True
        self._duplicates: list[tuple[Body, Body]] = []

        self._create_actors()
        self._members: dict[Actor, None] = {a: None for a in self.agents if isinstance(a, Actor)}
        self.initial_members = len(self._members)
        self.volunteers_ever = self.p.n_volunteers
        self._create_ties()
        self._create_bodies()
        self.coordinator = self._create_coordinator()
        if self.coordinator is None:
            self.mode = governance.MODES["shared"]  # nobody employed: members coordinate
        self.need = {f: Need.of(self.p.need_pressure * self._field_hours(f), self.p.complex_share,
                                self.p.hard_to_reach_share) for f in range(self.p.n_fields)}
        self.field_budget = {f: sum(c.reference_funding / len(c.fields)
                                    for c in self.carriers_in(f)) for f in range(self.p.n_fields)}
        self.served = dict.fromkeys(PARTS, 0.0)
        self.need_total = {part: sum(getattr(n, part) for n in self.need.values())
                           for part in PARTS}

        self.events = sorted(events, key=lambda e: e.month)
        for month in sorted({e.month for e in self.events}):
            self.schedule_event(self._fire_events, at=month - 1)
        self.datacollector = mesa.DataCollector(
            model_reporters={name: partial(_indicator, name=name) for name in INDICATORS}
        )

    # --- set-up -----------------------------------------------------------------------------
    def _goals(self, n: int) -> list[np.ndarray]:
        spread = self.p.goal_heterogeneity
        raw = self.rng.random((n, self.p.goal_dimensions))
        return list(0.5 + spread * (raw - 0.5))

    def _slopes(self, n: int) -> list[float]:
        return [draw_slope(self.rng, self.p.reciprocity) for _ in range(n)]

    def _motivations(self, n: int) -> np.ndarray:
        return self.rng.uniform(0.5, 0.8, n)

    def _carrier_fields(self, n: int, start: int = 0) -> list[tuple[int, ...]]:
        nf = self.p.n_fields
        fields = []
        for i in range(n):
            first = (start + i) % nf
            if nf > 1 and self.rng.random() < self.p.multi_field_share:
                fields.append((first, (first + 1 + int(self.rng.integers(nf - 1))) % nf))
            else:
                fields.append((first,))
        return fields

    def _carrier_traits(self, n: int) -> dict:
        p = self.p
        sigma = 0.5
        return dict(
            capacity=self.rng.lognormal(math.log(p.carrier_hours) - sigma**2 / 2, sigma, n),
            overlap=_beta_around(self.rng, p.competition_intensity, n),
            dependency=_beta_around(self.rng, p.funding_dependency, n),
        )

    def _volunteer_traits(self, n: int) -> dict:
        hours = self.rng.lognormal(math.log(self.p.volunteer_hours), VOLUNTEER_SPREAD, n)
        return dict(capacity=np.clip(hours, 0.5, 160.0),
                    sensitivity=self.rng.uniform(0.2, 0.6, n))

    def _create_actors(self) -> None:
        p = self.p
        nf, na = p.n_fields, p.n_administration
        dept_fields = [tuple(f for f in range(nf) if f % na == k) if na < nf else (k % nf,)
                       for k in range(na)]
        Administration.create_agents(
            self, na, fields=dept_fields, capacity=p.administration_hours,
            goal=self._goals(na), motivation=self._motivations(na), slope=self._slopes(na))
        nc = p.n_carriers
        Carrier.create_agents(
            self, nc, fields=self._carrier_fields(nc), goal=self._goals(nc),
            motivation=self._motivations(nc), slope=self._slopes(nc), **self._carrier_traits(nc))
        nv = p.n_volunteers
        Volunteer.create_agents(
            self, nv, fields=[(i % nf,) for i in range(nv)], goal=self._goals(nv),
            motivation=self._motivations(nv), slope=self._slopes(nv),
            **self._volunteer_traits(nv))

    def _create_ties(self) -> None:
        """Pillars: dense ties inside a field, few across (a stochastic block model) [004].

        Each pair is tied independently, with a probability that gives every actor
        ``field_degree`` ties in its own field and ``cross_field_degree`` ties in others,
        on average; in-field ties start stronger.
        """
        p = self.p
        blocks = [[a.unique_id for a in self.member_list if a.fields[0] == f]
                  for f in range(p.n_fields)]
        n = sum(len(b) for b in blocks)
        across = p.cross_field_degree / max(1.0, n - n / len(blocks))
        for x, block in enumerate(blocks):
            inside = p.field_degree / (len(block) - 1) if len(block) > 1 else 0.0
            for i, j in random_pairs(self.rng, len(block), None, inside):
                self.ties.set(block[i], block[j], self.rng.uniform(0.2, 0.5))
            for other in blocks[x + 1:]:
                for i, j in random_pairs(self.rng, len(block), len(other), across):
                    self.ties.set(block[i], other[j], self.rng.uniform(0.1, 0.3))

    def _create_bodies(self) -> None:
        p = self.p
        for f in range(p.n_fields):
            people = [a for a in self.member_list if f in a.fields]
            self.rng.shuffle(people)
            count = max(1, math.ceil(len(people) / p.working_group_size))
            for k in range(count):
                self._add_body("working", f, people[k::count])
        self._add_body("steering", None, self._steering_seats())
        for _ in range(p.initial_duplicates):
            self._duplicate_a_group()

    def _steering_seats(self) -> list[Actor]:
        seats = self.p.steering_group_size
        admins = [a for a in self.member_list if a.kind == "administration"][: seats // 2]
        volunteers = []
        if self.p.volunteers_in_steering:
            pool = [a for a in self.member_list if a.kind == "volunteer"]
            self.rng.shuffle(pool)
            volunteers = pool[: max(1, seats // 4)]
        carriers = sorted((a for a in self.member_list if a.kind == "carrier"),
                          key=lambda a: -a.capacity)
        chosen = admins + volunteers
        return chosen + carriers[: max(0, seats - len(chosen))]

    def _add_body(self, kind: str, field: int | None, members: list[Actor]) -> Body:
        interval = self.p.steering_interval if kind == "steering" else self.p.working_group_interval
        body = Body(kind, field, interval, offset=int(self.rng.integers(interval)))
        for m in members:
            body.add(m)
        self.bodies.append(body)
        self._structure_changed = True
        return body

    def _duplicate_a_group(self) -> None:
        """An ad-hoc group forms on the same topic with mostly the same people [001]."""
        candidates = [b for b in self.working_groups if len(b.members) >= 3]
        if not candidates:
            return
        original = candidates[int(self.rng.integers(len(candidates)))]
        size = max(2, round(self.p.duplicate_overlap * len(original.members)))
        picked = self.rng.choice(len(original.members), size=size, replace=False)
        self._add_body("working", original.field, [original.members[i] for i in sorted(picked)])

    def _create_coordinator(self) -> Coordinator | None:
        p = self.p
        if not self.mode.has_coordinator or p.coordinator_hours <= 0:
            return None
        coordinator = Coordinator(self, p.coordinator_hours, p.coordinator_competence,
                                  p.allocation)
        for m in self.steering.members:
            self.ties.set(coordinator.unique_id, m.unique_id, 0.3)
        return coordinator

    def _field_hours(self, field: int) -> float:
        return sum(a.capacity / len(a.fields) for a in self.member_list if field in a.fields)

    # --- views --------------------------------------------------------------------------
    @property
    def month(self) -> int:
        return round(self.time)

    @property
    def member_list(self) -> list[Actor]:
        """Active members in the order they joined."""
        return list(self._members)

    @property
    def members(self) -> AgentSet:
        return AgentSet(self._members, random=self.random)

    @property
    def working_groups(self) -> list[Body]:
        return [b for b in self.bodies if b.kind == "working"]

    @property
    def steering(self) -> Body:
        return next(b for b in self.bodies if b.kind == "steering")

    def carriers(self) -> list[Carrier]:
        return [m for m in self._members if m.kind == "carrier"]

    def carriers_in(self, field: int) -> list[Carrier]:
        self._refresh_structure()
        return self._carriers_by_field[field]

    def departments_in(self, field: int) -> int:
        self._refresh_structure()
        return self._departments_per_field[field]

    def _refresh_structure(self) -> None:
        """Recompute what depends on who sits where, only after it changed."""
        if self._structure_changed:
            self._duplicates = duplicates(self.working_groups)
            self._carriers_by_field = {f: [] for f in range(self.p.n_fields)}
            self._departments_per_field = Counter()
            for m in self._members:
                for f in m.fields:
                    if m.kind == "carrier":
                        self._carriers_by_field[f].append(m)
                    elif m.kind == "administration":
                        self._departments_per_field[f] += 1
            self._structure_changed = False

    def competitors_in(self, carrier: Carrier) -> int:
        """Other active carriers sharing a field with ``carrier``."""
        self._refresh_structure()
        return max(len(self._carriers_by_field[f]) for f in carrier.fields) - 1

    def duplicates(self) -> list[tuple[Body, Body]]:
        """(duplicate, original) pairs of working groups."""
        self._refresh_structure()
        return self._duplicates

    def situation(self) -> coordination.Situation:
        """What a coordinator sees at the start of the month (last month's indicators)."""
        last = self.current
        members = self.member_list
        carriers = self.carriers()
        return coordination.Situation(
            members=len(members),
            bodies=len(self.bodies),
            working_groups=len(self.working_groups),
            fields=self.p.n_fields,
            duplicates=len(self.duplicates()),
            trust=last.get("trust", 0.3),
            benefit=float(np.mean([m.benefit for m in members])) if members else 0.0,
            pressure=float(np.mean([c.pressure() for c in carriers])) if carriers else 0.0,
            goal_consensus=last.get("goal_consensus", 0.5),
            cooperation=last.get("cooperation", 0.5),
            effectiveness=last.get("effectiveness", 0.5),
            shrinkage=max(0.0, 1.0 - len(members) / self.initial_members),
        )

    # --- the month ------------------------------------------------------------------------
    def step(self) -> None:
        self.members.do("start_month")
        for body in self.bodies:
            body.meeting_cost = body.output = 0.0
        self.coordinate()
        self.meet()
        self.members.do("end_meetings")
        outputs = {f: [] for f in range(self.p.n_fields)}
        for group in self.working_groups:
            outputs[group.field].append(work(group, self))
        self.serve(outputs)
        self.members.do("update_motivation")
        if self.month % 12 == 0:
            self.fund()
        self.turnover()
        self.ties.decay(self.p.tie_decay * (1.0 - self.effects["contact"]))
        self.restructure()
        self.current = measure(self)
        self.datacollector.collect(self)

    def coordinate(self) -> None:
        """Coordination effort for the month: one coordinator, or the members together."""
        situation = self.situation()
        if self.coordinator is not None and self.coordinator.active:
            hours = self.coordinator.hours
            self.effects = self.coordinator.work(situation)
            self._keep_in_touch()
        else:
            hours = sum(m.give(self.p.shared_coordination_hours) for m in self.member_list)
            pooled = governance.shared_hours(hours, len(self.member_list))
            plan = coordination.plan(pooled, self.p.allocation, situation)
            quality = governance.shared_quality(situation.trust)
            self.effects = coordination.effects(plan, quality, situation)
            self.coordination_hours = hours
            self.coordinator_load = coordination.load_ratio(pooled, situation)
            self.openness = self.effects["moderation"] * self.mode.neutrality
            return
        self.coordination_hours = hours
        self.coordinator_load = coordination.load_ratio(hours, situation)
        self.openness = self.effects["moderation"] * self.mode.neutrality

    def _keep_in_touch(self) -> None:
        """Contact maintenance also ties members to the coordinator, the network's hub."""
        members = self.member_list
        k = min(len(members), round(self.effects["contact"] * len(members)))
        for i in self.rng.choice(len(members), size=k, replace=False):
            self.ties.meet(self.coordinator.unique_id, members[i].unique_id, self.p.tie_growth)

    def meet(self) -> None:
        due = [b for b in self.bodies if b.due(self.month)]
        steering = [b for b in due if b.kind == "steering"]
        groups = [b for b in due if b.kind == "working"]
        self.random.shuffle(groups)
        self.meeting_hours = sum(body.meet(self) for body in steering + groups)

    def serve(self, outputs: dict[int, list]) -> None:
        """Own work and need coverage per field; carriers' visible output for funding."""
        self.members.do("do_own_work")
        own = dict.fromkeys(range(self.p.n_fields), 0.0)
        for m in self.member_list:
            for f in m.fields:
                own[f] += m.own_output / len(m.fields)
        targeting = 0.5 + 0.5 * self.effects["monitoring"]
        used = {}
        self.served = dict.fromkeys(PARTS, 0.0)
        for f, need in self.need.items():
            served = serve(need, own[f], outputs[f], targeting)
            used[f] = served.own_used
            for part in PARTS:
                self.served[part] += getattr(served, part)
        for c in self.carriers():
            c.visible_output += c.own_output * sum(used[f] for f in c.fields) / len(c.fields)
            c.joint_hours_year += c.joint_time

    def fund(self) -> None:
        carriers = self.carriers()
        for c in carriers:
            c.funding = 0.0
        self.agents_by_type[Administration].do("distribute_funding")
        for c in carriers:
            c.adjust_capacity()
            c.new_funding_year()

    def turnover(self) -> None:
        for m in [m for m in self.member_list if m.wants_to_leave()]:
            self.remove_member(m)
        appeal = 0.5 * self.current.get("effectiveness", 0.5) + 0.5 * self.effects["onboarding"]
        for _ in range(int(self.rng.poisson(self.p.entry_rate * appeal))):
            self.add_member()

    def remove_member(self, member: Actor) -> None:
        member.leave()
        del self._members[member]
        self.exits[member.kind] += 1
        self._structure_changed = True

    def add_member(self, kind: str | None = None, field: int | None = None) -> Actor:
        """A newcomer joins, bound in by onboarding (the coordinator as contact point)."""
        p = self.p
        if kind is None:
            pool = p.n_carriers + p.n_volunteers
            carrier = pool == 0 or self.rng.random() < p.n_carriers / pool
            kind = "carrier" if carrier else "volunteer"
        if field is None:
            field = int(self.rng.integers(p.n_fields))
        onboarding = self.effects["onboarding"]
        common = dict(goal=self._goals(1)[0], motivation=0.6 + 0.3 * onboarding,
                      slope=self._slopes(1)[0])
        if kind == "carrier":
            traits = {k: v[0] for k, v in self._carrier_traits(1).items()}
            fields = self._carrier_fields(1, start=field)[0]
            member: Actor = Carrier(self, fields, **common, **traits)
        elif kind == "volunteer":
            traits = {k: v[0] for k, v in self._volunteer_traits(1).items()}
            member = Volunteer(self, (field,), **common, **traits)
            self.volunteers_ever += 1
        else:
            raise ValueError(f"unknown kind of member: {kind!r}")
        self._members[member] = None
        self.entries[kind] += 1
        for f in member.fields:
            self._join_working_group(member, f, onboarding)
        if self.coordinator is not None and self.coordinator.active:
            self.ties.set(self.coordinator.unique_id, member.unique_id, 0.2 + 0.5 * onboarding)
        self._structure_changed = True
        return member

    def _join_working_group(self, member: Actor, field: int, onboarding: float) -> None:
        """Join the field's smallest working group (a full one splits at month's end)."""
        groups = [b for b in self.working_groups if b.field == field]
        if groups:
            group = min(groups, key=lambda b: len(b.members))
            peers = list(group.members)
            group.add(member)
        else:
            peers = []
            self._add_body("working", field, [member])
        for i in self.rng.permutation(len(peers))[:2]:
            self.ties.set(member.unique_id, peers[i].unique_id, 0.1 + 0.3 * onboarding)

    def restructure(self) -> None:
        """Duplicates appear ad hoc; transparency finds and merges them [001]."""
        for _ in range(int(self.rng.poisson(self.p.duplicate_emergence / 12.0))):
            self._duplicate_a_group()
        p = self.p
        speed = 1.0 - p.bureaucratic_delay * (1.0 - p.leadership_support)
        chance = self.effects["transparency"] * speed
        for duplicate, original in self.duplicates():
            live = duplicate in self.bodies and original in self.bodies  # not merged away
            if live and self.rng.random() < chance:
                merge(duplicate, original)
                self.bodies.remove(duplicate)
                self._structure_changed = True
        for field in range(p.n_fields):
            self._dissolve_small(field)
        self.fit_working_groups()
        self._refill_steering()

    def fit_working_groups(self) -> None:
        """Groups grown past ``working_group_size`` split, and halves split again until
        every group fits (merges can more than double a group)."""
        size = self.p.working_group_size
        while too_big := [g for g in self.working_groups if len(g.members) > size]:
            self._split(too_big[0])

    def _split(self, group: Body) -> None:
        """A working group grown past ``working_group_size`` splits into two halves."""
        order = self.rng.permutation(len(group.members))
        leaving = [group.members[i] for i in order[: len(order) // 2]]
        for m in leaving:
            group.discard(m)
        self._add_body("working", group.field, leaving)

    def _refill_steering(self) -> None:
        """Seats that leavers left go to the next members in line: the steering group
        stays open and takes in new members [003]."""
        steering = self.steering
        if len(steering.members) >= self.p.steering_group_size:
            return
        for m in self._steering_seats():
            if len(steering.members) >= self.p.steering_group_size:
                break
            if m not in steering.members:
                steering.add(m)
                self._structure_changed = True

    def _dissolve_small(self, field: int) -> None:
        """Groups with fewer than two members end, one at a time, their members moving to
        the field's smallest other group; a field's last group stays and waits for
        newcomers."""
        while True:
            groups = [g for g in self.working_groups if g.field == field]
            small = [g for g in groups if len(g.members) < 2]
            if not small or len(groups) < 2:
                return
            group = small[0]
            target = min((g for g in groups if g is not group), key=lambda g: len(g.members))
            for m in list(group.members):
                group.discard(m)
                target.add(m)
            self.bodies.remove(group)
            self._structure_changed = True

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
        self.mode = governance.MODES["shared"]

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
            raise ValueError(f"only these levers change a running model: {', '.join(LIVE_LEVERS)}"
                             f" (not {', '.join(fixed)})")
        old, new = self.p, make_params({**self.p.model_dump(), **values}, where="levers")
        self.p = new
        if self.coordinator is not None and self.coordinator.active:
            self.coordinator.hours = new.coordinator_hours
            self.coordinator.competence = new.coordinator_competence
        if new.competition_intensity != old.competition_intensity:
            for carrier in self.carriers():
                carrier.overlap = (min(1.0, carrier.overlap * new.competition_intensity
                                       / old.competition_intensity)
                                   if old.competition_intensity > 0
                                   else new.competition_intensity)


LIVE_LEVERS = ("coordinator_hours", "coordinator_competence", "leadership_support",
               "joint_funding_share", "competition_intensity", "eye_level", "hierarchy",
               "persistence", "tolerance", "bureaucratic_delay")
"""Levers a workshop can move while the network runs."""


def _beta_around(rng: np.random.Generator, mean: float, n: int) -> np.ndarray:
    """n draws in [0, 1] with the given mean (Beta with concentration 4); exact at 0 and 1."""
    if mean <= 0.0 or mean >= 1.0:
        return np.full(n, float(mean))
    return rng.beta(4.0 * mean, 4.0 * (1.0 - mean), n)
