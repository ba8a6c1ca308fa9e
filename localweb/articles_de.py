"""German pages: the translation of the story, follow-ups, a list page, a 404 and noise.

All texts are original prose written for this test web.
"""

from __future__ import annotations

from localweb.model import Page

# Faithful German translation of the French source article (every name and number kept).
TRANSLATION_PARAGRAPHS: tuple[str, ...] = (
    "Seit zwei Wochen beherrscht ein junges chinesisches Unternehmen die Gespräche im Silicon "
    "Valley. DeepSeek mit Sitz in Hangzhou hat am 20. Januar 2025 sein Reasoning-Modell "
    "DeepSeek-R1 vorgestellt, das mehreren Tests zufolge mit den besten amerikanischen "
    "Systemen mithalten kann. Forscher, Firmenchefs und Investoren kommentieren, was wie ein "
    "Wendepunkt aussieht.",
    "Die Zahl, die am meisten Aufsehen erregte, betrifft ein früheres Modell: Laut dem "
    "technischen Bericht von DeepSeek kostete das abschließende Training von DeepSeek-V3 rund "
    "5,6 Millionen Dollar an Rechenleistung – eine verschwindend geringe Summe neben den "
    "Hunderten Millionen, die amerikanische Labore aufwenden. Dieser Betrag umfasst "
    "allerdings weder die vorausgegangene Forschung noch die Gehälter oder den Kauf der Chips.",
    "Sam Altman, der Chef von OpenAI, würdigte die Leistung selbst. Im Netzwerk X "
    "bezeichnete er R1 als „beeindruckendes“ Modell, vor allem angesichts seiner Kosten, "
    "versprach aber zugleich „viel bessere Modelle“.",
    "Für Andrew Ng, Gründer von DeepLearning.AI und früherer Leiter von Google Brain, "
    "zeigt die Episode vor allem die Lebendigkeit von Open Source. Seiner Meinung nach "
    "senkt der Wettbewerb zwischen offenen Modellen die Preise – zum Vorteil von "
    "Entwicklern auf der ganzen Welt.",
    "Yann LeCun, KI-Chefwissenschaftler bei Meta, äußerte sich ähnlich: Seiner Ansicht nach "
    "ist der Erfolg von DeepSeek kein Sieg Chinas über die Vereinigten Staaten, sondern ein "
    "Sieg offener Modelle über proprietäre. DeepSeek habe von veröffentlichter Forschung und "
    "freien Werkzeugen wie Llama von Meta profitiert und veröffentliche seinerseits seine "
    "Arbeiten.",
    "Die Märkte reagierten weniger gelassen. Am 27. Januar 2025 brach die Nvidia-Aktie an "
    "einem einzigen Handelstag um fast 17 Prozent ein und verlor rund 590 Milliarden Dollar an "
    "Börsenwert – der größte Verlust, der an der Wall Street je verzeichnet wurde. Anleger "
    "fragen sich, ob die Nachfrage nach Hochleistungschips so stark bleibt.",
    "Hinter DeepSeek steht eine zurückhaltende Persönlichkeit: Liang Wenfeng. Der Absolvent "
    "der Zhejiang-Universität gründete zunächst High-Flyer mit, einen quantitativen "
    "Hedgefonds mit Sitz in Hangzhou, der das 2023 gegründete Start-up bis heute finanziert. "
    "Er gibt nur wenige Interviews, betont aber immer wieder, dass sein Ziel "
    "Grundlagenforschung sei und nicht kurzfristige Rentabilität.",
    "Bleibt eine Frage: Hat DeepSeek ein dauerhaftes Erfolgsrezept gefunden oder nur von einem "
    "Überraschungseffekt profitiert? Die kommenden Monate und die Antwort der amerikanischen "
    "Konzerne werden zeigen, ob dieses Start-up die Karten der künstlichen Intelligenz "
    "wirklich neu gemischt hat.",
)

