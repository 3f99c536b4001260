"""The one definition of every model parameter.

Each parameter is declared once, in ``SPECS``, with its default, allowed range, unit, a
one-line meaning in English and German, the source it rests on and the group it belongs to.
The validated ``Params`` model is generated from that table, so the CLI (``--set``,
``kommune params``), scenario files, the dashboard and the docs cannot drift apart: they all
read these specs.

Sources: the seed documents are cited as [000]..[004] (see docs/ODD.md, section "Input
data"); "assumption" marks a value chosen by the modellers, to be varied in experiments.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, create_model, model_validator

FIELD_NAMES = ("youth", "seniors", "integration", "inclusion")
"""Handlungsfelder (fields of social work) in the order ``n_fields`` takes them."""

FIELD_NAMES_DE = ("Jugend", "Senioren", "Integration", "Inklusion")


@dataclass(frozen=True)
class Spec:
    """One parameter: everything a user, a form or a document needs to know about it."""

    name: str
    default: Any
    low: float | None
    high: float | None
    unit: str
    en: str
    de: str
    source: str
    group: str
    choices: tuple[str, ...] | None = None
    short_en: str | None = None  # a label for sliders and tables
    short_de: str | None = None

    def label(self, lang: str) -> str:
        """A short label (German or English), for forms such as the dashboard's sliders."""
        short = self.short_de if lang == "de" else self.short_en
        return short or self.name

    def meaning(self, lang: str) -> str:
        return self.de if lang == "de" else self.en

    @property
    def kind(self) -> type:
        return type(self.default)

    def allowed(self) -> str:
        """Allowed values as a human reads them: '0 to 320 hours/month', 'shared, lead, nao'."""
        if self.choices:
            return ", ".join(self.choices)
        if self.kind is bool:
            return "true or false"
        kind = "whole number" if self.kind is int else "number"
        unit = f" {self.unit}" if self.unit and self.unit != "-" else ""
        return f"{kind} from {_fmt(self.low)} to {_fmt(self.high)}{unit}"


def _fmt(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:g}"


G_NET, G_BODY, G_NEED, G_BEH, G_VOL, G_ADM, G_COORD, G_RUN = (
    "network",
    "bodies",
    "needs",
    "behaviour",
    "volunteers",
    "administration",
    "coordination",
    "run",
)

