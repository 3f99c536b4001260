"""The dashboard's info panel, after NetLogo's Info tab, in German and English.

The sections are the ones NetLogo users know (WHAT IS IT? ... CREDITS AND REFERENCES).
What can be generated is: each lever's and structure setting's meaning, range and source
come from the parameter definition, so the panel cannot say something the model does not
do; the mechanisms are the submodels of docs/ODD.md section 7 (a test keeps the list in
step with the ODD's headings).
"""

from __future__ import annotations

from sim.dashboard.session import LEVERS, STRUCTURE
from sim.params import SPEC_BY_NAME

MECHANISMS = (  # ODD 7.1-7.10: (English title as in the ODD, German, what it does)
    (
        "Meetings and goal alignment",
        "Sitzungen und Zielannäherung",
        "Bodies meet at their interval; those who come meet others, ties grow, goals move "
        "closer the more openly and at eye level they talk [001, 003].",
        "Gremien tagen in ihrem Takt; wer kommt, begegnet anderen, Beziehungen wachsen, "
        "Ziele nähern sich, je offener und auf Augenhöhe gesprochen wird [001, 003].",
    ),
    (
        "Conditional cooperation",
        "Bedingte Kooperation",
        "Members give hours to joint work as far as they expect others to; support raises, "
        "undefused competition lowers it (public-goods experiments; [002] thesis 1).",
        "Mitglieder geben Stunden für gemeinsame Arbeit, soweit sie es von anderen "
        "erwarten; Rückhalt stärkt das, ungelöste Konkurrenz schwächt es "
        "(Public-Goods-Experimente; [002] These 1).",
    ),
    (
        "Ties and trust",
        "Beziehungen und Vertrauen",
        "Encounters and joint work strengthen ties; without contact they decay, slowed by "
        "the coordinator's contact work [003].",
        "Begegnung und gemeinsame Arbeit stärken Beziehungen; ohne Kontakt verblassen sie, "
        "langsamer mit der Kontaktpflege der Koordination [003].",
    ),
    (
        "Coordination effort",
        "Koordinationsaufwand",
        "The coordinator (or, under shared governance, the members) splits its hours over "
        "seven tasks where the shoe pinches; each hour brings less than the one before "
        "[001, 004]; governance after Provan & Kenis (2008).",
        "Die Koordination (bei gemeinsamer Steuerung die Mitglieder) verteilt ihre Stunden "
        "auf sieben Aufgaben dort, wo der Schuh drückt; jede Stunde bringt weniger als die "
        "vorige [001, 004]; Steuerungsformen nach Provan & Kenis (2008).",
    ),
    (
        "Joint output and perceived benefit",
        "Gemeinsame Leistung und erlebter Nutzen",
        "Working groups turn pooled hours into joint output, more than the sum where "
        "partners complement each other; members weigh what they got against what they "
        "gave [000].",
        "Arbeitsgruppen machen aus gebündelten Stunden gemeinsame Leistung, mehr als die "
        "Summe, wo sich Partner ergänzen; Mitglieder wägen, was sie bekamen, gegen das, was "
        "sie gaben [000].",
    ),
    (
        "Need and coverage",
        "Bedarf und Deckung",
        "Simple need each carrier serves alone; complex need takes several partners; "
        "hard-to-reach people need volunteers met at eye level [000, 002 thesis 3].",
        "Einfachen Bedarf deckt jeder Träger allein; komplexer braucht mehrere Partner; "
        "schwer Erreichbare brauchen das Ehrenamt auf Augenhöhe [000, 002 These 3].",
    ),
    (
        "Motivation, eye level and voice",
        "Motivation, Augenhöhe und Stimme",
        "Motivation follows benefit against cost and burdens (missing eye level, hierarchy, "
        "overload); persistence slows losses [002, 003, 004].",
        "Motivation folgt Nutzen gegen Aufwand und Belastungen (fehlende Augenhöhe, "
        "Hierarchie, Überlastung); Durchhaltevermögen bremst Verluste [002, 003, 004].",
    ),
    (
        "Funding",
        "Förderung",
        "Each year the departments decide the grants, competitively or jointly; decisions "
        "take the administration's time [001, 002 thesis 1].",
        "Jedes Jahr entscheiden die Fachbereiche die Zuwendungen, im Wettbewerb oder "
        "gemeinsam; Entscheidungen brauchen die Zeit der Verwaltung [001, 002 These 1].",
    ),
    (
        "Exit and entry",
        "Austritt und Eintritt",
        "Members leave as motivation falls, volunteers also when overloaded; newcomers come "
        "as the network is known to work and is open [003].",
        "Mitglieder gehen, wenn die Motivation sinkt, Ehrenamtliche auch bei Überlastung; "
        "Neue kommen, wenn das Netzwerk als wirksam und offen gilt [003].",
    ),
    (
        "Duplicates, transparency and decisions",
        "Doppelstrukturen, Transparenz und Entscheidungen",
        "Ad-hoc groups duplicate others; transparency finds them, the steering group decides, "
        "the administration's decision time passes, then they merge [001].",
        "Ad-hoc-Gruppen doppeln andere; Transparenz findet sie, die Steuerungsgruppe "
        "entscheidet, die Entscheidungszeit der Verwaltung vergeht, dann werden sie "
        "zusammengelegt [001].",
    ),
)

