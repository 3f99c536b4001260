"""The ``kommune`` command line.

Every subcommand prints ``--help``; bad input (an unknown parameter, a value out of range,
a missing scenario file, an unusable output folder) ends with one line on stderr naming
what is wrong and what is allowed, and exit code 2 - never a traceback.
"""

from __future__ import annotations

import errno
import json
import shlex
import sys
from pathlib import Path

import click
from rich.console import Console

import sim
from sim.i18n import number, t
from sim.params import (
    GROUPS,
    SPEC_BY_NAME,
    SPECS,
    ParameterError,
    make_params,
    parse_assignments,
)
from sim.runs.interrupts import stopping_on_terminate
from sim.runs.output import OutputError
from sim.runs.progress import progress_bar

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(sim.__version__, prog_name="kommune")
def cli() -> None:
    """Vernetzte Kommune: simulate cooperation in a municipal network of administration,
    carriers (freie Träger), volunteers and a coordinator, month by month."""


@cli.command()
@click.argument("scenario", required=False, default="default")
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=42,
    show_default=True,
    help="Random seed; the same scenario and seed give the same run.",
)
@click.option("--months", type=int, help="Run length in months (default: the scenario's).")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change a parameter, e.g. --set coordinator_hours=120 (repeatable; see 'kommune params').",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write the run to this folder as the result store has it (manifest.json, runs/, "
    "queried by 'kommune results'), with indicators.csv and indicators.png.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object with the final values (means of the last 12 months) instead of "
    "the summary.",
)
def run(
    scenario: str,
    seed: int,
    months: int | None,
    assignments: tuple[str, ...],
    out: Path | None,
    as_json: bool,
) -> None:
    """Run SCENARIO (default: the built-in 'default') and summarise how it went.

    SCENARIO is a built-in name or the path of a scenario file (.toml).
    """
    from sim.files import scenario as scenarios
    from sim.runs.output import check_run_folder, write_run
    from sim.runs.runner import run as run_model

    if out is not None:
        check_run_folder(out)
    overrides = parse_assignments(assignments)
    if months is not None:
        make_params({"months": months}, where="--months")
        overrides["months"] = months
    chosen = scenarios.load(scenario, overrides)
    result = run_model(
        chosen.params, seed, chosen.events, scenario=chosen.name, actors=chosen.actors
    )
    written = write_run(result, out) if out is not None else []
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    from sim.reports.summary import render

    console = Console(highlight=False)
    console.print(render(result, chosen.title_en))
    for path in written:
        console.print(f"wrote {path}")


LANG = click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default="de",
    show_default=True,
    help="Language of titles, labels and verdicts.",
)


@cli.group(invoke_without_command=True)
@LANG
@click.pass_context
def scenarios(ctx: click.Context, lang: str) -> None:
    """List the built-in scenarios (or: show, new, schema)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from sim.files.scenario import load_all

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("name", "title", "extends"):
        table.add_column(t(column, lang), no_wrap=column == "name")
    for s in load_all():
        parent = s.chain[-2] if len(s.chain) > 1 else ""
        table.add_row(s.name, s.title(lang), parent)
    Console(highlight=False).print(table)


@scenarios.command("show")
@click.argument("scenario")
@LANG
@click.option("--json", "as_json", is_flag=True, help="Print the resolved scenario as JSON.")
def scenarios_show(scenario: str, lang: str, as_json: bool) -> None:
    """Print SCENARIO's resolved parameters and events (name or path of a .toml file)."""

    from rich.table import Table

    from sim.files.scenario import load

    s = load(scenario)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "name": s.name,
                    "title_de": s.title_de,
                    "title_en": s.title_en,
                    "description_de": s.description_de,
                    "description_en": s.description_en,
                    "source": s.source,
                    "chain": list(s.chain),
                    "fields": list(s.fields(lang)),
                    "parameters": s.params.model_dump(),
                    "set_by": s.set_by,
                    "events": [e.record() for e in s.events],
                    "actors": None if s.actors is None else s.actors.record(),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    console = Console(highlight=False)
    console.print(f"[bold]{s.name}[/]: {s.title(lang)}")
    console.print(s.description(lang), style="italic")
    console.print(f"{t('source', lang)}: {s.source}", style="dim")
    console.print(
        f"{t('extends', lang)}: {' → '.join(s.chain)} · {t('fields', lang)}: "
        f"{', '.join(s.fields(lang))}",
        style="dim",
    )
    if s.actors is not None:
        counts = ", ".join(f"{v} {k.removeprefix('n_')}" for k, v in s.actors.counts().items())
        console.print(f"actors: {s.actors.path} ({counts})", style="dim")
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("parameter", "value", "default", "set_by"):
        table.add_column(t(column, lang))
    for name, value in s.params.model_dump().items():
        spec = SPEC_BY_NAME[name]
        changed = value != spec.default
        table.add_row(
            name,
            _show(value),
            _show(spec.default),
            s.set_by.get(name, ""),
            style="bold" if changed else "dim",
        )
    console.print(table)
    events = [
        f"{t('month', lang)} {e.month}: {e.kind}" + (f" ({e.detail()})" if e.detail() else "")
        for e in s.events
    ]
    console.print(f"{t('events', lang)}: " + ("; ".join(events) or t("no_events", lang)))


