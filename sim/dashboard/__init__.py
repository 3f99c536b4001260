"""The workshop dashboard (``kommune dashboard``): a Solara app in ``sim/dashboard/app.py``.

``session`` holds what one browser session runs (plain Python, testable without a
browser); ``layout`` keeps the network drawing stable from frame to frame; ``charts`` turns
the network and the indicators into ECharts options. The Solara components live in
``sim/dashboard/app.py``, as in Mesa's own examples.
"""
