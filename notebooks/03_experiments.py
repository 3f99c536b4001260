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
# # 03 · Experiments: sweeps, sensitivity, scenario discovery
#
# A comparison asks about a few scenarios; an experiment asks about a whole space of
# conditions: *which of these factors matter for effectiveness, and in which region of
# them is a network effective?* An experiment file names a base scenario, the factors and
# their ranges, a design and an analysis; `sweep` runs it into a result folder (one
# Parquet store, resumable), `analyze` reads the folder back.
#
# Small settings here, so the notebook runs in about a minute: a Morris screening of four
# factors, then a Latin hypercube over two of them for scenario discovery (PRIM, CART)
# and feature scores. The numbers are illustrations of the workflow, too few to conclude
# anything; for real work use the files in `experiments/` (README there) and the
# recorded findings in `experiments/findings/`.

# %%
from pathlib import Path
from tempfile import mkdtemp

from sim import analyze, load_experiment, query, sweep

work = Path(mkdtemp(prefix="kommune-notebook-"))
(work / "morris.toml").write_text(
    """
[experiment]
title = "Which levers matter? (small Morris screening)"
scenario = "default"
months = 60
replications = 2     # two seeds per point: findings.md compares each effect with the seeds' noise
seed = 11
[design]
kind = "morris"
samples = 4          # trajectories: 4 x (4 + 1) = 20 points, 40 runs
levels = 4
seed = 3
[factors]
coordinator_hours = { range = [0, 240] }
competition_intensity = { range = [0.0, 1.0] }
goal_heterogeneity = { range = [0.0, 1.0] }
eye_level = { range = [0.0, 1.0] }
[analysis]
kind = "sensitivity"
outcome = "effectiveness"
""",
    encoding="utf-8",
)
screening = load_experiment(work / "morris.toml")
done = sweep(screening, work / "morris", workers=1)
print(f"{done.done} of {screening.total_runs} runs done, {done.failed} failed")

# %% [markdown]
# `analyze` writes tables, figures and a generated `findings.md` into the folder's
# `analysis/`, and returns them. Morris gives each factor μ* (how much it moves the
# outcome, on average over the space) and σ (how much that depends on the other factors:
# interactions or non-linearity), each with a bootstrap interval, and compares μ* with
# the seed-to-seed spread of the outcome: an effect smaller than the seeds' noise is not
# one to build on. Four trajectories are few; the intervals say so.

# %%
from IPython.display import Image, Markdown, display

morris = analyze(work / "morris")
print(sorted(p.name for p in morris.files))
display(Markdown((work / "morris" / "analysis" / "findings.md").read_text(encoding="utf-8")))

# %% [markdown]
# ## Scenario discovery: where is a network effective?
#
# A Latin hypercube over coordinator hours and competition, two replications each, every
# month recorded (for the envelopes). The analysis marks a design point *effective* when
# the mean of its replications' final effectiveness is at or above the threshold (0.55
# here, the quick experiment's: a network that serves more than half of all need; without
# a threshold the analysis takes the upper quartile of the points) and then asks, with EMA
# Workbench:
#
# * **PRIM**: a box (ranges of the factors) in which points are effective at least 80 %
#   of the time (its *density*), the widest such box (its *coverage*: the share of all
#   effective points inside it);
# * **CART**: a decision tree whose leaves split the space into effective and not;
# * **feature scores** (extra trees): how much each factor tells about the outcome;
# * **envelopes**: the band over time of the outcome, joint coverage, attendance and
#   members, effective points against the rest.
#
# Twelve points are far too few for trustworthy boxes and trees; if all of them fall on
# one side of the threshold there is nothing to discover, and findings.md says so.

# %%
(work / "lhs.toml").write_text(
    """
[experiment]
title = "Coordination under competition (small)"
scenario = "default"
months = 60
replications = 2
seed = 2026
record = "monthly"
every = 1
[design]
kind = "lhs"
samples = 12
seed = 7
[factors]
coordinator_hours = { range = [0, 240] }
competition_intensity = { range = [0.0, 1.0] }
[analysis]
kind = "sensitivity"
outcome = "effectiveness"
threshold = 0.55
""",
    encoding="utf-8",
)
sweep(load_experiment(work / "lhs.toml"), work / "lhs", workers=1)
discovery = analyze(work / "lhs")
figures = sorted(p for p in discovery.files if p.suffix == ".png")
print([p.name for p in figures])

# %%
for figure in figures:
    if any(key in figure.name for key in ("prim", "cart", "feature", "envelope")):
        display(Markdown(f"**{figure.name}**"), Image(filename=str(figure), width=640))

# %% [markdown]
# ## The results with SQL
#
# Every run of a sweep is in the folder's Parquet store; `query` runs SQL over it with
# DuckDB (`runs`: one row per run and recorded month, with its factors' values; `design`:
# the design points).

# %%
query(
    work / "lhs",
    """
    SELECT round(coordinator_hours / 80) * 80 AS coordinator_hours_about,
           count(DISTINCT run_id) AS runs,
           avg(effectiveness) AS effectiveness
    FROM runs
    WHERE month > 48  -- the final year, as the analysis's final values
    GROUP BY 1 ORDER BY 1
    """,
)
