"""The ``kommune`` command line.

Every subcommand prints ``--help``; bad input (an unknown parameter, a value out of range,
a missing scenario file, an unusable output folder) ends with one line on stderr naming
what is wrong and what is allowed, and exit code 2 - never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

import sim
from sim.output import OutputError
from sim.params import GROUPS, SPECS, ParameterError, make_params, parse_assignments

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(sim.__version__, prog_name="kommune")
def cli() -> None:
    """Vernetzte Kommune: simulate cooperation in a municipal network of administration,
    carriers (freie Träger), volunteers and a coordinator, month by month."""


@cli.command()
@click.argument("scenario", required=False, default="default")
@click.option("--seed", type=click.IntRange(min=0), default=42, show_default=True,
              help="Random seed; the same scenario and seed give the same run.")
@click.option("--months", type=int, help="Run length in months (default: the scenario's).")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Change a parameter, e.g. --set coordinator_hours=120 (repeatable; "
                   "see 'kommune params').")
@click.option("--out", type=click.Path(path_type=Path),
              help="Write indicators.csv, indicators.parquet, indicators.png and run.json "
                   "to this folder.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object with the final indicators instead of the summary.")
def run(scenario: str, seed: int, months: int | None, assignments: tuple[str, ...],
        out: Path | None, as_json: bool) -> None:
    """Run SCENARIO (default: the built-in 'default') and summarise how it went.

    SCENARIO is a built-in name or the path of a scenario file (.toml).
    """
    from sim import scenarios
    from sim.output import write_run
    from sim.runner import run as run_model

    overrides = parse_assignments(assignments)
    if months is not None:
        make_params({"months": months}, where="--months")
        overrides["months"] = months
    chosen = scenarios.load(scenario, overrides)
    result = run_model(chosen.params, seed, chosen.events, scenario=chosen.name)
    written = write_run(result, out) if out is not None else []
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    from sim.summary import render

    console = Console(highlight=False)
    console.print(render(result, chosen.title_en))
    for path in written:
        console.print(f"wrote {path}")


@cli.command()
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]),
              default="table", show_default=True)
def params(lang: str, fmt: str) -> None:
    """List every parameter: default, allowed values, unit and meaning."""
    if fmt == "json":
        click.echo(json.dumps([{
            "name": s.name, "default": s.default, "low": s.low, "high": s.high,
            "choices": list(s.choices) if s.choices else None, "unit": s.unit,
            "en": s.en, "de": s.de, "source": s.source, "group": s.group,
        } for s in SPECS], ensure_ascii=False, indent=1))
        return
    if fmt == "markdown":
        from sim.docs import parameter_table

        click.echo(parameter_table(lang))
        return
    from rich.table import Table

    console = Console(highlight=False)
    for group in GROUPS:
        table = Table(title=group, title_justify="left", title_style="bold", expand=True,
                      header_style="bold")
        table.add_column("name", no_wrap=True)
        table.add_column("default", justify="right")
        table.add_column("allowed")
        table.add_column("meaning" if lang == "en" else "Bedeutung", ratio=2)
        for s in (s for s in SPECS if s.group == group):
            table.add_row(s.name, str(s.default).lower() if isinstance(s.default, bool)
                          else str(s.default), s.allowed(), s.en if lang == "en" else s.de)
        console.print(table)


@cli.command()
@click.option("--replications", "-r", type=click.IntRange(2, 1000), default=10,
              show_default=True, help="Seeds per condition (common random numbers).")
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: one per core, at most 8).")
@click.option("--pattern", "numbers", type=click.IntRange(1, 6), multiple=True,
              help="Check only this pattern (repeatable).")
def patterns(replications: int, workers: int | None, numbers: tuple[int, ...]) -> None:
    """Check the six validation patterns (DESIGN §6) and print every claim.

    Each claim is a contrast between conditions run with the same seeds; it holds when the
    lower end of its 95 % confidence interval is above its margin. Exit code 1 if any fails.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from sim.patterns import PATTERNS, evaluate

    chosen = [p for p in PATTERNS if not numbers or p.number in numbers]
    console = Console(highlight=False)
    total = sum(len(p.conditions) for p in chosen) * replications
    failures = 0
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("runs", total=total)
        results = [(p, evaluate(p, range(replications), workers=workers,
                                progress=lambda k: bar.advance(task, k)))
                   for p in chosen]
    for pattern, verdicts in results:
        console.print(f"[bold]Pattern {pattern.number}[/]: {pattern.title} "
                      f"[dim]({pattern.source})[/]")
        for v in verdicts:
            failures += not v.holds
            mark = "[green]holds[/]" if v.holds else "[red]FAILS[/]"
            console.print(f"  {mark}  {v.claim.text}: {v.mean:+.3f} "
                          f"(95% CI {v.ci_low:+.3f} to {v.ci_high:+.3f}, "
                          f"margin {v.claim.margin:+.3f}, n={v.n})")
    if failures:
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns every expected failure into one line and exit code 2."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        click.echo(cli.get_help(click.Context(cli, info_name="kommune")))
        sys.exit(0)
    try:
        code = cli.main(args=args, prog_name="kommune", standalone_mode=False)
    except click.ClickException as error:
        where = error.ctx.command_path if getattr(error, "ctx", None) else "kommune"
        click.echo(f"{where}: {error.format_message()}", err=True)
        sys.exit(2)
    except (ParameterError, OutputError) as error:
        click.echo(f"kommune: {error}", err=True)
        sys.exit(2)
    except (KeyboardInterrupt, click.Abort):
        click.echo("kommune: interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
