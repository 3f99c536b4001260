"""pyabc's sampler on the project's executor, for ``kommune calibrate --scheduler``.

pyabc's ``ConcurrentFutureSampler`` takes any ``concurrent.futures`` executor; the cluster's
(``sim.runs.executor.dask``) is Dask's. It keeps as many particles in flight as the cluster
has cores *now*: workers that join a running calibration (a batch system's nodes coming
up) are used, instead of the count at the start. The class lives at module level so that
pyabc can send the sampler to the workers by reference (without the client)."""

from __future__ import annotations

from pyabc.sampler import ConcurrentFutureSampler

from sim.runs.executor import Workers


class ClusterSampler(ConcurrentFutureSampler):
    def __init__(self, cluster: Workers) -> None:
        super().__init__(cluster.executor, client_max_jobs=10**9, default_pickle=False)
        self._cluster = cluster

    def client_cores(self) -> int:
        return self._cluster.cores

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_cluster", None)
        return state
