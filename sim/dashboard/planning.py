"""The "Planung" page: a planner's municipality, its what-if variants and their comparison.

Served by ``kommune dashboard`` beside the workshop page, at ``/planung``. The page holds a
``Plan`` (``sim.dashboard.plan``: ordinary scenario files in a folder of its own) and draws
it in four steps: where to start from (a shipped scenario, an uploaded scenario file or
actor list), the municipality's settings (a form generated from the parameter table,
grouped as a planner thinks), the variants (changes and events on a timeline), and the
comparison, run in the background with a progress bar and a cancel button, shown as the
same report the planner downloads.
"""

from __future__ import annotations

import base64
import io
import threading
from html import escape

import reacton.ipyvuetify as rv
import solara
import solara.lab
import traitlets
from ipyvue import Template
from ipyvuetify.extra import FileInput
from ipywidgets import widget_serialization

from sim.dashboard.plan import (
    COORDINATOR_COST,
    EVENT_KINDS,
    LEVER_RANGES,
    MAX_UPLOAD,
    MAX_VARIANTS,
    PARTNERS,
    SECTIONS,
    Cancelled,
    Goal,
    Plan,
    PlanError,
    actor_template,
    label,
    recommendation_text,
    shown,
    unit,
)
from sim.dashboard.settings import DEFAULT_LANG, scenario_titles
from sim.files.scenario import builtin_names
from sim.i18n import number, percent, t
from sim.mechanisms.events import CUT_SHARE
from sim.params import SPEC_BY_NAME, ParameterError
from sim.reports.comparison import excel, html_report
from sim.runs.optimize.report import front_figure

PLAN_CSS = """
.kommune-plan { max-width: 1240px; margin: 0 auto; padding: 8px 16px 48px 16px; }
.kommune-plan .v-card { margin: 12px 0 !important; }
.kommune-plan-fields { display: grid; gap: 4px 24px;
  grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); }
.kommune-plan-changed input, .kommune-plan-changed .v-select__selection,
.kommune-plan-changed .v-label { font-weight: 600; }
.kommune-plan-variant { border-left: 4px solid #1b6ca8; padding-left: 12px; margin: 8px 0; }
.kommune-plan-row { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
.kommune-plan-row > * { flex: 0 1 auto; }
.kommune-plan-report { width: 100%; height: 1400px; border: 1px solid #ddd; border-radius: 4px; }
.kommune-plan-verdict { margin: 4px 0; padding: 6px 10px; border-radius: 4px;
  background: #eef2f7; }
.kommune-plan-verdict-good { background: #dff3e3; }
.kommune-plan-verdict-bad { background: #fbe0e0; }
.kommune-plan-small { font-size: 0.85em; color: #555; }
"""
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scenario_choices(lang: str) -> dict[str, str]:
    return scenario_titles(lang)


class FilePicker(FileInput):
    """ipyvuetify's file input with its script exported as Vue expects
    (``module.exports``; ipyvuetify 1.11 writes ``modules.export``, and the file is then
    never read), as solara's own drop zone does."""

    template = traitlets.Instance(Template).tag(sync=True, **widget_serialization)
    template_file = (__file__, "file_input.vue")


@solara.component
def Upload(label_text: str, on_file):
    """A file chooser (a real file input: a click opens the system's dialog, which a
    planner expects more than a drop zone); ``on_file(name, data)`` once a file is read."""
    info, set_info = solara.use_state(None)
    wired, set_wired = solara.use_state(None)
    element = FilePicker.element(
        label=label_text,
        multiple=False,
        accept=".toml,.csv,.xlsx",
        on_file_info=set_info,
        show_progress=False,
    )

    def wire() -> None:  # in the render context, as solara's FileDrop does
        if not info:
            return
        widget = solara.get_widget(element)
        widget.version += 1  # the same file chosen again is read again
        widget.reset_stats()
        set_wired(widget.get_files())

    solara.use_effect(wire, [info])

    reads = solara.use_ref(0)

    def read(cancel: threading.Event):
        if not wired:
            return None
        reads.current += 1  # the same file chosen again is a new delivery
        if wired[0]["size"] > MAX_UPLOAD:  # not read at all: the plan says why
            return wired[0]["name"], None, reads.current
        # in a thread: the browser sends the file while this waits for it
        return wired[0]["name"], wired[0]["file_obj"].read(), reads.current

    result = solara.use_thread(read, [wired])

    def deliver() -> None:  # back in the render context, where the page's state is set
        if result.value:
            on_file(*result.value[:2])

    solara.use_effect(deliver, [result.value])
    return element


