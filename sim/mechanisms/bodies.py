"""Bodies (Gremien): the steering group and the working groups, and their meetings.

The steering group (Steuerungsgruppe) sets structure and direction across fields; working
groups (Arbeitsgruppen) do the content work of one field [003]. A body meets every
``interval`` months. Who attends depends on motivation and free time; attending costs
``meeting_hours`` and brings encounters: every attendee meets two others in a random ring,
and each encounter strengthens the tie (Begegnung [003]) and lets goals move closer
(bounded confidence, ``sim.mechanisms.goals``), the more readily the more openly the body talks and
the more the two meet at eye level [001 "verständigungsorientierter Austausch auf
Augenhöhe"]. A ring keeps a meeting's cost linear in its size.

Working groups need their meetings: joint work is agreed there, and a group that has not
met for k months keeps only ``meeting_momentum ** k`` of it [003 Begegnung; "Der Alltag
kann regelmäßigem Treffen des Netzwerks einen Strich durch die Rechnung machen"]. Meeting
costs every attendee ``meeting_hours``, so meeting too often costs time and too seldom
costs joint work.

Meetings are held only as far as someone keeps them going [003 Durchhaltevermögen: "Der
Alltag kann regelmäßigem Treffen des Netzwerks einen Strich durch die Rechnung machen ...
Hartnäckig bleiben"]. Where coordination is paid for (a coordinator, or under shared
governance the members' funded coordination time), someone convenes every due meeting:
inviting, setting the agenda and writing the minutes are part of the job. Where nobody is
paid for it, daily business cancels a due meeting with chance ``everyday_pressure x (1 -
persistence)`` (``held``): a persistent network keeps meeting, a fickle one lets meetings
lapse, and its joint work fades with them.

Two working groups of the same field that share most members are a *duplicate structure*
(Doppelstruktur [001]): they cost meeting time and add nothing, since the same people serve
the same need. Transparency work finds them and the steering group merges them
(``sim.mechanisms.decisions``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms.goals import align, distances
from sim.mechanisms.players import attends, note

if TYPE_CHECKING:
    from sim.mechanisms.network import Member, Network


def encounter_pairs(people: Sequence, rng) -> list[tuple]:
    """Who meets whom in one meeting: neighbours in a random ring (two encounters each)."""
    n = len(people)
    if n < 2:
        return []
    order = rng.permutation(n)
    if n == 2:
        return [(people[order[0]], people[order[1]])]
    return [(people[order[k]], people[order[(k + 1) % n]]) for k in range(n)]


def held(times: int, convened: bool, p, rng) -> int:
    """How many of a body's ``times`` due meetings this month take place: all where someone
    is paid to convene them, otherwise each one unless daily business cancels it, with
    chance ``everyday_pressure x (1 - persistence)`` [003 Durchhaltevermögen]. Draws only
    where a meeting can lapse, so a network coordinated throughout (or one without daily
    pressure) keeps the random stream it had before meetings could lapse."""
    lapse = p.everyday_pressure * (1.0 - p.persistence)
    if convened or times == 0 or lapse == 0.0:
        return times
    return int(rng.binomial(times, 1.0 - lapse))


class Body:
    """A steering group or a working group."""

    def __init__(self, kind: str, field: int | None, interval: float, offset: float) -> None:
        self.kind = kind  # "steering" or "working"
        self.field = field
        self.interval = interval
        self.offset = offset
        self.members: list[Member] = []
        self.attendance = 1.0  # share of members at the last meeting
        self.last_met = math.floor(offset - interval)  # clock month of the last meeting
        self.invited = self.present = 0  # head counts at the last meeting
        self.present_members: set[Member] = set()  # who came, in the last month it met
        self.meeting_cost = 0.0  # hours all attendees spent in this month's meeting
        self.output = 0.0  # joint output of this month (working groups)
        self.mix = 0.0  # diversity of the kinds who contributed this month
        self.times_met = 0  # meetings this month
        self.attended: Counter[Member] = Counter()  # meetings each member came to, this month
        self.on_change: Callable[[], None] | None = None  # set by the Bodies that hold it

    def __repr__(self) -> str:
        return f"Body({self.kind}, field={self.field}, members={len(self.members)})"

    def meetings(self, clock: int) -> int:
        """How many meetings fall into month ``clock``: one every ``interval`` months from
        ``offset`` on (an interval below one month means several a month)."""

        def held(until: float) -> int:
            return math.floor((until - self.offset) / self.interval + 1e-9)

        return max(0, held(clock) - held(clock - 1))

    def due(self, clock: int) -> bool:
        return self.meetings(clock) > 0

    def momentum(self, clock: int, keep: float) -> float:
        """Share of its joint work a group keeps this month: ``keep`` per month since it
        last met (1 in a month with a meeting)."""
        return keep ** (clock - self.last_met)

    def add(self, member: Member) -> None:
        """Seat ``member`` (once; sitting twice in one body is impossible)."""
        if member not in self.members:
            self.members.append(member)
            member.bodies.append(self)
            if self.on_change:
                self.on_change()

    def discard(self, member: Member) -> None:
        if member in self.members:
            self.members.remove(member)
            member.bodies.remove(self)
            if self.on_change:
                self.on_change()

    def meet(self, model: Network, times: int = 1) -> float:
        """Hold this month's meetings; returns the hours they cost all attendees together.
        Attendance and each member's meetings are counted over all of them."""
        self.attended: Counter[Member] = Counter()
        invited = present = 0
        for _ in range(times):
            attendees = self._meet_once(model)
            self.attended.update(attendees)
            invited += len(self.members)
            present += len(attendees)
        self.present_members = set(self.attended)
        self.invited, self.present = invited, present
        self.attendance = present / invited if invited else 0.0
        self.last_met = model.clock
        self.meeting_cost = model.p.meeting_hours * present
        self.times_met = times
        return self.meeting_cost

    def _meet_once(self, model: Network) -> list[Member]:
        p = model.p
        hours = p.meeting_hours
        # Who comes: a member with the time comes out of duty or habit (attendance_norm),
        # otherwise as far as it is motivated; one draw each, in the order they sit
        able = [m for m in self.members if m.hours_left >= hours]
        norm = p.attendance_norm
        draws = model.rng.random(len(able)).tolist()
        comes = [u < norm + (1.0 - norm) * m.motivation for m, u in zip(able, draws, strict=True)]
        if model.choices:  # played members come or stay away as their players chose
            chosen = [model.choices.get(m.unique_id) for m in able]
            for m, c in zip(able, chosen, strict=True):
                if c is not None:  # the rule's chance of coming, not its one draw
                    note(model.by_rule, m.unique_id, "attend", norm + (1.0 - norm) * m.motivation)
            comes = [attends(c, by_rule) for c, by_rule in zip(chosen, comes, strict=True)]
        attendees = [m for m, c in zip(able, comes, strict=True) if c]
        for m in attendees:
            m.spend_meeting(hours)
        openness = model.openness_of(self)
        gain = p.eye_tolerance_gain
        pairs = encounter_pairs(attendees, model.rng)
        model.ties.meet_pairs([(a.unique_id, b.unique_id) for a, b in pairs], p.tie_growth)
        if not pairs:
            return attendees
        gaps = distances(
            np.array([a.goal for a, _ in pairs]), np.array([b.goal for _, b in pairs])
        ).tolist()  # before anyone moves; an encounter after a move measures again
        moved: set[Member] = set()
        for (a, b), gap in zip(pairs, gaps, strict=True):
            eye = 0.5 * (a.eye + b.eye)
            tolerance = min(
                1.0,
                p.tolerance
                * (1.0 + p.openness_tolerance_gain * openness)
                * (1.0 - 0.5 * gain + gain * eye),
            )
            known = None if a in moved or b in moved else gap
            if align(a.goal, b.goal, tolerance, p.convergence, known):
                moved.update((a, b))
        return attendees


