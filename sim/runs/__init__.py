"""Running the model: one run from (scenario, seed) (``runner``), where runs go (``executor``:
this process, local processes or a Dask cluster), replications with common random
numbers (``replicate``), what-if comparisons (``compare``), sweeps (``sweep``),
calibration (``calibration``); where results go (``results``, ``output``), where they came
from (``provenance``), and how long work reports progress and survives Ctrl-C
(``progress``, ``interrupts``)."""