def field_hint(name: str, plan: Plan, lang: str) -> str:
    spec = SPEC_BY_NAME[name]
    if name in plan.fixed():
        return t("given_by_list", lang)
    parts = [spec.meaning(lang) if label(spec, lang) != spec.meaning(lang) else ""]
    if spec.choices:
        parts.append(", ".join(t(f"choice_{c}", lang) for c in spec.choices))
    elif spec.kind is not bool and spec.low is not None:
        span = t("allowed_range", lang).format(
            low=number(f"{spec.low:g}", lang), high=number(f"{spec.high:g}", lang)
        )
        parts.append(f"{span} {unit(spec, lang)}".strip())
    base = plan.base.params.model_dump()[name]
    if name in plan.changes:
        parts.append(t("changed_from", lang).format(value=shown(base, lang)))
    return " · ".join(p for p in parts if p)


@solara.component
def ParameterField(name: str, plan: Plan, lang: str, changed, version: int):
    """One parameter of the municipality: a choice, a yes/no or a number typed as a
    planner writes it (0,5); a refused value keeps the field red with the command line's
    message and changes nothing."""
    spec = SPEC_BY_NAME[name]
    error, set_error = solara.use_state("")
    value = plan.value(name)
    fixed = name in plan.fixed()

    def set_value(text) -> None:
        try:
            plan.set(name, text)
        except ParameterError as refused:
            set_error(said(refused, lang))  # the plan is unchanged: only this field redraws
            return
        set_error("")
        changed()

    classes = [f"kommune-plan-field-{name}"]
    if name in plan.changes:
        classes.append("kommune-plan-changed")
    hint = error or field_hint(name, plan, lang)
    with solara.Div(classes=classes):
        if spec.choices:
            choices = {t(f"choice_{c}", lang): c for c in spec.choices}
            solara.Select(
                label(spec, lang),
                value=t(f"choice_{value}", lang),
                values=list(choices),
                on_value=lambda v: set_value(choices[v]),
                disabled=fixed,
            )
            solara.Text(hint, classes=["kommune-plan-small"])
        elif spec.kind is bool:
            solara.Checkbox(label=label(spec, lang), value=bool(value), on_value=set_value)
            solara.Text(hint, classes=["kommune-plan-small"])
        else:
            solara.InputText(
                label(spec, lang),
                value=shown(value, lang),
                on_value=set_value,
                error=bool(error),
                message=hint,
                disabled=fixed,
            )


@solara.component
def MunicipalityForm(plan: Plan, lang: str, changed, version: int):
    section = solara.use_reactive("structure")
    names = {t(f"section_{s}", lang): s for s in SECTIONS}
    solara.ToggleButtonsSingle(
        value=t(f"section_{section.value}", lang),
        values=list(names),
        on_value=lambda v: section.set(names[v]),
        classes=["kommune-plan-sections"],
    )
    with solara.Div(classes=["kommune-plan-fields"]):
        for name in SECTIONS[section.value]:
            ParameterField(name, plan, lang, changed, version).key(f"{section.value}-{name}-{lang}")


def event_text(event: dict, lang: str) -> str:
    """A variant's event as the workshop page's notes say it."""
    text = t(f"note_{event['kind']}", lang).format(share=percent(event.get("share", 0), lang))
    if event["kind"] == "new_partner":
        text += f" ({t(f'partner_{event["partner"]}', lang)})"
    return f"{t('month', lang).capitalize()} {event['month']}: {text}"


def event_kind(kind: str, lang: str) -> str:
    return t("plan_funding_cut", lang) if kind == "funding_cut" else t(f"event_{kind}", lang)


