"""Analysis of a sweep's results: ``kommune analyze DIR``.

Every analysis writes into ``DIR/analysis/``: tables (CSV), figures (PNG) and
``findings.md``, a text generated from the data (numbers and sentences come from the
results, never from a hand-written summary). What is analysed depends on the experiment's
``[analysis] kind``:

* ``sensitivity``: Sobol or Morris indices with confidence intervals (SALib), and scenario
  discovery with PRIM and CART (EMA Workbench): boxes and leaves of conditions under which
  networks stay effective, with coverage and density; extra-trees feature scores for
  every indicator, and the indicators' envelopes over time where runs were recorded
  monthly (``sim.analysis.discovery``, ``sim.analysis.envelopes``);
* ``grid``: the outcome over a grid of two factors;
* ``governance``: the best governance mode per condition beside Provan & Kenis' (2008)
  prediction, divergences reported;
* ``sustainability``: what is left of the network when the coordinator's position ends.

Every analysis also profits from the common part: the design, the outcome per design point
(mean over replicates), and the manifest's record of seeds and versions.
"""

from __future__ import annotations

from pathlib import Path

from sim.analysis.common import Analysis


def analyze(folder: Path, outcome: str | None = None, threshold: float | None = None) -> Analysis:
    """Run the experiment's analysis on the results in ``folder``."""
    from sim.analysis import governance, grid, sensitivity, sustainability

    analysis = Analysis.open(folder, outcome, threshold)
    recipe = {
        "sensitivity": sensitivity.run,
        "grid": grid.run,
        "governance": governance.run,
        "sustainability": sustainability.run,
    }[analysis.kind]
    recipe(analysis)
    analysis.write_findings()
    return analysis


__all__ = ["Analysis", "analyze"]
