"""The debrief after a room: what the people in it did, against what the model would have.

Three views, all read from the room's record (its two networks month by month and the
decision log), nothing recomputed:

- **the course**: the room's network against the model alone from the same seed (side B,
  which had the same events); the gap in effectiveness month by month;
- **each player against the rule**: per participant, the share of free time they gave to
  joint work beside the share the model's rule would have given *in the same situation*
  (the rule is evaluated in the room's own month, ``sim.mechanisms.players``), how often
  they came to the meetings against the rule's chance of coming, whether they stepped
  back against its chance of leaving, and the months they kept information back;
- **the moments that changed the course**: the months in which the gap between the two
  networks moved most, with what happened in them (the decisions furthest from the rule,
  the events).

``workbook`` puts them into one Excel file for the trainer.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd

from sim.i18n import percent, t
from sim.room.room import Room

TURNING_POINTS = 3  # moments listed
SHOWN_DEPARTURES = 2  # decisions named per moment


def course(room: Room) -> pd.DataFrame:
    """Month by month: effectiveness of the room's network, of the model alone, the gap."""
    with room.lock:  # (every reading of the room here holds its lock: pages step it)
        a = [row["effectiveness"] for row in room.session.sides[0].rows]
        b = [row["effectiveness"] for row in room.session.sides[1].rows]
    table = pd.DataFrame({"month": range(1, len(a) + 1), "room": a, "model_alone": b})
    table["gap"] = table["room"] - table["model_alone"]
    return table


def players(room: Room) -> pd.DataFrame:
    with room.lock:
        return _players(room)


