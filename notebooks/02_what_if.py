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
# if the funding goes to joint projects instead of to each carrier?* One run of each
# answers nothing, because two runs differ by chance too. So every scenario runs the
# **same seeds** (common random numbers: run k of every scenario meets the same chance
# events), and each difference is judged run against run.
#
# This is what `kommune compare` does; here with 8 replications of 60 months so that it
# takes about half a minute (use 20 or more for a report).

# %%
from sim import compare, load_scenario, scenarios

print(scenarios())

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
# difference to the first (`diff_*`) and a **verdict**. A difference is called *better*
# or *worse* only when its interval lies on one side of zero **and** it is at least the
# indicator's resolution: a tiny difference is not called one, however many runs make
# it "significant". Otherwise the verdict is *no clear difference*, which is a finding
# too: the lever did not act clearly under these conditions.

# %%
table = comparison.table("en")
headline = ["effectiveness", "joint_coverage", "coverage_hard_to_reach", "members", "trust"]
table[table.indicator.isin(headline)].round(3)

# %% [markdown]
# The same as a plot: each scenario's difference to the baseline, with its interval.
# Where the bar crosses zero the comparison has found no clear difference.

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

# %% [markdown]
# ## Why common random numbers
#
# The paired difference is much tighter than the difference of two independent means,
# because both runs of a pair share their chance events. The standard deviations below
# show it for effectiveness.

# %%
finals = comparison.finals()
wide = finals.pivot(index="replicate", columns="scenario", values="effectiveness")
print("spread of each scenario:", wide.std().round(3).to_dict())
print(
    "spread of the paired difference coordinated - baseline:",
    round((wide["coordinated"] - wide["baseline"]).std(), 3),
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

# %% [markdown]
# To keep the runs (and resume an interrupted comparison), use `compare_into(folder,
# ...)`, which `kommune compare --out` calls; `kommune compare --report` writes the
# council report (HTML, PDF, Excel) from the same numbers.
