"""French pages: the story's source article, its verbatim copy, follow-ups and noise.

All texts are original prose written for this test web.
"""

from __future__ import annotations

from localweb.model import Page

SOURCE_OUTLET = "lecourrier"
SOURCE_PATH = "/2025/02/03/ce-que-disent-les-grands-noms-de-l-ia-a-propos-de-deepseek.html"
SOURCE_TITLE = "Ce que disent les grands noms de l'IA à propos de DeepSeek"

SOURCE_PARAGRAPHS: tuple[str, ...] = (
    "Depuis deux semaines, une jeune entreprise chinoise occupe toutes les conversations "
    "de la Silicon Valley. DeepSeek, installée à Hangzhou, a présenté le 20 janvier 2025 "
    "son modèle de raisonnement DeepSeek-R1, capable selon plusieurs tests de rivaliser avec "
    "les meilleurs systèmes américains. Chercheurs, patrons et investisseurs commentent ce "
    "qui ressemble à un tournant.",
    "Le chiffre qui a le plus frappé concerne un modèle antérieur : selon le rapport "
    "technique de DeepSeek, l'entraînement final de DeepSeek-V3 a coûté environ 5,6 millions "
    "de dollars en puissance de calcul, une somme dérisoire face aux centaines de millions "
    "engagés par les laboratoires américains. Ce montant n'inclut toutefois ni la recherche "
    "préalable, ni les salaires, ni l'achat des puces.",
    "Sam Altman, le patron d'OpenAI, a lui-même salué la performance. Sur le réseau X, il"
    " a qualifié R1 de modèle « impressionnant », surtout au regard de son coût, tout en "
    "promettant « de bien meilleurs modèles ».",
    "Pour Andrew Ng, fondateur de DeepLearning.AI et ancien responsable de Google Brain, "
    "l'épisode montre surtout la vitalité de l'open source. Selon lui, la concurrence "
    "entre modèles ouverts fait baisser les prix, au bénéfice des développeurs du monde "
    "entier.",
    "Yann LeCun, scientifique en chef de l'IA chez Meta, a tenu un discours proche : selon "
    "lui, le succès de DeepSeek n'est pas une victoire de la Chine sur les États-Unis, mais "
    "celle des modèles ouverts sur les modèles propriétaires. DeepSeek a profité de la "
    "recherche publiée et d'outils libres comme Llama, de Meta, et publie à son tour ses "
    "travaux.",
    "Les marchés ont réagi avec moins de sérénité. Le 27 janvier 2025, l'action Nvidia a "
    "chuté de près de 17 % en une séance, effaçant quelque 590 milliards de dollars de "
    "capitalisation, la plus forte perte jamais enregistrée à Wall Street. Les investisseurs "
    "se demandent si la demande de puces haut de gamme restera aussi forte.",
    "Derrière DeepSeek se trouve un personnage discret, Liang Wenfeng. Ce diplômé de "
    "l'université du Zhejiang a d'abord cofondé High-Flyer, un fonds spéculatif quantitatif "
    "basé à Hangzhou, qui finance toujours la start-up créée en 2023. Il accorde peu "
    "d'entretiens, mais répète que son objectif est la recherche fondamentale plutôt que la "
    "rentabilité immédiate.",
    "Reste une question : DeepSeek a-t-il trouvé une recette durable ou seulement bénéficié "
    "d'un effet de surprise ? Les prochains mois, et la riposte des géants américains, "
    "diront si cette start-up a réellement redistribué les cartes de l'intelligence "
    "artificielle.",
)

