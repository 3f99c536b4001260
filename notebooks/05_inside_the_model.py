# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · Inside the model
#
# `KommuneModel` is a Mesa model: it takes a seed (`rng`) and the parameters, and each
# `step()` is one month. Its members are Mesa agents, held in an `AgentSet`, so Mesa's own
# operations (`select`, `groupby`, `agg`) look inside it. This notebook steps a network by
# hand, looks at its members, its working groups and its ties, moves a lever and ends the
# coordinator's position in the middle of the run, and ends with the workshop dashboard
# inline.
#
# The process of a month and every equation are in docs/ODD.md (sections 3 and 7).

# %%
from sim import KommuneModel, make_params

params = make_params({})  # the defaults; stepping by hand, the run lasts as long as we step
model = KommuneModel(rng=7, params=params)
for _ in range(12):
    model.step()
print("month", model.month, "-", len(model.members), "members")
{
    name: round(value, 3)
    for name, value in model.current.items()
    if name in ("effectiveness", "joint_coverage", "attendance", "trust", "cooperation")
}

# %% [markdown]
# ## The members, with AgentSet operations
#
# Each member is an administration department (`administration`), a carrier (`carrier`,
# freier Träger) or a volunteer initiative (`volunteer`). `groupby("kind")` splits them;
# `agg` summarises an attribute over a set. `model.members` holds the active members only;
# Mesa's `model.agents_by_type` also has the coordinator and the carriers outside the
# network.

# %%
import numpy as np

by_kind = model.members.groupby("kind")
for kind, agents in by_kind:
    print(
        f"{kind:15} {len(agents):3} members, motivation {agents.agg('motivation', np.mean):.2f}, "
        f"joint hours this month {agents.agg('joint_time', sum):6.1f}"
    )

# %%
tired = model.members.select(lambda a: a.motivation < 0.4)
print(len(tired), "members with motivation below 0.4:", sorted(a.kind for a in tired))

# %%
# every agent Mesa holds, by class: the members, the coordinator, and carriers that work
# outside the network (if any)
{cls.__name__: len(agents) for cls, agents in model.agents_by_type.items()}

# %% [markdown]
# One member up close: its fields of work, its goal position (a point in the space of
# goal dimensions: what it wants the network to do), its motivation and what it expects
# the others to give.

# %%
member = model.member_list[0]
print(type(member).__name__, member.unique_id, member.kind, "fields", member.fields)
print("goal", np.round(member.goal, 2))
print("motivation", round(member.motivation, 2), "expectation", round(member.expectation, 2))
print("working groups", len(member.working_groups))

# %% [markdown]
# ## Working groups and ties
#
# Joint work happens in working groups (Arbeitsgruppen), each working on one field (a
# field's members split into groups of about `working_group_size`; duplicate groups may
# arise), which meet on their own calendar; the steering group (Steuerungsgruppe) decides
# on merges and on the network's course. Ties between members grow when they meet, when
# the coordinator keeps in touch and when joint work is returned, and fade without contact
# (`tie_decay`).

# %%
for group in model.working_groups[:5]:
    print(
        f"field {group.field}: {len(group.members):2} members, meets every "
        f"{group.interval:g} months, attendance at its last meeting {group.attendance:.2f}, "
        f"joint output this month {group.output:.1f}"
    )
print("ties held:", len(model.ties), "(with the coordinator and outside carriers)")

# %% [markdown]
# ## A lever and an event in the middle of a run
#
# `set_levers` moves levers between months (what the dashboard's sliders do);
# `end_coordination` ends the coordinator's position (the event `coordinator_ends`). Here
# competition for funding gets fiercer after the first year, and the coordinator's
# position ends; the network goes on for two years. The DataCollector holds every month.

# %%
model.set_levers(competition_intensity=0.8)
model.end_coordination()
for _ in range(24):
    model.step()
months = model.datacollector.get_model_vars_dataframe()
months.index += 1  # the index is the month of the run (the collector counts from 0)
months.loc[[1, 12, 24, 36], ["joint_coverage", "attendance", "members"]]

# %%
import matplotlib.pyplot as plt

ax = months[["joint_coverage", "coverage_hard_to_reach", "attendance"]].plot(figsize=(8, 3.2))
ax.axvline(12.5, color="grey", ls="--")
ax.annotate("competition up, coordination ends", (13, 0.95), fontsize=8)
ax.set(xlabel="month", ylim=(0, 1))
plt.show()

# %% [markdown]
# ## The same run, reproduced
#
# A model is defined by its seed and parameters (and the lever changes made along the
# way): the same definition gives the same months to the last bit.

# %%
again = KommuneModel(rng=7, params=params)
for _ in range(12):
    again.step()
again.set_levers(competition_intensity=0.8)
again.end_coordination()
for _ in range(24):
    again.step()
same = again.datacollector.get_model_vars_dataframe()
same.index += 1
assert same.equals(months)
print("identical:", same.equals(months))

# %% [markdown]
# ## The workshop dashboard, inline
#
# The dashboard of `kommune dashboard` is a Solara component, so it also runs in a
# notebook cell: `Dashboard(inline=True)` puts the controls above the networks and the
# charts. In JupyterLab in the project's environment (`uv run jupyter lab notebooks/`)
# everything it needs comes from the installed packages (tests/test_jupyterlab.py: the page
# asks nothing of any host but JupyterLab's own server); other front ends (VS Code, Colab)
# may fetch Solara's assets from a CDN. The environment variable below turns off Solara's
# usage statistics.

# %%
import os

os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
from sim.dashboard.app import Dashboard

Dashboard(inline=True)
