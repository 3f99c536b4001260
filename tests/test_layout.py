"""The package's imports run one way: no circle, not even through imports for type hints.

A circle among the model, its agents and its mechanisms would mean none of them can be
read (or tested, or replaced) without all the others; the mechanisms name the model only
through the protocols of ``sim.mechanisms.network``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import sim

ROOT = Path(sim.__file__).parent


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """Every module of the package that ``path`` imports, wherever the import stands
    (top level, inside a function, under ``if TYPE_CHECKING``)."""
    found = set()
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found |= {t for t in targets if t in modules and t != name}
    return found


def import_graph() -> nx.DiGraph:
    paths = {_module(p): p for p in ROOT.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(paths)
    for name, path in paths.items():
        for target in _imports(path, name, set(paths)):
            # a package's __init__ re-exporting its own modules is not a circle
            if not target.startswith(name + "."):
                graph.add_edge(name, target)
    return graph


def test_the_graph_is_read_from_the_code():
    graph = import_graph()
    assert graph.has_edge("sim.model", "sim.mechanisms.bodies")
    assert graph.has_edge("sim.mechanisms.bodies", "sim.mechanisms.network")  # a type-only import


def test_no_import_circle():
    circles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert circles == []


def test_mechanisms_and_agents_do_not_import_the_model():
    graph = import_graph()
    below = [n for n in graph if n.startswith(("sim.mechanisms", "sim.agents", "sim.params"))]
    for name in below:
        assert "sim.model" not in nx.descendants(graph, name), name
    mechanisms = [n for n in graph if n.startswith("sim.mechanisms")]
    for name in mechanisms:
        assert not any(d.startswith("sim.agents") for d in nx.descendants(graph, name)), name


def test_one_headline_list_feeds_every_surface():
    """The dashboard's chart, `kommune run` and the report draw on sim.indicators.HEADLINE,
    not on lists of their own."""
    import inspect

    from sim.dashboard.charts import SHOWN as chart
    from sim.indicators import DETAIL, HEADLINE, INDICATORS
    from sim.reports import comparison
    from sim.reports.summary import SHOWN as summary

    assert set(HEADLINE) <= set(INDICATORS) and set(DETAIL) <= set(INDICATORS)
    assert not set(HEADLINE) & set(DETAIL)
    assert chart == tuple(n for n in HEADLINE if INDICATORS[n].unit == "share")[:5]
    assert summary[: len(HEADLINE)] == HEADLINE
    for figure in (comparison.bands_figure, comparison.distributions_figure):
        assert inspect.signature(figure).parameters["names"].default == HEADLINE


def test_no_parameter_shares_a_name_with_an_indicator_or_a_result_column():
    """A sweep's rows hold the factors (parameters) beside the indicators; one name for both
    would make two columns of one name (the screening, which varies every parameter, once
    failed on meeting_hours)."""
    from sim.files.experiment import EVENT_FACTORS, EXTRA_FACTORS
    from sim.indicators import INDICATORS
    from sim.params import SPEC_BY_NAME

    ids = {"run_id", "point_id", "replicate", "seed", "month", "scenario"}
    factors = {*SPEC_BY_NAME, *EVENT_FACTORS, *EXTRA_FACTORS}
    assert not factors & set(INDICATORS)
    assert not factors & ids and not set(INDICATORS) & ids
