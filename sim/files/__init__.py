"""The files users write and the project reads: what a scenario file may hold and its JSON
Schema (``models``), scenarios (``scenario``), their commented template
(``scenario_template``), experiments (``experiment``), and the one TOML reader behind them
all (``tomlfile``)."""
