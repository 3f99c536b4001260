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
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, create_model, model_validator

from sim.files.tomlfile import as_written

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


G_NET, G_BODY, G_NEED, G_BEH, G_VOL, G_ADM, G_COORD, G_RUN, G_ASM = (
    "network",
    "bodies",
    "needs",
    "behaviour",
    "volunteers",
    "administration",
    "coordination",
    "run",
    "assumptions",
)

SPECS: tuple[Spec, ...] = (
    # --- network: who is in it and how it is wired at the start -------------------------
    Spec(
        "n_administration",
        4,
        1,
        400,
        "departments",
        "Administration departments (youth, social, integration office) in the network",
        "Fachbereiche der Verwaltung im Netzwerk (Jugend-, Sozial-, Integrationsamt)",
        "[004]; reference design: 30-60 partners",
        G_NET,
        short_en="administration departments",
        short_de="Fachbereiche der Verwaltung",
    ),
    Spec(
        "n_carriers",
        20,
        0,
        4000,
        "organisations",
        "Independent carriers (freie Träger: welfare associations, course providers)",
        "Freie Träger (Wohlfahrtsverbände, Bildungs- und Sprachkursträger)",
        "[000], [001], [004]; reference design",
        G_NET,
        short_en="carriers",
        short_de="Freie Träger",
    ),
    Spec(
        "n_volunteers",
        14,
        0,
        4000,
        "initiatives",
        "Volunteer initiatives, clubs and migrant organisations (Ehrenamt)",
        "Ehrenamtliche Initiativen, Vereine, Migrantenorganisationen",
        "[002], [003]; reference design",
        G_NET,
        short_en="volunteer initiatives",
        short_de="Ehrenamtliche Initiativen",
    ),
    Spec(
        "n_fields",
        4,
        1,
        4,
        "fields",
        "Fields of work served (youth, seniors, integration, inclusion, in this order)",
        "Handlungsfelder (Jugend, Senioren, Integration, Inklusion, in dieser Reihenfolge)",
        "[000], [001], [003]",
        G_NET,
    ),
    Spec(
        "multi_field_share",
        0.2,
        0,
        1,
        "share",
        "Share of carriers that serve two fields (large welfare associations)",
        "Anteil der Träger, die in zwei Handlungsfeldern tätig sind (große Verbände)",
        "[000] (AWO, Caritas ...); assumption",
        G_NET,
    ),
    Spec(
        "field_degree",
        5.0,
        0,
        50,
        "ties/actor",
        "Expected ties per actor inside its own field at the start (pillars)",
        "Erwartete Beziehungen je Akteur im eigenen Handlungsfeld zu Beginn (Säulen)",
        "[004] versäultes System; assumption",
        G_NET,
    ),
    Spec(
        "cross_field_degree",
        0.5,
        0,
        20,
        "ties/actor",
        "Expected ties per actor across fields at the start",
        "Erwartete Beziehungen je Akteur über Handlungsfelder hinweg zu Beginn",
        "[004]; assumption",
        G_NET,
    ),
    Spec(
        "goal_dimensions",
        2,
        1,
        3,
        "dimensions",
        "Number of priorities that make up an actor's goal position",
        "Zahl der Prioritäten, aus denen die Zielposition eines Akteurs besteht",
        "ODD 2 (goal positions)",
        G_NET,
    ),
    Spec(
        "goal_heterogeneity",
        0.8,
        0,
        1,
        "share",
        "Spread of initial goals (1 = spread over the whole goal space)",
        "Streuung der Ausgangsziele (1 = über den ganzen Zielraum verteilt)",
        "[001] Eigeninteressen; assumption",
        G_NET,
    ),
    # --- bodies (Gremien) ------------------------------------------------------------------
    Spec(
        "steering_interval",
        3,
        1,
        24,
        "months",
        "Months between meetings of the steering group (Steuerungsgruppe)",
        "Monate zwischen Sitzungen der Steuerungsgruppe",
        "[003]; reference design: monthly to quarterly meetings",
        G_BODY,
    ),
    Spec(
        "working_group_interval",
        1.0,
        0.25,
        24,
        "months",
        "Months between meetings of a working group (Arbeitsgruppe); 0.5 = twice a month",
        "Monate zwischen Sitzungen einer Arbeitsgruppe (Arbeitsgruppe); 0,5 = zweimal im Monat",
        "[003]; reference design",
        G_BODY,
    ),
    Spec(
        "steering_group_size",
        12,
        2,
        60,
        "seats",
        "Seats in the steering group",
        "Sitze in der Steuerungsgruppe",
        "[003]; assumption",
        G_BODY,
    ),
    Spec(
        "working_group_size",
        12,
        2,
        60,
        "members",
        "Largest working group; a field with more members gets several groups",
        "Größte Arbeitsgruppe; größere Handlungsfelder bekommen mehrere Gruppen",
        "assumption",
        G_BODY,
    ),
    Spec(
        "meeting_hours",
        3.0,
        0.5,
        16,
        "hours",
        "Hours one meeting costs each attendee, preparation included",
        "Stunden, die eine Sitzung jede teilnehmende Person kostet, mit Vorbereitung",
        "[002] These 2 (Netzwerkarbeit kostet Zeit); assumption",
        G_BODY,
    ),
    Spec(
        "volunteers_in_steering",
        False,
        None,
        None,
        "-",
        "Volunteers and target-group members have seats in the steering group",
        "Ehrenamtliche und Menschen aus den Zielgruppen sitzen in der Steuerungsgruppe",
        "[003] Kommune Inklusiv",
        G_BODY,
        short_en="volunteers in the steering group",
        short_de="Ehrenamt in der Steuerungsgruppe",
    ),
    Spec(
        "initial_duplicates",
        2,
        0,
        200,
        "groups",
        "Duplicate working groups (Doppelstrukturen) at the start",
        "Doppelte Arbeitskreise (Doppelstrukturen) zu Beginn",
        "[001]",
        G_BODY,
    ),
    Spec(
        "duplicate_emergence",
        0.5,
        0,
        24,
        "groups/year",
        "New ad-hoc groups per year that duplicate an existing working group",
        "Neue Ad-hoc-Arbeitskreise pro Jahr, die eine bestehende Arbeitsgruppe doppeln",
        "[001] ad hoc-Arbeitskreise; assumption",
        G_BODY,
    ),
    Spec(
        "duplicate_overlap",
        0.7,
        0.3,
        1,
        "share",
        "Share of a working group's members that also sit in its duplicate",
        "Anteil der Mitglieder einer Arbeitsgruppe, die auch in ihrer Doppelung sitzen",
        "[001]; assumption",
        G_BODY,
    ),
    # --- needs (Bedarfe) and how work serves them -----------------------------------------
    Spec(
        "need_pressure",
        1.6,
        0.2,
        3,
        "x capacity",
        "Monthly need of a field relative to the hours its members can give at the start",
        "Monatlicher Bedarf eines Handlungsfelds im Verhältnis zu den Stunden seiner Mitglieder",
        "assumption",
        G_NEED,
    ),
    Spec(
        "complex_share",
        0.35,
        0,
        1,
        "share",
        "Share of need that only joint work of two or more kinds of actor can serve",
        "Anteil des Bedarfs, den nur gemeinsame Arbeit mehrerer Akteursarten decken kann",
        "[002] These 3, [003]; assumption",
        G_NEED,
    ),
    Spec(
        "hard_to_reach_share",
        0.2,
        0,
        1,
        "share",
        "Share of need that only joint work with volunteers involved can reach",
        "Anteil des Bedarfs, den nur gemeinsame Arbeit mit Ehrenamtlichen erreicht",
        "[002] These 3 (ältere MigrantInnen); assumption",
        G_NEED,
    ),
    Spec(
        "synergy",
        1.6,
        0.5,
        4,
        "units/hour",
        "Need served per hour of joint work (own work serves 1 per hour)",
        "Gedeckter Bedarf je Stunde gemeinsamer Arbeit (eigene Arbeit: 1 je Stunde)",
        "[002] Innovation durch Zusammenarbeit; assumption",
        G_NEED,
    ),
    Spec(
        "volunteer_reach",
        4.0,
        0,
        20,
        "hours/hour",
        "Hours' worth of a group's joint output towards hard-to-reach people that one "
        "volunteer hour opens (at full eye level)",
        "Stunden gemeinsamer Leistung einer Gruppe für schwer Erreichbare, die eine "
        "Ehrenamtsstunde erschließt (bei voller Augenhöhe)",
        "[002] These 3; assumption",
        G_NEED,
    ),
    Spec(
        "competition_intensity",
        0.5,
        0,
        1,
        "share",
        "Mean overlap of a carrier's services with competitors in its field",
        "Mittlere Überschneidung der Angebote eines Trägers mit Konkurrenten im Feld",
        "[001] Sprachkursträger, [002] These 1",
        G_NEED,
        short_en="competition",
        short_de="Konkurrenz",
    ),
    Spec(
        "competitive_fields",
        4,
        0,
        4,
        "fields",
        "Fields in which carriers compete for funds and clients (the first ones, in the "
        "order of n_fields; e.g. 1 = only youth work is contested)",
        "Handlungsfelder, in denen Träger um Mittel und Klientel konkurrieren (die ersten, "
        "in der Reihenfolge von n_fields; z. B. 1 = nur die Jugendarbeit ist umkämpft)",
        "[001] Sprachkursträger (Konkurrenz in einem Feld); [002] These 1",
        G_NEED,
    ),
    Spec(
        "overlap_waste",
        0.3,
        0,
        1,
        "share",
        "Share of own work lost at full overlap (same clients served twice)",
        "Anteil eigener Arbeit, der bei voller Überschneidung verloren geht",
        "[001] Doppelstrukturen; assumption",
        G_NEED,
    ),
    # --- behaviour of members -------------------------------------------------------------
    Spec(
        "tolerance",
        0.15,
        0,
        1,
        "goal distance",
        "Bounded-confidence threshold d: closer goals move towards each other in talks",
        "Vertrauensschwelle d: nur nahe genug liegende Ziele nähern sich im Gespräch an",
        "Deffuant et al. 2000",
        G_BEH,
        short_en="openness to other goals",
        short_de="Offenheit für andere Ziele",
    ),
    Spec(
        "convergence",
        0.3,
        0,
        0.5,
        "share",
        "Share mu of the goal distance two members close when they align",
        "Anteil mu des Zielabstands, den zwei Mitglieder bei Annäherung schließen",
        "Deffuant et al. 2000",
        G_BEH,
    ),
    Spec(
        "reciprocity",
        0.65,
        0,
        1,
        "slope",
        "How closely members match the contribution they expect from partners",
        "Wie eng Mitglieder ihren Beitrag an den erwarteten Beitrag anderer anpassen",
        "Fischbacher, Gächter & Fehr 2001; [002] Geb ich Dir - so gibst Du mir",
        G_BEH,
    ),
    Spec(
        "support_strength",
        0.08,
        0,
        0.5,
        "share",
        "Weight of shared goals, trust and motivation in a contribution",
        "Gewicht gemeinsamer Ziele, Vertrauen und Motivation im Beitrag",
        "[002] These 1; calibrated (posterior median 0.078, 90 % 0.045-0.124)",
        G_BEH,
    ),
    Spec(
        "competition_strength",
        0.4,
        0,
        1,
        "share",
        "How much undefused competition cuts contributions and motivation",
        "Wie stark unaufgelöste Konkurrenz Beiträge und Motivation senkt",
        "[002] These 1; assumption",
        G_BEH,
    ),
    Spec(
        "initial_expectation",
        0.7,
        0,
        1,
        "share",
        "Contribution members expect from partners at the start",
        "Beitrag, den Mitglieder zu Beginn von Partnern erwarten",
        "Fehr & Gächter 2000: first rounds 40-60%",
        G_BEH,
    ),
    Spec(
        "belief_update",
        0.4,
        0,
        1,
        "share",
        "How fast expectations follow the contributions members see",
        "Wie schnell Erwartungen den beobachteten Beiträgen folgen",
        "Fischbacher & Gächter 2010; assumption",
        G_BEH,
    ),
    Spec(
        "persistence",
        0.5,
        0,
        0.95,
        "share",
        "Durchhaltevermögen: share of a setback the network does not take to heart "
        "(motivation, perceived benefit, expectations of partners and routines fall that "
        "much more slowly; they do not rise more slowly), and share of the meetings that "
        "daily business would cancel where nobody convenes them that it holds anyway",
        "Durchhaltevermögen: Anteil eines Rückschlags, den sich das Netzwerk nicht zu Herzen "
        "nimmt (Motivation, wahrgenommener Nutzen, Erwartungen an Partner und Routinen "
        "sinken um so viel langsamer; sie steigen nicht langsamer), und Anteil der "
        "Sitzungen, die der Alltag ausfallen ließe, wo niemand sie einberuft, die es "
        "trotzdem abhält",
        "[003] Durchhaltevermögen",
        G_BEH,
        short_en="persistence",
        short_de="Durchhaltevermögen",
    ),
    Spec(
        "exit_threshold",
        0.25,
        0,
        1,
        "motivation",
        "Motivation at which a member's chance of leaving is half its highest",
        "Motivation, bei der die Austrittswahrscheinlichkeit halb so hoch ist wie höchstens",
        "[002] These 1; assumption",
        G_BEH,
    ),
    Spec(
        "exit_rate",
        0.03,
        0,
        1,
        "1/month",
        "Highest monthly chance that a member with very low motivation leaves",
        "Höchste monatliche Wahrscheinlichkeit, dass ein kaum motiviertes Mitglied austritt",
        "assumption",
        G_BEH,
    ),
    Spec(
        "attendance_norm",
        0.3,
        0,
        1,
        "probability",
        "Chance of attending out of duty or habit, whatever the motivation",
        "Wahrscheinlichkeit, aus Pflicht oder Gewohnheit teilzunehmen",
        "[000] nette Runde; calibrated (posterior median 0.30, 90 % 0.27-0.50)",
        G_BEH,
    ),
    Spec(
        "tie_growth",
        0.1,
        0,
        1,
        "share/contact",
        "Share of the gap to full trust a tie closes per encounter (Begegnung)",
        "Anteil der Lücke zu vollem Vertrauen, den eine Begegnung schließt",
        "[003] Begegnung; assumption",
        G_BEH,
    ),
    Spec(
        "tie_decay",
        0.03,
        0,
        0.5,
        "share/month",
        "Share of a tie's strength that fades each month (contact renews it)",
        "Anteil der Beziehungsstärke, der jeden Monat verblasst (Kontakt erneuert sie)",
        "[002] These 2 (Pflege nötig); assumption",
        G_BEH,
    ),
    Spec(
        "misalignment_cost",
        0.6,
        0,
        1,
        "share",
        "Share of joint output lost when a group's goals are as far apart as possible",
        "Anteil gemeinsamer Leistung, der bei größtmöglich auseinanderliegenden Zielen "
        "verloren geht",
        "[002] These 1; [003] Gemeinsame Ziele",
        G_BEH,
    ),
    Spec(
        "friction",
        0.3,
        0,
        1,
        "share",
        "Output lost in mixed groups from different working speeds without clear roles",
        "Leistungsverlust gemischter Gruppen durch unterschiedliche Arbeitstempi ohne klare Rollen",
        "[003] Akzeptanz",
        G_BEH,
    ),
    Spec(
        "role_clarity",
        0.3,
        0,
        1,
        "share",
        "Role clarity members reach on their own, without coordination",
        "Rollenklarheit, die Mitglieder ohne Koordination erreichen",
        "[003] Konkrete Aufgaben; assumption",
        G_BEH,
    ),
    Spec(
        "entry_rate",
        0.005,
        0,
        0.2,
        "1/month",
        "Newcomers per month and founding member when the network is fully attractive",
        "Neue Partner pro Monat und Gründungsmitglied bei voller Attraktivität des Netzwerks",
        "[002] These 2, [003] Erweiterung des Netzwerks; assumption",
        G_BEH,
    ),
    # --- volunteers (Ehrenamt) ------------------------------------------------------------
    Spec(
        "volunteer_hours",
        6.0,
        1,
        120,
        "hours/month",
        "Median time budget of a volunteer initiative",
        "Median des Zeitbudgets einer ehrenamtlichen Initiative",
        "Freiwilligensurvey 2019: 60% give up to 2 h/week, 17% 6 h/week or more",
        G_VOL,
    ),
    Spec(
        "eye_level",
        0.5,
        0,
        1,
        "share",
        "How far paid staff meet volunteers at eye level and accept their ways",
        "Wie weit Hauptamtliche Ehrenamtlichen auf Augenhöhe begegnen",
        "[002] These 3, [003] Begegnung, [001]",
        G_VOL,
        short_en="eye level with volunteers",
        short_de="Augenhöhe mit dem Ehrenamt",
    ),
    Spec(
        "burnout_threshold",
        0.5,
        0,
        0.95,
        "share of time",
        "Share of their time volunteers can give to the network month after month without "
        "strain; beyond it overload wears their motivation down",
        "Anteil ihrer Zeit, den Ehrenamtliche dauerhaft ohne Belastung ins Netzwerk geben "
        "können; darüber zehrt Überlastung an ihrer Motivation",
        "more than volunteers can carry (BIM/Bertelsmann 2016); assumption",
        G_VOL,
    ),
    # --- administration (Verwaltung) and funding ------------------------------------------
    Spec(
        "administration_hours",
        30.0,
        0,
        320,
        "hours/month",
        "Hours per month each administration department gives to the field",
        "Stunden pro Monat, die jeder Fachbereich der Verwaltung einbringt",
        "assumption",
        G_ADM,
    ),
    Spec(
        "carrier_hours",
        60.0,
        1,
        800,
        "hours/month",
        "Mean hours per month a carrier gives to its services in the field",
        "Mittlere Stunden pro Monat, die ein Träger für seine Angebote einbringt",
        "assumption",
        G_ADM,
    ),
    Spec(
        "leadership_support",
        0.5,
        0,
        1,
        "share",
        "Support of the administration's leadership: mandate and shorter decisions",
        "Rückhalt der Verwaltungsspitze: Mandat und kürzere Entscheidungswege",
        "[004], [001] Oldenburg",
        G_ADM,
        short_en="leadership support",
        short_de="Rückhalt der Verwaltungsspitze",
    ),
    Spec(
        "hierarchy",
        0.5,
        0,
        1,
        "share",
        "Hierarchical steering style of the administration: lowers others' eye level, "
        "lengthens decisions",
        "Hierarchischer Steuerungsstil der Verwaltung: senkt die Augenhöhe der anderen, "
        "verlängert Entscheidungen",
        "[004]",
        G_ADM,
        short_en="hierarchy",
        short_de="Hierarchie der Verwaltung",
    ),
    Spec(
        "bureaucratic_delay",
        0.5,
        0,
        1,
        "share",
        "How much bureaucracy slows decisions such as merging duplicate bodies",
        "Wie stark Bürokratie Entscheidungen bremst, etwa das Zusammenlegen von Gremien",
        "[001] schädliche Prozessdauer",
        G_ADM,
        short_en="bureaucratic delay",
        short_de="Bürokratische Verzögerung",
    ),
    Spec(
        "joint_funding_share",
        0.2,
        0,
        1,
        "share",
        "Share of the annual budget given for joint work (0 = fully competitive)",
        "Anteil des Jahresbudgets für gemeinsame Arbeit (0 = rein wettbewerblich)",
        "[001], [002] These 1",
        G_ADM,
        short_en="joint funding",
        short_de="Gemeinsame Förderung",
    ),
    Spec(
        "funding_dependency",
        0.6,
        0,
        1,
        "share",
        "Mean share of a carrier's capacity paid for by municipal funds",
        "Mittlerer Anteil der Kapazität eines Trägers, der aus kommunalen Mitteln finanziert ist",
        "[000] (finanzielle) Abhängigkeiten, [004]",
        G_ADM,
    ),
    # --- coordination ---------------------------------------------------------------------
    Spec(
        "governance",
        "lead",
        None,
        None,
        "-",
        "Who coordinates: shared by members, a lead organisation, or an independent office",
        "Wer koordiniert: die Mitglieder gemeinsam, eine federführende Organisation oder eine "
        "eigenständige Geschäftsstelle",
        "Provan & Kenis 2008",
        G_COORD,
        choices=("shared", "lead", "nao"),
        short_en="governance",
        short_de="Steuerungsform",
    ),
    Spec(
        "coordinator_hours",
        80.0,
        0,
        320,
        "hours/month",
        "Funded coordination time: the coordinator's (lead, nao) or, under shared "
        "governance, the members' paid coordination time together",
        "Finanzierte Koordinationszeit: die der Koordination (federführend, Geschäftsstelle) "
        "oder bei geteilter Steuerung die bezahlte Koordinationszeit der Mitglieder zusammen",
        "up to 40 h/week (BIM/Bertelsmann 2016)",
        G_COORD,
        short_en="coordinator hours",
        short_de="Koordination",
    ),
    Spec(
        "coordinator_competence",
        0.5,
        0,
        1,
        "share",
        "Coordination competence, raised by training (multiplies every task's effect)",
        "Koordinationskompetenz, durch Fortbildung gesteigert (vervielfacht jede Aufgabe)",
        "[004] Fortbildungskonzept",
        G_COORD,
        short_en="coordinator competence",
        short_de="Kompetenz der Koordination",
    ),
    Spec(
        "shared_coordination_hours",
        2.0,
        0,
        40,
        "hours/month",
        "Unpaid hours each member gives to coordination under shared governance, out of "
        "its own time",
        "Unbezahlte Stunden, die jedes Mitglied bei geteilter Steuerung aus eigener Zeit für "
        "Koordination gibt",
        "Provan & Kenis 2008; assumption",
        G_COORD,
    ),
    Spec(
        "coordinator_cost_share",
        1.0,
        0,
        1,
        "share",
        "Share of the coordinator's cost paid from the municipal budget that funds the "
        "carriers (0 = paid by an outside programme)",
        "Anteil der Kosten der Koordination, der aus dem kommunalen Budget für die Träger "
        "bezahlt wird (0 = von einem Förderprogramm bezahlt)",
        "Provan & Kenis 2008 (modes compared at equal resources); [001] Förderrichtlinie",
        G_COORD,
        short_en="coordination paid from the budget",
        short_de="Koordination aus dem Budget bezahlt",
    ),
    # --- run -----------------------------------------------------------------------------
    Spec(
        "months",
        120,
        1,
        1200,
        "months",
        "Length of a run (one step is one month)",
        "Länge eines Laufs (ein Schritt ist ein Monat)",
        "ODD 3",
        G_RUN,
    ),
    Spec(
        "spinup_months",
        36,
        0,
        240,
        "months",
        "Months the network runs before the reported run starts (0 = the run starts when "
        "the network is founded)",
        "Monate, die das Netzwerk vor dem berichteten Lauf schon läuft (0 = der Lauf "
        "beginnt mit der Gründung)",
        "ODD 5 (initialisation); assumption",
        G_RUN,
    ),
    # --- assumptions: constants of the mechanisms, each a parameter so that sensitivity
    # analysis and calibration can reach it (the dashboard shows only the levers) ---------
    # members and their motivation
    Spec(
        "motivation_inertia",
        0.85,
        0,
        0.99,
        "share/month",
        "Share of last month's motivation and perceived benefit a member keeps",
        "Anteil der Motivation und des wahrgenommenen Nutzens des Vormonats, den ein "
        "Mitglied behält",
        "assumption (judgements change over months, not weeks)",
        G_ASM,
    ),
    Spec(
        "weight_benefit",
        0.5,
        0,
        1,
        "share",
        "Weight of perceived benefit in the motivation a member aims at",
        "Gewicht des wahrgenommenen Nutzens in der angestrebten Motivation",
        "[002] These 1 (Nutzen für jedes Mitglied); assumption",
        G_ASM,
    ),
    Spec(
        "weight_ties",
        0.3,
        0,
        1,
        "share",
        "Weight of ties to fellow members in that motivation (the rest is fairness)",
        "Gewicht der Beziehungen zu den anderen Mitgliedern (der Rest ist Fairness)",
        "[003] Begegnung; [002] Geb ich Dir - so gibst Du mir; assumption",
        G_ASM,
    ),
    Spec(
        "engaged_motivation",
        0.5,
        0.05,
        1,
        "motivation",
        "Motivation from which a member gives joint work all the time it is willing to "
        "give; below it, proportionally less",
        "Motivation, ab der ein Mitglied gemeinsamer Arbeit alle Zeit gibt, die es zu geben "
        "bereit ist; darunter anteilig weniger",
        "[002] These 1 (ohne Motivation kein zeitliches Einbringen); assumption",
        G_ASM,
    ),
    Spec(
        "ownership",
        0.1,
        0,
        0.5,
        "motivation",
        "Motivation gained by taking part in steering (shaping the common goal); at a "
        "table with more people present than steering_group_size seats, each voice counts "
        "less",
        "Motivationsgewinn durch Mitwirkung an der Steuerung (am gemeinsamen Ziel); sitzen "
        "mehr Menschen am Tisch als steering_group_size, zählt jede Stimme weniger",
        "[000] alle an der Entwicklung des Ziels beteiligt; [003] Steuerungsgruppe; assumption",
        G_ASM,
    ),
    Spec(
        "exit_spread",
        0.06,
        0.01,
        0.5,
        "motivation",
        "How gradually the chance of leaving rises as motivation falls (logistic width)",
        "Wie allmählich die Austrittswahrscheinlichkeit mit sinkender Motivation steigt",
        "assumption",
        G_ASM,
    ),
    Spec(
        "initial_benefit",
        0.5,
        0,
        1,
        "share",
        "Benefit of joint work founding members and newcomers expect before they have seen any",
        "Nutzen gemeinsamer Arbeit, den Gründungsmitglieder und Neue erwarten, bevor sie "
        "welchen gesehen haben",
        "assumption",
        G_ASM,
    ),
    Spec(
        "initial_motivation",
        0.65,
        0,
        1,
        "motivation",
        "Mean motivation of founding members and newcomers before onboarding",
        "Mittlere Motivation der Gründungsmitglieder und Neuen vor der Einbindung",
        "assumption",
        G_ASM,
    ),
    Spec(
        "administration_self_interest",
        0.2,
        0,
        1,
        "share",
        "Discount departments put on joint output that carries no own name",
        "Abschlag, den Fachbereiche auf gemeinsame Leistung ohne eigenen Namen machen",
        "[004] Zuständigkeiten; [001] Eigeninteressen; assumption",
        G_ASM,
    ),
    Spec(
        "trait_concentration",
        4.0,
        1,
        100,
        "-",
        "Concentration of Beta-distributed traits (higher = members more alike)",
        "Konzentration Beta-verteilter Eigenschaften (höher = Mitglieder ähnlicher)",
        "assumption",
        G_ASM,
    ),
    Spec(
        "carrier_hours_spread",
        0.5,
        0,
        1.5,
        "log-sd",
        "Spread of carriers' hours (standard deviation of their logarithm)",
        "Streuung der Stunden der Träger (Standardabweichung des Logarithmus)",
        "assumption",
        G_ASM,
    ),
    Spec(
        "volunteer_hours_spread",
        1.57,
        0,
        3,
        "log-sd",
        "Spread of volunteer initiatives' hours (standard deviation of their logarithm)",
        "Streuung der Stunden ehrenamtlicher Initiativen (Standardabweichung des Logarithmus)",
        "fitted to Freiwilligensurvey 2019 (60% up to 2 h/week, 17% 6 h/week or more)",
        G_ASM,
    ),
    Spec(
        "volunteer_hours_max",
        160.0,
        10,
        320,
        "hours/month",
        "Most hours a volunteer initiative can give (a full-time equivalent)",
        "Höchste Stundenzahl einer ehrenamtlichen Initiative (eine volle Stelle)",
        "assumption",
        G_ASM,
    ),
    Spec(
        "volunteer_sensitivity",
        0.4,
        0,
        1,
        "share",
        "Mean sensitivity of volunteers to a lack of eye level",
        "Mittlere Empfindlichkeit Ehrenamtlicher für fehlende Augenhöhe",
        "[002] These 3; assumption",
        G_ASM,
    ),
    Spec(
        "carrier_sensitivity",
        0.15,
        0,
        1,
        "share",
        "Mean sensitivity of carriers to a lack of eye level with the administration",
        "Mittlere Empfindlichkeit der Träger für fehlende Augenhöhe mit der Verwaltung",
        "[001] Begegnung auf Augenhöhe; [004]; assumption",
        G_ASM,
    ),
    # ties
    Spec(
        "field_tie_strength",
        0.35,
        0.01,
        1,
        "share",
        "Mean strength of the ties inside a field at the start (pillars)",
        "Mittlere Stärke der Beziehungen innerhalb eines Felds zu Beginn (Säulen)",
        "[004] versäultes System; assumption",
        G_ASM,
    ),
    Spec(
        "cross_tie_strength",
        0.2,
        0.01,
        1,
        "share",
        "Mean strength of the ties across fields at the start",
        "Mittlere Stärke der Beziehungen über Felder hinweg zu Beginn",
        "[004]; assumption",
        G_ASM,
    ),
    Spec(
        "coordinator_tie",
        0.3,
        0.01,
        1,
        "share",
        "Strength of the coordinator's ties to the steering group when it starts",
        "Stärke der Beziehungen der Koordination zur Steuerungsgruppe bei Stellenantritt",
        "assumption",
        G_ASM,
    ),
    Spec(
        "tie_floor",
        0.01,
        0.001,
        0.1,
        "share",
        "Ties weaker than this are forgotten",
        "Schwächere Beziehungen werden vergessen",
        "assumption",
        G_ASM,
    ),
    # newcomers
    Spec(
        "newcomer_tie",
        0.1,
        0.01,
        1,
        "share",
        "Strength of a newcomer's first ties to its working group without onboarding",
        "Stärke der ersten Beziehungen eines neuen Mitglieds zur Arbeitsgruppe ohne Einbindung",
        "assumption",
        G_ASM,
    ),
    Spec(
        "newcomer_peers",
        2,
        0,
        12,
        "members",
        "Members of its working group a newcomer is tied to at once",
        "Mitglieder der Arbeitsgruppe, mit denen ein neues Mitglied sofort verbunden ist",
        "[002] These 2 (Ansprechpartner finden); assumption",
        G_ASM,
    ),
    Spec(
        "onboarding_binding",
        0.5,
        0,
        1,
        "share",
        "Share of the gap to full motivation and ties that full onboarding closes for a newcomer",
        "Anteil der Lücke zu voller Motivation und Bindung, den volle Einbindung bei Neuen "
        "schließt",
        "[002] These 2 (Ansprechpartner für Außenstehende); assumption",
        G_ASM,
    ),
    Spec(
        "reputation_weight",
        0.5,
        0,
        1,
        "share",
        "Weight of the network's effectiveness (rather than onboarding) in its appeal",
        "Gewicht der Wirksamkeit (statt der Einbindung) in der Anziehungskraft des Netzwerks",
        "[003] Verbreitung des Projekts; assumption",
        G_ASM,
    ),
    # eye level, voice, overload
    Spec(
        "hierarchy_eye_cost",
        0.5,
        0,
        1,
        "share",
        "Share of eye level a fully hierarchical administration takes away where nobody moderates",
        "Anteil der Augenhöhe, den eine voll hierarchische Verwaltung ohne Moderation nimmt",
        "[004] Hierarchien vs heterarchische Netzwerkarbeit; assumption",
        G_ASM,
    ),
    Spec(
        "openness_tolerance_gain",
        1.0,
        0,
        3,
        "share",
        "How much full open communication widens the goal tolerance (1 = doubles it)",
        "Wie stark volle offene Kommunikation die Zieltoleranz erweitert (1 = verdoppelt)",
        "[002] These 1 (offener Austausch); assumption",
        G_ASM,
    ),
    Spec(
        "eye_tolerance_gain",
        0.5,
        0,
        1,
        "share",
        "How much eye level widens the goal tolerance of two members who meet",
        "Wie stark Augenhöhe die Zieltoleranz zweier Mitglieder erweitert, die sich begegnen",
        "[001] verständigungsorientierter Austausch auf Augenhöhe; assumption",
        G_ASM,
    ),
    Spec(
        "voice_eye",
        0.5,
        0,
        1,
        "share",
        "Share of their eye-level gap volunteers close when they are represented at the "
        "steering table in proportion to their numbers",
        "Anteil der Augenhöhe-Lücke, den Ehrenamtliche schließen, wenn sie ihrer Zahl "
        "entsprechend am Steuerungstisch vertreten sind",
        "[003] Zielgruppen in den Steuerungsgruppen; [002] These 3; assumption",
        G_ASM,
    ),
    Spec(
        "voice_reach",
        0.5,
        0,
        2,
        "share",
        "Extra reach of joint work into hard-to-reach groups at full representation",
        "Zusätzliche Reichweite gemeinsamer Arbeit zu schwer Erreichbaren bei voller Vertretung",
        "[002] These 3 (neue Zielgruppen erreichen); [003]; assumption",
        G_ASM,
    ),
    Spec(
        "steering_admin_share",
        0.5,
        0,
        1,
        "share",
        "Share of the steering seats that go to administration departments at most",
        "Höchstens dieser Anteil der Sitze der Steuerungsgruppe geht an Fachbereiche",
        "[003] Steuerungsgruppe; assumption",
        G_ASM,
    ),
    Spec(
        "steering_volunteer_share",
        0.25,
        0,
        1,
        "share",
        "Share of the steering seats reserved for volunteers when they have seats",
        "Anteil der Sitze der Steuerungsgruppe, der Ehrenamtlichen vorbehalten ist",
        "[003] Kommune Inklusiv; assumption",
        G_ASM,
    ),
    Spec(
        "load_memory",
        6.0,
        1,
        36,
        "months",
        "Months over which volunteers feel the load of their network work",
        "Monate, über die Ehrenamtliche die Last ihrer Netzwerkarbeit spüren",
        "assumption",
        G_ASM,
    ),
    Spec(
        "overload_protection",
        0.5,
        0,
        1,
        "share",
        "Share of the felt load that clear roles and eye level together take off volunteers",
        "Anteil der empfundenen Last, den klare Rollen und Augenhöhe zusammen Ehrenamtlichen "
        "abnehmen",
        "[003] Konkrete Aufgaben, Akzeptanz; [002] These 3; assumption",
        G_ASM,
    ),
    Spec(
        "everyday_pressure",
        0.5,
        0,
        1,
        "share",
        "Chance that daily business cancels a due meeting nobody is paid to convene, in a "
        "network without any persistence (times 1 - persistence in others)",
        "Wahrscheinlichkeit, dass der Alltag eine fällige Sitzung ausfallen lässt, die "
        "niemand bezahlt einberuft, in einem Netzwerk ohne Durchhaltevermögen (in anderen "
        "mal 1 - Durchhaltevermögen)",
        '[003] Durchhaltevermögen ("Der Alltag kann regelmäßigem Treffen ... einen Strich '
        'durch die Rechnung machen"); assumption',
        G_ASM,
    ),
    # joint work and need
    Spec(
        "meeting_momentum",
        0.7,
        0,
        1,
        "share/month",
        "Share of its joint work a working group keeps per month since it last met",
        "Anteil gemeinsamer Arbeit, den eine Arbeitsgruppe je Monat seit ihrem letzten "
        "Treffen behält",
        "assumption, after [003] Begegnung and Durchhaltevermögen (regelmäßiges Treffen)",
        G_ASM,
    ),
    Spec(
        "min_joint_hours",
        0.1,
        0,
        5,
        "hours",
        "Hours a kind of actor must give for a group's work to count as theirs too",
        "Stunden, die eine Akteursart geben muss, damit die Gruppenarbeit auch ihre ist",
        "assumption",
        G_ASM,
    ),
    Spec(
        "duplicate_threshold",
        0.5,
        0.1,
        1,
        "share",
        "Shared members (of the smaller group) that make two working groups duplicates",
        "Anteil gemeinsamer Mitglieder (der kleineren Gruppe), ab dem zwei Arbeitsgruppen "
        "Doppelstrukturen sind",
        "[001] Doppelstrukturen und Überlappungen; assumption",
        G_ASM,
    ),
    Spec(
        "targeting_base",
        0.5,
        0,
        1,
        "share",
        "Share of joint output aimed at what only joint work can serve, without impact monitoring",
        "Anteil gemeinsamer Leistung, der ohne Wirkungsorientierung auf das zielt, was nur "
        "gemeinsame Arbeit leisten kann",
        "[000] auf die Wirkung schauen; assumption",
        G_ASM,
    ),
    Spec(
        "capacity_cap",
        2.0,
        1,
        5,
        "x base",
        "Most a carrier's capacity can grow with funding, relative to its base",
        "Höchstes Wachstum der Kapazität eines Trägers durch Förderung, relativ zur Basis",
        "assumption",
        G_ASM,
    ),
    # coordination
    Spec(
        "load_contact",
        1.0,
        0.1,
        10,
        "hours/member",
        "Hours of contact maintenance per member for about two thirds of its full effect "
        "(at quality 1)",
        "Stunden Kontaktpflege je Mitglied für etwa zwei Drittel der vollen Wirkung",
        "[002] These 2; assumption",
        G_ASM,
    ),
    Spec(
        "load_translation",
        0.5,
        0.1,
        10,
        "hours/member",
        "Hours of advantage translation per member for about two thirds of its full "
        "effect (at quality 1)",
        "Stunden Vorteilsübersetzung je Mitglied für etwa zwei Drittel der vollen Wirkung",
        "[001] Vorteilsübersetzung; assumption",
        G_ASM,
    ),
    Spec(
        "load_moderation",
        2.0,
        0.1,
        20,
        "hours/body",
        "Hours of moderation per body for about two thirds of its full effect (at quality 1)",
        "Stunden Moderation je Gremium für etwa zwei Drittel der vollen Wirkung",
        "[002] These 1; assumption",
        G_ASM,
    ),
    Spec(
        "load_transparency",
        2.0,
        0.1,
        20,
        "hours/body",
        "Hours of transparency work per body for about two thirds of its full effect (at "
        "quality 1)",
        "Stunden Transparenzarbeit je Gremium für etwa zwei Drittel der vollen Wirkung",
        "[001] Transparenz; assumption",
        G_ASM,
    ),
    Spec(
        "load_onboarding",
        8.0,
        0.5,
        80,
        "hours",
        "Hours of onboarding for about two thirds of its full effect (at quality 1)",
        "Stunden Netzwerkerweiterung für etwa zwei Drittel der vollen Wirkung",
        "[003] Erweiterung des Netzwerks; assumption",
        G_ASM,
    ),
    Spec(
        "load_roles",
        2.0,
        0.1,
        20,
        "hours/group",
        "Hours of role clarification per working group for about two thirds of its full "
        "effect (at quality 1)",
        "Stunden Rollenklärung je Arbeitsgruppe für etwa zwei Drittel der vollen Wirkung",
        "[003] Konkrete Aufgaben; assumption",
        G_ASM,
    ),
    Spec(
        "load_monitoring",
        4.0,
        0.1,
        40,
        "hours/field",
        "Hours of impact monitoring per field for about two thirds of its full effect (at "
        "quality 1)",
        "Stunden Wirkungsorientierung je Handlungsfeld für etwa zwei Drittel der vollen Wirkung",
        "[000] auf die Wirkung schauen; assumption",
        G_ASM,
    ),
    Spec(
        "routine_memory",
        12.0,
        1,
        60,
        "months",
        "Months it takes routines of open talk, clear roles and impact orientation to "
        "settle in, and to fade once nobody maintains them",
        "Monate, bis sich Routinen offener Gespräche, klarer Rollen und der "
        "Wirkungsorientierung einspielen, und bis sie ohne Pflege verblassen",
        "[002] These 2 (Pflege des Netzwerkes ist notwendig); [003] Durchhaltevermögen; assumption",
        G_ASM,
    ),
    Spec(
        "quality_untrained",
        0.5,
        0,
        2,
        "share",
        "What a coordination hour achieves without training: quality = (this + competence) "
        "x mandate",
        "Was eine Koordinationsstunde ohne Fortbildung bewirkt: Qualität = (dies + Kompetenz) "
        "x Mandat",
        "[004] Fortbildungskonzept; assumption",
        G_ASM,
    ),
    Spec(
        "mandate_without_support",
        0.5,
        0,
        1,
        "share",
        "Share of its effect a coordinator has without any support of the leadership",
        "Anteil ihrer Wirkung, den Koordination ganz ohne Rückhalt der Spitze hat",
        "[004] Führungskräfte; [001] Oldenburg; assumption",
        G_ASM,
    ),
    # governance modes (Provan & Kenis 2008)
    Spec(
        "shared_quality",
        1.0,
        0,
        2,
        "share",
        "Effect of a pooled member hour of shared coordination among members who fully "
        "trust each other and share one goal",
        "Wirkung einer gepoolten Mitgliederstunde geteilter Steuerung bei vollem Vertrauen "
        "und einem gemeinsamen Ziel",
        "Provan & Kenis 2008; assumption",
        G_ASM,
    ),
    Spec(
        "shared_size_scale",
        12.0,
        1,
        100,
        "members",
        "Network size at which pooled shared coordination loses half its efficiency "
        "(the loss grows with the number of pairs that must align)",
        "Netzwerkgröße, bei der gepoolte geteilte Steuerung die Hälfte ihrer Effizienz verliert",
        "Provan & Kenis 2008 (shared governance suits few members); assumption",
        G_ASM,
    ),
    Spec(
        "shared_competence",
        0.6,
        0,
        1,
        "share",
        "Effect of pooled member hours on network-level tasks (transparency, onboarding, "
        "impact monitoring), relative to their effect on relations, where all need is "
        "complex (the shortfall scales with complex_share)",
        "Wirkung gepoolter Mitgliederstunden auf netzwerkweite Aufgaben (Transparenz, "
        "Erweiterung, Wirkungsorientierung), relativ zu Beziehungsaufgaben, wenn aller "
        "Bedarf komplex ist (der Abschlag wächst mit complex_share)",
        "Provan & Kenis 2008 (need for network-level competencies); calibrated (posterior "
        "median 0.62, 90 % 0.52-0.97; was 0.3)",
        G_ASM,
    ),
    Spec(
        "lead_neutrality",
        0.5,
        0,
        1,
        "share",
        "How far members accept a lead organisation as an honest broker",
        "Wie weit Mitglieder eine federführende Organisation als ehrliche Maklerin annehmen",
        "Provan & Kenis 2008; assumption",
        G_ASM,
    ),
    Spec(
        "nao_neutrality",
        0.9,
        0,
        1,
        "share",
        "How far members accept an independent office as an honest broker",
        "Wie weit Mitglieder eine eigenständige Geschäftsstelle als ehrliche Maklerin annehmen",
        "Provan & Kenis 2008; assumption",
        G_ASM,
    ),
    Spec(
        "nao_trust_needed",
        0.5,
        0.01,
        1,
        "share",
        "Network trust (mean tie strength among working partners) from which members accept "
        "an independent office fully: they govern and monitor it together; below it, in "
        "proportion",
        "Vertrauen im Netzwerk (mittlere Beziehungsstärke unter Arbeitspartnern), ab dem "
        "Mitglieder eine eigenständige Geschäftsstelle voll annehmen: sie steuern und "
        "kontrollieren sie gemeinsam; darunter anteilig",
        "Provan & Kenis 2008 (NAO: moderate trust density, monitored by members); assumption",
        G_ASM,
    ),
    Spec(
        "lead_authority",
        0.4,
        0,
        1,
        "share",
        "How far a lead organisation can settle direction without consensus",
        "Wie weit eine federführende Organisation die Richtung ohne Konsens festlegen kann",
        "Provan & Kenis 2008; assumption",
        G_ASM,
    ),
    Spec(
        "nao_authority",
        0.2,
        0,
        1,
        "share",
        "How far an independent office can settle direction without consensus",
        "Wie weit eine eigenständige Geschäftsstelle die Richtung ohne Konsens festlegen kann",
        "Provan & Kenis 2008; assumption",
        G_ASM,
    ),
    Spec(
        "lead_interest",
        0.3,
        0,
        1,
        "share",
        "Share of a lead organisation's coordination that serves its own remit first",
        "Anteil der Koordination einer federführenden Organisation, der zuerst ihrem eigenen "
        "Bereich dient",
        "Provan & Kenis 2008 (lead organisation: its own agenda); [001] Eigeninteressen; "
        "assumption",
        G_ASM,
    ),
    Spec(
        "nao_overhead",
        0.2,
        0,
        1,
        "share",
        "Cost of running an independent office (management, rooms) relative to its "
        "coordination: the same money buys 1 / (1 + overhead) of the hours",
        "Kosten des Betriebs einer eigenständigen Geschäftsstelle (Leitung, Räume) relativ "
        "zu ihrer Koordination: dasselbe Geld kauft 1 / (1 + Overhead) der Stunden",
        "Provan & Kenis 2008 (NAO: costly); assumption",
        G_ASM,
    ),
    Spec(
        "coordinator_hour_cost",
        1.2,
        0.1,
        5,
        "funded hours",
        "Cost of one coordinator hour, in funded carrier hours (members' coordination "
        "time costs one)",
        "Kosten einer Koordinationsstunde in geförderten Trägerstunden (Koordinationszeit "
        "der Mitglieder kostet eine)",
        "assumption (coordinators are paid above carriers' staff)",
        G_ASM,
    ),
    # decisions (bureaucracy, hierarchy, leadership)
    Spec(
        "decision_months",
        6.0,
        0,
        24,
        "months",
        "Months a decision takes at full bureaucratic delay, flat hierarchy and no "
        "leadership support",
        "Monate, die eine Entscheidung bei voller bürokratischer Verzögerung, flacher "
        "Hierarchie und ohne Rückhalt der Spitze braucht",
        "[001] schädliche Prozessdauer; assumption",
        G_ASM,
    ),
    Spec(
        "hierarchy_delay",
        1.0,
        0,
        3,
        "share",
        "How much longer decisions take under a fully hierarchical administration",
        "Um wie viel länger Entscheidungen unter einer voll hierarchischen Verwaltung dauern",
        "[004] Hierarchien und Zuständigkeiten; assumption",
        G_ASM,
    ),
    Spec(
        "support_speedup",
        0.5,
        0,
        1,
        "share",
        "Share of the decision time full leadership support saves",
        "Anteil der Entscheidungszeit, den voller Rückhalt der Spitze einspart",
        "[001] Unterstützung der Verwaltungsspitze; [004]; assumption",
        G_ASM,
    ),
    Spec(
        "interim_funding",
        0.85,
        0,
        1,
        "share",
        "Share of last year's funding carriers get while this year's grants are undecided",
        "Anteil der Vorjahresförderung, den Träger erhalten, solange die Zuwendungen des "
        "Jahres nicht entschieden sind",
        "assumption (late grants: vorläufige Haushaltsführung)",
        G_ASM,
    ),
    # the 'nette Runde' indicator
    Spec(
        "nette_runde_attendance",
        0.4,
        0,
        1,
        "share",
        "Attendance at or above which a round still draws its members beyond duty "
        "('nette Runde': they keep coming)",
        "Teilnahme, ab der eine Runde ihre Mitglieder über die Pflicht hinaus anzieht "
        "(„nette Runde“: man kommt weiter)",
        "[000] nette Runde; assumption: above what duty alone brings (attendance_norm), "
        "below the 0.5-0.7 living rounds reach (docs/ODD.md 7.11)",
        G_ASM,
    ),
    Spec(
        "nette_runde_joint_coverage",
        0.3,
        0,
        1,
        "share",
        "Joint coverage below which joint work counts as without effect ('nette Runde')",
        "Gemeinsame Abdeckung, unter der gemeinsame Arbeit als wirkungslos gilt („nette Runde“)",
        "[000] nette Runde; assumption",
        G_ASM,
    ),
    Spec(
        "nette_runde_window",
        12,
        1,
        60,
        "months",
        "Months over which the 'nette Runde' flag averages attendance and joint coverage",
        "Monate, über die das Merkmal „nette Runde“ Teilnahme und Abdeckung mittelt",
        "[000] (eine nette Runde bleibt es); assumption",
        G_ASM,
    ),
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
            json_schema_extra={
                "unit": spec.unit,
                "de": spec.de,
                "source": spec.source,
                "group": spec.group,
            },
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
        if self.weight_benefit + self.weight_ties > 1.0 + 1e-12:
            raise ValueError(
                "weight_benefit + weight_ties must not exceed 1 (the rest weighs fairness; "
                f"now {self.weight_benefit:g} + {self.weight_ties:g})"
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
    german = _german_match(name) if allowed is SPEC_BY_NAME else None
    if german and (not close or german.name != close[0]):
        label = f"German '{german.short_de}' is '{german.name}'"
        return f" (did you mean '{close[0]}'? {label})" if close else f" ({label})"
    return f" (did you mean '{close[0]}'?)" if close else ""


def _fold(text: str) -> str:
    for letter, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.lower().replace(letter, spelled)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _german_match(name: str) -> Spec | None:
    """The lever whose German label (as the dashboard shows it) a name was written after:
    'koordinator_stunden' for 'Koordination', 'augenhoehe' for 'Augenhöhe mit dem Ehrenamt'.
    Compares with the whole label and with its first word, as people shorten labels."""
    folded, best, score = _fold(name), None, 0.6
    for spec in SPECS:
        if not spec.short_de:
            continue
        label = _fold(spec.short_de)
        for candidate in (label, label.split("_")[0]):
            ratio = difflib.SequenceMatcher(None, folded, candidate).ratio()
            if len(candidate) >= 6 and candidate in folded:
                ratio = max(ratio, 0.9)
            if ratio > score:
                best, score = spec, ratio
    return best


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
    shown = value if isinstance(value, str) and not quote_text else as_written(value)
    return f"{where}: {key} = {shown} is not allowed; allowed: {spec.allowed()}"


def make_params(
    values: dict[str, Any] | None = None, where: str = "parameters", strict: bool = False
) -> Params:
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


LIVE_LEVERS = (
    "coordinator_hours",
    "coordinator_competence",
    "leadership_support",
    "joint_funding_share",
    "competition_intensity",
    "eye_level",
    "hierarchy",
    "persistence",
    "tolerance",
    "bureaucratic_delay",
    "coordinator_cost_share",
)
"""Levers that can move while a network runs (the dashboard's sliders, a scenario's
``levers`` events); the others shape the network when it is built."""
