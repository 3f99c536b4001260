"""A participatory room: one network for the whole room, its members played by people.

The trainer opens a room (``Rooms.open``); participants join it with its code and a name
and each takes the role of one member of the network: a carrier, a volunteer initiative,
a department of the administration. Every month each player decides how much of their
free time goes to joint work, whether they go to the meetings due, and whether they stay.
The month runs when all players have decided or the trainer's timer runs out; a player
who has not decided by then gets the model's own rule for that month
(``sim.mechanisms.players``). Model agents play every role nobody took.

Beside the room's network runs the same network from the same seed with the model's
agents alone (side B of the session): the room's course against what the model would
have done, month by month. Events the trainer sets off hit both.

Every decision is logged with the state it was made in and what came of it (``log``):
the debrief's material. Rooms are kept apart by their code; a participant's token (in
their page's address) brings them back to their role after a dropout.
"""

from __future__ import annotations

import io
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.dashboard.session import LIVE_EVENTS, Session
from sim.mechanisms.coordination import TASKS, pinch
from sim.mechanisms.players import Choice

PLAYABLE = ("carrier", "volunteer", "administration")
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I and O: read off a projector
CODE_LENGTH = 4
DEFAULT_TIMER = 90.0  # seconds a month waits for decisions
MAX_ROOMS = 50  # a server keeps this many rooms
IDLE_CLOSE = 6 * 3600.0  # ... and closes one only after it has been idle this long


@dataclass
class Participant:
    token: str
    name: str
    role: int | None = None  # unique_id of the member played
    joined: float = 0.0  # time.time() of joining
    left: int | None = None  # the member they played, if it left the network