SECTIONS = {  # heading: (English, German)
    "what": (
        "WHAT IS IT?",
        "WAS IST DAS?",
        "A model of cooperation in a municipal network: departments of the administration, "
        "welfare and service carriers (freie Träger) and volunteer initiatives meet in a "
        "steering group and working groups, work together or each for themselves, and a "
        "coordinator helps, or does not. It shows under which conditions a network serves "
        "the needs it exists for, and when it stays a *nette Runde*: people like to meet, "
        "but little gets done together [000].",
        "Ein Modell der Zusammenarbeit in einem kommunalen Netzwerk: Fachbereiche der "
        "Verwaltung, freie Träger und Initiativen des Ehrenamts treffen sich in einer "
        "Steuerungsgruppe und in Arbeitsgruppen, arbeiten zusammen oder jeder für sich, und "
        "eine Koordination hilft, oder nicht. Es zeigt, unter welchen Bedingungen ein "
        "Netzwerk die Bedarfe deckt, für die es da ist, und wann es eine *nette Runde* "
        "bleibt: Man trifft sich gern, aber gemeinsam wird wenig geschafft [000].",
    ),
    "how_works": (
        "HOW IT WORKS",
        "WIE ES FUNKTIONIERT",
        "One step is one month: grants arrive, the coordinator works, bodies meet, working "
        "groups do joint work, everyone serves their own clients with the rest of their "
        "time, motivation follows what each got against what each gave, members leave and "
        "join, ties fade without contact, and duplicate groups are found and merged. The "
        "mechanisms, each from a sentence of the source documents (docs/ODD.md, section 7):",
        "Ein Schritt ist ein Monat: Zuwendungen kommen an, die Koordination arbeitet, "
        "Gremien tagen, Arbeitsgruppen arbeiten zusammen, alle bedienen mit der übrigen Zeit "
        "ihre eigenen Klientinnen und Klienten, die Motivation folgt dem, was jede und jeder "
        "bekam und gab, Mitglieder gehen und kommen, Beziehungen verblassen ohne Kontakt, "
        "Doppelstrukturen werden gefunden und zusammengelegt. Die Mechanismen, jeder aus "
        "einem Satz der Quelldokumente (docs/ODD.md, Abschnitt 7):",
    ),
    "how_use": (
        "HOW TO USE IT",
        "WIE MAN ES BENUTZT",
        "Choose a scenario and a seed (same seed, same run). Start, Step and 'to month' run "
        "the network; Reset goes back to month 0. Month 0 is the scenario's network as it "
        "has grown; the levers as they stand in month 0 act from month 1, later a lever "
        "acts from the next month. Structure applies in month 0 or after Reset. Compare "
        "mode runs A and B side by side from the same network. Events (funding cut, the "
        "coordinator's position ends, a new partner, a key person leaves) happen when you "
        "press them. 'Take it with you' saves the months and the settings as a scenario "
        "file that `kommune run FILE --seed SEED` repeats. The levers:",
        "Szenario und Startwert wählen (gleicher Startwert, gleicher Lauf). Start, Schritt "
        "und „bis Monat“ lassen das Netzwerk laufen; Neustart geht zurück auf Monat 0. "
        "Monat 0 ist das Netzwerk des Szenarios, wie es gewachsen ist; die Stellschrauben, "
        "wie sie in Monat 0 stehen, wirken ab Monat 1, später wirkt eine Stellschraube ab "
        "dem nächsten Monat. Der Aufbau gilt in Monat 0 oder nach Neustart. Der Vergleich "
        "lässt A und B nebeneinander vom selben Netzwerk aus laufen. Ereignisse "
        "(Kürzung, Ende der Koordinationsstelle, neuer Partner, Schlüsselperson geht) "
        "geschehen, wenn Sie sie drücken. „Mitnehmen“ speichert die Monatswerte und die "
        "Einstellungen als Szenario-Datei, die `kommune run DATEI --seed STARTWERT` "
        "wiederholt. Die Stellschrauben:",
    ),
    "notice": (
        "THINGS TO NOTICE",
        "WORAUF MAN ACHTEN KANN",
        "The yellow box and the red shading mark a *nette Runde*. Look at the three bars, "
        "not only at one number: coordination, the kind of funding and eye level with "
        "volunteers act on different parts of the need. Most changes show after months, "
        "not at once: routines, trust and motivation build up and fade slowly. Each event "
        "and each lever moved while the network runs is a numbered dotted line on the chart, "
        "and the note with the same number under it says what happened.",
        "Der gelbe Kasten und die rote Hinterlegung zeigen eine *nette Runde*. Schauen Sie "
        "auf die drei Balken, nicht nur auf eine Zahl: Koordination, die Art der Förderung "
        "und die Augenhöhe mit dem Ehrenamt wirken auf verschiedene Teile des Bedarfs. Die "
        "meisten Änderungen zeigen sich nach Monaten, nicht sofort: Routinen, Vertrauen und "
        "Motivation bauen sich langsam auf und ab. Jedes Ereignis und jede Stellschraube, "
        "die im Lauf bewegt wird, ist eine nummerierte gepunktete Linie in der "
        "Verlaufsgrafik; die Notiz mit derselben Nummer darunter sagt, was geschah.",
    ),
    "try": (
        "THINGS TO TRY",
        "DINGE ZUM AUSPROBIEREN",
        "In compare mode give B less competition, more joint funding, more eye level and "
        "less hierarchy: when does B leave the *nette Runde*? Set B's coordination to 0. "
        "End the coordinator's position in month 36, with low and with high persistence. "
        "Try another seed: does the direction hold? The workshop guide "
        "(docs/workshop-guide.md) has a 20-minute script.",
        "Im Vergleich bei B weniger Konkurrenz, mehr gemeinsame Förderung, mehr Augenhöhe "
        "und weniger Hierarchie einstellen: Wann verlässt B die *nette Runde*? Bei B die "
        "Koordination auf 0 stellen. Die Koordinationsstelle in Monat 36 enden lassen, mit "
        "wenig und mit viel Durchhaltevermögen. Einen anderen Startwert nehmen: Hält die "
        "Richtung? Der Workshop-Leitfaden (docs/workshop-leitfaden.md) hat einen Ablauf "
        "für 20 Minuten.",
    ),
    "extending": (
        "EXTENDING THE MODEL",
        "DAS MODELL ERWEITERN",
        "Every assumption is a parameter (`kommune params`); a scenario file changes any of "
        "them and schedules events (`kommune scenarios new`). Each mechanism is one small "
        "module in `sim/mechanisms/` with its equation in docs/ODD.md; experiments, "
        "sensitivity analysis and calibration (`kommune sweep`, `analyze`, `calibrate`) "
        "show what a change does over many runs.",
        "Jede Annahme ist ein Parameter (`kommune params`); eine Szenario-Datei ändert jeden "
        "davon und plant Ereignisse (`kommune scenarios new`). Jeder Mechanismus ist ein "
        "kleines Modul in `sim/mechanisms/` mit seiner Gleichung in docs/ODD.md; "
        "Experimente, Sensitivitätsanalyse und Kalibrierung (`kommune sweep`, `analyze`, "
        "`calibrate`) zeigen, was eine Änderung über viele Läufe bewirkt.",
    ),
    "related": (
        "RELATED MODELS",
        "VERWANDTE MODELLE",
        "Public-goods games with conditional cooperators (Fischbacher & Gächter 2010); "
        "bounded-confidence opinion dynamics (Deffuant et al. 2000); the network governance "
        "modes of Provan & Kenis (2008); NetLogo's cooperation models in its Models Library.",
        "Public-Goods-Spiele mit bedingt Kooperierenden (Fischbacher & Gächter 2010); "
        "Meinungsdynamik mit begrenztem Vertrauen (Deffuant u. a. 2000); die Steuerungsformen "
        "von Netzwerken nach Provan & Kenis (2008); die Kooperationsmodelle der NetLogo "
        "Models Library.",
    ),
    "credits": (
        "CREDITS AND REFERENCES",
        "DANK UND QUELLEN",
        "Built from five source documents on municipal networks: [000] Bertelsmann Stiftung, "
        "'Von einer netten Runde zum wirksamen Netzwerk' (Synergien vor Ort, 2017); [001] "
        "Transferagentur für Großstädte, external cooperation with civil society; [002] "
        "workshop 'Geb ich Dir - so gibst Du mir' (Ahlen, 2013); [003] Kommune Inklusiv "
        "(Aktion Mensch); [004] Bertelsmann Stiftung, training concept for coordinators and "
        "leaders (Synergien vor Ort). "
        "Model description: docs/ODD.md (ODD protocol, Grimm et al. 2020). Made with Mesa "
        "and Solara.",
        "Gebaut aus fünf Quelldokumenten zu kommunalen Netzwerken: [000] Bertelsmann "
        "Stiftung, „Von einer netten Runde zum wirksamen Netzwerk“ (Synergien vor Ort, "
        "2017); [001] Transferagentur für Großstädte, externe Zusammenarbeit mit der "
        "Zivilgesellschaft; [002] Workshop „Geb ich Dir – so gibst Du mir“ (Ahlen, 2013); "
        "[003] Kommune Inklusiv (Aktion Mensch); [004] Bertelsmann Stiftung, "
        "Qualifizierungskonzept für Koordination und Leitung (Synergien vor Ort). "
        "Modellbeschreibung: docs/ODD.md (ODD-Protokoll, Grimm u. a. 2020). Gebaut mit Mesa "
        "und Solara.",
    ),
}


def _levers(lang: str) -> list[str]:
    """One row per lever and structure setting: meaning, range, unit and source, from the
    parameter definition."""
    de = lang == "de"
    rows = [
        "| Stellschraube | Bedeutung | Bereich | Quelle |"
        if de
        else "| Lever | Meaning | Range | Source |",
        "|---|---|---|---|",
    ]
    for name in (*LEVERS, *STRUCTURE):
        spec = SPEC_BY_NAME[name]
        meaning = spec.de if de else spec.en
        rows.append(f"| {spec.label(lang)} | {meaning} | {spec.allowed()} | {spec.source} |")
    return rows


def info_markdown(lang: str) -> str:
    """The whole panel as Markdown, in ``lang`` ("de" or "en")."""
    k = 1 if lang == "de" else 0
    out = []
    for key, texts in SECTIONS.items():
        heading, body = texts[k], texts[2 + k]
        out += [f"### {heading}", "", body, ""]
        if key == "how_works":
            out += [f"- **{m[k]}**: {m[2 + k]}" for m in MECHANISMS] + [""]
        if key == "how_use":
            out += [*_levers(lang), ""]
    return "\n".join(out)
