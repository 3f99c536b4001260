"""The files users write and the project reads: scenarios (``scenario``), their template and
JSON Schema (``scenario_template``), experiments (``experiment``), and the one TOML reader
behind them all (``tomlfile``)."""