class Room:
    """One room: the shared session (A: the room's network, B: model alone), who plays
    whom, this month's decisions, the pace and the log. Twenty pages call it at once:
    every method that reads or changes the room takes its lock, and pages read the room
    only through them (and ``session`` under ``lock``)."""

    def __init__(
        self,
        code: str,
        scenario: str = "default",
        seed: int = 42,
        timer: float = DEFAULT_TIMER,
        coordinator_role: bool = False,
    ) -> None:
        self.code = code
        self.coordinator_role = coordinator_role  # may a person play the coordinator?
        self.session = Session(scenario, seed)
        self.session.set_compare(True)  # B: the same network from the same seed, model alone
        self.lock = threading.RLock()
        self.participants: dict[str, Participant] = {}
        self.pending: dict[int, Choice] = {}  # this month's decisions, by member id
        self.log: list[dict[str, Any]] = []
        self.timer = float(timer)
        self.paused = True  # the trainer starts the clock
        self.deadline: float | None = None
        self.version = 0  # bumped by every change a page must show
        self.trainer_token = secrets.token_hex(8)  # in the trainer's address: the room's key
        self.touched = time.monotonic()  # last change (a room idle for long may be closed)

    # --- who plays whom -------------------------------------------------------------------------
    @property
    def model(self):
        return self.session.sides[0].model

    @property
    def month(self) -> int:
        return self.session.month

    @property
    def finished(self) -> bool:
        return self.session.finished

    def _changed(self) -> None:
        self.version += 1
        self.touched = time.monotonic()

    def is_trainer(self, token: str | None) -> bool:
        """Only the page that opened the room (its address holds the key) steers it."""
        return bool(token) and secrets.compare_digest(token, self.trainer_token)

    def join(self, name: str) -> str:
        """A participant joins under ``name``; returns their token (kept in their page's
        address, so a reload or a locked phone finds their role again)."""
        name = " ".join(name.split())[:40]
        if not name:
            raise ValueError("a name is needed to join")
        with self.lock:
            token = secrets.token_hex(8)
            self.participants[token] = Participant(token, name, joined=time.time())
            self._changed()
            return token

    def participant(self, token: str | None) -> Participant | None:
        with self.lock:
            return self.participants.get(token) if token else None

    def _coordinator(self):
        """The coordinator, if a person may play it and the position exists."""
        c = self.model.coordinator
        return c if self.coordinator_role and c is not None and c.active else None

    def members(self) -> list:
        """The members that can be played, in a fixed order (the coordinator first, if the
        trainer allows it; then by kind and id)."""
        order = {kind: k for k, kind in enumerate(PLAYABLE)}
        found = [m for m in self.model.member_list if m.kind in order]
        coordinator = self._coordinator()
        return [coordinator] * (coordinator is not None) + sorted(
            found, key=lambda m: (order[m.kind], m.unique_id)
        )

    def played(self) -> dict[int, Participant]:
        """Members played by someone, by id (only those still in the network)."""
        active = {m.unique_id for m in self.members()}
        return {
            p.role: p for p in self.participants.values() if p.role is not None and p.role in active
        }

    def marked(self) -> dict[int, str]:
        """Who plays whom, for the network chart: member id -> player's name."""
        with self.lock:
            return {uid: person.name for uid, person in self.played().items()}

    def free_roles(self) -> list:
        with self.lock:
            taken = self.played()
            return [m for m in self.members() if m.unique_id not in taken]

    def take(self, token: str, role: int) -> None:
        """A participant takes a role (one each; a role taken by someone else is refused)."""
        with self.lock:
            person = self.participants.get(token)
            if person is None:
                raise ValueError("unknown participant; join the room first")
            if role not in {m.unique_id for m in self.members()}:
                raise ValueError(f"no member {role} to play in this network")
            holder = self.played().get(role)
            if holder is not None and holder.token != token:
                raise ValueError(f"{holder.name} already plays this member")
            person.role = role
            self._changed()

    def member_of(self, token: str | None):
        """The member a participant plays (None: no role, or it has left the network)."""
        with self.lock:
            person = self.participant(token)
            if person is None or person.role is None:
                return None
            for m in self.model.everyone():
                if m.unique_id == person.role:
                    return m
            return None

    def release(self, token: str) -> None:
        """The trainer frees a participant's role (someone who lost their address, or left
        the room): the member goes back to the model's rule and can be taken again."""
        with self.lock:
            person = self.participants.get(token)
            if person is not None and person.role is not None:
                self.pending.pop(person.role, None)
                person.role = None
                self._changed()

    def label(self, member, lang: str) -> str:
        """How the room calls a member: its name from an actor list, else its kind and a
        number that stays its own (``Freier Träger 3 · Jugend``)."""
        from sim.dashboard.charts import kind_label

        with self.lock:
            return self._label(member, lang, kind_label)

    def _label(self, member, lang: str, kind_label) -> str:
        if member.kind == "coordinator":
            return kind_label("coordinator", lang)
        fields = self.session.scenario.fields(lang)
        where = " / ".join(fields[f] for f in member.fields if f < len(fields))
        if member.name:
            return f"{member.name} · {where}"
        same = [a.unique_id for a in self.model.everyone() if a.kind == member.kind]
        number = same.index(member.unique_id) + 1
        return f"{kind_label(member.kind, lang)} {number} · {where}"

    def situation(self, member, lang: str) -> dict[str, Any]:
        """What a player sees before deciding: their member's month so far and its
        surroundings (partners, funding, competitors, the meetings due)."""
        with self.lock:
            model = self.model
            if member.kind == "coordinator":
                found_pinch = pinch(model.situation(), model.p)
                return {
                    "hours": float(member.network_hours()),
                    "load": float(model.coordinator_load),
                    "acceptance": float(model.acceptance),
                    "pinch": {t: float(np.mean(found_pinch[t])) for t in TASKS},
                    "last_tasks": {
                        t: float(np.sum(member.plan[t])) if member.plan else 0.0 for t in TASKS
                    },
                }
            ids = {m.unique_id: m for m in model.member_list}
            ties = sorted(
                ((w, j) for j, w in model.ties.neighbours(member.unique_id).items() if j in ids),
                reverse=True,
            )
            own = member.month_hours - member.meeting_time - member.joint_time
            found = {
                "motivation": float(member.motivation),
                "capacity": float(member.capacity),
                "meeting_hours": float(member.meeting_time),
                "joint_hours": float(member.joint_time),
                "own_hours": float(max(0.0, own - member.coordination_time)),
                "benefit": float(member.benefit),
                "fairness": float(member.fairness),
                "last_share": float(sum(member.shares) / len(member.shares))
                if member.shares
                else 0.0,
                "partners": [(self.label(ids[j], lang), w) for w, j in ties[:3]],
                "meetings_due": [
                    _body_label(b, self.session.scenario.fields(lang), lang)
                    for b in member.bodies
                    if b.meetings(model.clock + 1) > 0
                ],
            }
            if member.kind == "carrier":
                expected = member.expected
                found["funding"] = float(member.funding / expected) if expected > 0 else 1.0
                found["competitors"] = int(model.competitors_in(member))
            return found

    # --- the month ------------------------------------------------------------------------------
    def decide(
        self,
        token: str,
        joint_share: float | None = None,
        attend: bool | None = None,
        step_back: bool = False,
        tasks: tuple[float, ...] | None = None,
        month: int | None = None,
        openly: bool | None = None,
    ) -> None:
        """A player's choices for this month (they may change them until the month runs):
        a member's share of free hours, meetings and staying; the coordinator's split of
        its hours over the tasks; ``openly=False``: a carrier in a competitive field keeps
        information to itself. ``month``: the month the player saw (the month just
        played, whose next one they decide); a decision for a month already run is
        refused, never carried into the next."""
        with self.lock:
            if month is not None and month != self.month:
                raise ValueError(
                    f"month {self.month + 1} is already under way; look at it again and decide"
                )
            member = self.member_of(token)
            if member is None or not member.active or member.unique_id not in self.played():
                raise ValueError("only a player whose member is in the network decides")
            if member.kind == "coordinator":
                if tasks is None:
                    raise ValueError("the coordinator decides how its hours go to the tasks")
                choice = Choice(tasks=tuple(float(x) for x in tasks))
            else:
                if joint_share is None:
                    raise ValueError("a member decides its share of free hours for joint work")
                if openly is False and not (
                    member.kind == "carrier" and self.model.competitors_in(member) > 0
                ):
                    raise ValueError("only a carrier with competitors keeps information back")
                choice = Choice(
                    joint_share=float(joint_share),
                    attend=attend,
                    step_back=bool(step_back),
                    openly=openly,
                )
            self.pending[member.unique_id] = choice
            self._changed()

    def seen_by(self, token: str | None, every: int = 5) -> tuple:
        """What a participant's page shows changes only when this does: the month, the
        clock (in steps of ``every`` seconds), their role and whether it is still in, their
        own decision, and, while they choose a role, the roles taken. Others' decisions do
        not redraw twenty phones."""
        with self.lock:
            left = self.seconds_left()
            person = self.participants.get(token) if token else None
            role = person.role if person else None
            member = self.member_of(token) if role is not None else None
            active = bool(member is not None and member.active)
            return (
                self.month,
                self.paused,
                self.finished,
                None if left is None else int(left) // every,
                person is not None,
                role,
                active,
                role in self.pending,
                None if active else tuple(sorted(self.played())),
            )

    def decided(self) -> set[int]:
        with self.lock:
            return set(self.pending) & set(self.played())

    def has_decided(self, member) -> bool:
        with self.lock:
            return member.unique_id in self.pending

    def start(self) -> None:
        """The trainer starts (or resumes) the clock: the month runs when all have decided
        or ``timer`` seconds have passed."""
        with self.lock:
            self.paused = False
            self.deadline = time.monotonic() + self.timer
            self._changed()

    def pause(self) -> None:
        with self.lock:
            self.paused = True
            self.deadline = None
            self._changed()

    def set_timer(self, seconds: float) -> None:
        with self.lock:
            self.timer = max(5.0, float(seconds))
            if self.deadline is not None:
                self.deadline = time.monotonic() + self.timer
            self._changed()

    def seconds_left(self) -> float | None:
        with self.lock:
            if self.paused or self.deadline is None:
                return None
            return max(0.0, self.deadline - time.monotonic())

    def tick(self) -> bool:
        """Run the month if it is due: the clock running, and every player decided (at
        least one) or the time up. Any page calls this as it polls; True if it ran."""
        with self.lock:
            if self.paused or self.finished:
                return False
            played = self.played()
            everyone = bool(played) and set(played) <= set(self.pending)
            if everyone or (self.deadline is not None and time.monotonic() >= self.deadline):
                self.advance()
                return True
            return False

    def advance(self, expected: int | None = None) -> None:
        """One month: the decisions made enter the room's network, the rest follow the
        model's rule; both networks step; each played member's month goes into the log.
        ``expected``: the month the caller saw; if it has run meanwhile (a second click,
        a page's poll at the same moment), nothing happens."""
        with self.lock:
            if self.finished or (expected is not None and expected != self.month):
                return
            model = self.model
            played = self.played()
            month = self.month + 1
            rows = {uid: self._state(model, uid, month, person) for uid, person in played.items()}
            model.choices = {uid: c for uid, c in self.pending.items() if uid in played}
            model.by_rule = {}
            try:
                self.session.step()
            finally:
                model.choices = {}
            members = {m.unique_id: m for m in model.everyone()}
            for uid, row in rows.items():
                m = members[uid]
                bodies = getattr(m, "bodies", [])
                attended = sum(b.attended.get(m, 0) for b in bodies if b.last_met == model.clock)
                row.update(
                    attended_meetings=int(attended),
                    joint_hours=float(getattr(m, "joint_time", 0.0)),
                    meeting_hours=float(getattr(m, "meeting_time", 0.0)),
                    motivation_after=float(m.motivation),
                    active_after=bool(m.active),
                    **_rule(model.by_rule.get(uid, {})),
                )
                self.log.append(row)
            self._end_roles_of_leavers()
            self.pending = {}
            self.deadline = None if self.paused else time.monotonic() + self.timer
            self._changed()

    def _state(self, model, uid: int, month: int, person: Participant) -> dict[str, Any]:
        """A played member as its player saw it when deciding, and what they decided."""
        m = next(x for x in self.members() if x.unique_id == uid)
        choice = self.pending.get(uid)
        shares = getattr(m, "shares", None) or [0.0]
        tasks = None
        if choice is not None and choice.tasks is not None:
            tasks = json.dumps(dict(zip(TASKS, _shares(choice.tasks), strict=True)))
        return {
            "room": self.code,
            "month": month,
            "participant": person.name,
            "member": uid,
            "kind": m.kind,
            "field": int(m.fields[0]) if m.fields else -1,
            "decided": choice is not None,
            "joint_share": None if choice is None else choice.joint_share,
            "attend": None if choice is None else choice.attend,
            "step_back": None if choice is None else choice.step_back,
            "openly": None if choice is None else choice.openly is not False,
            "tasks": tasks,
            "motivation": float(m.motivation),
            "capacity": float(getattr(m, "capacity", getattr(m, "hours", 0.0))),
            "last_share": float(sum(shares) / len(shares)),
            "benefit": float(getattr(m, "benefit", 0.0)),
            "fairness": float(getattr(m, "fairness", 0.0)),
            **_surroundings(model, m),
            "effectiveness": float(model.current.get("effectiveness", 0.0)),
        }

    def trigger(self, kind: str) -> None:
        """An event now, in the room's network and in the model-only one alike."""
        if kind not in LIVE_EVENTS:
            raise ValueError(f"unknown event '{kind}'; events: {', '.join(LIVE_EVENTS)}")
        with self.lock:
            self.session.trigger(kind)
            self._end_roles_of_leavers()  # the key person who left may have been played
            self._changed()

    def _end_roles_of_leavers(self) -> None:
        """A member that left the network ends its player's role (a carrier may rejoin
        later, then as the model's again); the player is told and may take another."""
        members = {m.unique_id: m for m in self.model.everyone()}
        for person in self.participants.values():
            m = members.get(person.role) if person.role is not None else None
            if m is not None and not m.active:
                self.pending.pop(person.role, None)
                person.role, person.left = None, m.unique_id

    # --- the record -----------------------------------------------------------------------------
    def log_table(self) -> pd.DataFrame:
        with self.lock:
            return pd.DataFrame(self.log, columns=LOG_COLUMNS)

    def log_parquet(self) -> bytes:
        buffer = io.BytesIO()
        self.log_table().to_parquet(buffer, index=False)
        return buffer.getvalue()


