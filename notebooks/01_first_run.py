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
# # 01 · A first run
#
# *Vernetzte Kommune* simulates a municipal network: the administration (Verwaltung),
# welfare and service carriers (freie Träger), volunteer initiatives (Ehrenamt) and, if
# someone pays for one, a coordinator. Each month the members split their hours between
# their own services and joint work in working groups, attend the meetings that are due,
# and their ties grow and fade; carriers and volunteers leave when it stops being worth
# it. What comes out is how much of the town's need is served (by the members and by
# carriers outside the network), and whether the network is a working one or a *nette
# Runde* (a pleasant round table without effect).
#
# This notebook runs the built-in default scenario once, looks at its monthly table and
# plots it, and says what each indicator means. It takes a few seconds.

# %%
from sim import INDICATORS, load_scenario, run_scenario

result = run_scenario("default", seed=42)
table = result.table
table[["month", "effectiveness", "joint_coverage", "members", "attendance"]].tail()

# %% [markdown]
# That is the model in two lines: a scenario (here the built-in `default`) and a seed.
# The same scenario and seed give the same run (with the same versions of the packages,
# which every result folder records) on any machine and under any executor, because every
# random draw comes from the model's own generator, seeded from the seed:
# `kommune run default --seed 42 --json` prints the same final values as `result.final`.
#
# `result.table` is a pandas DataFrame, one row per month; `result.final` holds the means
# of the final year, which is what the comparisons and experiments use.

# %%
scenario = load_scenario("default")
print(scenario.title("en"), "-", scenario.params.months, "months")
print({name: round(value, 3) for name, value in result.final.items()})

# %% [markdown]
# ## What the indicators mean
#
# Every indicator has an English and a German label and a one-line meaning; the
# definitions and equations are in docs/ODD.md, section 7.11. `better` says which way is
# better (+1 higher, -1 lower, 0 neither) and `resolution` is the smallest difference a
# comparison calls a difference (notebook 02). Attendance is that of the last meeting
# held, so it carries over months without one.

# %%
import pandas as pd

pd.DataFrame(
    [
        {
            "indicator": i.name,
            "label (de)": i.label_de,
            "unit": i.unit,
            "better": i.better,
            "resolution": i.resolution,
            "meaning": i.en,
        }
        for i in INDICATORS.values()
    ]
).set_index("indicator")

# %% [markdown]
# ## The run as a picture
#
# Coverage of the three kinds of need (docs/ODD.md 7.6): simple need, which any
# organisation's own work serves; complex need, which only the joint work of a mixed
# working group serves (at least two kinds of actor giving to it); and hard-to-reach
# need, which a mixed group serves only as far as its reach goes: the volunteers' hours
# in it, weighted by the eye level they meet. Effectiveness weighs the three by need.

# %%
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
for name in ("effectiveness", "coverage_simple", "coverage_complex", "coverage_hard_to_reach"):
    left.plot(table["month"], table[name], label=INDICATORS[name].label_en)
left.set(xlabel="month", ylabel="share of need covered", ylim=(0, 1.02))
left.legend(fontsize=8)
right.plot(table["month"], table["members"], color="black")
right.set(xlabel="month", ylabel="members")
ax2 = right.twinx()
ax2.plot(table["month"], table["attendance"], color="tab:orange")
ax2.set_ylabel("attendance", color="tab:orange")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## One seed is one story
#
# A single run shows one possible history of the network. Before reading anything into
# a difference, look at several seeds: the next notebook compares scenarios over the
# same seeds (common random numbers) and says when a difference is clear.

# %%
finals = pd.DataFrame([run_scenario("default", seed=seed, months=60).final for seed in range(5)])
finals[["effectiveness", "joint_coverage", "members"]].describe().loc[["mean", "std", "min", "max"]]