PAGES: tuple[Page, ...] = (
    # (c) faithful German translation of the source
    Page(
        outlet="abendpost",
        path="/2025/02/05/was-die-grossen-namen-der-ki-ueber-deepseek-sagen.html",
        title="Was die großen Namen der KI über DeepSeek sagen",
        language="de",
        published="2025-02-05T07:00:00+01:00",
        author="Übersetzung: Ressort Digitales",
        paragraphs=TRANSLATION_PARAGRAPHS,
        expect="source_copy",
    ),
    Page(
        outlet="abendpost",
        path="/2025/01/28/deepseek-schock-nvidia-verliert-fast-600-milliarden-dollar.html",
        title="DeepSeek-Schock: Nvidia verliert an einem Tag fast 600 Milliarden Dollar",
        language="de",
        published="2025-01-28T06:50:00+01:00",
        author="Henrik Albers",
        paragraphs=(
            "Ein chinesisches KI-Modell hat am Montag die Technologiebörsen weltweit "
            "erschüttert. Die Aktie des US-Chipkonzerns Nvidia brach um 17 Prozent ein, rund "
            "589 Milliarden Dollar Börsenwert lösten sich in Luft auf – so viel wie noch nie bei "
            "einem einzelnen Unternehmen an einem Tag. Auslöser war der Höhenflug des Start-ups "
            "DeepSeek aus Hangzhou.",
            "DeepSeek hatte vor einer Woche sein Modell R1 vorgestellt, das bei Mathematik- und "
            "Programmieraufgaben mit dem Spitzenmodell o1 von OpenAI mithalten soll. Am "
            "Wochenende stieg die kostenlose App des Unternehmens an die Spitze der "
            "Download-Charts in den USA. Besonders beunruhigte Anleger die Angabe, das Training "
            "des Vorgängermodells V3 habe nur etwa 5,6 Millionen Dollar gekostet.",
            "Auch in Deutschland gerieten Werte unter Druck, die vom KI-Boom profitiert hatten. "
            "Siemens Energy, das unter anderem Rechenzentren mit Stromtechnik beliefert, verlor "
            "fast ein Fünftel seines Wertes. Der Dax schloss dagegen nur rund ein halbes Prozent "
            "im Minus.",
            "Analysten sind uneins, wie dauerhaft der Schaden ist. Manche sehen in effizienteren "
            "Modellen eine Gefahr für die milliardenschweren Investitionspläne der Tech-Konzerne. "
            "Andere verweisen darauf, dass billigere KI die Nutzung insgesamt ausweiten und "
            "damit langfristig sogar mehr Rechenleistung erfordern könnte.",
            "Nvidia selbst bezeichnete DeepSeek als exzellenten Fortschritt in der KI und "
            "betonte, dass auch der Betrieb solcher Modelle zahlreiche Grafikprozessoren "
            "benötige. Im vorbörslichen Handel am Dienstag erholte sich die Aktie leicht.",
        ),
        expect="followup",
    ),
    Page(
        outlet="abendpost",
        path="/2025/02/06/deutsche-datenschuetzer-nehmen-deepseek-unter-die-lupe.html",
        title="Deutsche Datenschützer nehmen DeepSeek unter die Lupe",
        language="de",
        published="2025-02-06T13:25:00+01:00",
        author="Katrin Vogt",
        paragraphs=(
            "Nach Italien und Irland befassen sich auch deutsche Datenschutzbehörden mit der "
            "chinesischen KI-Anwendung DeepSeek. Mehrere Landesbehörden haben angekündigt, den "
            "Umgang des Dienstes mit personenbezogenen Daten zu prüfen, und raten Nutzern bis "
            "dahin zur Zurückhaltung.",
            "Im Mittelpunkt steht die Frage, wohin die Eingaben der Nutzer fließen. Laut seiner "
            "Datenschutzerklärung speichert DeepSeek Daten wie Chatverläufe, Geräteinformationen "
            "und sogar Tastatureingabemuster auf Servern in der Volksrepublik China. Ein "
            "angemessenes Datenschutzniveau im Sinne der DSGVO sei dort nicht gewährleistet, "
            "heißt es aus Behördenkreisen.",
            "Zudem hat DeepSeek keinen Vertreter in der Europäischen Union benannt, wie es die "
            "Datenschutz-Grundverordnung für Anbieter aus Drittstaaten vorschreibt. Dadurch kann "
            "jede nationale Aufsichtsbehörde selbst tätig werden, statt die Zuständigkeit an "
            "eine federführende Behörde abzugeben.",
            "Unternehmen empfehlen Fachleute, die App nicht auf Dienstgeräten zu installieren. "
            "Wer das Modell DeepSeek-R1 dennoch nutzen möchte, kann auf die frei verfügbaren "
            "Gewichte zurückgreifen und es auf eigenen Servern oder bei europäischen "
            "Cloud-Anbietern betreiben. Dann verlassen die Daten den eigenen Rechtsraum nicht.",
            "Auch das Bundesamt für Sicherheit in der Informationstechnik beobachtet die "
            "Entwicklung nach eigenen Angaben genau. Eine formelle Warnung vor DeepSeek gibt es "
            "bislang allerdings nicht.",
        ),
        expect="followup",
    ),
    Page(
        outlet="abendpost",
        path="/2025/03/03/was-der-deepseek-effekt-fuer-den-mittelstand-bedeutet.html",
        title="Was der DeepSeek-Effekt für den Mittelstand bedeutet",
        language="de",
        published="2025-03-03T08:00:00+01:00",
        author="Henrik Albers",
        paragraphs=(
            "Sechs Wochen nach dem Start von DeepSeek-R1 stellt sich für viele mittelständische "
            "Unternehmen eine praktische Frage: Macht das chinesische Modell künstliche "
            "Intelligenz für sie erschwinglicher? Eine Umfrage des Wirtschaftsverbands "
            "Rhein-Ruhr unter 312 Betrieben zeigt, dass das Interesse groß, die Skepsis aber "
            "ebenso ausgeprägt ist.",
            "Gut ein Drittel der befragten Firmen gibt an, sich seit Ende Januar mit DeepSeek "
            "beschäftigt zu haben. Vor allem die niedrigen Preise der Programmierschnittstelle "
            "und die Möglichkeit, das Modell auf eigener Hardware zu betreiben, werden als "
            "Vorteile genannt. Nur vier Prozent setzen es bereits produktiv ein.",
            "„Für uns ist spannend, dass wir die Gewichte herunterladen und im eigenen "
            "Rechenzentrum laufen lassen können“, sagt Jana Reuter, IT-Leiterin eines "
            "Maschinenbauers aus Solingen mit 450 Beschäftigten. Ihr Team testet eine "
            "verkleinerte, destillierte Variante von DeepSeek-R1 für die Auswertung technischer "
            "Dokumentationen.",
            "Gleichzeitig bremsen Datenschutz- und Sicherheitsbedenken. Mehr als die Hälfte der "
            "Betriebe schließt die Nutzung der chinesischen App aus. Auch die Frage, wie die "
            "Modelle mit politisch heiklen Themen umgehen, spielt bei Unternehmen mit "
            "internationaler Kundschaft eine Rolle.",
            "Fachleute sehen den wichtigsten Effekt ohnehin woanders: Der Preisdruck, den "
            "DeepSeek ausgelöst hat, erreicht auch die amerikanischen und europäischen Anbieter. "
            "Mehrere haben ihre Tarife bereits gesenkt – davon profitieren Mittelständler "
            "unabhängig davon, welches Modell sie am Ende wählen.",
        ),
        expect="followup",
    ),
    Page(
        outlet="abendpost",
        path="/2025/02/21/auenbach-investiert-zwoelf-millionen-euro-in-neue-deiche.html",
        title="Hochwasserschutz: Auenbach investiert zwölf Millionen Euro in neue Deiche",
        language="de",
        published="2025-02-21T15:10:00+01:00",
        author="Katrin Vogt",
        paragraphs=(
            "Die Stadt Auenbach am Rhein will ihren Hochwasserschutz in den nächsten vier Jahren "
            "grundlegend erneuern. Der Stadtrat hat am Donnerstagabend mit großer Mehrheit ein "
            "Programm über zwölf Millionen Euro beschlossen, von denen das Land rund 70 Prozent "
            "übernimmt.",
            "Kernstück ist die Erhöhung und Verbreiterung des 2,8 Kilometer langen Deichs "
            "zwischen dem Hafen und dem Ortsteil Niederau. Der Damm stammt in Teilen noch aus "
            "den 1950er-Jahren und entspricht nach einem Gutachten nicht mehr den Anforderungen "
            "an ein hundertjährliches Hochwasser.",
            "Zusätzlich sollen mobile Schutzwände für die Altstadt angeschafft werden, die bei "
            "steigenden Pegeln innerhalb weniger Stunden aufgebaut werden können. Die Feuerwehr "
            "wird dafür eigens geschult.",
            "Anwohner hatten nach den Überschwemmungen im Frühjahr 2024, als der Pegel in "
            "Auenbach auf 7,42 Meter stieg, schnellere Maßnahmen gefordert. Mehrere Keller in der "
            "Uferstraße standen damals unter Wasser.",
            "Kritik kommt von Naturschutzverbänden, die einen Teil der geplanten Rodungen am Ufer "
            "ablehnen. Die Stadt verspricht Ersatzpflanzungen und will zusätzlich eine Auenfläche "
            "von acht Hektar renaturieren, die bei Hochwasser gezielt überflutet werden kann. "
            "Baubeginn ist für den Herbst geplant.",
        ),
        expect="off_topic",
    ),
    Page(
        outlet="abendpost",
        path="/2025/03/02/eishockey-auenbacher-falken-sichern-sich-heimrecht.html",
        title="Eishockey: Auenbacher Falken sichern sich Heimrecht in den Play-offs",
        language="de",
        published="2025-03-02T19:45:00+01:00",
        author="Timo Brandt",
        paragraphs=(
            "Die Auenbacher Falken haben am Sonntagabend das Heimrecht für die erste "
            "Play-off-Runde der Oberliga West perfekt gemacht. Vor 3150 Zuschauern in der "
            "ausverkauften Rheinhalle gewann das Team von Trainer Mikko Lahtinen mit 4:2 gegen "
            "die Eisbären Lennetal.",
            "Lange sah es nach einem zähen Abend aus. Die Gäste gingen im ersten Drittel durch "
            "einen Überzahltreffer in Führung, und Falken-Torhüter Jonas Pohl musste mehrfach "
            "stark parieren. Erst Mitte des zweiten Abschnitts glich Kapitän Dennis Kowalski mit "
            "einem Schlagschuss von der blauen Linie aus.",
            "Im Schlussdrittel drehten die Falken auf. Neuzugang Erik Sandström traf zweimal "
            "innerhalb von vier Minuten, den Anschlusstreffer der Gäste beantwortete Luca "
            "Hoffmann 40 Sekunden vor Schluss mit einem Schuss ins leere Tor.",
            "Mit 98 Punkten beenden die Falken die Hauptrunde auf dem dritten Platz, ihre beste "
            "Platzierung seit sieben Jahren. Gegner im Viertelfinale ist der Tabellensechste aus "
            "Grünstadt; die Serie beginnt am Freitag in Auenbach.",
            "„Die Mannschaft hat heute gezeigt, dass sie auch nach Rückständen ruhig bleibt“, "
            "sagte Lahtinen nach dem Spiel. Karten für das erste Heimspiel der Serie sind ab "
            "Montag an der Hallenkasse und im Internet erhältlich.",
        ),
        expect="off_topic",
        in_feed=False,
    ),
    Page(
        outlet="abendpost",
        path="/2024/08/01/ki-verordnung-tritt-in-kraft-was-unternehmen-wissen-muessen.html",
        title="KI-Verordnung tritt in Kraft: Was Unternehmen jetzt wissen müssen",
        language="de",
        published="2024-08-01T09:00:00+02:00",
        author="Katrin Vogt",
        paragraphs=(
            "An diesem Donnerstag tritt die europäische KI-Verordnung in Kraft. Das weltweit "
            "erste umfassende Gesetz zur Regulierung künstlicher Intelligenz wurde im Mai von "
            "den EU-Staaten endgültig gebilligt und im Juli im Amtsblatt veröffentlicht. Seine "
            "Pflichten greifen allerdings schrittweise.",
            "Bereits nach sechs Monaten, also ab Februar 2025, sind bestimmte Praktiken "
            "verboten, etwa das sogenannte Social Scoring oder die Emotionserkennung am "
            "Arbeitsplatz. Ab August 2025 gelten Regeln für Anbieter großer KI-Modelle mit "
            "allgemeinem Verwendungszweck. Die meisten Vorgaben für Hochrisiko-Systeme werden "
            "erst im August 2026 verbindlich.",
            "Unternehmen sollten die Zeit nutzen, um zu erfassen, welche KI-Anwendungen sie "
            "einsetzen und in welche Risikoklasse diese fallen, raten Juristen. Wer etwa "
            "Software zur Bewerberauswahl nutzt, bewegt sich im Hochrisikobereich und muss "
            "künftig Dokumentations- und Aufsichtspflichten erfüllen.",
            "Bei Verstößen drohen empfindliche Strafen: bis zu 35 Millionen Euro oder sieben "
            "Prozent des weltweiten Jahresumsatzes bei verbotenen Praktiken. In Deutschland soll "
            "die Bundesnetzagentur als zentrale Aufsichtsbehörde fungieren; ein entsprechendes "
            "Gesetz steht noch aus.",
            "Wirtschaftsverbände warnen vor zusätzlicher Bürokratie, Verbraucherschützer "
            "begrüßen dagegen klare Regeln. Einig sind sich beide Seiten, dass viel von den "
            "Leitlinien abhängt, die die EU-Kommission noch vorlegen muss.",
        ),
        expect="too_old",
    ),
    Page(
        outlet="abendpost",
        path="/tech/archives.html",
        title="Archiv Digitales: alle Artikel im Überblick",
        language="de",
        published="2025-02-10T00:05:00+01:00",
        author="Rheinische Abendpost",
        paragraphs=(
            "Hier finden Sie alle Beiträge unseres Ressorts Digitales der vergangenen Wochen, "
            "nach Datum sortiert.",
        ),
        expect="not_article",
    ),
    Page(
        outlet="abendpost",
        path="/2025/02/12/deepseek-was-wir-wissen-und-was-nicht.html",
        title="DeepSeek: Was wir bisher wissen – und was nicht",
        language="de",
        published="2025-02-12T10:00:00+01:00",
        author="Ressort Digitales",
        paragraphs=(
            "Ein Überblick über die wichtigsten Fragen rund um das chinesische KI-Start-up "
            "DeepSeek.",
        ),
        expect="http_404",
    ),
)

#: Pages that belong to general news sections rather than to ``/tech/``.
GENERAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("abendpost", "/2025/02/21/auenbach-investiert-zwoelf-millionen-euro-in-neue-deiche.html"),
        ("abendpost", "/2025/03/02/eishockey-auenbacher-falken-sichern-sich-heimrecht.html"),
    }
)