def _shares(values) -> list[float]:
    total = sum(values)
    return [round(v / total, 4) for v in values]


def _body_label(body, fields: tuple[str, ...], lang: str) -> str:
    if body.kind == "steering":
        return "Steuerungsgruppe" if lang == "de" else "steering group"
    name = fields[body.field] if body.field is not None and body.field < len(fields) else ""
    return f"AG {name}" if lang == "de" else f"working group {name}"


def _surroundings(model, m) -> dict[str, Any]:
    """What a player saw of its member's surroundings: its closest partners (ids, three
    strongest ties), and for a carrier its funding against what it counted on and its
    competitors."""
    if m.kind == "coordinator":
        return {"partners": None, "funding": None, "competitors": None}
    active = {x.unique_id for x in model.member_list}
    ties = sorted(
        ((w, j) for j, w in model.ties.neighbours(m.unique_id).items() if j in active),
        reverse=True,
    )
    carrier = m.kind == "carrier"
    return {
        "partners": " ".join(str(j) for _, j in ties[:3]),
        "funding": float(m.funding / m.expected) if carrier and m.expected > 0 else None,
        "competitors": int(model.competitors_in(m)) if carrier else None,
    }


def _rule(chosen: dict[str, list]) -> dict[str, Any]:
    """What the model's rule would have chosen, in the same situation, for a player who
    decided (None for one who left it all to the rule, and where a choice did not arise:
    no meeting this month, no working group): the share of free hours (mean over its
    groups), the chance of coming (mean over the month's meetings), the chance of
    leaving, and for the coordinator each task's share (the equal split)."""
    shares, attend, leave, tasks = (
        chosen.get(k) for k in ("joint_share", "attend", "leave", "tasks")
    )
    return {
        "rule_joint_share": sum(shares) / len(shares) if shares else None,
        "rule_attend_chance": sum(attend) / len(attend) if attend else None,
        "rule_leave_chance": float(leave[0]) if leave else None,
        "rule_task_share": float(tasks[0]) if tasks else None,
    }


