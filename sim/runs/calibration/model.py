"""The model as pyabc runs it in a generation: the simulator with early rejection.

A particle's distance is a sum of squares, one per target (``targets.Distance``), and its
runs come pattern by pattern (``Simulator.parts``). Once the terms of the patterns run so
far exceed the generation's epsilon, the particle cannot be accepted whatever the other
patterns give, so their runs are skipped. An accepted particle runs in full, and every
accept or reject is the decision the full runs would give: the posterior is the same, the
rejected particles cost less (pyabc's ``IntegratedModel`` idea, kept a ``Model`` so that
the calibration sample for the first epsilon runs in full as before).

Its own module because it subclasses a pyabc class: importing it imports pyabc, which the
rest of the calibration package does only when a calibration runs.
"""

from __future__ import annotations

import pyabc
from pyabc.model import ModelResult

from .targets import Distance, Simulator


class EarlyRejecting(pyabc.Model):
    def __init__(self, simulator: Simulator, distance: Distance) -> None:
        super().__init__("Simulator")  # the name histories have kept since before this class
        self.simulator = simulator
        self.known = distance.known

    def sample(self, pars):
        """The calibration sample (pyabc's generation -1): every particle in full."""
        return self.simulator(pars)

    def accept(
        self, t, pars, sum_stat_calculator, distance_calculator, eps_calculator, acceptor, x_0
    ):
        epsilon = eps_calculator(t)
        for outcome in self.simulator.parts(dict(pars)):
            summary = outcome.summary()
            so_far = self.known(summary)
            if so_far > epsilon:  # the remaining terms can only add to it
                return ModelResult(sum_stat=summary, distance=so_far, accepted=False)
        result = ModelResult(sum_stat=sum_stat_calculator(summary))
        judged = acceptor(
            distance_function=distance_calculator,
            eps=eps_calculator,
            x=result.sum_stat,
            x_0=x_0,
            t=t,
            par=pars,
        )
        result.distance, result.accepted, result.weight = (
            judged.distance,
            judged.accept,
            judged.weight,
        )
        return result
