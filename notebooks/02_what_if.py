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
# # 02 · What if? Comparing scenarios
#
# A planner's question is a comparison: *what if the town funds a coordinator?* *what
# if, besides, its funding rewards the hours carriers give to joint work?* One run of each
# answers nothing, because two runs differ by chance too. So every scenario runs the
# **same seeds** (common random numbers): run k of every scenario starts from the same
# seed, with the same network and the same first draws, and each difference is judged
# run against run. Where the scenarios make the actors behave differently, their random
# streams part ways; how much of the chance a pair still shares is shown below.
#
# This is what `kommune compare` does; here with 8 replications of 60 months so that it
# takes about half a minute (use 20 or more for a report).

# %%
from sim import compare, load_scenario, scenarios

print(scenarios())

# %% [markdown]
# The first scenario is the reference. `coordinated` adds a full-time coordinator to the
# baseline; `joint_funding` is the coordinated network whose funding also rewards joint
# work (60 % of the budget), so its difference to the baseline is coordinator and funding
# together. To ask about the funding alone, put `coordinated` first.

# %%
names = ["baseline", "coordinated", "joint_funding"]
chosen = [load_scenario(name, {"months": 60}) for name in names]
for s in chosen:
    print(f"{s.name:22} {s.title('en')}")

comparison = compare(chosen, replications=8, root_seed=42, workers=1)

# %% [markdown]
# ## Reading the table
#
# For each scenario and indicator: the mean of the final year over the runs and its 95 %
# interval (`ci_low`, `ci_high`). For each scenario after the first: the paired
# difference to the first (`diff_to`, `diff_*`) and a **verdict**. A difference is called
# *better* or *worse* (*higher* or *lower* for an indicator that is neither good nor bad,
# such as meeting hours) only when its interval lies on one side of zero **and** it is at
# least the indicator's resolution: a tiny difference is not called one, however many
# runs make it "significant". Otherwise the verdict is *no clear difference*, which is a
# finding too: the change did not act clearly under these conditions. `table("de")`
# gives the same table in German.

# %%
table = comparison.table("en")
headline = ["effectiveness", "joint_coverage", "coverage_hard_to_reach", "members", "trust"]
table[table.indicator.isin(headline)].round(3)

# %% [markdown]
# The same as a plot: each scenario's difference to the baseline, with its interval,
# green or red where the verdict is better or worse, grey where there is no clear
# difference (the bar crosses zero, or the difference is below the resolution).

# %%
import matplotlib.pyplot as plt

diffs = comparison.differences()
fig, axes = plt.subplots(1, len(headline), figsize=(14, 2.8), sharey=True)
for ax, indicator in zip(axes, headline, strict=True):
    for y, name in enumerate(names[1:]):
        interval, verdict = diffs[name][indicator]
        ax.errorbar(
            interval.mean,
            y,
            xerr=[[interval.mean - interval.low], [interval.high - interval.mean]],
            fmt="o",
            color={"better": "tab:green", "worse": "tab:red"}.get(verdict, "grey"),
        )
    ax.axvline(0, color="black", lw=0.8)
    ax.set_title(indicator, fontsize=9)
axes[0].set_yticks(range(len(names) - 1), names[1:])
fig.suptitle("difference to baseline (final year, 95 % interval, 8 paired runs)", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## How much does pairing help?
#
# A paired difference varies less from run to run than the difference of two
# independent runs, as far as the two runs of a pair share their chance. Below, for
# effectiveness: the spread of the paired differences against the spread an unpaired
# difference would have, sqrt(s_a² + s_b²). In this model the runs of a pair part ways
# early (a coordinator, or another funding rule, changes who meets whom from the first
# month), so over five years the two are close: the intervals above come from the
# spread of the differences either way, so nothing is lost, but pairing does not make
# few runs enough. Use more replications for a report (`kommune compare` defaults to 20).

# %%
finals = comparison.finals()
wide = finals.pivot(index="replicate", columns="scenario", values="effectiveness")
spread = wide.std()
for a, b in (("coordinated", "baseline"), ("joint_funding", "coordinated")):
    print(
        f"{a} - {b}: paired {(wide[a] - wide[b]).std():.3f}, "
        f"unpaired {(spread[a] ** 2 + spread[b] ** 2) ** 0.5:.3f}"
    )

# %% [markdown]
# ## Over time
#
# `comparison.runs_frame()` has every month of every run; the mean path of each scenario
# with the band that holds the middle 80 % of its runs.

# %%
runs = comparison.runs_frame()
fig, ax = plt.subplots(figsize=(8, 3.5))
for name in names:
    by_month = runs[runs.scenario == name].groupby("month")["effectiveness"]
    mean, low, high = by_month.mean(), by_month.quantile(0.1), by_month.quantile(0.9)
    ax.plot(mean.index, mean, label=name)
    ax.fill_between(mean.index, low, high, alpha=0.2)
ax.set(xlabel="month", ylabel="effectiveness", ylim=(0, 1))
ax.legend()
plt.show()

# %% [markdown]
# To keep the runs (and resume an interrupted comparison), use `compare_into(folder,
# ...)`, which `kommune compare ... --out FOLDER` calls; that command also writes the
# report for a council (`report.html`), `comparison.csv` and `comparison.xlsx` from the
# same numbers. `workers=1` keeps this notebook in one process; `workers=None` uses one
# worker per core, with the same results.
