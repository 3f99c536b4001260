"""Running the model raises no FutureWarning or DeprecationWarning from Mesa.

pyproject's pytest settings already turn such warnings from Mesa into errors everywhere;
this test records every warning of a full run with events, so it also catches warnings
that would be filtered or raised only once.
"""

from __future__ import annotations

import warnings

from sim.mechanisms.events import Event
from sim.model import KommuneModel


def test_a_full_run_raises_no_deprecation_warnings():
    events = (
        Event(24, "funding_cut", share=0.3),
        Event(36, "coordinator_ends"),
        Event(40, "key_person_leaves"),
        Event(50, "new_partner"),
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = KommuneModel(rng=1, events=events, entry_rate=0.05)
        model.run_for(60)
        model.datacollector.get_model_vars_dataframe()
    bad = [
        w
        for w in caught
        if issubclass(w.category, (FutureWarning, DeprecationWarning, PendingDeprecationWarning))
    ]
    assert not bad, [f"{w.category.__name__}: {w.message} ({w.filename})" for w in bad]
    assert model.month == 60