def _players(room: Room) -> pd.DataFrame:
    """One row per participant and member played: their choices against the rule's in
    the same situations: the share of free hours given; how often they came to the
    meetings, against the rule's chance of coming; whether they stepped back, against the
    rule's chance of leaving at some point; the months it kept information to itself
    (the rule's members never do); for the coordinator, the largest task share against
    the rule's equal split."""
    log = room.log_table()
    columns = [
        "participant",
        "member",
        "kind",
        "months",
        "decided",
        "share",
        "rule_share",
        "attended",
        "rule_attend",
        "stepped_back",
        "rule_leave",
        "withheld",
        "top_task",
        "top_task_share",
        "rule_task_share",
    ]
    if log.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (name, member), own in log.groupby(["participant", "member"], sort=False):
        chose = own[own.decided.astype(bool)]
        met = chose[chose.rule_attend_chance.notna()]  # months with a meeting to go to
        leave = pd.to_numeric(chose.rule_leave_chance, errors="coerce").dropna()
        top = _top_task(chose.tasks)
        rows.append(
            {
                "participant": name,
                "member": int(member),
                "kind": own.kind.iloc[0],
                "months": len(own),
                "decided": len(chose),
                "share": _mean(chose.joint_share),
                "rule_share": _mean(chose.rule_joint_share),
                "attended": _mean((met.attended_meetings > 0).astype(float)) if len(met) else None,
                "rule_attend": _mean(met.rule_attend_chance),
                "stepped_back": bool(chose.step_back.astype("boolean").fillna(False).any()),
                "rule_leave": float(1 - np.prod(1 - leave.to_numpy())) if len(leave) else None,
                "withheld": int((chose.openly.astype("boolean") == False).sum()),  # noqa: E712
                "top_task": top[0],
                "top_task_share": top[1],
                "rule_task_share": _mean(chose.rule_task_share),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _top_task(tasks: pd.Series) -> tuple[str | None, float | None]:
    """The task a coordinator's player gave most of its hours, on average over the months."""
    import json

    splits = [json.loads(v) for v in tasks.dropna()]
    if not splits:
        return None, None
    mean = {k: float(np.mean([split[k] for split in splits])) for k in splits[0]}
    best = max(mean, key=mean.get)
    return best, mean[best]


def _mean(values: pd.Series) -> float | None:
    values = pd.to_numeric(values, errors="coerce").dropna()
    return float(values.mean()) if len(values) else None


def turning_points(room: Room, lang: str = "de", count: int = TURNING_POINTS) -> list[dict]:
    """The months in which the gap between the room's network and the model alone moved
    most (in either direction), largest first, each with its events and the decisions
    furthest from the rule that month."""
    with room.lock:  # one look at the room: a page may run a month meanwhile
        return _turning_points(room, lang, count)


def _turning_points(room: Room, lang: str, count: int) -> list[dict]:
    gaps = course(room)
    if len(gaps) < 1:
        return []
    moved = np.diff(np.concatenate(([0.0], gaps["gap"].to_numpy())))
    order = np.argsort(-np.abs(moved), kind="stable")[:count]
    log = room.log_table()
    with room.lock:
        marks = room.session.marks()
    found = []
    for k in order.tolist():
        month = int(gaps["month"].iloc[k])
        if abs(moved[k]) == 0.0:
            continue
        found.append(
            {
                "month": month,
                "moved": float(moved[k]),
                "gap": float(gaps["gap"].iloc[k]),
                "what": _what_happened(log, marks, month, lang),
            }
        )
    return found


def _what_happened(log: pd.DataFrame, marks: list[dict], month: int, lang: str) -> list[str]:
    said = [
        t(f"note_{m['kind']}", lang).format(share=percent(m.get("share") or 0.0, lang))
        for m in marks
        if m["month"] == month and m["kind"] != "levers"
    ]
    here = log[(log.month == month) & log.decided.astype(bool)].copy()
    if here.empty:
        return said
    share = pd.to_numeric(here.joint_share, errors="coerce")
    rule = pd.to_numeric(here.rule_joint_share, errors="coerce")
    here["distance"] = (share - rule).abs().fillna(0.0)
    here.loc[here.step_back.astype("boolean").fillna(False), "distance"] = 2.0  # leaving first
    for _, row in here.sort_values("distance", ascending=False).head(SHOWN_DEPARTURES).iterrows():
        if row["distance"] <= 0.05:
            break
        if row["distance"] >= 2.0:
            said.append(t("debrief_stepped_back", lang).format(name=row["participant"]))
        else:
            said.append(
                t("debrief_gave", lang).format(
                    name=row["participant"],
                    share=percent(float(share[row.name]), lang),
                    rule=percent(float(rule[row.name]), lang),
                )
            )
    return said


def workbook(room: Room, lang: str = "de") -> bytes:
    """The debrief as an Excel workbook: the course, the players, the moments, and every
    decision with the state it was made in, and each network's months."""
    out = io.BytesIO()
    with room.lock:
        moments = pd.DataFrame(
            [{**m, "what": "; ".join(m["what"])} for m in turning_points(room, lang)],
            columns=["month", "moved", "gap", "what"],
        )
        sheets = {
            "course": course(room),
            "players": players(room),
            "moments": moments,
            "decisions": room.log_table(),
            "room_months": room.session.table(0),
            "model_alone_months": room.session.table(1),
        }
    with pd.ExcelWriter(out, engine="openpyxl") as excel:
        for name, table in sheets.items():
            _as_text(table).to_excel(excel, sheet_name=name, index=False)
    return out.getvalue()


def _as_text(table: pd.DataFrame) -> pd.DataFrame:
    """Names people typed stay text in Excel: one starting with "=" would be written as a
    formula (and could run one on the trainer's computer)."""
    table = table.copy()
    for column in table.select_dtypes(include=["object", "string"]).columns:
        table[column] = table[column].map(
            lambda v: "'" + v if isinstance(v, str) and v.startswith("=") else v
        )
    return table


def gap_option(room: Room, lang: str = "de") -> dict[str, Any]:
    """The course as a chart (ECharts): effectiveness of the room's network and of the
    model alone, with the moments that changed the course numbered on the room's line."""
    with room.lock:  # the course and its moments from one look at the room
        table, points = course(room), turning_points(room, lang)
    room_name, alone_name = t("room_side_room", lang), t("room_side_model", lang)
    data_room = [[int(m), round(100 * v, 2)] for m, v in zip(table.month, table.room, strict=True)]
    data_alone = [
        [int(m), round(100 * v, 2)] for m, v in zip(table.month, table.model_alone, strict=True)
    ]
    return {
        "animation": False,
        "aria": {
            "enabled": True,
            "label": {"description": f"{t('debrief_course', lang)}: {len(table)}"},
        },
        "legend": {"top": 0, "data": [room_name, alone_name]},
        "grid": {"left": 50, "right": 20, "top": 40, "bottom": 40},
        "xAxis": {"type": "value", "name": t("month", lang), "min": 1, "minInterval": 1},
        "yAxis": {"type": "value", "name": "%", "scale": True},
        "toolbox": {
            "right": 0,
            "feature": {"saveAsImage": {"title": t("save_png", lang), "name": "kommune-raum"}},
        },
        "series": [
            {
                "type": "line",
                "name": room_name,
                "data": data_room,
                "showSymbol": False,
                "color": "#1b6ca8",
                "lineStyle": {"width": 3},
                "markPoint": {
                    "symbolSize": 34,
                    "data": [
                        {
                            "coord": data_room[p["month"] - 1],
                            "value": n,
                        }
                        for n, p in enumerate(points, start=1)
                    ],
                },
            },
            {
                "type": "line",
                "name": alone_name,
                "data": data_alone,
                "showSymbol": False,
                "color": "#8a8a8a",
                "lineStyle": {"width": 2, "type": "dashed"},
            },
        ],
    }