SPECS: tuple[Spec, ...] = (
    # --- network: who is in it and how it is wired at the start -------------------------
    Spec("n_administration", 4, 1, 400, "departments",
         "Administration departments (youth, social, integration office) in the network",
         "Fachbereiche der Verwaltung im Netzwerk (Jugend-, Sozial-, Integrationsamt)",
         "[004]; DESIGN §8: 30-60 partners", G_NET,
         short_en="administration departments", short_de="Fachbereiche der Verwaltung"),
    Spec("n_carriers", 20, 0, 4000, "organisations",
         "Independent carriers (freie Träger: welfare associations, course providers)",
         "Freie Träger (Wohlfahrtsverbände, Bildungs- und Sprachkursträger)",
         "[000], [001], [004]; DESIGN §8", G_NET,
         short_en="carriers", short_de="Freie Träger"),
    Spec("n_volunteers", 14, 0, 4000, "initiatives",
         "Volunteer initiatives, clubs and migrant organisations (Ehrenamt)",
         "Ehrenamtliche Initiativen, Vereine, Migrantenorganisationen",
         "[002], [003]; DESIGN §8", G_NET,
         short_en="volunteer initiatives", short_de="Ehrenamtliche Initiativen"),
    Spec("n_fields", 4, 1, 4, "fields",
         "Fields of work served (youth, seniors, integration, inclusion, in this order)",
         "Handlungsfelder (Jugend, Senioren, Integration, Inklusion, in dieser Reihenfolge)",
         "[000], [001], [003]", G_NET),
    Spec("multi_field_share", 0.2, 0, 1, "share",
         "Share of carriers that serve two fields (large welfare associations)",
         "Anteil der Träger, die in zwei Handlungsfeldern tätig sind (große Verbände)",
         "[000] (AWO, Caritas ...); assumption", G_NET),
    Spec("field_degree", 5.0, 0, 50, "ties/actor",
         "Expected ties per actor inside its own field at the start (pillars)",
         "Erwartete Beziehungen je Akteur im eigenen Handlungsfeld zu Beginn (Säulen)",
         "[004] versäultes System; assumption", G_NET),
    Spec("cross_field_degree", 0.5, 0, 20, "ties/actor",
         "Expected ties per actor across fields at the start",
         "Erwartete Beziehungen je Akteur über Handlungsfelder hinweg zu Beginn",
         "[004]; assumption", G_NET),
    Spec("goal_dimensions", 2, 1, 3, "dimensions",
         "Number of priorities that make up an actor's goal position",
         "Zahl der Prioritäten, aus denen die Zielposition eines Akteurs besteht",
         "DESIGN §2", G_NET),
    Spec("goal_heterogeneity", 0.8, 0, 1, "share",
         "Spread of initial goals (1 = spread over the whole goal space)",
         "Streuung der Ausgangsziele (1 = über den ganzen Zielraum verteilt)",
         "[001] Eigeninteressen; assumption", G_NET),
    # --- bodies (Gremien) ------------------------------------------------------------------
    Spec("steering_interval", 3, 1, 24, "months",
         "Months between meetings of the steering group (Steuerungsgruppe)",
         "Monate zwischen Sitzungen der Steuerungsgruppe",
         "[003]; DESIGN §8 monthly to quarterly", G_BODY),
    Spec("working_group_interval", 1, 1, 24, "months",
         "Months between meetings of a working group (Arbeitsgruppe)",
         "Monate zwischen Sitzungen einer Arbeitsgruppe",
         "[003]; DESIGN §8", G_BODY),
    Spec("steering_group_size", 12, 2, 60, "seats",
         "Seats in the steering group",
         "Sitze in der Steuerungsgruppe",
         "[003]; assumption", G_BODY),
    Spec("working_group_size", 12, 2, 60, "members",
         "Largest working group; a field with more members gets several groups",
         "Größte Arbeitsgruppe; größere Handlungsfelder bekommen mehrere Gruppen",
         "assumption", G_BODY),
    Spec("meeting_hours", 3.0, 0.5, 16, "hours",
         "Hours one meeting costs each attendee, preparation included",
         "Stunden, die eine Sitzung jede teilnehmende Person kostet, mit Vorbereitung",
         "[002] These 2 (Netzwerkarbeit kostet Zeit); assumption", G_BODY),
    Spec("volunteers_in_steering", False, None, None, "-",
         "Volunteers and target-group members have seats in the steering group",
         "Ehrenamtliche und Menschen aus den Zielgruppen sitzen in der Steuerungsgruppe",
         "[003] Kommune Inklusiv", G_BODY,
         short_en="volunteers in the steering group", short_de="Ehrenamt in der Steuerungsgruppe"),
    Spec("initial_duplicates", 2, 0, 200, "groups",
         "Duplicate working groups (Doppelstrukturen) at the start",
         "Doppelte Arbeitskreise (Doppelstrukturen) zu Beginn",
         "[001]", G_BODY),
    Spec("duplicate_emergence", 0.5, 0, 24, "groups/year",
         "New ad-hoc groups per year that duplicate an existing working group",
         "Neue Ad-hoc-Arbeitskreise pro Jahr, die eine bestehende Arbeitsgruppe doppeln",
         "[001] ad hoc-Arbeitskreise; assumption", G_BODY),
    Spec("duplicate_overlap", 0.7, 0.3, 1, "share",
         "Share of a working group's members that also sit in its duplicate",
         "Anteil der Mitglieder einer Arbeitsgruppe, die auch in ihrer Doppelung sitzen",
         "[001]; assumption", G_BODY),
    # --- needs (Bedarfe) and how work serves them -----------------------------------------
    Spec("need_pressure", 1.2, 0.2, 3, "x capacity",
         "Monthly need of a field relative to the hours its members can give at the start",
         "Monatlicher Bedarf eines Handlungsfelds im Verhältnis zu den Stunden seiner Mitglieder",
         "assumption", G_NEED),
    Spec("complex_share", 0.35, 0, 1, "share",
         "Share of need that only joint work of two or more kinds of actor can serve",
         "Anteil des Bedarfs, den nur gemeinsame Arbeit mehrerer Akteursarten decken kann",
         "[002] These 3, [003]; assumption", G_NEED),
    Spec("hard_to_reach_share", 0.2, 0, 1, "share",
         "Share of need that only joint work with volunteers involved can reach",
         "Anteil des Bedarfs, den nur gemeinsame Arbeit mit Ehrenamtlichen erreicht",
         "[002] These 3 (ältere MigrantInnen); assumption", G_NEED),
    Spec("synergy", 1.6, 0.5, 4, "units/hour",
         "Need served per hour of joint work (own work serves 1 per hour)",
         "Gedeckter Bedarf je Stunde gemeinsamer Arbeit (eigene Arbeit: 1 je Stunde)",
         "[002] Innovation durch Zusammenarbeit; assumption", G_NEED),
    Spec("volunteer_reach", 4.0, 0, 20, "hours/hour",
         "Joint hours towards hard-to-reach people that one volunteer hour opens",
         "Gemeinsame Stunden für schwer Erreichbare, die eine Ehrenamtsstunde erschließt",
         "[002] These 3; assumption", G_NEED),
    Spec("competition_intensity", 0.5, 0, 1, "share",
         "Mean overlap of a carrier's services with competitors in its field",
         "Mittlere Überschneidung der Angebote eines Trägers mit Konkurrenten im Feld",
         "[001] Sprachkursträger, [002] These 1", G_NEED,
         short_en="competition", short_de="Konkurrenz"),
    Spec("overlap_waste", 0.3, 0, 1, "share",
         "Share of own work lost at full overlap (same clients served twice)",
         "Anteil eigener Arbeit, der bei voller Überschneidung verloren geht",
         "[001] Doppelstrukturen; assumption", G_NEED),
    # --- behaviour of members -------------------------------------------------------------
    Spec("tolerance", 0.15, 0, 1, "goal distance",
         "Bounded-confidence threshold d: closer goals move towards each other in talks",
         "Vertrauensschwelle d: nur nahe genug liegende Ziele nähern sich im Gespräch an",
         "Deffuant et al. 2000", G_BEH,
         short_en="openness to other goals", short_de="Offenheit für andere Ziele"),
    Spec("convergence", 0.3, 0, 0.5, "share",
         "Share mu of the goal distance two members close when they align",
         "Anteil mu des Zielabstands, den zwei Mitglieder bei Annäherung schließen",
         "Deffuant et al. 2000", G_BEH),
    Spec("reciprocity", 0.7, 0, 1, "slope",
         "How closely members match the contribution they expect from partners",
         "Wie eng Mitglieder ihren Beitrag an den erwarteten Beitrag anderer anpassen",
         "Fischbacher, Gächter & Fehr 2001; [002] Geb ich Dir - so gibst Du mir", G_BEH),
    Spec("support_strength", 0.08, 0, 0.5, "share",
         "Weight of shared goals, trust and perceived benefit in a contribution",
         "Gewicht gemeinsamer Ziele, Vertrauen und wahrgenommenen Nutzens im Beitrag",
         "[002] These 1; assumption", G_BEH),
    Spec("competition_strength", 0.4, 0, 1, "share",
         "How much undefused competition cuts contributions and motivation",
         "Wie stark unaufgelöste Konkurrenz Beiträge und Motivation senkt",
         "[002] These 1; assumption", G_BEH),
    Spec("initial_expectation", 0.6, 0, 1, "share",
         "Contribution members expect from partners at the start",
         "Beitrag, den Mitglieder zu Beginn von Partnern erwarten",
         "Fehr & Gächter 2000: first rounds 40-60%", G_BEH),
    Spec("belief_update", 0.5, 0, 1, "share",
         "How fast expectations follow the contributions members see",
         "Wie schnell Erwartungen den beobachteten Beiträgen folgen",
         "Fischbacher & Gächter 2010; assumption", G_BEH),
    Spec("persistence", 0.85, 0, 0.99, "share/month",
         "Inertia of motivation and perceived benefit: share of last month's kept",
         "Trägheit von Motivation und wahrgenommenem Nutzen: behaltener Anteil des Vormonats",
         "[003] Durchhaltevermögen", G_BEH,
         short_en="persistence", short_de="Durchhaltevermögen"),
    Spec("exit_threshold", 0.25, 0, 1, "motivation",
         "Motivation below which a member starts to think about leaving",
         "Motivation, unterhalb derer ein Mitglied über den Austritt nachdenkt",
         "[002] These 1; assumption", G_BEH),
    Spec("exit_patience", 6, 1, 36, "months",
         "Months of low motivation in a row before a member leaves",
         "Monate niedriger Motivation in Folge, bevor ein Mitglied austritt",
         "assumption", G_BEH),
    Spec("attendance_norm", 0.3, 0, 1, "probability",
         "Chance of attending out of duty or habit, whatever the motivation",
         "Wahrscheinlichkeit, aus Pflicht oder Gewohnheit teilzunehmen",
         "[000] nette Runde; assumption", G_BEH),
    Spec("tie_growth", 0.1, 0, 1, "share/contact",
         "Share of the gap to full trust a tie closes per encounter (Begegnung)",
         "Anteil der Lücke zu vollem Vertrauen, den eine Begegnung schließt",
         "[003] Begegnung; assumption", G_BEH),
    Spec("tie_decay", 0.03, 0, 0.5, "share/month",
         "Share of a tie's strength that fades each month (contact renews it)",
         "Anteil der Beziehungsstärke, der jeden Monat verblasst (Kontakt erneuert sie)",
         "[002] These 2 (Pflege nötig); assumption", G_BEH),
    Spec("misalignment_cost", 0.6, 0, 1, "share",
         "Share of joint output lost when a group's goals are as far apart as possible",
         "Anteil gemeinsamer Leistung, der bei größtmöglich auseinanderliegenden Zielen "
         "verloren geht",
         "[002] These 1; [003] Gemeinsame Ziele", G_BEH),
    Spec("friction", 0.3, 0, 1, "share",
         "Output lost in mixed groups from different working speeds without clear roles",
         "Leistungsverlust gemischter Gruppen durch unterschiedliche Arbeitstempi ohne klare "
         "Rollen",
         "[003] Akzeptanz", G_BEH),
    Spec("role_clarity", 0.3, 0, 1, "share",
         "Role clarity members reach on their own, without coordination",
         "Rollenklarheit, die Mitglieder ohne Koordination erreichen",
         "[003] Konkrete Aufgaben; assumption", G_BEH),
    Spec("entry_rate", 0.15, 0, 10, "actors/month",
         "Newcomers per month when the network is fully attractive",
         "Neue Partner pro Monat bei voller Attraktivität des Netzwerks",
         "[002] These 2, [003] Erweiterung des Netzwerks; assumption", G_BEH),
    # --- volunteers (Ehrenamt) ------------------------------------------------------------
    Spec("volunteer_hours", 6.0, 1, 120, "hours/month",
         "Median time budget of a volunteer initiative",
         "Median des Zeitbudgets einer ehrenamtlichen Initiative",
         "Freiwilligensurvey 2019: 60% give up to 2 h/week, 17% 6 h/week or more", G_VOL),
    Spec("eye_level", 0.5, 0, 1, "share",
         "How far paid staff meet volunteers at eye level and accept their ways",
         "Wie weit Hauptamtliche Ehrenamtlichen auf Augenhöhe begegnen",
         "[002] These 3, [003] Begegnung, [001]", G_VOL,
         short_en="eye level with volunteers", short_de="Augenhöhe mit dem Ehrenamt"),
    Spec("burnout_threshold", 0.9, 0.1, 2, "share of time",
         "Share of their time volunteers can give month after month before burning out",
         "Anteil ihrer Zeit, den Ehrenamtliche dauerhaft geben können, ohne auszubrennen",
         "DESIGN §8 (more than volunteers can carry); assumption", G_VOL),
    # --- administration (Verwaltung) and funding ------------------------------------------
    Spec("administration_hours", 30.0, 0, 320, "hours/month",
         "Hours per month each administration department gives to the field",
         "Stunden pro Monat, die jeder Fachbereich der Verwaltung einbringt",
         "assumption", G_ADM),
    Spec("carrier_hours", 60.0, 1, 800, "hours/month",
         "Mean hours per month a carrier gives to its services in the field",
         "Mittlere Stunden pro Monat, die ein Träger für seine Angebote einbringt",
         "assumption", G_ADM),
    Spec("leadership_support", 0.5, 0, 1, "share",
         "Support of the administration's leadership: mandate and shorter decisions",
         "Rückhalt der Verwaltungsspitze: Mandat und kürzere Entscheidungswege",
         "[004], [001] Oldenburg", G_ADM,
         short_en="leadership support", short_de="Rückhalt der Verwaltungsspitze"),
    Spec("hierarchy", 0.5, 0, 1, "share",
         "Hierarchical steering style of the administration (lowers others' eye level)",
         "Hierarchischer Steuerungsstil der Verwaltung (senkt die Augenhöhe der anderen)",
         "[004]", G_ADM,
         short_en="hierarchy", short_de="Hierarchie der Verwaltung"),
    Spec("bureaucratic_delay", 0.5, 0, 1, "share",
         "How much bureaucracy slows decisions such as merging duplicate bodies",
         "Wie stark Bürokratie Entscheidungen bremst, etwa das Zusammenlegen von Gremien",
         "[001] schädliche Prozessdauer", G_ADM,
         short_en="bureaucratic delay", short_de="Bürokratische Verzögerung"),
    Spec("joint_funding_share", 0.2, 0, 1, "share",
         "Share of the annual budget given for joint work (0 = fully competitive)",
         "Anteil des Jahresbudgets für gemeinsame Arbeit (0 = rein wettbewerblich)",
         "[001], [002] These 1", G_ADM,
         short_en="joint funding", short_de="Gemeinsame Förderung"),
    Spec("funding_dependency", 0.6, 0, 1, "share",
         "Mean share of a carrier's capacity paid for by municipal funds",
         "Mittlerer Anteil der Kapazität eines Trägers, der aus kommunalen Mitteln finanziert ist",
         "[000] (finanzielle) Abhängigkeiten, [004]", G_ADM),
    # --- coordination ---------------------------------------------------------------------
    Spec("governance", "lead", None, None, "-",
         "Who coordinates: shared by members, a lead organisation, or an independent office",
         "Wer koordiniert: die Mitglieder gemeinsam, eine federführende Organisation oder eine "
         "eigenständige Geschäftsstelle",
         "Provan & Kenis 2008", G_COORD, choices=("shared", "lead", "nao"),
         short_en="governance", short_de="Steuerungsform"),
    Spec("coordinator_hours", 80.0, 0, 320, "hours/month",
         "Working time of the coordinator (lead or nao governance)",
         "Arbeitszeit der Koordination (federführend oder Geschäftsstelle)",
         "DESIGN §8: up to 40 h/week (BIM/Bertelsmann 2016)", G_COORD,
         short_en="coordinator hours", short_de="Koordination"),
    Spec("coordinator_competence", 0.5, 0, 1, "share",
         "Coordination competence, raised by training (multiplies every task's effect)",
         "Koordinationskompetenz, durch Fortbildung gesteigert (vervielfacht jede Aufgabe)",
         "[004] Fortbildungskonzept", G_COORD,
         short_en="coordinator competence", short_de="Kompetenz der Koordination"),
    Spec("allocation", "adaptive", None, None, "-",
         "How the coordinator splits effort: equally, or to where the shoe pinches",
         "Wie die Koordination ihre Zeit verteilt: gleichmäßig oder dorthin, wo der Schuh drückt",
         "[001] Sonden, die erfahren, wo der Schuh drückt", G_COORD,
         choices=("adaptive", "equal")),
    Spec("shared_coordination_hours", 2.0, 0, 40, "hours/month",
         "Hours each member gives to coordination under shared governance",
         "Stunden, die jedes Mitglied bei geteilter Steuerung für Koordination gibt",
         "Provan & Kenis 2008; assumption", G_COORD),
    # --- run -----------------------------------------------------------------------------
    Spec("months", 120, 1, 1200, "months",
         "Length of a run (one step is one month)",
         "Länge eines Laufs (ein Schritt ist ein Monat)",
         "DESIGN §3", G_RUN),
)