@solara.component
def ChangeAdder(plan: Plan, index: int, lang: str, changed, version: int):
    """Set a parameter in a variant: any the municipality has, checked as --set is."""
    chosen = solara.use_reactive("")
    new_value = solara.use_reactive("")
    error, set_error = solara.use_state("")
    labels = {
        f"{label(SPEC_BY_NAME[n], lang)} ({n})": n for n in SPEC_BY_NAME if n not in plan.fixed()
    }

    def apply_change() -> None:
        if chosen.value not in labels:
            return
        try:
            plan.set_in_variant(index, labels[chosen.value], new_value.value)
        except ParameterError as refused:
            set_error(said(refused, lang))
            return
        set_error("")
        changed()

    with solara.Div(classes=["kommune-plan-row"]):
        rv.Autocomplete(  # typing "Koord" finds it among some 150 parameters
            label=t("change_parameter", lang),
            items=list(labels),
            v_model=chosen.value or None,
            on_v_model=lambda value: chosen.set(value or ""),
            class_="kommune-plan-change-parameter",
            style_="min-width: 420px",
        )
        solara.InputText(
            t("new_value", lang),
            value=new_value,
            continuous_update=True,
            classes=["kommune-plan-change-value"],
        )
        solara.Button(t("apply", lang), on_click=apply_change, classes=["kommune-plan-apply"])
    if error:
        solara.Error(error, classes=["kommune-plan-change-error"])


@solara.component
def EventAdder(plan: Plan, index: int, lang: str, changed, version: int):
    """Put an event on a variant's timeline: a funding cut, the end of the coordinator's
    position, a partner joining, the key person leaving."""
    kind = solara.use_reactive(EVENT_KINDS[0])
    month = solara.use_reactive(24)
    share = solara.use_reactive(shown(CUT_SHARE, lang))
    partner = solara.use_reactive(PARTNERS[0])
    error, set_error = solara.use_state("")
    kinds = {event_kind(k, lang): k for k in EVENT_KINDS}
    partners = {t(f"partner_{p}", lang): p for p in PARTNERS}

    def add_event() -> None:
        try:
            cut = float(str(share.value).replace(",", "."))
        except ValueError:
            set_error(f"share = {share.value} is not allowed; allowed: number above 0, at most 1")
            return
        try:
            plan.add_event(index, kind.value, month.value, cut, partner.value)
        except ParameterError as refused:
            set_error(said(refused, lang))
            return
        set_error("")
        changed()

    with solara.Div(classes=["kommune-plan-row"]):
        solara.Select(
            t("event", lang),
            value=event_kind(kind.value, lang),
            values=list(kinds),
            on_value=lambda v: kind.set(kinds[v]),
            classes=["kommune-plan-event-kind"],
            style={"min-width": "240px"},
        )
        solara.InputInt(
            t("in_month", lang),
            value=month,
            continuous_update=True,
            classes=["kommune-plan-event-month"],
        )
        if kind.value == "funding_cut":
            solara.InputText(
                t("cut_share", lang),
                value=share,
                continuous_update=True,
                classes=["kommune-plan-event-share"],
            )
        if kind.value == "new_partner":
            solara.Select(
                t("partner_kind", lang),
                value=t(f"partner_{partner.value}", lang),
                values=list(partners),
                on_value=lambda v: partner.set(partners[v]),
            )
        solara.Button(t("add_event", lang), on_click=add_event, classes=["kommune-plan-add-event"])
    if error:
        solara.Error(error, classes=["kommune-plan-event-error"])


@solara.component
def VariantCard(plan: Plan, index: int, lang: str, changed, version: int):
    """One variant: its name, what it changes and what happens to it, and the two ways
    to add to it."""
    variant = plan.variants[index]

    def rename(title: str) -> None:
        variant.title = title.strip() or variant.title
        changed()

    def removable(text: str, remove, classes: list[str]) -> None:
        with solara.Row(style={"align-items": "center"}):
            solara.Text(text, classes=classes)
            solara.Button("×", text=True, on_click=lambda: (remove(), changed()))

    with solara.Div(classes=["kommune-plan-variant", f"kommune-plan-variant-{index}"]):
        with solara.Row(style={"align-items": "center"}):
            solara.InputText(
                t("variant_name", lang),
                value=variant.title,
                on_value=rename,
                classes=["kommune-plan-variant-name"],
            )
            solara.Button(
                t("remove", lang),
                text=True,
                icon_name="mdi-delete",
                on_click=lambda: (plan.remove_variant(index), changed()),
                classes=["kommune-plan-remove-variant"],
            )
        if not variant.changes and not variant.events:
            solara.Text(t("no_changes", lang), classes=["kommune-plan-small"])
        for name, value in variant.changes.items():
            removable(
                f"{label(SPEC_BY_NAME[name], lang)} = {shown(value, lang)}",
                lambda name=name: plan.unset_in_variant(index, name),
                ["kommune-plan-change"],
            )
        for position, event in enumerate(variant.events):
            removable(
                event_text(event, lang),
                lambda position=position: plan.remove_event(index, position),
                ["kommune-plan-event"],
            )
        ChangeAdder(plan, index, lang, changed, version)
        EventAdder(plan, index, lang, changed, version)