def _show(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


@scenarios.command("new")
@click.argument("name")
@click.option(
    "--from",
    "base",
    default="default",
    show_default=True,
    help="Scenario to start from (name or path).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="File to write (default: NAME.toml in the current folder).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def scenarios_new(name: str, base: str, out: Path | None, force: bool) -> None:
    """Write a commented scenario file NAME.toml, based on another, for you to edit."""
    from sim.files.scenario import NAME, load
    from sim.files.scenario_template import template
    from sim.runs.output import OutputError, check_writable, write_all

    if not NAME.match(name):
        raise click.BadParameter(
            "use letters, digits, '_' and '-' only, e.g. unsere_kommune", param_hint="NAME"
        )
    target = out or Path(f"{name}.toml")
    check_writable(target, kind="file")
    if target.exists() and not force:
        raise OutputError(f"{target}: exists already (use --force to overwrite)")
    text = template(load(base), name, target)
    write_all(
        target.parent if str(target.parent) else Path("."),
        {target.name: lambda p: p.write_text(text, encoding="utf-8")},
    )
    load(str(target))  # what we wrote must load
    click.echo(f"wrote {target}; edit it, then: kommune run {target}")


@scenarios.command("template-actors")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("akteure.csv"),
    show_default=True,
    help="File to write: .csv (separated by ';', as German Excel reads it) or .xlsx.",
)
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def scenarios_template_actors(out: Path, lang: str, force: bool) -> None:
    """Write an actor list to fill in: one row per actor of your network (name, kind,
    fields, hours per month, partners, steering group). Name it in a scenario's [scenario]
    table as actors = "FILE" (docs/planer-leitfaden.md, section 2)."""
    from sim.files.actors import template, template_xlsx
    from sim.runs.output import OutputError, check_writable, write_all

    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise OutputError(f"{out}: an actor list is a .csv or .xlsx file")
    check_writable(out, kind="file")
    if out.exists() and not force:
        raise OutputError(f"{out}: exists already (use --force to overwrite)")
    text = template(lang)

    def write(path: Path) -> None:
        if out.suffix.lower() == ".csv":
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(template_xlsx(lang))

    write_all(out.parent if str(out.parent) else Path("."), {out.name: write})
    click.echo(
        f"wrote {out}; fill in one row per actor, then name it in your scenario's "
        f'[scenario] table: actors = "{out.name}"'
    )


@scenarios.command("schema")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="File to write (default: print to standard output).",
)
@click.option(
    "--experiment",
    is_flag=True,
    help="The schema of experiment files (kommune sweep) instead of scenario files.",
)
def scenarios_schema(out: Path | None, experiment: bool) -> None:
    """Write the JSON Schema of scenario files (or experiment files), for editors to
    complete and check them."""
    from sim.files.models import experiment_json_schema, json_schema
    from sim.runs.output import write_all

    schema = experiment_json_schema() if experiment else json_schema()
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    write_all(
        out.parent if str(out.parent) else Path("."),
        {out.name: lambda p: p.write_text(text, encoding="utf-8")},
    )
    click.echo(f"wrote {out}")


