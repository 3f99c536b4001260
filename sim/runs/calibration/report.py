"""A finished calibration's outputs: the posterior, the posterior-predictive check, figures,
summary.md (generated from the data) and calibrated.toml.

All files are written together (``sim.runs.output.write_all``): they appear complete or not at
all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from sim.runs.output import write_all

from .config import Calibration
from .targets import ClaimTarget, Distance, Outcome, Simulator

QUANTILES = (0.05, 0.95)
ADOPT_NARROWED = 0.4  # a posterior this much narrower than its prior sets the default


# --- the posterior -------------------------------------------------------------------------------
def read_posterior(history, cal: Calibration) -> pd.DataFrame:
    """The last generation's particles: parameter values, weight, distance and each target's
    term of the distance."""
    population = history.get_population()
    distance = Distance(cal.targets)
    rows = []
    for particle in population.particles:
        terms = distance.terms(dict(particle.sum_stat))
        rows.append(
            {
                **{p.name: float(particle.parameter[p.name]) for p in cal.parameters},
                "weight": float(particle.weight),
                "distance": float(particle.distance),
                **{f"term:{key}": value for key, value in terms.items()},
            }
        )
    frame = pd.DataFrame(rows)
    frame["weight"] /= frame["weight"].sum()
    return frame


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    from pyabc.weighted_statistics import weighted_quantile as pyabc_quantile

    return float(pyabc_quantile(np.asarray(values, float), np.asarray(weights, float), alpha=q))


@dataclass(frozen=True)
class Marginal:
    name: str
    low: float  # the prior
    high: float
    median: float
    q05: float
    q95: float

    @property
    def narrowed(self) -> float:
        """1 - (width of the posterior's 90 % interval) / (that of the uniform prior)."""
        return 1.0 - (self.q95 - self.q05) / (0.9 * (self.high - self.low))

    @property
    def narrowed_text(self) -> str:
        return f"{self.narrowed:.0%}" if self.narrowed > 0.005 else "none"

    @property
    def informs(self) -> bool:
        """Whether the calibration pins the parameter down enough to set its default."""
        return self.narrowed >= ADOPT_NARROWED

    @property
    def default(self) -> float | None:
        """The shipped default this calibration sets (docs/ODD.md section 8), or None where
        it does not inform the parameter (there the modellers' value stays, if inside the
        posterior's 90 % interval): the posterior median, rounded to the power of ten
        nearest a tenth of the interval's length - more digits than that the posterior
        does not support - or to a finer one where that rounding would leave the interval
        (a skewed posterior whose median lies near an end of it)."""
        if not self.informs:
            return None
        width = self.q95 - self.q05
        if not np.isfinite(width) or width <= 0.0:  # every particle at one value
            return float(self.median)
        digits = -round(float(np.log10(width / 10.0)))  # round()'s digits: 2 for 0.01
        value = round(self.median, digits)
        while not self.q05 <= value <= self.q95 and digits < 15:
            digits += 1
            value = round(self.median, digits)
        return float(value)


def marginals(posterior: pd.DataFrame, cal: Calibration) -> list[Marginal]:
    w = posterior["weight"].to_numpy()
    out = []
    for p in cal.parameters:
        v = posterior[p.name].to_numpy()
        out.append(
            Marginal(
                p.name,
                p.low,
                p.high,
                weighted_quantile(v, w, 0.5),
                weighted_quantile(v, w, QUANTILES[0]),
                weighted_quantile(v, w, QUANTILES[1]),
            )
        )
    return out


# --- the posterior-predictive check ---------------------------------------------------------------
@dataclass(frozen=True)
class Draw:
    """One posterior-predictive draw: a particle and fresh seeds."""

    simulator: Simulator
    theta: dict
    seeds: tuple[int, ...]


def run_draw(draw: Draw) -> Outcome:
    return draw.simulator.outcome(draw.theta, draw.seeds)


def predictive(
    cal: Calibration, simulator: Simulator, posterior: pd.DataFrame, backend, progress=None
) -> tuple[pd.DataFrame, list[Outcome]]:
    """Run ``cal.predictive_draws`` particles drawn from the posterior (by weight, with a
    generator seeded from the calibration's seed), each with fresh seeds. Returns the
    drawn particles and their outcomes."""
    rng = np.random.default_rng(np.random.SeedSequence([cal.seed, 7]))
    picks = rng.choice(len(posterior), size=cal.predictive_draws, p=posterior["weight"].to_numpy())
    names = [p.name for p in cal.parameters]
    drawn = posterior.iloc[picks][names].reset_index(drop=True)
    tasks = [
        Draw(simulator, row, tuple(cal.predictive_seeds(d)))
        for d, row in enumerate(drawn.to_dict("records"))
    ]
    total = len(tasks)
    state = {"done": 0}

    def done(n: int) -> None:
        state["done"] += n
        if progress:
            progress(state["done"], total)

    if progress:
        progress(0, total)
    return drawn, backend.map(run_draw, tasks, done)


def predictive_table(cal: Calibration, outcomes: list[Outcome]) -> pd.DataFrame:
    """One row per target: what the posterior predicts against what was asked."""
    rows = []
    for target in cal.targets:
        if isinstance(target, ClaimTarget):
            means = np.array([o.contrasts[target.key].mean() for o in outcomes])
            summaries = [o.summary() for o in outcomes]
            holds = [
                target.holds(s[f"{target.key}.mean"], s[f"{target.key}.se"]) for s in summaries
            ]
            rows.append(
                {
                    "target": target.key,
                    "kind": "claim",
                    "label": target.label,
                    "observed": np.nan,
                    "sd": np.nan,
                    "margin": target.margin,
                    "draws": len(outcomes),
                    "runs": len(outcomes) * cal.replications,
                    "holds_share": float(np.mean(holds)),
                    "mean": float(means.mean()),
                    "q05": float(np.quantile(means, QUANTILES[0])),
                    "q95": float(np.quantile(means, QUANTILES[1])),
                    "inside": np.nan,
                }
            )
        else:
            values = np.concatenate([o.values[target.key] for o in outcomes])
            q05, q95 = (float(np.quantile(values, q)) for q in QUANTILES)
            rows.append(
                {
                    "target": target.key,
                    "kind": "observation",
                    "label": target.label,
                    "observed": target.value,
                    "sd": target.sd,
                    "margin": np.nan,
                    "draws": len(outcomes),
                    "runs": len(values),
                    "holds_share": np.nan,
                    "mean": float(values.mean()),
                    "q05": q05,
                    "q95": q95,
                    "inside": bool(q05 <= target.value <= q95),
                }
            )
    return pd.DataFrame(rows)


# --- figures -------------------------------------------------------------------------------------
def _figure_posterior(cal: Calibration, posterior: pd.DataFrame, path: Path) -> None:
    from sim.reports import plots

    plt = plots.plt
    names = [p.name for p in cal.parameters]
    k = len(names)
    size = max(3.2, 2.6 * k)
    fig, axes = plt.subplots(k, k, figsize=(size, size), squeeze=False)
    w = posterior["weight"].to_numpy()
    for i, pi in enumerate(cal.parameters):
        for j, pj in enumerate(cal.parameters):
            ax = axes[i][j]
            if j > i:
                ax.set_visible(False)
                continue
            if i == j:
                ax.hist(
                    posterior[pi.name],
                    bins=20,
                    range=(pi.low, pi.high),
                    weights=w,
                    density=True,
                    color="#4c72b0",
                    alpha=0.8,
                )
                ax.axhline(1 / (pi.high - pi.low), color="grey", ls=":", label="prior")
                ax.axvline(
                    weighted_quantile(posterior[pi.name].to_numpy(), w, 0.5),
                    color="black",
                    lw=1,
                    label="median",
                )
                ax.set_xlim(pi.low, pi.high)
                ax.set_yticks([])
                if i == 0:
                    ax.legend(fontsize=7, loc="upper right")
            else:
                ax.scatter(
                    posterior[pj.name],
                    posterior[pi.name],
                    s=8 + 400 * w,
                    alpha=0.6,
                    color="#4c72b0",
                    edgecolors="none",
                )
                ax.set_xlim(pj.low, pj.high)
                ax.set_ylim(pi.low, pi.high)
            if i == k - 1:
                ax.set_xlabel(pj.name)
            if j == 0 and i > 0:
                ax.set_ylabel(pi.name)
    fig.suptitle(f"Posterior of {cal.name} (weighted, last generation)", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    plots.save(fig, path)


def _figure_epsilon(generations, path: Path) -> None:
    from sim.reports import plots

    plt = plots.plt
    fig, (a, b) = plt.subplots(1, 2, figsize=(8, 3.2))
    ts = [g.t for g in generations]
    eps = [g.epsilon for g in generations]
    a.plot(ts, eps, marker="o")
    if all(np.isfinite(e) and e > 0 for e in eps):
        a.set_yscale("log")
    a.set_xlabel("generation")
    a.set_ylabel("epsilon (distance accepted)")
    b.plot(ts, [g.acceptance for g in generations], marker="o", color="#dd8452")
    b.set_ylim(0, 1.05)
    b.set_xlabel("generation")
    b.set_ylabel("acceptance rate")
    for ax in (a, b):
        ax.set_xticks(ts)
    fig.tight_layout()
    plots.save(fig, path)


def _figure_predictive(cal: Calibration, outcomes: list[Outcome], path: Path) -> None:
    from sim.reports import plots

    plt = plots.plt
    targets = cal.targets
    cols = min(3, len(targets))
    rows = -(-len(targets) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.6 * rows), squeeze=False)
    for ax in axes.flat[len(targets) :]:
        ax.set_visible(False)
    for ax, target in zip(axes.flat, targets, strict=False):
        if isinstance(target, ClaimTarget):
            means = [o.contrasts[target.key].mean() for o in outcomes]
            summaries = [o.summary() for o in outcomes]
            share = np.mean(
                [target.holds(s[f"{target.key}.mean"], s[f"{target.key}.se"]) for s in summaries]
            )
            ax.hist(means, bins=15, color="#4c72b0", alpha=0.8)
            ax.axvline(target.margin, color="red", ls="--", label="margin")
            ax.set_title(
                f"P{target.pattern}.{target.index}: holds in {share:.0%} of draws", fontsize=8
            )
            ax.set_xlabel("contrast (mean over seeds)", fontsize=8)
        else:
            values = np.concatenate([o.values[target.key] for o in outcomes])
            q05, q95 = np.quantile(values, QUANTILES)
            ax.hist(values, bins=20, color="#4c72b0", alpha=0.8)
            ax.axvspan(q05, q95, color="#4c72b0", alpha=0.12, label="90 % predictive")
            ax.errorbar(
                [target.value],
                [ax.get_ylim()[1] * 0.5],
                xerr=[target.sd],
                fmt="o",
                color="red",
                capsize=4,
                label="observed ± sd",
            )
            ax.set_title(target.label, fontsize=8)
            ax.set_xlabel("simulated value per run", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(
        f"Posterior-predictive check of {cal.name}: {len(outcomes)} draws x "
        f"{cal.replications} fresh seeds",
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    plots.save(fig, path)


# --- texts ---------------------------------------------------------------------------------------
def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "–"
    return f"{x:.4g}"


def calibrated_scenario(
    cal: Calibration, marginals_: list[Marginal], target: Path, manifest: dict
) -> str:
    """A scenario file that extends the base scenario with each parameter at its posterior
    weighted median."""
    from sim.files.scenario_template import _extends_ref, _toml_value
    from sim.params import SPEC_BY_NAME

    date = datetime.now(UTC).date().isoformat()
    commit = (manifest.get("git") or {}).get("commit") or "unknown"
    source = f"calibration {cal.name} ({cal.path.name}), {date}, commit {commit[:12]}"
    base = cal.scenario.name
    lines = [
        f"# Calibrated by `kommune calibrate {cal.path.name}` on {date}, commit {commit}.",
        f"# {cal.title}",
        "# Each parameter is set to its posterior weighted median; see summary.md for the",
        "# intervals and the posterior-predictive check.",
        "",
        f"extends = {_toml_value(_extends_ref(cal.scenario, target))}",
        "",
        "[scenario]",
        f"title_de = {_toml_value('Kalibriert: ' + cal.scenario.title_de)}",
        f"title_en = {_toml_value('Calibrated: ' + cal.scenario.title_en)}",
        f"description_de = {_toml_value(f'{base}, Parameter kalibriert ({cal.title}).')}",
        f"description_en = {_toml_value(f'{base} with calibrated parameters ({cal.title}).')}",
        f"source = {_toml_value(source)}",
        "",
        "[parameters]",
    ]
    if cal.months != cal.scenario.params.months:
        lines.append(f"months = {cal.months}   # the run length the calibration used")
    for m in marginals_:
        spec = SPEC_BY_NAME[m.name]
        value = float(min(max(round(m.median, 6), m.low, spec.low), m.high, spec.high))
        lines.append(
            f"{m.name} = {_toml_value(value)}   # 90 % interval {_fmt(m.q05)} to "
            f"{_fmt(m.q95)}; prior {_fmt(m.low)} to {_fmt(m.high)}"
        )
    return "\n".join(lines) + "\n"


def summary_markdown(
    cal: Calibration,
    posterior: pd.DataFrame,
    marginals_: list[Marginal],
    generations,
    stopped: str,
    manifest: dict,
    ppc: pd.DataFrame | None,
) -> str:
    versions = manifest.get("versions", {})
    git = manifest.get("git") or {}
    seeds = cal.seeds()
    reason = {
        "generations": f"the {cal.generations} generations asked for were run",
        "min_epsilon": f"epsilon reached min_epsilon = {cal.min_epsilon:g}",
        "budget": f"the budget of {cal.max_evaluations} particle evaluations was spent",
        "acceptance": f"a generation accepted less than {cal.min_acceptance:.0%}",
    }[stopped]
    targets = []
    if cal.patterns:
        targets.append(
            f"{len(cal.claims)} checked claims of pattern{'s' if len(cal.patterns) > 1 else ''} "
            f"{', '.join(map(str, cal.patterns))}"
        )
    if cal.observations:
        targets.append(f"{len(cal.observations)} observations from `{cal.observations_path.name}`")
    lines = [
        f"# Calibration: {cal.title}",
        "",
        *([cal.description, ""] if cal.description else []),
        f"- calibration file `{cal.path.name}`; base scenario `{cal.scenario.name}`, "
        f"{cal.months} months",
        f"- targets: {'; '.join(targets)}",
        f"- ABC-SMC (pyabc {versions.get('pyabc', '?')}): {cal.particles} particles per "
        f"generation, {len(generations)} generations ({reason}); uniform priors; epsilon the "
        f"median of the last generation's distances; perturbation kernel {cal.kernel_scaling:g} "
        "times Silverman's width",
        f"- every particle ran {cal.replications} seeds (common random numbers, root seed "
        f"{cal.seed}: {', '.join(map(str, seeds))})",
        f"- model {versions.get('vernetzte-kommune', '?')}, Mesa {versions.get('mesa', '?')}, "
        f"numpy {versions.get('numpy', '?')}; commit {git.get('commit') or 'unknown'}"
        + (" (with uncommitted changes)" if git.get("dirty") else ""),
        "",
        "## Parameters",
        "",
        "Posterior of the last generation, weighted. *Narrowed*: how much shorter the "
        "posterior's 5-95 % interval is than the prior's.",
        "",
        "| parameter | prior | posterior median | 5-95 % interval | narrowed | default |",
        "|---|---|---|---|---|---|",
    ]
    for m in marginals_:
        default = "keep" if m.default is None else f"**{m.default:g}**"
        lines.append(
            f"| `{m.name}` | {_fmt(m.low)} to {_fmt(m.high)} | {_fmt(m.median)} | "
            f"{_fmt(m.q05)} to {_fmt(m.q95)} | {m.narrowed_text} | {default} |"
        )
    lines += [
        "",
        f"*Default*: where the interval narrowed by {ADOPT_NARROWED:.0%} or more, the "
        "calibration informs the parameter and sets its shipped default, the median rounded "
        "to the power of ten nearest a tenth of the interval (docs/ODD.md section 8); "
        "elsewhere the modellers' value stays if it lies inside the interval.",
    ]
    lines += [
        "",
        f"The weighted median of each is in `calibrated.toml` (`kommune run calibrated.toml`). "
        f"Effective sample size of the last generation: "
        f"{1 / float((posterior['weight'] ** 2).sum()):.1f} of {len(posterior)} particles.",
        "",
        "## Generations",
        "",
        "| generation | epsilon | accepted | evaluated | acceptance rate | effective sample "
        "size | time |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in generations:
        lines.append(
            f"| {g.t} | {_fmt(g.epsilon)} | {g.accepted} | {g.evaluated} | "
            f"{g.acceptance:.0%} | {g.ess:.1f} | {_fmt(g.seconds)} s |"
        )
    lines += ["", "## Posterior-predictive check", ""]
    if ppc is None:
        lines.append("Not run (predictive_draws = 0).")
    else:
        draws = int(ppc["draws"].iloc[0])
        lines += [
            f"{draws} particles drawn from the posterior by weight, each run with "
            f"{cal.replications} fresh seeds (never the calibration's).",
            "",
        ]
        claims = ppc[ppc["kind"] == "claim"]
        if len(claims):
            lines += [
                "A claim holds in a draw when the lower end of its 95 % interval over "
                "the draw's seeds is above its margin (as `kommune patterns` judges).",
                "",
                "| claim | holds in | contrast: mean of draws | 5-95 % of draws | margin |",
                "|---|---|---|---|---|",
            ]
            for row in claims.itertuples():
                lines.append(
                    f"| {row.label} | {row.holds_share:.0%} | {_fmt(row.mean)} | "
                    f"{_fmt(row.q05)} to {_fmt(row.q95)} | {_fmt(row.margin)} |"
                )
            lines.append("")
        observations = ppc[ppc["kind"] == "observation"]
        if len(observations):
            inside = int(observations["inside"].sum())
            lines += [
                f"Each run is one possible municipality; the 90 % interval is over all "
                f"{int(observations['runs'].iloc[0])} runs. {inside} of "
                f"{len(observations)} observed values lie inside it.",
                "",
                "| statistic | observed ± sd | predictive mean | 90 % interval | inside |",
                "|---|---|---|---|---|",
            ]
            for row in observations.itertuples():
                lines.append(
                    f"| {row.label} | {_fmt(row.observed)} ± {_fmt(row.sd)} | "
                    f"{_fmt(row.mean)} | {_fmt(row.q05)} to {_fmt(row.q95)} | "
                    f"{'yes' if row.inside else 'no'} |"
                )
            lines.append("")
    lines += [
        "## Files",
        "",
        "`posterior.csv` (particles, weights, distances and each target's term), "
        "`posterior.png`, `epsilon.png`, "
        + ("`ppc.csv`, `ppc.png`, " if ppc is not None else "")
        + "`calibrated.toml`, `history.db` (pyabc's History), `manifest.json`.",
        "",
    ]
    return "\n".join(lines)


# --- all of it -----------------------------------------------------------------------------------
def write_outputs(
    cal: Calibration,
    out: Path,
    history,
    simulator: Simulator,
    generations,
    stopped: str,
    manifest: dict,
    backend,
    progress=None,
) -> tuple[list[Path], list[Marginal]]:
    from sim.files.scenario import load

    posterior = read_posterior(history, cal)
    margins = marginals(posterior, cal)
    ppc = outcomes = None
    if cal.predictive_draws:
        _, outcomes = predictive(cal, simulator, posterior, backend, progress)
        ppc = predictive_table(cal, outcomes)
    scenario_text = calibrated_scenario(cal, margins, out / "calibrated.toml", manifest)
    summary = summary_markdown(cal, posterior, margins, generations, stopped, manifest, ppc)
    writers = {
        "posterior.csv": lambda p: posterior.to_csv(p, index=False),
        "summary.md": lambda p: p.write_text(summary, encoding="utf-8"),
        "posterior.png": lambda p: _figure_posterior(cal, posterior, p),
        "epsilon.png": lambda p: _figure_epsilon(generations, p),
        "calibrated.toml": lambda p: p.write_text(scenario_text, encoding="utf-8"),
    }
    if ppc is not None:
        writers["ppc.csv"] = lambda p: ppc.to_csv(p, index=False)
        writers["ppc.png"] = lambda p: _figure_predictive(cal, outcomes, p)
    files = write_all(out, writers)
    load(str(out / "calibrated.toml"))  # what we wrote must load
    return files, margins
