"""Choices of people who play an actor (the participatory room, ``sim.room``).

In the room, participants play members of the network: a carrier, a volunteer initiative,
a department of the administration. A played member lives its month through the same
mechanisms as every other member; only the choice a mechanism would draw or compute for
it is taken from its player, where the player made one:

- whether it comes to its meetings this month (``bodies``: otherwise a draw from duty and
  motivation);
- the share of its free hours it gives to joint work (``joint_work``: otherwise the
  conditional-cooperation rule); what the group can use of it still depends on how
  lately the group met, as for everyone;
- whether it steps back from the network (``KommuneModel.turnover``: otherwise a draw that
  grows as motivation falls);
- in a competitive field, whether it talks openly or keeps information to itself: open
  talk resolves the tension between cooperation and competition [002 These 1: "Wird
  dieser Widerspruch im Netzwerk nicht durch offene Kommunikation aufgelöst, ist eine
  nachlassende Motivation im Netzwerk die Folge"], and it takes everyone at the table.
  The model's members talk as openly as the field's moderation routine allows; a member
  who keeps information to itself takes its part of that away in each of its working
  groups (``open_share``), so competition there is defused less, for everyone in them
  (``joint_work``: contributions; ``Carrier.strain``: motivation);
- for the coordinator, how its hours are split over the seven tasks (``Coordinator.work``:
  otherwise equally, the seven tasks being the job); within each task the hours still go
  to the fields where the task relieves the most pinching (the probe, ``coordination``).

The model's random draws are taken all the same, so a room in which nobody decides runs
exactly as the model alone from the same seed; the room and the model-only run part
where a player chose otherwise. A player who has not decided by the end of the month
(``Choice`` absent) gets the model's own rule for that month. What the rule would have
chosen for a played member who decided is kept beside the player's choice
(``model.by_rule``), in the same situation: its share of free hours, its chance of coming
to a meeting and of leaving (chances, not the one draw, so the comparison is not luck),
and for the coordinator the equal split. The debrief sets the two side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.mechanisms.coordination import TASKS


@dataclass(frozen=True)
class Choice:
    """One month's choices of one played member; ``None`` leaves a choice to the model."""

    joint_share: float | None = None  # share of its free hours for joint work, 0-1
    attend: bool | None = None  # come to this month's meetings
    step_back: bool = False  # leave the network at the end of this month
    tasks: tuple[float, ...] | None = None  # the coordinator's hours per task (shares)
    openly: bool | None = None  # False: keeps information to itself (a competitive field)

    def __post_init__(self) -> None:
        if self.joint_share is not None and not 0.0 <= self.joint_share <= 1.0:
            raise ValueError(f"joint_share must be between 0 and 1, not {self.joint_share}")
        if self.tasks is not None and (
            len(self.tasks) != len(TASKS) or min(self.tasks) < 0 or sum(self.tasks) <= 0
        ):
            raise ValueError(f"tasks needs {len(TASKS)} shares, none negative, not all 0")


def note(by_rule: dict[int, dict], uid: int, what: str, value) -> None:
    """Keep what the model's rule would have chosen for a played member this month (a
    member in several groups or meetings: each value, in order)."""
    by_rule.setdefault(uid, {}).setdefault(what, []).append(value)


def attends(choice: Choice | None, by_rule: bool) -> bool:
    """Does a member come to a meeting: its player's choice, else the model's draw."""
    if choice is None or choice.attend is None:
        return by_rule
    return choice.attend


def joint_shares(
    shares: np.ndarray,
    ids: list[int],
    choices: dict[int, Choice],
    momentum: np.ndarray,
    by_rule: dict[int, dict],
) -> np.ndarray:
    """Contribution shares with each player's own share in place of the rule's; like the
    rule's, it counts only as far as the group met lately (``momentum``)."""
    shares = shares.copy()
    for row, uid in enumerate(ids):
        choice = choices.get(uid)
        if choice is None:
            continue
        rule = float(shares[row] / momentum[row]) if momentum[row] > 0 else 0.0
        note(by_rule, uid, "joint_share", rule)
        if choice.joint_share is not None:
            shares[row] = choice.joint_share * momentum[row]
    return shares


def leaves(choice: Choice | None, by_rule: bool) -> bool:
    """Does a member leave this month: a player who decided leaves only by stepping back;
    one who did not gets the model's draw."""
    if choice is None:
        return by_rule
    return choice.step_back


def task_hours(choice: Choice | None, hours: float) -> np.ndarray | None:
    """The coordinator's hours per task as its player split them (None: the rule's)."""
    if choice is None or choice.tasks is None:
        return None
    shares = np.asarray(choice.tasks, dtype=float)
    return hours * shares / shares.sum()


def withholds(choice: Choice | None) -> bool:
    return choice is not None and choice.openly is False


def group_open_share(group, choices: dict[int, Choice]) -> float:
    """Share of a working group's members who talk openly (1 when nobody withholds)."""
    closed = sum(withholds(choices.get(m.unique_id)) for m in group.members)
    return 1.0 - closed / len(group.members) if group.members else 1.0


def open_share(member, choices: dict[int, Choice]) -> float:
    """How much of its fields' open talk reaches a member: the mean over its working
    groups of the share who talk openly there (1 without groups or withholders)."""
    groups = member.working_groups
    if not groups:
        return 1.0
    return sum(group_open_share(g, choices) for g in groups) / len(groups)