@cli.command()
@click.argument("scenario_refs", metavar="A B [C ...]", nargs=-1, required=True)
@click.option(
    "--replications",
    "-r",
    type=click.IntRange(2, 10000),
    default=20,
    show_default=True,
    help="Runs per scenario, with the same seeds for all.",
)
@click.option("--months", type=int, help="Run length in months (default: the scenarios').")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change a parameter in every scenario (repeatable).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=42,
    show_default=True,
    help="Root seed; the runs' seeds are derived from it.",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes (default: one per core, at most 8).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Store every run here as it finishes (runs/), then write report.html, "
    "comparison.csv and comparison.xlsx.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Finish an interrupted comparison in --out: run only what is missing.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object with the results instead of the tables.",
)
@LANG
def compare(
    scenario_refs: tuple[str, ...],
    replications: int,
    months: int | None,
    assignments: tuple[str, ...],
    seed: int,
    workers: int | None,
    out: Path | None,
    resume: bool,
    as_json: bool,
    lang: str,
) -> None:
    """Compare scenarios A, B, C ...: each runs R times with common random numbers.

    Reports, per indicator, the mean and 95 % interval of the final year for each scenario,
    the difference to the first scenario with its interval, and a verdict (better, worse,
    no clear difference).
    """
    from sim.reports.comparison import write_report
    from sim.runs.compare import compare as run_comparison
    from sim.runs.compare import compare_into

    chosen = _compared_scenarios(scenario_refs, assignments, months)
    if resume and out is None:
        raise click.UsageError("--resume needs the --out folder of the interrupted comparison")
    console = Console(highlight=False, stderr=as_json)
    context = click.get_current_context()
    command = (context.obj or {}).get("argv") or ["compare", *sys.argv[2:]]
    try:
        with progress_bar(t("comparison", lang), len(chosen) * replications) as advance:
            if out is None:
                result = run_comparison(chosen, replications, seed, workers, progress=advance)
            else:
                result = compare_into(
                    out,
                    chosen,
                    replications,
                    seed,
                    workers,
                    resume,
                    progress=advance,
                    command=" ".join(command),
                )
        written = write_report(result, out, lang, command) if out else []
    except KeyboardInterrupt:
        if out is not None:
            from sim.runs.results import ResultStore

            store = ResultStore(out)
            if store.manifest_path.exists():
                again = " ".join(shlex.quote(a) for a in ["kommune", *command])
                again += "" if resume else " --resume"
                click.echo(
                    f"kommune: interrupted; {len(store.done_ids())} of "
                    f"{len(chosen) * replications} runs are saved in {out}; continue "
                    f"with: {again}",
                    err=True,
                )
                raise SystemExit(130) from None
        raise
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    _print_comparison(console, result, lang)
    for path in written:
        console.print(f"wrote {path}")


def _compared_scenarios(
    refs: tuple[str, ...], assignments: tuple[str, ...], months: int | None
) -> list:
    """The scenarios to compare, with the overrides; a scenario named twice gets a number,
    so that its columns can be told apart."""
    from dataclasses import replace

    from sim.files.scenario import load

    if len(refs) < 2:
        raise click.UsageError("give at least two scenarios to compare")
    overrides = parse_assignments(assignments)
    if months is not None:
        make_params({"months": months}, where="--months")
        overrides["months"] = months
    chosen, seen = [], {}
    for ref in refs:
        s = load(ref, overrides)
        seen[s.name] = seen.get(s.name, 0) + 1
        chosen.append(s if seen[s.name] == 1 else replace(s, name=f"{s.name} ({seen[s.name]})"))
    if len({s.params.months for s in chosen}) > 1:
        raise ParameterError("the scenarios have different run lengths; set one with --months")
    return chosen


def _print_comparison(console: Console, result, lang: str) -> None:
    from rich.table import Table

    from sim.indicators import INDICATORS
    from sim.runs.compare import FINAL_MONTHS

    results, diffs = result.results(), result.differences()
    styles = {"better": "green", "worse": "red", "higher": "cyan", "lower": "cyan", "none": "dim"}
    console.print(
        f"[bold]{t('comparison', lang)}[/] · {len(result.seeds)} {t('runs', lang)} × "
        f"{result.months} {t('month', lang)} · " + t("final_year", lang).format(final=FINAL_MONTHS)
    )
    for s in result.scenarios:
        console.print(f"  {s.name}: {s.title(lang)}", style="dim")
    ref = result.reference

    def cell(r, i, signed=False):
        digits = 1 if INDICATORS[i].unit in ("count", "hours") else 2
        if not signed:
            return number(f"{r.mean:.{digits}f}", lang)
        return number(f"{r.mean:+.{digits}f} ±{(r.high - r.low) / 2:.{digits}f}", lang)

    for name in result.names[1:]:
        table = Table(
            title=f"{name} {t('versus', lang)} {ref}",
            title_justify="left",
            title_style="bold",
            box=None,
            header_style="bold",
            pad_edge=False,
        )
        table.add_column(t("indicator", lang), no_wrap=True)
        for column in (ref, name):
            table.add_column(column[:8], justify="right", no_wrap=True)
        table.add_column(t("difference", lang), justify="right", no_wrap=True)
        table.add_column(t("verdict", lang), no_wrap=True)
        for i, meta in INDICATORS.items():
            d, v = diffs[name][i]
            table.add_row(
                meta.label(lang),
                cell(results[ref][i], i),
                cell(results[name][i], i),
                cell(d, i, signed=True),
                t(v, lang),
                style=styles[v],
            )
        console.print(table)


OFFLINE = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # Solara reports usage unless told not to
    "SOLARA_ASSETS_PROXY": "True",  # the browser gets every asset from this server ...
    # ... which has them from solara-assets; production mode also drops Solara's online check.
    # An asset missing there would be fetched from a public CDN: point that at a closed local
    # port, so the server never reaches out either.
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",
    "SOLARA_THEME_SHOW_BANNER": "False",  # no "runs on Solara" badge over the charts
    "SOLARA_THEME_TITLE": "Vernetzte Kommune",
}


# Solara warns at every page load over plain http from an address other than "localhost"
# that its session cookie falls back to SameSite=Lax. That is what a page opened directly
# (not embedded in another site) needs, so the trainer's terminal stays quiet about it.
QUIET = "ignore:Cookies with samesite=none require https:UserWarning"


