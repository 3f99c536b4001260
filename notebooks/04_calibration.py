# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 · Calibration: which values let the model reproduce its patterns?
#
# Some parameters are assumptions: no source gives their value (`kommune params` marks
# them "assumption"). Pattern-oriented modelling (Grimm et al. 2005) asks which of their
# values let the model reproduce, at once, the patterns its sources describe. The
# validation patterns (docs/ODD.md section 8) are such patterns: each is a set of claims
# about contrasts between conditions, judged over paired seeds.
#
# `calibrate` answers with approximate Bayesian computation (ABC-SMC, pyabc): particles
# drawn from the priors, each run on the pattern's conditions; the distance is how far
# its claims miss; each generation keeps the particles closest to reproducing them.
#
# Tiny settings here (a small town of 12 members, 2 seeds, 4 particles, 2 generations), so
# the notebook runs in about a minute; the shipped calibration
# (`experiments/calibration.toml`, docs/calibration.md) takes hours.

# %%
from pathlib import Path
from tempfile import mkdtemp

import pandas as pd

from sim import calibrate, check_pattern, load_calibration

work = Path(mkdtemp(prefix="kommune-calibration-"))
(work / "small_town.toml").write_text(
    """
extends = "default"
[scenario]
title_de = "Kleine Kommune"
title_en = "Small town"
[parameters]
n_administration = 2
n_carriers = 6
n_volunteers = 4
spinup_months = 0
""",
    encoding="utf-8",
)

# %% [markdown]
# Pattern 1 is the *nette Runde*: without coordination and with competitive funding a
# network's joint output fades over the years while attendance holds. Here is how its
# claims fare at the default values over two seeds. A claim holds when the 95 % interval
# of its contrast lies above its margin; two seeds leave the interval wide, so a claim
# can "fail" with a mean well on the right side (the validation uses 10 to 20 seeds).

# %%
for verdict in check_pattern(1, replications=2, workers=1):
    if verdict.claim.checked:
        print(
            f"{'holds' if verdict.holds else 'fails':6} {verdict.mean:+.3f}  {verdict.claim.text}"
        )

# %% [markdown]
# Now the calibration: two assumption parameters with uniform priors, the checked claims
# of pattern 1 as targets, in the small town.

# %%
(work / "calibration.toml").write_text(
    """
[calibration]
title = "Pattern 1 in a small town (notebook)"
scenario = "small_town.toml"
months = 120
replications = 2
seed = 7
particles = 4
generations = 2
predictive_draws = 2

[parameters]
attendance_norm = { low = 0.1, high = 0.7 }
routine_memory = { low = 3.0, high = 36.0 }

[targets]
patterns = [1]
""",
    encoding="utf-8",
)
settings = load_calibration(work / "calibration.toml")
result = calibrate(settings, work / "result", workers=1)
for generation in result.generations:
    print(
        f"generation {generation.t}: epsilon {generation.epsilon:.2f}, "
        f"{generation.accepted} accepted of {generation.evaluated}"
    )

# %% [markdown]
# ## The posterior
#
# `posterior.csv` holds the accepted particles of the last generation with their weights
# and every claim's distance term; `summary.md` reads them out (medians, 90 % intervals,
# how much each interval narrowed against its prior) and says which parameters the data
# pin down. Four particles are far too few to pin anything: this is the workflow, not a
# result.

# %%
posterior = pd.read_csv(work / "result" / "posterior.csv")
posterior[["attendance_norm", "routine_memory", "weight", "distance"]].round(3)

# %%
from IPython.display import Image, Markdown, display

display(Markdown((work / "result" / "summary.md").read_text(encoding="utf-8")[:2500]))
display(Image(filename=str(work / "result" / "posterior.png"), width=640))

# %% [markdown]
# The calibrated scenario (`calibrated.toml`, the posterior medians) can be run and
# compared like any other; `kommune calibrate ... --resume` raises the generations of a
# finished calibration without repeating the ones done.
