"""The one translation table for words the program shows (English and German).

Indicator labels and meanings live with the indicators (``sim.indicators``), parameter
meanings with the parameters (``sim.params``); everything else a user reads in a report,
a listing or the dashboard is looked up here by key.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {  # key: (English, German)
    "better": ("better", "besser"),
    "worse": ("worse", "schlechter"),
    "higher": ("higher", "höher"),
    "lower": ("lower", "niedriger"),
    "none": ("no clear difference", "kein klarer Unterschied"),
    "comparison": ("Scenario comparison", "Szenarienvergleich"),
    "at_a_glance": ("At a glance", "Auf einen Blick"),
    "scenarios": ("Scenarios", "Szenarien"),
    "scenario": ("scenario", "Szenario"),
    "indicator": ("indicator", "Indikator"),
    "difference": ("difference", "Unterschied"),
    "verdict": ("verdict", "Bewertung"),
    "versus": ("vs", "gegenüber"),
    "all_indicators": ("All indicators", "Alle Indikatoren"),
    "over_time": (
        "Over time (mean and 95 % band over the runs)",
        "Im Zeitverlauf (Mittelwert und 95-%-Band über die Läufe)",
    ),
    "distributions": ("Final year, run by run", "Letztes Jahr, Lauf für Lauf"),
    "how_to_read": ("How to read this report", "So lesen Sie diesen Bericht"),
    "parameters_changed": (
        "Parameters changed from the model defaults",
        "Gegenüber den Modellvorgaben geänderte Parameter",
    ),
    "events": ("Events", "Ereignisse"),
    "no_events": ("none", "keine"),
    "source": ("Source", "Quelle"),
    "month": ("month", "Monat"),
    "runs": ("runs", "Läufe"),
    "reproduce": ("Reproduce with", "Wiederholen mit"),
    "final_year": (
        "final year: mean of the last {final} months",
        "letztes Jahr: Mittelwert der letzten {final} Monate",
    ),
    "parameter": ("parameter", "Parameter"),
    "value": ("value", "Wert"),
    "default": ("default", "Vorgabe"),
    "model_default": ("(model default)", "(Vorgabe des Modells)"),
    "set_by": ("set by", "gesetzt von"),
    "title": ("title", "Titel"),
    "name": ("name", "Name"),
    "fields": ("fields", "Handlungsfelder"),
    "extends": ("extends", "erweitert"),
    # the dashboard
    "app_title": (
        "Vernetzte Kommune: cooperation in a municipal network",
        "Vernetzte Kommune: Zusammenarbeit im kommunalen Netzwerk",
    ),
    "kind_administration": ("administration", "Verwaltung"),
    "kind_carrier": ("carrier", "Freier Träger"),
    "kind_volunteer": ("volunteer initiative", "Ehrenamt"),
    "kind_coordinator": ("coordinator", "Koordination"),
    "inactive": ("left the network", "ausgetreten"),
    "play": ("Play", "Start"),
    "pause": ("Pause", "Pause"),
    "step": ("Step", "Schritt"),
    "reset": ("Reset", "Neustart"),
    "speed": ("months per second", "Monate pro Sekunde"),
    "seed": ("seed (same seed, same run)", "Startwert (gleicher Startwert, gleicher Lauf)"),
    "levers": ("Levers (act from the next month)", "Stellschrauben (wirken ab dem nächsten Monat)"),
    "structure": ("Structure (from the next reset)", "Aufbau (ab dem nächsten Neustart)"),
    "run_rule": (
        "Month 0 is the scenario's network as it has grown. The levers as they stand in "
        "month 0 act from month 1; later a lever acts from the next month. Structure needs "
        "month 0 or Reset. Reset: month 0 again, with the sliders as they stand.",
        "Monat 0 ist das Netzwerk des Szenarios, wie es gewachsen ist. Die Stellschrauben, "
        "wie sie in Monat 0 stehen, wirken ab Monat 1; später wirkt eine Stellschraube ab "
        "dem nächsten Monat. Der Aufbau gilt in Monat 0 oder nach Neustart. Neustart: "
        "wieder Monat 0, mit den Reglern, wie sie stehen.",
    ),
    "run_to": ("to month", "bis Monat"),
    "export": ("Take it with you", "Mitnehmen"),
    "save_png": ("save as PNG", "als PNG speichern"),
    "export_scenario": ("scenario file", "Szenario-Datei"),
    "export_csv": ("months (CSV)", "Monatswerte (CSV)"),
    "export_excel": ("months (Excel)", "Monatswerte (Excel)"),
    "copy_levers": ("B = A", "B = A"),
    "reset_levers": ("levers to the scenario's", "Regler auf Szenariowerte"),
    "live_events": ("Events now", "Ereignisse jetzt"),
    "compare_mode": ("compare A and B", "A und B vergleichen"),
    "large_font": ("large font", "große Schrift"),
    "join": ("join", "teilnehmen"),
    "info": ("info", "Info"),
    "join_hint": (
        "Open this address on a phone or laptop in the same network, or scan the code:",
        "Diese Adresse auf einem Handy oder Laptop im selben Netz öffnen oder den Code scannen:",
    ),
    "hours_per_month": ("h/month", "Std./Monat"),
    "switch_language": ("Deutsch", "English"),  # the button names the other language
    "network": ("The network", "Das Netzwerk"),
    "indicators": ("How the network is doing", "Wie es dem Netzwerk geht"),
    "coverage": ("Need served this month", "Gedeckter Bedarf in diesem Monat"),
    "simple": ("simple need", "einfache Bedarfe"),
    "complex": ("complex need", "komplexe Bedarfe"),
    "hard_to_reach": ("hard-to-reach need", "schwer Erreichbare"),
    "nette_runde_warning": (
        "Warning: a 'nette Runde'. Meetings are held and still draw members, but "
        "complex and hard-to-reach need stays largely unserved.",
        "Achtung: eine „nette Runde“. Sitzungen finden statt und ziehen noch Mitglieder an, "
        "aber komplexe und schwer erreichbare Bedarfe bleiben weitgehend ungedeckt.",
    ),
    "nette_runde_short": (
        "⚠ A 'nette Runde': much meeting, little joint work for complex need",
        "⚠ Eine „nette Runde“: viel Treffen, wenig gemeinsame Arbeit für komplexe Bedarfe",
    ),
    "event_funding_cut": ("Funding cut (30 %)", "Fördermittel gekürzt (30 %)"),
    "event_coordinator_ends": ("Coordinator position ends", "Koordinationsstelle endet"),
    "event_new_partner": ("New partner joins", "Neuer Partner"),
    "event_key_person_leaves": ("Key person leaves", "Schlüsselperson geht"),
    "event_coordinator_hired": (
        "Coordinator position funded again",
        "Koordinationsstelle neu besetzt",
    ),
    "members_now": ("members", "Mitglieder"),
    "note_funding_cut": ("funding cut by {share}", "Fördermittel um {share} gekürzt"),
    "note_coordinator_ends": (
        "the coordinator's position ends: the members coordinate themselves",
        "die Koordinationsstelle endet: die Mitglieder steuern selbst",
    ),
    "note_new_partner": ("a new partner joins", "ein neuer Partner kommt dazu"),
    "note_coordinator_hired": (
        "the coordinator's position is funded again: a new coordinator starts",
        "die Koordinationsstelle ist neu besetzt: eine neue Koordination beginnt",
    ),
    "note_key_person_leaves": (
        "the key person (the strongest ties) leaves",
        "die Schlüsselperson (mit den stärksten Beziehungen) geht",
    ),
    "no_notes": (
        "Events and lever moves appear here, numbered as on the chart.",
        "Ereignisse und bewegte Stellschrauben erscheinen hier, nummeriert wie im Diagramm.",
    ),
    "a_solid_b_dashed": ("A ━━  B ╍╍ (lighter)", "A ━━  B ╍╍ (heller)"),
    "choice_shared": ("shared by members", "gemeinsam (Selbststeuerung)"),
    "choice_lead": ("lead organisation", "federführende Organisation"),
    "choice_nao": ("independent office (NAO)", "eigene Geschäftsstelle (NAO)"),
    "finished": ("the run is over", "der Lauf ist zu Ende"),
    # --- the Planung page (sim.dashboard.planning) ---
    "planning": ("Planning", "Planung"),
    "planning_title": ("Vernetzte Kommune · Planning", "Vernetzte Kommune · Planung"),
    "to_workshop": ("Workshop page", "Zur Workshop-Seite"),
    "to_planning": ("Planning", "Planung"),
    "plan_intro": (
        "Describe your municipality, add what-if variants and compare them: every variant "
        "runs with the same seeds as the municipality (common random numbers), and each "
        "comparison's interval says how much of a difference could still be luck.",
        "Beschreiben Sie Ihre Kommune, legen Sie Was-wäre-wenn-Varianten an und vergleichen "
        "Sie sie: Jede Variante läuft mit denselben Zufallszahlen wie die Ausgangslage, und "
        "das Intervall jedes Vergleichs sagt, wie viel eines Unterschieds noch Zufall sein "
        "kann.",
    ),
    "step_base": ("1. Starting point", "1. Ausgangspunkt"),
    "step_municipality": ("2. Your municipality", "2. Ihre Kommune"),
    "step_variants": ("3. Variants (what if ...)", "3. Varianten (was wäre, wenn ...)"),
    "step_compare": ("4. Comparison", "4. Vergleich"),
    "start_from": ("Start from", "Ausgehen von"),
    "upload": (
        "Upload a scenario (.toml) or an actor list (.csv, .xlsx)",
        "Szenario (.toml) oder Akteursliste (.csv, .xlsx) hochladen",
    ),
    "uploaded": ("Uploaded", "Hochgeladen"),
    "actor_template_xlsx": ("Actor list template (Excel)", "Vorlage Akteursliste (Excel)"),
    "actor_template_csv": ("Actor list template (CSV)", "Vorlage Akteursliste (CSV)"),
    "actors_from_list": (
        "{n} actors from the list {file} ({admin} departments, {carriers} carriers, "
        "{volunteers} volunteer initiatives); their counts and fields are fixed by the list",
        "{n} Akteure aus der Liste {file} ({admin} Fachbereiche, {carriers} Träger, "
        "{volunteers} ehrenamtliche Initiativen); Anzahlen und Felder gibt die Liste vor",
    ),
    "section_structure": ("Structure", "Struktur"),
    "section_needs": ("Needs", "Bedarfe"),
    "section_coordination": ("Coordination", "Koordination"),
    "section_funding": ("Funding", "Förderung"),
    "section_culture": ("Working culture", "Arbeitskultur"),
    "section_run": ("Run", "Laufzeit"),
    "section_assumptions": ("Model assumptions (experts)", "Modellannahmen (für Fachleute)"),
    "changed_from": ("changed; the base has {value}", "geändert; Ausgangspunkt: {value}"),
    "allowed_range": ("from {low} to {high}", "von {low} bis {high}"),
    "given_by_list": ("given by the actor list", "von der Akteursliste vorgegeben"),
    "add_variant": ("Add a variant", "Variante hinzufügen"),
    "remove": ("Remove", "Entfernen"),
    "variant_name": ("Name of the variant", "Name der Variante"),
    "no_variants": (
        "No variant yet: add one to compare it with your municipality.",
        "Noch keine Variante: Legen Sie eine an, um sie mit Ihrer Kommune zu vergleichen.",
    ),
    "change_parameter": ("Change", "Ändern"),
    "new_value": ("New value", "Neuer Wert"),
    "apply": ("Apply", "Übernehmen"),
    "event": ("Event", "Ereignis"),
    "in_month": ("in month", "im Monat"),
    "plan_funding_cut": ("Funding cut", "Fördermittel gekürzt"),
    "plan_not_a_file": (
        "{file}: not a scenario (.toml) or actor list (.csv, .xlsx) file",
        "{file}: weder ein Szenario (.toml) noch eine Akteursliste (.csv, .xlsx)",
    ),
    "plan_too_large": (
        "{file}: larger than {size} MB; is it the right file?",
        "{file}: größer als {size} MB; ist es die richtige Datei?",
    ),
    "plan_outside": (
        "{file}: {setting} = {value} is not allowed here; allowed: the name of a built-in "
        "scenario or of a file uploaded beside it, without a folder",
        "{file}: {setting} = {value} ist hier nicht erlaubt; erlaubt: der Name eines "
        "mitgelieferten Szenarios oder einer daneben hochgeladenen Datei, ohne Ordner",
    ),
    "plan_most": ("at most {most} variants", "höchstens {most} Varianten"),
    "plan_month": (
        "month = {month} is not allowed; allowed: whole number from 1 to {months} (the "
        "months of the run)",
        "Monat {month} ist nicht erlaubt; erlaubt: eine ganze Zahl von 1 bis {months} (die "
        "Monate des Laufs)",
    ),
    "plan_late": (
        "{variant}: month = {month} is after the end of the run ({months} months); remove "
        "the event or lengthen the run",
        "{variant}: Monat {month} liegt nach dem Ende des Laufs ({months} Monate); "
        "entfernen Sie das Ereignis oder verlängern Sie den Lauf",
    ),
    "plan_no_lever": (
        "choose at least one lever for the recommendation",
        "wählen Sie mindestens eine Stellschraube für die Empfehlung",
    ),
    "step_recommend": (
        "5. Recommendation: what is the least that keeps the network effective?",
        "5. Empfehlung: Was ist das Mindeste, damit das Netzwerk wirksam bleibt?",
    ),
    "recommend_intro": (
        "The cheapest setting of the chosen levers that reaches the target in the share of "
        "runs you ask for, found by Optuna on common random numbers and checked on fresh "
        "runs (kommune optimize; docs/optimize.md).",
        "Die günstigste Einstellung der gewählten Stellschrauben, die das Ziel im "
        "gewünschten Anteil der Läufe erreicht; gesucht mit Optuna auf gemeinsamen "
        "Zufallszahlen und auf neuen Läufen geprüft (kommune optimize; docs/optimize.md).",
    ),
    "goal_threshold": ("Effectiveness at least", "Wirksamkeit mindestens"),
    "goal_share": ("in this share of runs", "in diesem Anteil der Läufe"),
    "goal_trials": ("settings to try", "Einstellungen zu prüfen"),
    "goal_cost": ("cost per unit", "Kosten je Einheit"),
    "goal_cost_default": ("as coordinator_hour_cost says", "laut coordinator_hour_cost"),
    "run_recommendation": ("Find the cheapest setting", "Günstigste Einstellung suchen"),
    "recommendation": ("Recommendation", "Empfehlung"),
    "front_missed": ("trial, target missed", "Versuch, Ziel verfehlt"),
    "front_reached": ("trial, reached", "Versuch, Ziel erreicht"),
    "front": ("front", "Front (günstigste je Anteil)"),
    "front_asked": ("share asked ({share})", "verlangter Anteil ({share})"),
    "front_recommended": ("recommended", "empfohlen"),
    "front_cost": ("cost", "Kosten"),
    "funded_hours": ("funded hours per month", "geförderte Stunden pro Monat"),
    "front_share": (
        "share of seeds with\n{indicator} {sign} {threshold}",
        "Anteil der Läufe mit\n{indicator} {sign} {threshold}",
    ),
    "recommend_cancelled": (
        "Cancelled; no recommendation.",
        "Abgebrochen; es gibt keine Empfehlung.",
    ),
    "download_recommended": ("Recommended scenario (TOML)", "Empfohlenes Szenario (TOML)"),
    "download_trials": ("All tried settings (CSV)", "Alle geprüften Einstellungen (CSV)"),
    "goal_text": (
        "{indicator} at least {threshold} in at least {share} of the runs",
        "{indicator} mindestens {threshold} in mindestens {share} der Läufe",
    ),
    "goal_reached": (
        "The cheapest setting found for {target}: {setting} (cost {cost} {unit}). On {runs} "
        "fresh runs it reached the target in {share} of them (95 % interval {low} to "
        "{high}); mean {mean}.",
        "Die günstigste gefundene Einstellung für {target}: {setting} (Kosten {cost} {unit}). "
        "In {runs} neuen Läufen erreichte sie das Ziel in {share} (95-%-Intervall {low} bis "
        "{high}); Mittelwert {mean}.",
    ),
    "goal_unreachable": (
        "No setting of the {trials} tried reaches {target}, not even the dearest; lower "
        "the target, widen the levers or add another.",
        "Keine der {trials} geprüften Einstellungen erreicht {target}, auch die teuerste "
        "nicht; senken Sie das Ziel, erweitern Sie die Stellschrauben oder nehmen Sie eine "
        "weitere hinzu.",
    ),
    "cut_share": ("share cut", "gekürzter Anteil"),
    "partner_kind": ("new partner", "neuer Partner"),
    "partner_carrier": ("a carrier", "ein Träger"),
    "partner_volunteer": ("a volunteer initiative", "eine ehrenamtliche Initiative"),
    "add_event": ("Add the event", "Ereignis hinzufügen"),
    "no_changes": ("no changes yet", "noch keine Änderungen"),
    "replications": ("Runs per scenario", "Läufe je Szenario"),
    "run_comparison": ("Run the comparison", "Vergleich starten"),
    "cancel": ("Cancel", "Abbrechen"),
    "cancelled": ("Cancelled; nothing was compared.", "Abgebrochen; es wurde nichts verglichen."),
    "runs_done": ("{done} of {total} runs", "{done} von {total} Läufen"),
    "result_for": (
        "{title}: effectiveness {value} against {reference}: {verdict}",
        "{title}: Wirksamkeit {value} gegenüber {reference}: {verdict}",
    ),
    "download_report": ("Report (HTML)", "Bericht (HTML)"),
    "download_excel": ("Report (Excel)", "Bericht (Excel)"),
    "download_scenarios": ("Scenario files (ZIP)", "Szenariodateien (ZIP)"),
    "download_runs_parquet": ("Runs (Parquet)", "Läufe (Parquet)"),
    "download_runs_csv": ("Runs (CSV)", "Läufe (CSV)"),
    "stale_result": (
        "The settings changed since this comparison; run it again to see their effect.",
        "Die Einstellungen haben sich seit diesem Vergleich geändert; starten Sie ihn neu, "
        "um ihre Wirkung zu sehen.",
    ),
    # the participatory room (sim.room)
    "room_title": (
        "Vernetzte Kommune: the room plays the network",
        "Vernetzte Kommune: Der Raum spielt das Netzwerk",
    ),
    "room_open": ("Open a room", "Raum öffnen"),
    "room_timer": ("Seconds per month", "Sekunden pro Monat"),
    "room_code": ("Room code", "Raumcode"),
    "room_enter": ("Enter", "Betreten"),
    "room_unknown": (
        "No room with this code on this server.",
        "Auf diesem Server gibt es keinen Raum mit diesem Code.",
    ),
    "room_join_at": ("Join at", "Mitmachen unter"),
    "room_your_name": ("Your name", "Ihr Name"),
    "room_join": ("Join", "Mitmachen"),
    "room_pick_role": (
        "Which member of the network do you play?",
        "Welches Mitglied des Netzwerks spielen Sie?",
    ),
    "room_no_roles": (
        "Every member is taken; ask the trainer.",
        "Alle Mitglieder sind vergeben; fragen Sie die Moderation.",
    ),
    "room_you_play": ("You play", "Sie spielen"),
    "room_situation": ("Your situation", "Ihre Lage"),
    "room_motivation": ("Motivation", "Motivation"),
    "room_hours": ("Hours this month", "Stunden in diesem Monat"),
    "room_last_month": (
        "Last month: meetings {meet} h, joint work {joint} h, own services {own} h",
        "Letzter Monat: Treffen {meet} h, gemeinsame Arbeit {joint} h, eigene Leistungen {own} h",
    ),
    "room_benefit": ("What joint work is worth to you", "Was Ihnen die gemeinsame Arbeit bringt"),
    "room_fairness": ("Partners matched your effort", "Partner zogen mit"),
    "room_partners": ("Closest partners", "Engste Partner"),
    "room_no_partners": ("none yet", "noch keine"),
    "room_funding": ("Funding against what you counted on", "Förderung gegenüber dem Erwarteten"),
    "room_competitors": ("Competitors in your field", "Konkurrenten in Ihrem Feld"),
    "room_meetings_due": ("Meetings this month", "Treffen in diesem Monat"),
    "room_no_meetings": ("none", "keine"),
    "room_decide": ("Your decision for month {month}", "Ihre Entscheidung für Monat {month}"),
    "room_share": (
        "Share of your free hours for joint work",
        "Anteil Ihrer freien Stunden für gemeinsame Arbeit",
    ),
    "room_attend": ("I go to the meetings", "Ich gehe zu den Treffen"),
    "room_release": ("free role", "Rolle freigeben"),
    "room_locked": (
        "Rooms are opened from the trainer's address that 'kommune room' shows in its "
        "terminal. Participants join at /mitmachen.",
        "Räume öffnet die Moderation über die Adresse, die 'kommune room' im Terminal "
        "zeigt. Teilnehmende machen unter /mitmachen mit.",
    ),
    "room_withhold": (
        "I keep information to myself (my competitors are at the table)",
        "Ich halte Informationen zurück (meine Konkurrenz sitzt mit am Tisch)",
    ),
    "room_step_back": ("I step back from the network", "Ich steige aus dem Netzwerk aus"),
    "room_submit": ("Decide", "Entscheiden"),
    "room_decided": (
        "Your decision stands. You may change it until the month runs.",
        "Ihre Entscheidung steht. Sie können sie ändern, bis der Monat läuft.",
    ),
    "room_left": (
        "Your member has left the network.",
        "Ihr Mitglied ist aus dem Netzwerk ausgetreten.",
    ),
    "room_seconds_left": ("{seconds} s left", "noch {seconds} s"),
    "room_paused": ("paused", "pausiert"),
    "room_finished": ("The run is over.", "Der Lauf ist zu Ende."),
    "room_start": ("Start the clock", "Uhr starten"),
    "room_pause": ("Pause", "Pause"),
    "room_next": ("Next month now", "Nächster Monat jetzt"),
    "room_people": ("Participants", "Teilnehmende"),
    "room_nobody": ("nobody has joined yet", "noch niemand dabei"),
    "room_no_role": ("no role yet", "noch keine Rolle"),
    "room_decided_mark": ("decided", "entschieden"),
    "room_waiting_mark": ("deciding", "entscheidet noch"),
    "room_side_room": ("The room's network", "Das Netzwerk des Raums"),
    "room_side_model": ("The model alone (same seed)", "Das Modell allein (gleicher Startwert)"),
    "played": ("played by", "gespielt von"),
    "debrief": ("Debrief", "Auswertung"),
    "task_contact": ("contact", "Kontaktpflege"),
    "task_translation": ("advantage translation", "Vorteilsübersetzung"),
    "task_moderation": ("moderation", "Moderation"),
    "task_transparency": ("transparency", "Transparenz"),
    "task_onboarding": ("network expansion", "Netzwerkerweiterung"),
    "task_roles": ("role clarification", "Rollenklärung"),
    "task_monitoring": ("impact orientation", "Wirkungsorientierung"),
    "room_coordinator_role": (
        "A person may play the coordinator",
        "Eine Person darf die Koordination spielen",
    ),
    "room_tasks": (
        "How your {hours} hours go to the seven tasks",
        "Wie Ihre {hours} Stunden auf die sieben Aufgaben gehen",
    ),
    "room_pinch": (
        "Where the shoe pinches (what the task's problem costs now)",
        "Wo der Schuh drückt (was das Problem der Aufgabe jetzt kostet)",
    ),
    "room_load": (
        "Your load (hours needed / hours you have)",
        "Ihre Auslastung (benötigte / vorhandene Stunden)",
    ),
    "room_acceptance": (
        "Members accept you as broker",
        "Die Mitglieder akzeptieren Sie als Mittler",
    ),
    "debrief_course": (
        "The room's network and the model alone",
        "Das Netzwerk des Raums und das Modell allein",
    ),
    "debrief_players": (
        "Each player against the model's rule",
        "Jede Person gegenüber der Regel des Modells",
    ),
    "debrief_moments": (
        "The moments that changed the course",
        "Die Momente, die den Verlauf änderten",
    ),
    "debrief_gave": (
        "{name} gave {share} where the rule would have given {rule}",
        "{name} gab {share}, wo die Regel {rule} gegeben hätte",
    ),
    "debrief_stepped_back": ("{name} stepped back", "{name} stieg aus"),
    "debrief_none": (
        "Nothing to show yet: play a month first.",
        "Noch nichts zu zeigen: erst einen Monat spielen.",
    ),
    "debrief_columns": (
        "participant|member|months decided|share of free hours|the rule's share|"
        "came to the meetings|the rule's chance of coming|stepped back|"
        "the rule's chance of leaving|months information kept back",
        "Person|Mitglied|Monate entschieden|Anteil freier Stunden|Anteil nach der Regel|"
        "zu den Treffen gekommen|Chance nach der Regel|ausgestiegen|"
        "Chance auszusteigen nach der Regel|Monate Informationen zurückgehalten",
    ),
    "room_not_yours": (
        "Room {code} is steered from the page that opened it. Participants join at "
        "/mitmachen?raum={code}.",
        "Raum {code} wird von der Seite gesteuert, die ihn geöffnet hat. Teilnehmende "
        "machen unter /mitmachen?raum={code} mit.",
    ),
    "debrief_moved": ("gap moved by {moved} points", "Abstand um {moved} Punkte verändert"),
    "debrief_excel": ("Debrief (Excel)", "Auswertung (Excel)"),
    "yes": ("yes", "ja"),
    "no": ("no", "nein"),
    "room_log": ("Decisions (Parquet)", "Entscheidungen (Parquet)"),
    "room_rule_note": (
        "A month runs when everyone has decided or the time is up; whoever has not "
        "decided gets the model's own rule. The model's agents play every member nobody "
        "took. B runs the same network from the same seed with the model alone.",
        "Ein Monat läuft, wenn alle entschieden haben oder die Zeit um ist; wer nicht "
        "entschieden hat, handelt nach der Regel des Modells. Die Agenten des Modells "
        "spielen jedes Mitglied, das niemand übernommen hat. B ist dasselbe Netzwerk mit "
        "demselben Startwert, nur mit dem Modell.",
    ),
}

READING: dict[str, str] = {
    "en": (
        "Every scenario ran {runs} times with the same {runs} random seeds (common random "
        "numbers). Runs of one seed still part ways within a few years, so a difference "
        "carries luck as well as the scenarios; its interval says how much of it could be "
        "luck. Each value is the "
        "mean over the runs of the final year (the last {final} months of a {months}-month run); "
        "the interval is its 95 % confidence interval. A difference is called better or "
        "worse only when its 95 % interval lies entirely on one side of zero and it is at "
        "least as large as the indicator's resolution (0.01 for shares); otherwise there is "
        "no clear difference. Indicators without a better direction (meeting hours, "
        "coordination hours, coordinator load, funding concentration) are called higher or "
        "lower. The model shows how mechanisms play out under stated assumptions "
        "(docs/ODD.md); it is not a forecast for a particular municipality."
    ),
    "de": (
        "Jedes Szenario lief {runs}-mal mit denselben {runs} Zufallszahlen-Startwerten "
        "(gemeinsame Zufallszahlen). Läufe mit demselben Startwert gehen dennoch innerhalb "
        "weniger Jahre auseinander, deshalb trägt ein Unterschied Zufall wie Szenario in "
        "sich; sein Intervall sagt, wie viel davon Zufall sein kann. Jeder Wert ist der "
        "Mittelwert über die Läufe für das letzte Jahr (die "
        "letzten {final} Monate eines Laufs über {months} Monate); das Intervall ist sein "
        "95-%-Konfidenzintervall. Ein Unterschied heißt besser oder schlechter nur, wenn sein "
        "95-%-Intervall ganz auf einer Seite der Null liegt und er mindestens so groß ist wie "
        "die Auflösung des Indikators (0,01 bei Anteilen); sonst gibt es keinen klaren "
        "Unterschied. Indikatoren ohne bessere Richtung (Sitzungsstunden, "
        "Koordinationsstunden, Auslastung, Konzentration der Förderung) heißen höher oder "
        "niedriger. Das Modell zeigt, wie Mechanismen unter den genannten Annahmen "
        "zusammenwirken (docs/ODD.md); es ist keine Vorhersage für eine bestimmte Kommune."
    ),
}


def t(key: str, lang: str) -> str:
    en, de = TEXT[key]
    return de if lang == "de" else en


def number(text: str, lang: str) -> str:
    """A formatted number as its readers write it: a decimal comma in German (0,49)."""
    return text.replace(".", ",") if lang == "de" else text


def percent(share: float, lang: str) -> str:
    """A share as a whole percentage: "45%" in English, "45 %" in German (DIN 5008)."""
    return f"{share:.0%}".replace("%", " %") if lang == "de" else f"{share:.0%}"
