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
# and feature scores. For real work use the files in `experiments/` (README there).

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
replications = 1
seed = 11
[design]
kind = "morris"
samples = 5          # trajectories: 5 x (4 + 1) = 25 runs
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
print(screening.total_runs, "runs")
sweep(screening, work / "morris", workers=1)

# %% [markdown]
# `analyze` writes tables, figures and a generated `findings.md` into the folder's
# `analysis/`, and returns them. Morris gives each factor μ* (how much it moves the
# outcome, on average over the space) and σ (how much that depends on the other factors:
# interactions or non-linearity). Five trajectories are few; the intervals say so.

# %%
morris = analyze(work / "morris")
print(sorted(p.name for p in morris.files))
from IPython.display import Image, Markdown, display

display(Markdown((work / "morris" / "analysis" / "findings.md").read_text()[:1500]))

# %% [markdown]
# ## Scenario discovery: where is a network effective?
#
# A Latin hypercube over coordinator hours and competition, two replications each, every
# month recorded (for the envelopes). The analysis marks a run *effective* when its final
# effectiveness is above the threshold and then asks, with EMA Workbench:
#
# * **PRIM**: the box (ranges of the factors) with the most effective runs in it;
# * **CART**: a decision tree whose leaves split the space into effective and not;
# * **feature scores** (extra trees): how much each factor tells about the outcome;
# * **envelopes**: the band of each indicator over time, effective runs against the rest.

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
    WHERE month > 48
    GROUP BY 1 ORDER BY 1
    """,
)