def _announce_shared(urls: list[str], port: int, page: str = "", trainer: str = "") -> None:
    """What the trainer reads out or shows: the addresses participants can open, and the
    first as a QR code (also on the page's join panel). ``page``: the room's way in."""
    from sim.dashboard.join import qr_text

    if not urls:
        click.echo(
            f"Vernetzte Kommune on port {port} of every network of this computer, but it has "
            "no network address now (connect it to the room's Wi-Fi or network, then "
            f"participants open http://<its address>:{port}/{page})  (Ctrl-C stops the server)"
        )
        return
    click.echo("Vernetzte Kommune, shared with the network. Participants open:")
    for url in urls:
        click.echo(f"  {url}{page}")
    click.echo(qr_text(urls[0] + page), nl=False)
    if page:
        click.echo(f"The trainer's page, on this computer: http://localhost:{port}/{trainer}")
        click.echo("  (open a room there; its code and its own QR code appear on it)")
    else:
        click.echo(f"Planung (for planners), on this computer: http://localhost:{port}/planung")
    click.echo(f"On this computer: http://localhost:{port}/  (Ctrl-C stops the server)")


def _check_address(host: str, port: int) -> None:
    """One clear line before the server starts, rather than its log after it fails."""
    import os
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            if os.name == "posix":  # as the server does: a port just freed is free, while
                # a port someone listens on is still refused
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as error:
        hint = (
            "another dashboard may be running there; choose another with --port"
            if getattr(error, "errno", None) == errno.EADDRINUSE
            else "use 127.0.0.1 (this computer) or 0.0.0.0 (the room)"
        )
        raise click.BadParameter(
            f"cannot listen on {host}:{port} ({error.strerror or error}); {hint}",
            param_hint="'--host'/'--port'",
        ) from None


def _served(shared: str):
    """The options of a command that serves the app: scenario, language, host and port;
    ``shared`` says what ``--host 0.0.0.0`` shares."""

    def options(command):
        command = click.option(
            "--port", type=click.IntRange(0, 65535), default=8765, show_default=True
        )(command)
        command = click.option(
            "--host",
            default="127.0.0.1",
            show_default=True,
            help=f"Address to listen on; 0.0.0.0 {shared}.",
        )(command)
        command = LANG(command)
        return click.argument("scenario", required=False, default="default")(command)

    return options


@cli.command()
@_served("shares the dashboard with the room")
def dashboard(scenario: str, lang: str, host: str, port: int) -> None:
    """Start the workshop dashboard in the browser: offline, one model per visitor.

    SCENARIO (default: the built-in 'default') is where the dashboard starts; every scenario
    can be picked on the page. Beside it, at /planung, the Planung page for planners: the
    municipality (or its actor list), variants, comparison and recommendation. Nothing is
    loaded from the internet and nothing is sent out.
    """
    _serve_app(scenario, lang, host, port, room=False)


@cli.command()
@_served("opens the room to participants' phones and laptops")
def room(scenario: str, lang: str, host: str, port: int) -> None:
    """Open the participatory room: participants play the network's members live.

    The trainer's page, at the address this command prints (/raum with this server's key;
    only there are rooms opened), opens a room on SCENARIO (default: the built-in
    'default'; any scenario can be picked there) and shows its code, the address and a QR
    code;
    participants join at /mitmachen from their own devices, each takes a member of the
    network and decides every month. Several rooms on one server stay apart by their
    codes. Offline, like the dashboard: nothing is loaded from or sent to the internet.
    """
    _serve_app(scenario, lang, host, port, room=True)


def _serve_app(scenario: str, lang: str, host: str, port: int, room: bool) -> None:
    """Serve the workshop app (dashboard, Planung, room) with Solara, offline and quiet.
    Only whoever has the address the terminal shows for the trainer opens rooms (a key
    of this server's own); the participants' address has none."""
    import os
    import secrets
    import subprocess

    from sim.files.scenario import load

    load(scenario)  # a bad scenario is one line here, not an error page later
    _check_address(host, port)
    from sim.dashboard import join

    urls = join.join_urls(host, port)
    key = os.environ.get(join.ROOM_KEY) or secrets.token_urlsafe(9)  # who may open rooms
    trainer = f"raum?schluessel={key}"
    env = {
        **os.environ,
        **OFFLINE,
        "PYTHONWARNINGS": ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), QUIET])),
        "KOMMUNE_SCENARIO": scenario,
        "KOMMUNE_LANG": lang,
        join.ROOM_KEY: key,
    }
    if host in join.EVERYWHERE:
        env[join.ENV] = " ".join(urls)
        _announce_shared(urls, port, "mitmachen" if room else "", trainer)
    elif room:
        click.echo(f"Participants (on this computer only): {urls[0]}mitmachen")
        click.echo(f"The room, for the trainer: {urls[0]}{trainer}  (Ctrl-C stops the server)")
    else:
        click.echo(f"Planung (for planners): {urls[0]}planung")
        click.echo(f"Vernetzte Kommune: {urls[0]}  (Ctrl-C stops the dashboard)")
    command = [
        sys.executable,
        "-m",
        "sim.dashboard.serve",  # solara run, without its "starting at 0.0.0.0" line
        "run",
        "sim.app",  # its routes: the workshop (/), Planung (/planung), the room (/raum)
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
        "--no-check-version",  # else it asks pypi.org at every start, and waits for it
        "--log-level",
        "warning",
    ]
    if os.name == "posix":  # become the server: a signal to this process reaches it
        sys.stdout.flush()
        os.execve(sys.executable, command, env)
    try:
        code = subprocess.call(command, env=env)
    except KeyboardInterrupt:
        code = 0
    raise SystemExit(code)