# Wire story "wire-2": a French-language dispatch of Meridian Wire, carried by two
# other outlets with the same body.
_WIRE2_PARAGRAPHS: tuple[str, ...] = (
    "L'autorité italienne de protection des données personnelles, le Garante, a ordonné "
    "jeudi 30 janvier le blocage de l'application de la start-up chinoise DeepSeek en "
    "Italie, avec effet immédiat.",
    "Le régulateur explique avoir adressé deux jours plus tôt une série de questions aux "
    "sociétés Hangzhou DeepSeek Artificial Intelligence et Beijing DeepSeek Artificial "
    "Intelligence, qui éditent le service. Il voulait savoir quelles données personnelles "
    "étaient collectées, à quelles fins, sur quelle base juridique et si elles étaient "
    "stockées en Chine.",
    "Selon le Garante, les réponses fournies ont été jugées « totalement insuffisantes ». "
    "Les deux entreprises auraient notamment affirmé ne pas exercer d'activité en Italie et "
    "ne pas être soumises à la législation européenne, une position que l'autorité conteste.",
    "L'application DeepSeek n'apparaissait déjà plus depuis la veille dans les boutiques "
    "d'Apple et de Google en Italie. Le régulateur a par ailleurs ouvert une enquête, qui "
    "pourrait déboucher sur une sanction financière.",
    "Le Garante n'en est pas à son coup d'essai : en mars 2023, il avait temporairement "
    "interdit ChatGPT, le robot conversationnel d'OpenAI, avant d'autoriser son retour après "
    "des modifications. En décembre 2024, il a infligé une amende de 15 millions d'euros à "
    "OpenAI.",
    "Lancé le 20 janvier, le modèle R1 de DeepSeek a propulsé l'application en tête des "
    "téléchargements dans de nombreux pays, suscitant des inquiétudes sur la sécurité des "
    "données et sur la censure de certaines réponses.",
)

_WIRE2_PATH = "/2025/01/30/l-italie-bloque-l-application-deepseek.html"

