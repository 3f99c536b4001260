"""Pattern-oriented calibration with ABC-SMC (pyabc): ``kommune calibrate``.

Which values of the uncertain parameters let the model reproduce the patterns reported
from practice (pattern-oriented modelling, Grimm et al. 2005) and, for a planner, what is
observed in their own municipality? Approximate Bayesian computation answers with a
posterior: the region of the prior box where the model's outcomes come close enough to
the targets (van der Vaart et al. 2016 calibrated an agent-based model to patterns with
ABC). pyabc's ABC-SMC (Toni et al. 2009; Klinger et al. 2018) does the sampling; this
package defines the summary statistics and the distance, runs the generations resumably
and writes the results.

**Particles.** A particle gives a value to each calibrated parameter (uniform priors over
the parameter's range in ``sim.params.SPECS``, optionally narrowed). Its parameters are
the base scenario's with the particle's values on top. Every particle runs the same
``replications`` seeds (common random numbers, from the calibration's root seed); runs of
one seed part ways within a few years here, so this shares only part of the luck
(docs/calibration.md section 3).

**Summary statistics.** For every checked claim c of a selected pattern, the pattern's
conditions (their changes applied to the particle's parameters) run with each seed and
the claim's contrast is computed per seed exactly as ``sim.validation.patterns.evaluate`` does; the
statistics are its mean m_c and standard error s_c = sd / sqrt(n) over the n seeds (the
calibration's own seeds for every claim: a claim's ``seeds_factor`` does not apply here). For
every observation o (a statistic averaged over a run's last k_o months), the base scenario
(with its events) runs with each seed; the statistic is the mean y_o over the seeds.

**Distance** (deterministic, the sum of one term per target)::

    d = sum over claims c       of  max(0, t_c - (m_c - margin_c) / s_c) ** 2
      + sum over observations o of  ((y_o - value_o) / sd_o) ** 2

where t_c is the 0.975 quantile of Student's t with n - 1 degrees of freedom. A claim
holds (``kommune patterns``' verdict) when the lower end of its 95 % interval,
m_c - t_c s_c, lies above its margin, which is exactly when its term is 0; otherwise the
term is its shortfall in standard errors, squared. So the particles of distance 0 are
those for which every selected claim holds, and an observation costs its squared
z-score: both kinds of terms are squared distances in units of uncertainty. A contrast
that is the same for every seed gets the standard error ``SE_FLOOR``.

**Randomness.** Every model run is reproducible from (parameters, seed); the model never
touches global random state. pyabc, however, draws particles from numpy's *global* random
state: ``calibrate`` seeds it from (seed, generation) before each generation and restores
it afterwards. With one process (``--workers 1``) a calibration, interrupted and resumed or
not, is therefore reproducible; pyabc's parallel samplers reseed their workers at random,
so with several workers or on Dask the particles drawn differ from run to run (each of
their model runs stays reproducible).
"""

from __future__ import annotations

from .config import (
    Calibration,
    CalibrationError,
    Parameter,
    load_calibration,
    load_observations,
)
from .engine import DATABASE, Generation, Result, calibrate
from .targets import DERIVED, STATISTICS, ClaimTarget, Distance, Observation, Simulator

__all__ = [
    "DATABASE",
    "DERIVED",
    "STATISTICS",
    "Calibration",
    "CalibrationError",
    "ClaimTarget",
    "Distance",
    "Generation",
    "Observation",
    "Parameter",
    "Result",
    "Simulator",
    "calibrate",
    "load_calibration",
    "load_observations",
]