@cli.command("sweep")
@click.argument("experiment")
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 256),
    default=None,
    help="Local worker processes (default: one per core, at most 8).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on an existing Dask cluster instead, e.g. tcp://10.0.0.5:8786.",
)
@click.option(
    "--out", type=click.Path(path_type=Path), help="Result folder (default: results/EXPERIMENT)."
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue an interrupted sweep in --out: run only what is missing.",
)
@click.option(
    "--large", is_flag=True, help="Run a design of more than 100,000 runs (refused without this)."
)
def sweep_command(
    experiment: str,
    workers: int | None,
    scheduler: str | None,
    out: Path | None,
    resume: bool,
    large: bool,
) -> None:
    """Run every run of EXPERIMENT (a file in experiments/, or its path).

    Results stream to a Parquet dataset in the result folder as runs finish, with a
    manifest of the experiment, seeds, versions and counts. Interrupted (Ctrl-C, kill -9, a
    lost machine), the same command with --resume runs only what is missing.
    """
    from sim.files.experiment import LARGEST, load_experiment
    from sim.runs.sweep import sweep

    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    exp = load_experiment(experiment, max_runs=LARGEST) if large else load_experiment(experiment)
    folder = out or Path("results") / exp.name
    try:
        with progress_bar(exp.name, exp.total_runs) as advance:
            summary = sweep(
                exp, folder, workers=workers, scheduler=scheduler, resume=resume, progress=advance
            )
    except KeyboardInterrupt:
        from sim.runs.results import ResultStore

        manifest = ResultStore(folder).manifest() or {"runs": {"done": 0}}
        click.echo(
            f"kommune: interrupted; {manifest['runs']['done']} of {exp.total_runs} runs "
            f"are saved in {folder}; continue with: kommune sweep {experiment} --out "
            f"{folder} --resume{' --large' if large else ''}",
            err=True,
        )
        raise SystemExit(130) from None
    for part, target in summary.set_aside:
        click.echo(
            f"kommune: {part} could not be read; set aside as {target}, its runs were run again",
            err=True,
        )
    if summary.duplicates_removed:
        click.echo(
            f"kommune: {summary.duplicates_removed} runs were stored twice; the second "
            "copies were removed",
            err=True,
        )
    click.echo(
        f"{exp.name}: {summary.done} of {summary.total} runs done "
        f"({summary.session_runs} in this session, {summary.seconds:.1f} s); "
        f"results in {folder}"
    )
    if summary.failed:
        click.echo(
            f"kommune: {summary.failed} runs failed after "
            f"{exp.retries + 1} attempts (first: {summary.failures[0]}); see "
            f"{folder}/failures, retry with --resume",
            err=True,
        )
        raise SystemExit(1)