PAGES: tuple[Page, ...] = (
    Page(
        outlet=SOURCE_OUTLET,
        path=SOURCE_PATH,
        title=SOURCE_TITLE,
        language="fr",
        published="2025-02-03T09:15:00+01:00",
        author="Claire Vasseur",
        paragraphs=SOURCE_PARAGRAPHS,
        expect="story_source",
    ),
    # (a) verbatim republication on the French-language edition of a Vietnamese paper
    Page(
        outlet="songhong",
        path="/2025/02/04/ce-que-disent-les-grands-noms-de-l-ia-a-propos-de-deepseek.html",
        title="Revue de presse – Ce que disent les grands noms de l'IA à propos de DeepSeek",
        language="fr",
        published="2025-02-04T14:00:00+07:00",
        author="Rédaction francophone",
        paragraphs=SOURCE_PARAGRAPHS
        + ("Source : Le Courrier du Numérique, article publié le 3 février 2025.",),
        expect="source_copy",
    ),
    Page(
        outlet="lecourrier",
        path="/2025/01/28/deepseek-fait-trembler-les-valeurs-technologiques-europeennes.html",
        title="DeepSeek fait trembler les valeurs technologiques européennes",
        language="fr",
        published="2025-01-28T07:45:00+01:00",
        author="Julien Marchetti",
        paragraphs=(
            "La secousse venue de Chine a traversé l'Atlantique en quelques heures. Lundi 27 "
            "janvier, les résultats de la start-up DeepSeek, qui affirme avoir entraîné un "
            "modèle d'intelligence artificielle très performant à bas coût, ont fait chuter "
            "les valeurs liées aux semi-conducteurs et à l'énergie, à Paris comme à Amsterdam.",
            "Le néerlandais ASML, fournisseur incontournable des machines de lithographie, a "
            "cédé plus de 7 % dans la journée. À Paris, Schneider Electric, qui mise beaucoup "
            "sur l'équipement des centres de données, a perdu près de 10 %. Les investisseurs "
            "ont brusquement réévalué un besoin d'infrastructures que l'on croyait illimité.",
            "« Le marché avait intégré un scénario où chaque nouvelle génération de modèles "
            "exigeait toujours plus de puces et d'électricité, explique une gérante de "
            "portefeuille parisienne. DeepSeek vient semer le doute sur cette équation, même "
            "si rien n'est encore démontré. »",
            "Aux États-Unis, la journée a été encore plus brutale pour Nvidia, dont le titre a "
            "reculé de près de 17 %. Le Nasdaq a perdu environ 3 % à la clôture. Les sociétés "
            "de services numériques, qui pourraient au contraire profiter de modèles moins "
            "chers, ont mieux résisté.",
            "Mardi matin, un léger rebond se dessinait sur la plupart des valeurs touchées. "
            "Plusieurs analystes jugent la réaction excessive : ils rappellent que le coût "
            "annoncé par DeepSeek ne couvre qu'une partie des dépenses réelles et que l'usage "
            "massif de ces modèles exigera, lui, beaucoup de capacités de calcul.",
            "Le débat ne fait que commencer. Les publications de résultats des géants du "
            "numérique, attendues dans les prochains jours, devraient indiquer si leurs plans "
            "d'investissement dans l'IA sont remis en question par l'irruption de DeepSeek.",
        ),
        expect="followup",
    ),
    Page(
        outlet="lecourrier",
        path="/2025/01/31/la-cnil-va-interroger-deepseek.html",
        title="La CNIL va interroger DeepSeek sur le traitement des données personnelles",
        language="fr",
        published="2025-01-31T16:20:00+01:00",
        author="Sophie Le Gall",
        paragraphs=(
            "La Commission nationale de l'informatique et des libertés (CNIL) s'intéresse à "
            "son tour à DeepSeek. L'autorité française a indiqué cette semaine qu'elle allait "
            "adresser des questions à la start-up chinoise afin de comprendre comment "
            "fonctionne son assistant conversationnel et ce qu'il advient des données des "
            "utilisateurs.",
            "L'application de DeepSeek, gratuite, s'est hissée en quelques jours en tête des "
            "téléchargements dans plusieurs pays, dont la France. Sa politique de "
            "confidentialité précise que les informations collectées sont conservées sur des "
            "serveurs situés en République populaire de Chine, ce qui soulève des "
            "interrogations au regard du règlement général sur la protection des données.",
            "La CNIL n'est pas seule. Jeudi 30 janvier, le Garante italien a ordonné le "
            "blocage de l'application en Italie, estimant les réponses de l'entreprise "
            "insuffisantes. D'autres autorités européennes, notamment en Irlande, en Belgique "
            "et aux Pays-Bas, ont annoncé des démarches comparables.",
            "Le RGPD s'applique à toute entreprise qui propose ses services à des personnes se "
            "trouvant dans l'Union, même si elle n'y dispose d'aucun établissement. Une "
            "société sans représentant désigné en Europe peut être contrôlée par chacune des "
            "autorités nationales concernées.",
            "Aux utilisateurs, la CNIL rappelle quelques règles de prudence : ne pas confier "
            "d'informations sensibles à un agent conversationnel, vérifier les paramètres de "
            "l'application et privilégier, pour un usage professionnel, les outils validés par "
            "son employeur. L'autorité publiera une analyse plus complète de DeepSeek "
            "lorsqu'elle aura obtenu les réponses attendues.",
        ),
        expect="followup",
        in_sitemap=False,
    ),
    Page(
        outlet="lecourrier",
        path="/2025/02/11/au-sommet-de-paris-sur-l-ia-deepseek-dans-toutes-les-tetes.html",
        title="Au sommet de Paris sur l'IA, DeepSeek dans toutes les têtes",
        language="fr",
        published="2025-02-11T18:40:00+01:00",
        author="Claire Vasseur",
        paragraphs=(
            "Officiellement, le Sommet pour l'action sur l'intelligence artificielle, réuni au "
            "Grand Palais les 10 et 11 février, devait parler de gouvernance, d'énergie et "
            "d'accès aux modèles. Dans les couloirs, pourtant, un nom revenait sans cesse : "
            "DeepSeek, la start-up chinoise dont le modèle R1 a bouleversé le secteur trois "
            "semaines plus tôt.",
            "Plusieurs dirigeants européens y ont vu une bonne nouvelle. Si une équipe réduite "
            "peut produire un modèle de pointe avec des moyens limités, l'Europe, qui n'a pas "
            "les budgets des géants américains, conserve ses chances, résumait un entrepreneur "
            "français croisé dans les allées. Emmanuel Macron a d'ailleurs annoncé 109 "
            "milliards d'euros d'investissements privés dans les infrastructures d'IA en France.",
            "D'autres participants se montraient plus réservés. Des chercheurs ont souligné "
            "que DeepSeek s'appuie sur des techniques connues, comme la distillation et les "
            "architectures à mélange d'experts, et que son avance tient autant à l'ingénierie "
            "qu'à une rupture scientifique.",
            "La question de la confiance a également occupé les débats. Plusieurs délégations "
            "ont rappelé que l'application DeepSeek applique la censure exigée par Pékin sur "
            "certains sujets politiques et que les données de ses utilisateurs sont stockées "
            "en Chine.",
            "La déclaration finale, signée par une soixantaine de pays dont la Chine, mais pas "
            "par les États-Unis ni par le Royaume-Uni, appelle à une intelligence artificielle "
            "« ouverte, inclusive et éthique ». Le succès de DeepSeek a donné au mot ouverture "
            "une résonance toute particulière.",
        ),
        expect="followup",
    ),
    Page(
        outlet="meridian",
        path=_WIRE2_PATH,
        title="L'Italie bloque l'application chinoise DeepSeek",
        language="fr",
        published="2025-01-30T19:05:00+00:00",
        author="Meridian Wire",
        paragraphs=_WIRE2_PARAGRAPHS,
        expect="followup",
        dup_group="wire-2",
    ),
    Page(
        outlet="lecourrier",
        path="/2025/01/30/donnees-personnelles-l-italie-ordonne-le-blocage-de-deepseek.html",
        title="Données personnelles : l'Italie ordonne le blocage de DeepSeek",
        language="fr",
        published="2025-01-30T21:30:00+01:00",
        author="La rédaction (avec Meridian)",
        paragraphs=_WIRE2_PARAGRAPHS,
        expect="duplicate",
        dup_group="wire-2",
    ),
    Page(
        outlet="songhong",
        path="/2025/01/31/italie-deepseek-bloque-par-le-garant-des-donnees.html",
        title="Italie : DeepSeek bloqué par l'autorité de protection des données",
        language="fr",
        published="2025-01-31T08:10:00+07:00",
        author="Bảo Anh (avec Meridian)",
        paragraphs=_WIRE2_PARAGRAPHS,
        expect="duplicate",
        dup_group="wire-2",
    ),
    Page(
        outlet="lecourrier",
        path="/2025/02/07/vents-violents-vigilance-orange-sur-la-facade-atlantique.html",
        title="Vents violents : vigilance orange sur la façade atlantique ce week-end",
        language="fr",
        published="2025-02-07T11:00:00+01:00",
        author="Marc Delorme",
        paragraphs=(
            "Météo-France a placé six départements de la façade atlantique en vigilance orange "
            "aux vents violents à partir de samedi 8 février à 6 heures. Une dépression creusée "
            "au large de l'Irlande doit balayer le nord-ouest du pays pendant une bonne partie "
            "de la journée.",
            "Les rafales pourraient atteindre 110 à 120 km/h sur les côtes du Finistère et du "
            "Morbihan, et 90 à 100 km/h dans l'intérieur des terres. Sur le littoral, une mer "
            "très agitée et des vagues de 6 à 8 mètres sont attendues au moment de la pleine "
            "mer, en fin de matinée.",
            "Les préfectures recommandent de limiter les déplacements, de ne pas s'approcher "
            "des digues et de rentrer ou d'attacher les objets susceptibles d'être emportés. "
            "Plusieurs communes ont fermé parcs, cimetières et jardins publics par précaution.",
            "La SNCF prévient que des ralentissements sont possibles sur les lignes régionales "
            "en Bretagne et en Pays de la Loire, en raison de chutes d'arbres. Les liaisons "
            "maritimes vers les îles du Ponant pourraient être suspendues.",
            "Le vent devrait faiblir progressivement dans la nuit de samedi à dimanche. Les "
            "prévisionnistes annoncent ensuite un temps plus calme mais frais, avec des gelées "
            "matinales dans l'est du pays en début de semaine prochaine.",
        ),
        expect="off_topic",
    ),
    Page(
        outlet="lecourrier",
        path="/2025/02/19/rochebrune-sur-loire-adopte-un-budget-tourne-vers-les-ecoles.html",
        title="Rochebrune-sur-Loire adopte un budget 2025 tourné vers les écoles",
        language="fr",
        published="2025-02-19T17:30:00+01:00",
        author="Nadia Benali",
        paragraphs=(
            "Après plus de trois heures de débats, le conseil municipal de Rochebrune-sur-Loire "
            "a adopté mardi soir son budget pour 2025 par 27 voix contre 8. Le document prévoit "
            "41,2 millions d'euros de dépenses de fonctionnement et 12,5 millions d'euros "
            "d'investissements.",
            "La rénovation des écoles en constitue le cœur. Le groupe scolaire Jules-Ferry, "
            "construit en 1968, sera entièrement isolé et doté d'une chaufferie au bois, pour un "
            "coût de 4,3 millions d'euros. Deux cours d'école seront par ailleurs "
            "désimperméabilisées et plantées d'arbres avant la rentrée de septembre.",
            "Le maire, Patrick Janvier, a défendu un budget « sans hausse des taux "
            "d'imposition », rendu possible par une renégociation de la dette. L'opposition a "
            "dénoncé le report de la piscine intercommunale, promise depuis 2020, et une hausse "
            "de 6 % des tarifs de la cantine.",
            "La majorité justifie cette hausse par l'augmentation du prix des denrées et par le "
            "choix de porter à 60 % la part des produits locaux et biologiques dans les repas. "
            "Un tarif social sera maintenu pour les familles aux revenus les plus modestes.",
            "Le budget prévoit aussi 800 000 euros pour l'entretien de la voirie et la création "
            "d'une piste cyclable reliant le centre-ville à la gare. Les travaux devraient "
            "débuter au printemps.",
        ),
        expect="off_topic",
    ),
    Page(
        outlet="lecourrier",
        path="/2024/11/14/dans-les-redactions-l-ia-generative-avance-a-petits-pas.html",
        title="Dans les rédactions, l'IA générative avance à petits pas",
        language="fr",
        published="2024-11-14T10:00:00+01:00",
        author="Sophie Le Gall",
        paragraphs=(
            "Deux ans après l'arrivée de ChatGPT, les rédactions françaises continuent "
            "d'avancer prudemment. Une enquête menée auprès de 48 médias nationaux et "
            "régionaux, publiée mercredi 13 novembre par un observatoire des métiers de la "
            "presse, montre que l'intelligence artificielle générative sert surtout à des "
            "tâches d'appoint.",
            "La transcription d'entretiens arrive en tête des usages, citée par 81 % des "
            "rédactions interrogées, devant la traduction (64 %) et la proposition de titres ou "
            "de résumés (52 %). Seules 6 % déclarent publier des textes rédigés en grande "
            "partie par une machine, toujours relus par un journaliste.",
            "Les freins restent nombreux. Les responsables évoquent le risque d'erreurs "
            "factuelles, les incertitudes juridiques sur le droit d'auteur et la crainte de "
            "perdre la confiance des lecteurs. Près de la moitié des médias ont adopté une "
            "charte encadrant ces outils, souvent inspirée de la charte de Paris publiée en 2023.",
            "Plusieurs syndicats de journalistes demandent que toute utilisation soit signalée "
            "au public et qu'aucun poste ne soit supprimé au nom de l'automatisation. Certains "
            "éditeurs ont par ailleurs signé des accords de licence avec des entreprises d'IA, "
            "qui les rémunèrent pour l'utilisation de leurs archives.",
            "L'observatoire prévoit de renouveler l'enquête chaque année afin de mesurer "
            "l'évolution des pratiques dans les rédactions.",
        ),
        expect="too_old",
    ),
)

#: Pages that belong to general news sections rather than to ``/tech/``.
GENERAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("lecourrier", "/2025/02/07/vents-violents-vigilance-orange-sur-la-facade-atlantique.html"),
        ("lecourrier", "/2025/02/19/rochebrune-sur-loire-adopte-un-budget-tourne-vers-les-ecoles.html"),
    }
)
