"""Articles about something else that name DeepSeek once, in passing (expect="mention")."""

from __future__ import annotations

from localweb.model import Page

PAGES: tuple[Page, ...] = (
    Page(
        outlet="circuitledger",
        path="/2025/02/27/nvidia-beats-forecasts-as-blackwell-sales-climb.html",
        title="Nvidia beats forecasts as Blackwell sales climb",
        language="en",
        published="2025-02-27T06:15:00+00:00",
        author="Dana Whitfield",
        paragraphs=(
            "Nvidia reported fourth-quarter revenue of 39.3 billion dollars on Wednesday, a rise of 78 percent "
            "from a year earlier, as cloud providers kept buying its newest accelerators faster than the company "
            "could ship them. Data centre sales alone reached 35.6 billion dollars.",
            "The chipmaker guided for revenue of about 43 billion dollars in the current quarter, slightly above "
            "the average analyst estimate. Gross margins narrowed by roughly three points as the Blackwell "
            "generation ramped up, and chief financial officer Colette Kress said they would recover later in the "
            "year once production yields improve.",
            "Executives spent much of the call on networking equipment, on sovereign computing projects in Europe "
            "and the Gulf, and on the pace of orders from the largest internet companies, which together plan to "
            "spend well over 300 billion dollars on infrastructure this year.",
            "Asked whether cheaper models such as DeepSeek's would reduce demand, chief executive Jensen Huang "
            "said reasoning systems need far more computing power when they answer, not less, and that inference "
            "would soon be the larger part of the market.",
            "The company also announced that its automotive business had doubled in a year, helped by new "
            "partnerships with carmakers in Japan and Germany, and said it would raise its investment in "
            "robotics. Shares moved little in extended trading after a volatile month for semiconductor stocks.",
        ),
        expect="mention",
    ),
    Page(
        outlet="abendpost",
        path="/2025/02/12/mistral-will-in-europa-rechenzentren-bauen.html",
        title="Mistral will in Europa eigene Rechenzentren bauen",
        language="de",
        published="2025-02-12T14:20:00+01:00",
        author="Katrin Oberländer",
        paragraphs=(
            "Das französische Unternehmen Mistral AI plant den Bau eigener Rechenzentren in Europa. Ein erster "
            "Standort in der Nähe von Paris soll im kommenden Jahr in Betrieb gehen, wie Firmenchef Arthur Mensch "
            "am Rande des KI-Gipfels in der französischen Hauptstadt ankündigte.",
            "Die Anlage soll mit Strom aus Kernkraft betrieben werden und zunächst rund 18.000 Grafikprozessoren "
            "beherbergen. Mistral wolle damit unabhängiger von amerikanischen Cloud-Anbietern werden und Kunden "
            "aus Verwaltung und Industrie Daten-Souveränität garantieren, hieß es.",
            "Die französische Regierung hatte zuvor Investitionszusagen in Höhe von insgesamt 109 Milliarden Euro "
            "für die Infrastruktur künstlicher Intelligenz im Land vorgestellt. Daran beteiligen sich Fonds aus "
            "den Vereinigten Arabischen Emiraten, Kanada und den Vereinigten Staaten.",
            "Branchenbeobachter sehen in der Ankündigung auch eine Reaktion auf den wachsenden Wettbewerb. "
            "Spätestens seit dem Erfolg von DeepSeek sei klar, dass auch kleinere Labore mit begrenzten Mitteln "
            "konkurrenzfähige Modelle bauen können, sagte ein Analyst aus Frankfurt.",
            "Mistral beschäftigt nach eigenen Angaben inzwischen mehr als 150 Menschen und hat zuletzt einen "
            "Vertrag mit der Nachrichtenagentur AFP über die Nutzung von Agenturmeldungen geschlossen. Weitere "
            "Partnerschaften mit europäischen Konzernen sollen in den kommenden Wochen folgen.",
        ),
        expect="mention",
    ),
)

#: Both are business and technology news: listed on /tech/.
GENERAL: frozenset[tuple[str, str]] = frozenset()