@cli.command("optimize")
@click.argument("optimization_file")
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 256),
    default=None,
    help="Local worker processes for each setting's seeds (default: one per core, at most 8).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Result folder (default: results/optimize-NAME).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue an interrupted optimisation in --out: only the missing trials run.",
)
def optimize_command(
    optimization_file: str, workers: int | None, out: Path | None, resume: bool
) -> None:
    """The cheapest setting of chosen levers that reaches a target (Optuna).

    OPTIMIZATION_FILE (a .toml file, or its name in experiments/) names the base scenario,
    the levers with their ranges and costs per unit, and the target: an indicator's final
    value that a share of the seeds must reach (e.g. effectiveness >= 0.6 in 90 %). Every
    setting runs the same seeds; the recommendation is checked on fresh seeds. Writes
    summary.md, trials.csv, front.png and recommended.toml; finished trials are kept in
    study.log, so an interrupted optimisation continues with --resume. Exit code 1 when no
    setting tried reaches the target. See docs/optimize.md.
    """
    from sim.runs.optimize import load_optimization, optimize, runs_left

    opt = load_optimization(optimization_file)
    folder = out or Path("results") / f"optimize-{opt.name}"
    try:
        with progress_bar(opt.name, runs_left(opt, folder)) as advance:
            result = optimize(opt, folder, workers=workers, resume=resume, progress=advance)
    except KeyboardInterrupt:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # saved already; a second press just ends
        left = runs_left(opt, folder) - opt.check_replications
        done = opt.trials - left // opt.replications
        click.echo(
            f"kommune: interrupted; {done} of {opt.trials} trials are saved in {folder}; "
            f"continue with: kommune optimize {optimization_file} --out {folder} --resume",
            err=True,
        )
        raise SystemExit(130) from None
    click.echo(
        f"{opt.name}: {len(result.trials)} trials ({result.session_trials} in this session, "
        f"{result.seconds:.1f} s); target: {opt.target_text}"
    )
    if result.check is None:
        click.echo(
            "kommune: no setting tried reaches the target; see summary.md (lower the target "
            "or widen the levers' ranges)",
            err=True,
        )
        click.echo(f"results in {folder} (summary.md, trials.csv, front.png)")
        raise SystemExit(1)
    shown = ", ".join(f"{k} = {v:g}" for k, v in result.check.values.items())
    click.echo(
        f"recommended: {shown} (cost {result.check.cost:g} {opt.unit}); on "
        f"{len(result.check.finals)} fresh seeds it reaches the target in "
        f"{result.check.share:.0%}, mean {opt.indicator} {result.check.mean:.3f}"
    )
    click.echo(f"results in {folder} (summary.md, recommended.toml, trials.csv, front.png)")


@cli.command("calibrate")
@click.argument("calibration_file")
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 256),
    default=None,
    help="Local worker processes, one particle each (default: one per core, at "
    "most 8). With 1 the calibration is reproducible.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run the particles on an existing Dask cluster, e.g. tcp://10.0.0.5:8786.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Result folder (default: results/calibration-NAME).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue an interrupted calibration in --out: only the missing generations run.",
)
def calibrate_command(
    calibration_file: str,
    workers: int | None,
    scheduler: str | None,
    out: Path | None,
    resume: bool,
) -> None:
    """Calibrate parameters with ABC-SMC (pyabc) against patterns and/or observations.

    CALIBRATION_FILE (a .toml file, or its name in experiments/) names the base scenario,
    the parameters with their priors, the targets (pattern numbers, an observations file)
    and the particles and generations. Writes posterior.csv, summary.md, figures, a
    posterior-predictive check and calibrated.toml to the result folder; every finished
    generation is kept in its history.db, so an interrupted calibration continues with
    --resume. See docs/calibration.md.
    """
    from sim.runs.calibration import load_calibration
    from sim.runs.calibration.engine import calibrate, describe_generation

    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    cal = load_calibration(calibration_file)
    folder = out or Path("results") / f"calibration-{cal.name}"
    console = Console(stderr=True, highlight=False)
    try:
        with _CalibrationDisplay(cal, console) as display:
            result = calibrate(
                cal, folder, workers=workers, scheduler=scheduler, resume=resume, progress=display
            )
    except KeyboardInterrupt:
        import signal

        from sim.runs.results import ResultStore

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # saved already; a second press just ends
        try:
            manifest = ResultStore(folder).manifest() or {}
        except ParameterError:
            manifest = {}
        done = manifest.get("generations", {}).get("done", 0)
        click.echo(
            f"kommune: interrupted; {done} of {cal.generations} generations are saved "
            f"in {folder}; continue with: kommune calibrate {calibration_file} --out "
            f"{folder} --resume",
            err=True,
        )
        raise SystemExit(130) from None
    for generation in result.generations:
        click.echo(describe_generation(generation))
    for m in result.marginals:
        click.echo(
            f"{m.name}: median {m.median:.4g}, 90 % interval {m.q05:.4g} to "
            f"{m.q95:.4g} (prior {m.low:g} to {m.high:g}, narrowed {m.narrowed_text})"
        )
    ran = len(result.session_generations)
    click.echo(
        f"{cal.name}: {len(result.generations)} generations ({ran} in this session, "
        f"{result.seconds:.1f} s); results in {folder} (summary.md, calibrated.toml)"
    )


