"""The app ``kommune dashboard`` and ``kommune room`` serve (``solara run sim.app``): its
pages by address, each in the same frame.

- ``/``: the workshop dashboard (``sim.dashboard.app``);
- ``/planung``: the planners' page (``sim.dashboard.planning``);
- ``/raum`` and ``/mitmachen``: the participatory room, the trainer's page and the
  participants' (``sim.room.app``).

Each page's module is imported when the page is first opened, so the server starts
without the others' weight.
"""

from __future__ import annotations

import solara

from sim.dashboard.app import Layout, Page


@solara.component
def PlanningPage():
    from sim.dashboard.planning import Planning

    Planning()


@solara.component
def RoomPage():
    from sim.room.app import TrainerPage

    TrainerPage()


@solara.component
def JoinPage():
    from sim.room.app import ParticipantPage

    ParticipantPage()


routes = [
    solara.Route(path="/", component=Page, label="Workshop", layout=Layout),
    solara.Route(path="planung", component=PlanningPage, label="Planung", layout=Layout),
    solara.Route(path="raum", component=RoomPage, label="Raum", layout=Layout),
    solara.Route(path="mitmachen", component=JoinPage, label="Mitmachen", layout=Layout),
]