def duplicates(groups: Sequence[Body], threshold: float) -> list[tuple[Body, Body]]:
    """(duplicate, original) pairs: same field, heavy overlap; the later-made one is spare.

    Shared members are counted through each member's own list of groups, so the cost
    grows with memberships, not with the square of the number of groups.
    """
    order = {id(g): k for k, g in enumerate(groups)}
    found = []
    for k, later in enumerate(groups):
        shared: dict[int, int] = {}
        for m in later.members:
            for other in m.bodies:
                j = order.get(id(other))
                if j is not None and j < k and other.field == later.field:
                    shared[j] = shared.get(j, 0) + 1
        for j in sorted(shared):
            earlier = groups[j]
            small = min(len(later.members), len(earlier.members))
            if small and shared[j] / small >= threshold:
                found.append((later, earlier))
                break
    return found


def merge(duplicate: Body, original: Body) -> None:
    """Fold a duplicate into its original: its extra members join, the duplicate is gone."""
    for m in list(duplicate.members):
        duplicate.discard(m)
        original.add(m)


class Bodies:
    """The network's bodies and every change to them: founding (at the start, a duplicate
    ad hoc, the other half of a split), a newcomer joining a group, ending, merging a
    duplicate into its original, folding a group too small to go on into another,
    splitting one grown too large, refilling the steering group's empty seats.

    What depends on who sits where (the duplicate pairs) is recomputed only after a change;
    a change made through a body itself (``Body.add``, ``Body.discard``: a member leaving,
    a newcomer joining) counts too, because every body held here reports to it
    (``on_change``). A body that ends is reported to ``on_end`` (the steering group's
    pending merge decisions forget it). The network gives the parameters, the random
    generator, the clock and the ties a newcomer forms; without one (``Bodies()``) only
    the bookkeeping works.
    """

    def __init__(
        self, network: Network | None = None, on_end: Callable[[Body], None] | None = None
    ) -> None:
        self._all: list[Body] = []
        self.steering: Body | None = None
        self._duplicates: tuple[float, list[tuple[Body, Body]]] | None = None
        self.network = network
        self.on_end = on_end

    def __iter__(self) -> Iterator[Body]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def __contains__(self, body: object) -> bool:
        return body in self._all

    @property
    def working(self) -> list[Body]:
        return [b for b in self._all if b.kind == "working"]

    def in_field(self, field: int) -> list[Body]:
        return [b for b in self._all if b.kind == "working" and b.field == field]

    def changed(self) -> None:
        self._duplicates = None

    # --- bookkeeping --------------------------------------------------------------------
    def found(self, body: Body, members: Sequence[Member]) -> Body:
        """Take ``body`` in, with ``members`` seated."""
        for m in members:
            body.add(m)
        body.on_change = self.changed
        self._all.append(body)
        if body.kind == "steering":
            self.steering = body
        self.changed()
        return body

    def end(self, body: Body) -> None:
        self._all.remove(body)
        body.on_change = None
        self.changed()
        if self.on_end is not None:
            self.on_end(body)

    def fold(self, body: Body, into: Body) -> None:
        """``body`` ends, its members moving to ``into`` (a merged duplicate, a group too
        small to go on)."""
        merge(body, into)
        self.end(body)

    def duplicates(self, threshold: float) -> list[tuple[Body, Body]]:
        """(duplicate, original) pairs of working groups (``duplicates``), as of now."""
        if self._duplicates is None or self._duplicates[0] != threshold:
            self._duplicates = (threshold, duplicates(self.working, threshold))
        return self._duplicates[1]

    # --- the groups' life in the network ------------------------------------------------
    def open(
        self,
        kind: str,
        field: int | None,
        members: Sequence[Member],
        interval: float | None = None,
    ) -> Body:
        """A new body, meeting at its kind's interval (or ``interval``) from a month drawn
        in the first."""
        net = self.network
        if interval is None:
            interval = (
                net.p.steering_interval if kind == "steering" else net.p.working_group_interval
            )
        offset = net.clock + float(net.rng.integers(max(1, math.ceil(interval))))
        return self.found(Body(kind, field, interval, offset=offset), members)

    def create(
        self,
        members: Sequence[Member],
        seats: Callable[[], list[Member]],
        groups: Sequence[tuple[int, float | None, list[Member]]] | None = None,
    ) -> None:
        """The bodies at the founding: each field's members dealt into working groups of
        about ``working_group_size`` (or the ``groups`` an actor list defines: field,
        interval, members), then the steering group (``seats`` says who sits in it), then
        ``initial_duplicates`` ad-hoc duplicates."""
        p, rng = self.network.p, self.network.rng
        for field, interval, people in groups or ():
            self.open("working", field, people, interval)
        for f in range(p.n_fields) if groups is None else ():
            people = [a for a in members if f in a.fields]
            rng.shuffle(people)
            count = max(1, math.ceil(len(people) / p.working_group_size))
            for k in range(count):
                self.open("working", f, people[k::count])
        self.open("steering", None, seats())
        for _ in range(p.initial_duplicates):
            self.duplicate_one()

    def duplicate_one(self) -> None:
        """An ad-hoc group forms on the same topic with mostly the same people [001]."""
        net = self.network
        candidates = [b for b in self.working if len(b.members) >= 3]
        if not candidates:
            return
        original = candidates[int(net.rng.integers(len(candidates)))]
        size = max(2, round(net.p.duplicate_overlap * len(original.members)))
        picked = net.rng.choice(len(original.members), size=size, replace=False)
        self.open("working", original.field, [original.members[i] for i in sorted(picked)])

    def join(self, member: Member, field: int, tie: float) -> None:
        """A newcomer joins the field's smallest working group (a full one splits at the
        month's end) and forms ties of strength ``tie`` with up to ``newcomer_peers`` of
        its members."""
        net = self.network
        groups = self.in_field(field)
        if groups:
            group = min(groups, key=lambda b: len(b.members))
            peers = list(group.members)
            group.add(member)
        else:
            peers = []
            self.open("working", field, [member])
        for i in net.rng.permutation(len(peers))[: net.p.newcomer_peers]:
            net.ties.set(member.unique_id, peers[i].unique_id, tie)

    def tidy(self, seats: Callable[[], list[Member]]) -> None:
        """After the month's comings and goings: groups too small end, groups too large
        split, empty steering seats are refilled (``seats``: who is next in line)."""
        for field in range(self.network.p.n_fields):
            self._dissolve_small(field)
        self.fit()
        self._refill_steering(seats)

    def fit(self) -> None:
        """Groups grown past ``working_group_size`` split, and halves split again until
        every group fits (merges can more than double a group)."""
        size = self.network.p.working_group_size
        while too_big := [g for g in self.working if len(g.members) > size]:
            self._split(too_big[0])

    def _split(self, group: Body) -> None:
        """A working group grown past ``working_group_size`` splits into two halves."""
        order = self.network.rng.permutation(len(group.members))
        leaving = [group.members[i] for i in order[: len(order) // 2]]
        for m in leaving:
            group.discard(m)
        half = self.open("working", group.field, leaving)
        half.offset, half.last_met = group.offset, group.last_met  # same rhythm as before

    def _refill_steering(self, seats: Callable[[], list[Member]]) -> None:
        """Seats that leavers left go to the next members in line: the steering group
        stays open and takes in new members [003]. Under shared governance everyone sits
        at the table already."""
        net = self.network
        if not net.mode.has_coordinator:
            return
        steering, size = self.steering, net.p.steering_group_size
        if len(steering.members) >= size:
            return
        for m in seats():
            if len(steering.members) >= size:
                break
            if m not in steering.members:
                steering.add(m)

    def _dissolve_small(self, field: int) -> None:
        """Groups with fewer than two members end, one at a time, their members moving to
        the field's smallest other group; a field's last group stays and waits for
        newcomers."""
        while True:
            groups = self.in_field(field)
            small = [g for g in groups if len(g.members) < 2]
            if not small or len(groups) < 2:
                return
            group = small[0]
            target = min((g for g in groups if g is not group), key=lambda g: len(g.members))
            self.fold(group, target)