class _CalibrationDisplay:
    """The calibration's progress on a terminal: generations done, and in the running
    generation the particles accepted so far; each finished generation stays as one line
    with its epsilon and acceptance rate. Nothing when the output is not a terminal."""

    def __init__(self, cal, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.cal = cal
        self.console = console
        self.on = console.is_terminal
        self.bar = Progress(
            "{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            "{task.fields[extra]}",
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not self.on,
        )
        self.counts = None
        self.stop = None

    def __enter__(self):
        import threading

        self.bar.__enter__()
        self.total = self.bar.add_task(
            f"{self.cal.name}: generations", total=self.cal.generations, extra=""
        )
        self.running = self.bar.add_task(
            "starting", total=self.cal.particles, extra="", visible=False
        )
        self.stop = threading.Event()
        if self.on:
            threading.Thread(target=self._poll, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.bar.__exit__(*exc)

    def _poll(self) -> None:
        while not self.stop.wait(0.3):
            counts = self.counts
            if counts is not None:
                evaluated, accepted = counts()
                self.bar.update(
                    self.running,
                    completed=min(accepted, self.cal.particles),
                    extra=f"{evaluated} evaluated",
                )

    def __call__(self, event: str, **info) -> None:
        if event == "prior-sample":
            self.counts = info["counts"]
            self.bar.reset(
                self.running,
                visible=True,
                total=None if self.counts is None else info["particles"],
                description="sample from the prior (sets the first epsilon)",
                extra="",
            )
        elif event == "generation-start":
            self.bar.update(self.total, completed=info["t"])
            self.counts = info["counts"]
            self.bar.reset(
                self.running,
                visible=True,
                total=None if self.counts is None else info["particles"],
                description=f"generation {info['t']} (epsilon {info['epsilon']:.4g}) accepted",
                extra="",
            )
        elif event == "generation-end":
            from sim.runs.calibration.engine import describe_generation

            g = info["generation"]
            self.counts = None
            self.bar.update(self.total, completed=g.t + 1)
            self.bar.update(self.running, visible=False)
            if self.on:
                self.bar.console.print(describe_generation(g))
        elif event == "predictive":
            self.counts = None
            self.bar.update(
                self.running,
                visible=True,
                total=info["total"],
                completed=info["done"],
                description="posterior-predictive draws",
                extra="",
            )


@cli.command("analyze")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--outcome", help="Indicator to analyse (default: the experiment's, usually effectiveness)."
)
@click.option(
    "--threshold",
    type=float,
    help="PRIM: a design point is effective when its outcome is at least this "
    "(default: the experiment's, else the upper quartile).",
)
def analyze_command(folder: Path, outcome: str | None, threshold: float | None) -> None:
    """Analyse a sweep's results: indices, PRIM boxes, figures and a findings file.

    Writes FOLDER/analysis/ (CSV tables, PNG figures, findings.md generated from the data).
    """
    from sim.analysis import analyze

    with Console(stderr=True).status(f"analysing {folder} ..."):
        analysis = analyze(folder, outcome, threshold)
    for line in analysis.warnings:
        click.echo(f"kommune: warning: {line}", err=True)
    click.echo((folder / "analysis" / "findings.md").read_text(encoding="utf-8"))
    click.echo("wrote " + ", ".join(str(p) for p in analysis.files))


@cli.command("results")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("sql", required=False)
@click.option("--csv", "as_csv", is_flag=True, help="Print the query result as CSV.")
def results_command(folder: Path, sql: str | None, as_csv: bool) -> None:
    """Query the results of a sweep, a comparison or a run (--out) with SQL (DuckDB): tables
    runs, design, failures.

    Without SQL: what the folder holds, and example queries.
    """
    from sim.runs.results import ResultStore

    store = ResultStore(folder)
    manifest = store.manifest()
    if manifest is None or "runs" not in manifest:
        raise ParameterError(
            f"{folder}: not the result folder of a sweep, comparison or run (no "
            "manifest.json with runs; a calibration's results are in its "
            "report.md and posterior.csv)"
        )
    con = store.connect()
    for line in store.warnings():
        click.echo(f"kommune: warning: {line}", err=True)
    if sql is None:
        runs = manifest["runs"]
        title = manifest.get("experiment", {}).get("title") or manifest.get("title", "")
        click.echo(
            f"{title}\n{folder}: {runs['done']} of "
            f"{runs['total']} runs done, {runs['failed']} failed, {runs['pending']} "
            f"pending; status {manifest['status']}"
        )
        if manifest.get("kind") in ("comparison", "run"):
            click.echo("tables: runs (one row per run and month, with scenario, replicate, seed)")
            click.echo(
                'examples:\n  kommune results DIR "SELECT scenario, avg(effectiveness) '
                'FROM runs WHERE month > 108 GROUP BY scenario"'
            )
            return
        click.echo(
            "tables: runs (one row per run and recorded month), design (one row per "
            "design point), failures (one row per failed attempt)"
        )
        click.echo(
            'examples:\n  kommune results DIR "SELECT count(*) FROM runs"\n'
            '  kommune results DIR "SELECT point_id, avg(effectiveness) AS eff FROM '
            'runs GROUP BY point_id ORDER BY eff DESC LIMIT 5"'
        )
        return
    import duckdb

    try:
        frame = con.execute(sql).df()
    except duckdb.Error as error:
        message = str(error).splitlines()[0]
        raise ParameterError(f"SQL: {message}") from None
    if as_csv:
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        with pd_options():
            click.echo(frame.to_string(index=False))


def pd_options():
    import pandas as pd

    return pd.option_context(
        "display.max_rows", 200, "display.width", 200, "display.max_columns", 50
    )


@cli.command()
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "markdown", "json"]),
    default="table",
    show_default=True,
)
def params(lang: str, fmt: str) -> None:
    """List every parameter: default, allowed values, unit and meaning."""
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "name": s.name,
                        "default": s.default,
                        "low": s.low,
                        "high": s.high,
                        "choices": list(s.choices) if s.choices else None,
                        "unit": s.unit,
                        "en": s.en,
                        "de": s.de,
                        "source": s.source,
                        "group": s.group,
                    }
                    for s in SPECS
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    if fmt == "markdown":
        from sim.docs import parameter_table

        click.echo(parameter_table(lang))
        return
    from rich.table import Table

    console = Console(highlight=False)
    for group in GROUPS:
        table = Table(
            title=group, title_justify="left", title_style="bold", expand=True, header_style="bold"
        )
        table.add_column("name", no_wrap=True)
        table.add_column("default", justify="right")
        table.add_column("allowed", ratio=1)
        table.add_column("meaning" if lang == "en" else "Bedeutung", ratio=2)
        for s in (s for s in SPECS if s.group == group):
            table.add_row(
                s.name,
                str(s.default).lower() if isinstance(s.default, bool) else str(s.default),
                s.allowed(),
                s.en if lang == "en" else s.de,
            )
        console.print(table)