SPEC_BY_NAME: dict[str, Spec] = {s.name: s for s in SPECS}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(s.group for s in SPECS))


class ParameterError(ValueError):
    """A bad parameter, already phrased as the one line a user should read."""


def _field_type(spec: Spec) -> Any:
    if spec.choices:
        return Literal[spec.choices]
    return spec.kind


def _field(spec: Spec) -> Any:
    from pydantic import Field

    bounds = {} if spec.low is None else {"ge": spec.low, "le": spec.high}
    return (
        _field_type(spec),
        Field(
            spec.default,
            description=spec.en,
            json_schema_extra={"unit": spec.unit, "de": spec.de, "source": spec.source,
                               "group": spec.group},
            **bounds,
        ),
    )


class _ParamsBase(BaseModel):
    """Checks that relate several parameters to each other."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)

    @model_validator(mode="after")
    def _consistent(self) -> _ParamsBase:
        if self.complex_share + self.hard_to_reach_share > 1.0 + 1e-12:
            raise ValueError(
                "complex_share + hard_to_reach_share must not exceed 1 "
                f"(now {self.complex_share:g} + {self.hard_to_reach_share:g})"
            )
        if self.n_carriers + self.n_volunteers + self.n_administration < 2:
            raise ValueError("a network needs at least 2 actors")
        return self


Params = create_model(  # type: ignore[call-overload]
    "Params",
    __base__=_ParamsBase,
    __doc__="Validated parameters of one run; generated from ``SPECS``.",
    **{s.name: _field(s) for s in SPECS},
)


def suggest(name: str, allowed=SPEC_BY_NAME) -> str:
    """' (did you mean 'x'?)' for a near miss of one of ``allowed`` (by default a parameter
    name), else ''."""
    close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def explain(error: ValidationError, where: str, quote_text: bool = False) -> str:
    """Turn pydantic's report into one line naming where, the key and the allowed values.

    ``quote_text`` shows text values in quotes, as they stand in a file, so that
    ``coordinator_hours = "80"`` is recognisably text where a number belongs.
    """
    first = error.errors()[0]
    key = str(first["loc"][0]) if first["loc"] else ""
    value = first.get("input")
    if first["type"] == "extra_forbidden":
        return f"{where}: unknown parameter '{key}'{suggest(key)}"
    spec = SPEC_BY_NAME.get(key)
    if spec is None:  # a model-level check (several parameters together)
        return f"{where}: {first['msg'].removeprefix('Value error, ')}"
    if isinstance(value, str):
        shown = json.dumps(value, ensure_ascii=False) if quote_text else value
    else:
        shown = str(value).lower() if isinstance(value, bool) else repr(value)
    return f"{where}: {key} = {shown} is not allowed; allowed: {spec.allowed()}"


def make_params(values: dict[str, Any] | None = None, where: str = "parameters",
                strict: bool = False) -> Params:
    """Validated ``Params`` from defaults plus ``values``; ``ParameterError`` on bad input.

    ``strict`` (for files, whose values have types) refuses "80" for a number or 1 for
    true; the command line's strings are converted (lax).
    """
    try:
        return Params.model_validate(values or {}, strict=strict)
    except ValidationError as error:
        raise ParameterError(explain(error, where, quote_text=strict)) from None


def parse_assignments(assignments: list[str] | tuple[str, ...], where: str = "--set") -> dict:
    """``["key=value", ...]`` from the command line into a dict of raw strings.

    Values stay strings; ``make_params`` converts and checks them against each spec.
    Booleans accept true/false/yes/no/1/0 (pydantic's lax mode).
    """
    values: dict[str, str] = {}
    for item in assignments:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"{where}: '{item}' is not KEY=VALUE")
        if key not in SPEC_BY_NAME:
            raise ParameterError(f"{where}: unknown parameter '{key}'{suggest(key)}")
        values[key] = value.strip()
    return values