LOG_COLUMNS = [
    "room",
    "month",
    "participant",
    "member",
    "kind",
    "field",
    "decided",
    "joint_share",
    "attend",
    "step_back",
    "openly",
    "tasks",
    "motivation",
    "capacity",
    "last_share",
    "benefit",
    "fairness",
    "partners",
    "funding",
    "competitors",
    "effectiveness",
    "attended_meetings",
    "joint_hours",
    "meeting_hours",
    "motivation_after",
    "active_after",
    "rule_joint_share",
    "rule_attend_chance",
    "rule_leave_chance",
    "rule_task_share",
]


class Rooms:
    """The server's rooms, by code. Codes are drawn by the operating system's generator
    (``secrets``), not the model's: they only tell rooms apart."""

    def __init__(self) -> None:
        self._rooms: dict[str, Room] = {}
        self._lock = threading.Lock()

    def open(
        self,
        scenario: str = "default",
        seed: int = 42,
        timer: float = DEFAULT_TIMER,
        coordinator_role: bool = False,
    ) -> Room:
        """A new room with a code of its own. Its network is built before the rooms are
        locked (that takes a moment), so other rooms' pages do not wait for it."""
        room = Room("", scenario, seed, timer, coordinator_role)
        with self._lock:
            if len(self._rooms) >= MAX_ROOMS:  # make room: the longest idle, if idle for long
                idle = min(self._rooms.values(), key=lambda r: r.touched)
                if time.monotonic() - idle.touched < IDLE_CLOSE:
                    raise ValueError(
                        f"this server holds {MAX_ROOMS} rooms in use; open one again later"
                    )
                del self._rooms[idle.code]
            while True:
                code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
                if code not in self._rooms:
                    break
            room.code = code
            self._rooms[code] = room
            return room

    def get(self, code: str | None) -> Room | None:
        with self._lock:
            return self._rooms.get((code or "").strip().upper())


ROOMS = Rooms()
