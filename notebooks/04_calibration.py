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
# # 04 · Calibration: which values let the model reproduce its patterns?
#
# Some parameters are assumptions: no source gives their value (their source says
# "assumption" in the parameter table, `kommune params --format markdown`). Pattern-
# oriented modelling (Grimm et al. 2005) asks which of their values let the model
# reproduce, at once, the patterns its sources describe. The validation patterns
# (docs/ODD.md sections 1 and 8) are such patterns: each is a set of claims about
# contrasts between conditions, judged over paired seeds.
#
# `calibrate` answers with approximate Bayesian computation (ABC-SMC, pyabc). The first
# generation draws particles (parameter values) from the priors; each particle runs the
# patterns' conditions, and its distance is how far its claims fall short of holding.
# Each later generation draws new particles around the accepted ones of the last and
# accepts those within a tolerance (epsilon) that shrinks from generation to generation.
#
# Tiny settings here (a small town of 12 members, 2 seeds, 4 particles, 2 generations), so
# the notebook runs in under a minute; the shipped calibration
# (`experiments/calibration.toml`, docs/calibration.md) takes hours.

# %%
from pathlib import Path
from tempfile import mkdtemp

import pandas as pd
from IPython.display import Image, Markdown, display

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
spinup_months = 12   # a year to grow together before month 1 (the default has three)
""",
    encoding="utf-8",
)
print("working in", work)

# %% [markdown]
# Pattern 1 is the *nette Runde*: without coordination and with competitive funding a
# network's joint output fades over the years while attendance holds. Its network has
# had a coordinator until the run starts; the position ends in month 1.
#
# Here is how its claims fare at the default values, in the default network (38
# members, three years of spin-up) over two seeds. A claim holds when the 95 % interval
# of its contrast lies above its margin; two seeds leave the interval wide, so a claim
# can "fail" with a mean well on the right side (the validation uses 10 to 20 seeds).

# %%
for verdict in check_pattern(1, replications=2, workers=1):
    if verdict.claim.checked:
        holds = "holds" if verdict.holds else "fails"
        print(f"{holds:6} {verdict.mean:+.3f}  {verdict.claim.text}")

# %% [markdown]
# Now the calibration, in the small town: two parameters that are still assumptions,
# `everyday_pressure` (the chance that daily business cancels a meeting nobody is paid to
# convene) and `routine_memory` (the months routines take to settle and fade), with
# uniform priors; the checked claims of pattern 1 as targets.

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
everyday_pressure = { low = 0.1, high = 0.9 }
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
# Per parameter: the prior, the posterior's median and 90 % interval, and how much that
# interval narrowed against the prior's (a parameter whose interval narrowed much is
# pinned down by the targets). Four particles are far too few to pin anything: this is
# the workflow, not a result.

# %%
pd.DataFrame(
    [
        {
            "parameter": m.name,
            "prior": f"{m.low:g} to {m.high:g}",
            "median": m.median,
            "5 %": m.q05,
            "95 %": m.q95,
            "narrowed": m.narrowed_text,
        }
        for m in result.marginals
    ]
).set_index("parameter").round(3)

# %% [markdown]
# `posterior.csv` holds the accepted particles of the last generation with their weights
# and every claim's distance term; `summary.md` reads them out, with a posterior-predictive
# check (do the claims hold for particles from the posterior on fresh seeds?).

# %%
posterior = pd.read_csv(work / "result" / "posterior.csv")
display(posterior[["everyday_pressure", "routine_memory", "weight", "distance"]].round(3))
display(Markdown((work / "result" / "summary.md").read_text(encoding="utf-8")))
for figure in ("posterior.png", "epsilon.png", "ppc.png"):
    display(Image(filename=str(work / "result" / figure), width=640))

# %% [markdown]
# The calibrated scenario (`calibrated.toml`, the posterior medians) can be run and
# compared like any other. To go on from a finished calibration, raise `generations` in
# its file and call `calibrate(..., resume=True)` (`kommune calibrate FILE --out FOLDER
# --resume`): only the new generations run.