@cli.command()
@click.option(
    "--replications",
    "-r",
    type=click.IntRange(2, 1000),
    default=10,
    show_default=True,
    help="Seeds per condition (common random numbers).",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes (default: one per core, at most 8).",
)
@click.option(
    "--pattern",
    "numbers",
    type=click.IntRange(1, 7),
    multiple=True,
    help="Check only this pattern (repeatable).",
)
def patterns(replications: int, workers: int | None, numbers: tuple[int, ...]) -> None:
    """Check the seven validation patterns (docs/ODD.md §1) and print every claim.

    Each claim is a contrast between conditions run with the same seeds; it holds when the
    lower end of its 95 % confidence interval is above its margin. Exit code 1 if any fails.
    """
    from sim.validation.patterns import PATTERNS, evaluate

    chosen = [p for p in PATTERNS if not numbers or p.number in numbers]
    console = Console(highlight=False)
    total = sum(p.runs(replications) for p in chosen)
    failures = 0
    with progress_bar("patterns", total) as advance:
        results = [
            (p, evaluate(p, range(replications), workers=workers, progress=advance)) for p in chosen
        ]
    for pattern, verdicts in results:
        console.print(
            f"[bold]Pattern {pattern.number}[/]: {pattern.title} [dim]({pattern.source})[/]"
        )
        for v in verdicts:
            failures += not v.holds
            mark = (
                "[blue]report[/]"
                if not v.claim.checked
                else "[green]holds[/]"
                if v.holds
                else "[red]FAILS[/]"
            )
            console.print(
                f"  {mark}  {v.claim.text}: {v.mean:+.3f} "
                f"(95% CI {v.ci_low:+.3f} to {v.ci_high:+.3f}, "
                f"margin {v.claim.margin:+.3f}, n={v.n})"
            )
    if failures:
        raise SystemExit(1)


@cli.command("validate")
@click.option(
    "--replications",
    "-r",
    type=click.IntRange(2, 1000),
    default=20,
    show_default=True,
    help="Seeds per condition (common random numbers).",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes (default: one per core, at most 8).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="The page to write (default: the project's docs/validation.md); the CSV "
    "files go to a folder of the same name without .md (docs/validation/).",
)
def validate_command(replications: int, workers: int | None, out: Path | None) -> None:
    """Run every docking check, pattern claim and lever check; write the validation page.

    Writes docs/validation.md (generated: docking, patterns, levers with their measured
    values and verdicts) and the same numbers as CSV in docs/validation/ (docking.csv,
    patterns.csv, levers.csv, run.json). Exit code 1 if any check fails (the page is
    written all the same), 2 for bad input.
    """
    from sim.validation import page as validation

    page = out if out is not None else validation.PAGE
    validation.check_out(page)
    with progress_bar("validate", validation.total_steps(replications)) as advance:
        counts = validation.validate(page, replications, workers, progress=advance)
    folder = validation.tables_folder(page)
    click.echo(f"wrote {page} and {folder}/ (docking.csv, patterns.csv, levers.csv, run.json)")
    click.echo(
        "; ".join(f"{name}: {held} of {total} hold" for name, (held, total) in counts.items())
    )
    if any(held < total for held, total in counts.values()):
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns every expected failure into one line and exit code 2."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        click.echo(cli.get_help(click.Context(cli, info_name="kommune")))
        sys.exit(0)
    try:
        with stopping_on_terminate():  # kill stops a long command as Ctrl-C does
            code = cli.main(
                args=args, prog_name="kommune", standalone_mode=False, obj={"argv": list(args)}
            )
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