def verdict_lines(comparison, lang: str) -> list[tuple[str, str]]:
    """One plain sentence per variant on effectiveness, with its verdict's style."""
    from sim.reports.comparison import VERDICT_STYLE, interval_text

    diffs = comparison.differences()
    lines = []
    for scenario in comparison.scenarios[1:]:
        diff, word = diffs[scenario.name]["effectiveness"]
        value = interval_text(diff, "effectiveness", lang, signed=True)
        lines.append(
            (
                t("result_for", lang).format(
                    title=scenario.title(lang),
                    value=value,
                    reference=comparison.scenarios[0].title(lang),
                    verdict=t(word, lang),
                ),
                VERDICT_STYLE[word],
            )
        )
    return lines


def said(error: ParameterError, lang: str) -> str:
    """A refusal as the page shows it: its own messages in the page's language, the
    command line's in the command line's words."""
    return error.said(lang) if isinstance(error, PlanError) else str(error)


def failure(error: BaseException) -> str:
    """An unexpected failure of a background run, as one line (the server's log has the
    rest)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def run_status(running: bool, done: int, total: int, message: str, error, lang, prefix) -> None:
    """Below a start button: the progress while it runs, then what stopped it (a refused
    setting, a cancel, or an unexpected failure, each in one line)."""
    if running:
        solara.ProgressLinear(100 * done / total if total else 0.0, classes=[f"{prefix}-progress"])
        solara.Text(
            t("runs_done", lang).format(done=done, total=total),
            classes=[f"{prefix}-progress-text"],
        )
    if message:
        solara.Warning(message, classes=[f"{prefix}-message"])
    if isinstance(error, BaseException):  # solara's task says False while there is none
        solara.Error(failure(error), classes=[f"{prefix}-message"])


class Job:
    """A comparison running for this page: progress, a cancel flag and its outcome."""

    def __init__(self) -> None:
        self.cancel = threading.Event()
        self.result = None
        self.settings = ""  # what the plan looked like when the result was made
        self.snapshot = None  # the files and the command that make the same comparison


@solara.component
def ComparePanel(plan: Plan, lang: str, version: int, recommendation: dict | None = None):
    """Runs per scenario, the seed, start and cancel, progress, and the result."""
    done = solara.use_reactive(0)
    total = solara.use_reactive(0)
    message = solara.use_reactive("")
    job = solara.use_memo(Job, [])
    settings = f"{version}-{plan.replications}-{plan.seed}"

    def work():
        job.cancel.clear()
        done.set(0)
        message.set("")
        total.set((len(plan.variants) + 1) * plan.replications)
        try:
            job.result = plan.compare(
                progress=lambda n: done.set(done.value + n), cancelled=job.cancel.is_set
            )
        except Cancelled:
            message.set(t("cancelled", lang))
            return
        except ParameterError as refused:
            message.set(said(refused, lang))
            return
        job.settings = settings
        job.snapshot = plan.last

    task = solara.lab.use_task(work, dependencies=None, prefer_threaded=True)
    running = task.pending
    solara.use_effect(lambda: job.cancel.set, [])  # the page closed: stop its runs

    _, redraw = solara.use_state(0)

    def set_seed(value) -> None:
        try:
            plan.set_seed(value)
            message.set("")
        except ParameterError as refused:
            message.set(said(refused, lang))
        redraw(lambda k: k + 1)

    runs = (len(plan.variants) + 1) * plan.replications

    def set_replications(text) -> None:
        try:
            plan.set_replications(text)
            message.set("")
        except ParameterError as refused:
            message.set(said(refused, lang))
        redraw(lambda k: k + 1)  # the button says how many runs it starts

    with solara.Div(classes=["kommune-plan-row"]):
        solara.InputText(
            t("replications", lang),
            value=str(plan.replications),
            on_value=set_replications,
            classes=["kommune-plan-replications"],
            disabled=running,
        )
        solara.InputInt(
            t("seed", lang),
            value=plan.seed,
            on_value=set_seed,
            classes=["kommune-plan-seed"],
            disabled=running,
        )
        solara.Button(
            f"{t('run_comparison', lang)} ({runs} {t('runs', lang)})",
            color="primary",
            on_click=lambda: task(),
            disabled=running or not plan.variants,
            classes=["kommune-plan-run"],
        )
        if running:
            solara.Button(
                t("cancel", lang),
                on_click=job.cancel.set,
                classes=["kommune-plan-cancel"],
                color="error",
                outlined=True,
            )
    run_status(running, done.value, total.value, message.value, task.error, lang, "kommune-plan")
    if not plan.variants:
        solara.Text(t("no_variants", lang), classes=["kommune-plan-small"])
    if job.result is not None and not running:
        ResultView(job.result, job.snapshot, lang, job.settings != settings, recommendation)


@solara.component
def ResultView(result, snapshot, lang: str, stale: bool, recommendation: dict | None):
    """The verdicts in plain words, the downloads and the report itself (the page shows
    the file the planner takes away), with the recommendation where there is one;
    ``snapshot``: the files and the command of what ran, whatever changed since."""
    report = solara.use_memo(
        lambda: html_report(result, lang, snapshot.command, recommendation),
        [id(result), lang, id(recommendation)],
    )
    if stale:
        solara.Info(t("stale_result", lang), classes=["kommune-plan-stale"])
    for text, style in verdict_lines(result, lang):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=escape(text),
            classes=["kommune-plan-verdict", f"kommune-plan-verdict-{style}"],
        )
    downloads(snapshot, result, report, lang)
    solara.HTML(
        tag="iframe",
        attributes={"srcdoc": report, "title": t("comparison", lang)},
        classes=["kommune-plan-report"],
    )


@solara.component
def GoalForm(goal: Goal, lang: str, message, changed):
    """The recommendation's target and levers; a refused value goes to ``message``,
    ``changed()`` after every change (the button says how many runs the search takes)."""
    _, redraw = solara.use_state(0)

    def attempt(action, *args) -> None:
        try:
            action(*args)
            message.set("")
        except ParameterError as refused:
            message.set(said(refused, lang))
        redraw(lambda k: k + 1)
        changed()

    with solara.Div(classes=["kommune-plan-row"]):
        solara.InputText(
            t("goal_threshold", lang),
            value=shown(goal.at_least, lang),
            on_value=lambda text: attempt(goal.set, "at_least", text),
            classes=["kommune-plan-goal-threshold"],
        )
        solara.InputText(
            t("goal_share", lang),
            value=f"{goal.share * 100:g} %",
            on_value=lambda text: attempt(goal.set, "share", text),
            classes=["kommune-plan-goal-share"],
        )
        solara.InputText(
            t("goal_trials", lang),
            value=str(goal.trials),
            on_value=lambda text: attempt(goal.set, "trials", text),
            classes=["kommune-plan-goal-trials"],
        )
    for name, (low, high, _) in LEVER_RANGES.items():
        spec = SPEC_BY_NAME[name]
        with solara.Div(classes=["kommune-plan-row", f"kommune-plan-lever-{name}"]):
            solara.Checkbox(
                label=f"{label(spec, lang)} ({shown(low, lang)} – {shown(high, lang)} "
                f"{unit(spec, lang)})",
                value=name in goal.levers,
                on_value=lambda on, name=name: attempt(goal.choose, name, on),
            )
            if name in goal.levers:
                cost = goal.levers[name]
                solara.InputText(
                    t("goal_cost", lang),
                    value=(
                        t("goal_cost_default", lang)
                        if cost == COORDINATOR_COST
                        else shown(cost, lang)
                    ),
                    on_value=lambda text, name=name: attempt(goal.price, name, text),
                    dense=True,
                )


@solara.component
def RecommendPanel(plan: Plan, lang: str, version: int, found):
    """Was ist das Mindeste? The target, the levers and their costs, the search in the
    background (progress, cancel), and its answer in words, as a figure and as files.
    ``found`` gets the answer for the report (None while there is none)."""
    goal = solara.use_memo(Goal, [])
    done = solara.use_reactive(0)
    message = solara.use_reactive("")
    answer = solara.use_reactive(None)  # (text, files) of the last search
    job = solara.use_memo(Job, [])
    total = goal.trials * goal.replications + goal.check_replications

    def work():
        job.cancel.clear()
        done.set(0)
        message.set("")
        try:
            opt, result = plan.recommend(
                goal, progress=lambda n: done.set(done.value + n), cancelled=job.cancel.is_set
            )
        except Cancelled:
            message.set(t("recommend_cancelled", lang))
            return
        except ParameterError as refused:
            message.set(said(refused, lang))
            return
        text = recommendation_text(opt, result, lang)
        files = {path.name: path.read_bytes() for path in result.files}
        if "recommended.toml" in files:  # to sit beside ausgangslage.toml (the ZIP's files)
            files["recommended.toml"] = files["recommended.toml"].replace(
                b'extends = "../ausgangslage.toml"', b'extends = "ausgangslage.toml"'
            )
        buffer = io.BytesIO()  # the figure in the page's language (the file's is English)
        front_figure(opt, result.trials, result.recommended, lang).savefig(
            buffer, format="png", dpi=120
        )
        files["front.png"] = buffer.getvalue()
        answer.set((text, files))
        found({"text": text, "front": base64.b64encode(files["front.png"]).decode("ascii")})

    task = solara.lab.use_task(work, dependencies=None, prefer_threaded=True)
    running = task.pending
    solara.use_effect(lambda: job.cancel.set, [])  # the page closed: stop its search

    _, redraw = solara.use_state(0)
    solara.Text(t("recommend_intro", lang), classes=["kommune-plan-small"])
    GoalForm(goal, lang, message, lambda: redraw(lambda k: k + 1))
    with solara.Div(classes=["kommune-plan-row"]):
        solara.Button(
            f"{t('run_recommendation', lang)} ({total} {t('runs', lang)})",
            color="primary",
            on_click=lambda: task(),
            disabled=running,
            classes=["kommune-plan-recommend"],
        )
        if running:
            solara.Button(
                t("cancel", lang),
                on_click=job.cancel.set,
                classes=["kommune-plan-recommend-cancel"],
                color="error",
                outlined=True,
            )
    run_status(
        running, done.value, total, message.value, task.error, lang, "kommune-plan-recommend"
    )
    if answer.value is None or running:
        return
    text, files = answer.value
    solara.HTML(tag="div", unsafe_innerHTML=escape(text), classes=["kommune-plan-recommendation"])
    solara.Image(files["front.png"], width="720px")
    with solara.Div(classes=["kommune-plan-row"]):
        if "recommended.toml" in files:
            solara.FileDownload(
                files["recommended.toml"],
                filename="empfehlung-szenario.toml",
                label=t("download_recommended", lang),
                mime_type="application/toml",
            )
        solara.FileDownload(
            files["trials.csv"],
            filename="empfehlung-einstellungen.csv",
            label=t("download_trials", lang),
            mime_type="text/csv",
        )


def downloads(snapshot, result, report: str, lang: str) -> None:
    def workbook() -> bytes:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "vergleich.xlsx"
            excel(result, lang, path)
            return path.read_bytes()

    def parquet() -> bytes:
        out = io.BytesIO()
        result.runs_frame().to_parquet(out, index=False)
        return out.getvalue()

    with solara.Div(classes=["kommune-plan-row", "kommune-plan-downloads"]):
        solara.FileDownload(
            report.encode("utf-8"),
            filename="vergleich.html",
            label=t("download_report", lang),
            mime_type="text/html",
        )
        solara.FileDownload(
            workbook, filename="vergleich.xlsx", label=t("download_excel", lang), mime_type=EXCEL
        )
        solara.FileDownload(
            snapshot.zip,
            filename="szenarien.zip",
            label=t("download_scenarios", lang),
            mime_type="application/zip",
        )
        solara.FileDownload(
            parquet,
            filename="laeufe.parquet",
            label=t("download_runs_parquet", lang),
            mime_type="application/vnd.apache.parquet",
        )
        solara.FileDownload(
            lambda: result.runs_frame().to_csv(index=False),
            filename="laeufe.csv",
            label=t("download_runs_csv", lang),
            mime_type="text/csv",
        )


@solara.component
def BaseCard(plan: Plan, lang: str, changed, version: int):
    error, set_error = solara.use_state("")
    titles = scenario_choices(lang)
    builtin = plan.base_ref in builtin_names()

    def choose(title: str) -> None:
        name = next(n for n, v in titles.items() if v == title)
        try:
            plan.choose(name)
            set_error("")
        except ParameterError as refused:
            set_error(said(refused, lang))
        changed()

    def uploaded(name: str, data: bytes) -> None:
        try:
            plan.upload(name, data)
            set_error("")
        except ParameterError as refused:
            set_error(said(refused, lang))
        changed()

    with solara.Card(t("step_base", lang), classes=["kommune-plan-base"]):
        solara.Text(t("plan_intro", lang))
        with solara.Div(classes=["kommune-plan-row"]):
            solara.Select(
                t("start_from", lang),
                value=titles[plan.base_ref] if builtin else plan.base.title(lang),
                values=list(titles.values()) + ([] if builtin else [plan.base.title(lang)]),
                on_value=choose,
                classes=["kommune-plan-start"],
                style={"min-width": "420px"},
            )
            with solara.Div(classes=["kommune-plan-upload"], style={"min-width": "420px"}):
                Upload(t("upload", lang), uploaded)
        with solara.Div(classes=["kommune-plan-row"]):
            solara.FileDownload(
                lambda: actor_template(lang, excel=True),
                filename="akteure.xlsx" if lang == "de" else "actors.xlsx",
                label=t("actor_template_xlsx", lang),
                mime_type=EXCEL,
            )
            solara.FileDownload(
                lambda: actor_template(lang, excel=False),
                filename="akteure.csv" if lang == "de" else "actors.csv",
                label=t("actor_template_csv", lang),
                mime_type="text/csv",
            )
        municipality = plan.municipality()
        if municipality.actors:
            counts = municipality.actors.counts()
            solara.Text(
                t("actors_from_list", lang).format(
                    n=len(municipality.actors.rows),
                    file=municipality.actors.path.name,
                    admin=counts["n_administration"],
                    carriers=counts["n_carriers"],
                    volunteers=counts["n_volunteers"],
                ),
                classes=["kommune-plan-actors"],
            )
        if error:
            solara.Error(error, classes=["kommune-plan-upload-error"])


@solara.component
def Planning():
    """The whole page."""
    plan = solara.use_memo(Plan, [])
    lang = solara.use_reactive(DEFAULT_LANG)
    version = solara.use_reactive(0)
    recommended = solara.use_reactive(None)  # the last recommendation, for the report
    L = lang.value

    def add_variant() -> None:
        if len(plan.variants) < MAX_VARIANTS:  # a second click on a button just disabled
            plan.add_variant(word="Variante" if L == "de" else "Variant")

    solara.use_effect(lambda: plan.close, [])  # the page closed: its files go

    def changed() -> None:
        """The plan changed: draw it again. Every part gets ``version`` as a prop, since
        reacton skips a component whose props compare equal, and the plan is one object
        that changes in place."""
        version.set(version.value + 1)

    solara.Style(PLAN_CSS)
    solara.Title(t("planning_title", L))
    with solara.AppBar():
        solara.AppBarTitle(t("planning_title", L))
        solara.Button(
            t("to_workshop", L),
            text=True,
            href="/",
            icon_name="mdi-account-group",
            classes=["kommune-to-workshop"],
        )
        solara.Button(
            t("switch_language", L),
            text=True,
            classes=["kommune-language"],
            on_click=lambda: lang.set("en" if L == "de" else "de"),
        )
    _ = version.value
    with solara.Div(classes=["kommune-plan"]):
        BaseCard(plan, L, changed, version.value)
        with solara.Card(t("step_municipality", L), classes=["kommune-plan-municipality"]):
            MunicipalityForm(plan, L, changed, version.value)
        with solara.Card(t("step_variants", L), classes=["kommune-plan-variants"]):
            for index in range(len(plan.variants)):
                VariantCard(plan, index, L, changed, version.value).key(
                    f"variant-{id(plan.variants[index])}"
                )
            solara.Button(
                t("add_variant", L),
                icon_name="mdi-plus",
                on_click=lambda: (add_variant(), changed()),
                disabled=len(plan.variants) >= MAX_VARIANTS,
                classes=["kommune-plan-add-variant"],
            )
        with solara.Card(t("step_compare", L), classes=["kommune-plan-compare"]):
            ComparePanel(plan, L, version.value, recommended.value)
        with solara.Card(t("step_recommend", L), classes=["kommune-plan-recommend-card"]):
            RecommendPanel(plan, L, version.value, recommended.set)
