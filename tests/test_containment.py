"""Copies of the source: its address, teasers and pages that hold it, translations."""

from __future__ import annotations

import re

import hypothesis
import pytest

from core.items import ArticleItem
from crawler import settings
from pipelines import containment, textsig
from pipelines.dedup import LanguageNeeded, deduplicate, source_copy
from pipelines.drops import OffTopic
from pipelines.dupindex import MemoryIndex
from pipelines.profile import StoryProfile
from pipelines.relevance import assess

# Our own text, written for these tests, in the shape of a news article.
SOURCE = """\
Harbour bridge closed after cracks found in a main cable
The Veltmar harbour bridge was closed to traffic on Tuesday after inspectors found cracks in one of its two main cables, the city said.
Engineers from Brunnhall Consulting measured 14 broken wires in the northern cable during a routine check, city engineer Marta Ilves told reporters.
The bridge, opened in 1968, carries about 48,000 vehicles a day between the Kessel district and the old town.
Mayor Tomas Vehr said buses would be rerouted over the Lindqvist bridge and that a ferry service would start on Thursday.
Repairs could take 18 months and cost 37.5 million euros, according to a first estimate by Brunnhall Consulting.
The transport union SVT asked for free ferry tickets for commuters, and shopkeepers in Kessel fear a loss of customers.
A report by the national road agency had warned in 2019 that the cables of the Veltmar bridge needed closer inspection."""

# The same article in French, paragraph by paragraph (our translation).
TRANSLATION = """\
Le pont du port fermé après la découverte de fissures dans un câble principal
Le pont du port de Veltmar a été fermé à la circulation mardi après que des inspecteurs ont trouvé des fissures dans l'un de ses deux câbles principaux, a indiqué la ville.
Les ingénieurs de Brunnhall Consulting ont mesuré 14 fils rompus dans le câble nord lors d'un contrôle de routine, a déclaré aux journalistes l'ingénieure municipale Marta Ilves.
Le pont, ouvert en 1968, supporte environ 48 000 véhicules par jour entre le quartier de Kessel et la vieille ville.
Le maire Tomas Vehr a indiqué que les bus seraient déviés par le pont Lindqvist et qu'un service de ferry commencerait jeudi.
Les réparations pourraient durer 18 mois et coûter 37,5 millions d'euros, selon une première estimation de Brunnhall Consulting.
Le syndicat des transports SVT a demandé des billets de ferry gratuits pour les navetteurs, et les commerçants de Kessel craignent une perte de clientèle.
Un rapport de l'agence nationale des routes avait averti en 2019 que les câbles du pont de Veltmar devaient être inspectés de plus près."""

# A later article in French on the same story: some of the same facts, its own order and its own facts.
FOLLOWUP = """\
Pont de Veltmar : les premiers travaux commenceront en mars
Trois semaines après la fermeture du pont de Veltmar, la ville a choisi l'entreprise Korvald Bau pour remplacer le câble nord, endommagé par la corrosion.
Le contrat, signé lundi, s'élève à 41 millions d'euros, plus que les 37,5 millions estimés en janvier par Brunnhall Consulting.
Selon le maire Tomas Vehr, le pont pourrait rouvrir aux piétons dès l'été, mais pas aux voitures avant 2027.
Les ferries ont transporté 310 000 passagers depuis leur mise en service, et la ligne de bus 12 a été doublée.
Des habitants de Kessel ont manifesté samedi pour demander une passerelle provisoire, une idée que la ville étudie.
L'opposition réclame une enquête sur le rapport de 2019 qui signalait déjà l'usure des câbles."""


@pytest.fixture(scope="module")
def profile() -> StoryProfile:
    return StoryProfile.build(name="bridge", url="https://news.example/veltmar-bridge-closed.html?utm_source=x",
                              language="en", terms=("Veltmar",), text=SOURCE)


def copy(profile: StoryProfile, text: str, language: str, urls: tuple[str | None, ...] = ()):
    return source_copy(profile, text=text, language=language, same_text=settings.MONITOR_DEDUP_SIMILARITY,
                       translation=settings.MONITOR_TRANSLATION_ANCHORS, urls=urls)


def test_the_source_address_is_the_source_whatever_its_text(profile):
    assert copy(profile, "A short teaser.", "en", urls=("http://www.news.example/veltmar-bridge-closed.html/",))
    assert copy(profile, "A short teaser.", "en", urls=("https://other.example/x", "https://news.example/veltmar-bridge-closed.html"))
    assert not copy(profile, "A short teaser.", "en", urls=("https://news.example/veltmar-bridge-reopens.html",))


def test_a_teaser_of_the_source_is_a_copy(profile):
    lines = SOURCE.split("\n")
    teaser = "\n".join(lines[:4]) + "\nRead more"
    evidence = copy(profile, teaser, "en")
    assert evidence and evidence["part_in_source"] >= containment.PART_IN_SOURCE


def test_a_page_holding_the_whole_source_is_a_copy(profile):
    page = "Bridge news from our partners\n" + SOURCE + "\n" + FOLLOWUP + "\nShare this article. Comments are closed."
    evidence = copy(profile, page, "en")
    assert evidence and evidence["source_in_part"] >= containment.SOURCE_IN_PART


def test_a_translation_is_a_copy_and_its_first_part_too(profile):
    assert copy(profile, TRANSLATION, "fr")
    assert copy(profile, "\n".join(TRANSLATION.split("\n")[:6]), "fr")


def test_a_followup_citing_some_of_the_same_facts_is_not_a_copy(profile):
    assert not copy(profile, FOLLOWUP, "fr")
    assert not containment.structure_copy(FOLLOWUP, SOURCE, skip=profile.term_words)


def test_url_key_ignores_scheme_www_slash_and_query():
    assert containment.url_key("https://www.a.example/x/?utm=1#top") == containment.url_key("http://a.example/x")
    assert containment.url_key(None) == ""


def test_ordered_alignment_of_anchor_sequences():
    source = ["a1", "2019", "vehr", "37.5", "kessel", "14", "1968"]
    assert containment.prefix_alignment(["a1", "2019", "vehr"], source)[3] == 3
    assert containment.prefix_alignment(["1968", "14", "a1"], source)[-1] == 1


# The first paragraphs in Chinese (our translation): people and firms written in Han characters, the
# bridge's name kept in Latin script, numbers glued to the characters around them.
CHINESE = """\
主缆发现裂缝后Veltmar港口大桥封闭
市政府表示,检查人员在Veltmar港口大桥两根主缆之一发现裂缝后,该桥于周二起禁止通行。
布伦霍尔咨询公司的工程师在例行检查中发现北侧主缆有14根钢丝断裂,市政工程师玛尔塔·伊尔维斯对记者说。
这座1968年建成的Veltmar大桥每天承载约48,000辆汽车,连接凯塞尔区和老城。
市长托马斯·韦尔表示,公交车将改经林德奎斯特桥行驶,Veltmar渡轮服务将于周四开始。
根据布伦霍尔咨询公司的初步估算,维修可能需要18个月,耗资37.5百万欧元。"""


def test_a_translation_into_a_script_that_rewrites_the_names_is_a_copy(profile):
    assert containment.anchor_sequence("1月20日发布,耗资560万") == ["20", "560"]
    assert copy(profile, CHINESE, "zh")


@pytest.mark.parametrize("text", [TRANSLATION, FOLLOWUP, CHINESE, "\n".join(TRANSLATION.split("\n")[:6]),
                                  "Un autre sujet, sans rien du pont.\nLe 20 mars, rien.\nToujours rien."])
@pytest.mark.parametrize("cover", [0.0, 0.3, settings.MONITOR_TRANSLATION_ANCHORS, 1.0])
def test_translated_copy_answers_as_translation_copy_of_the_whole_sequence(profile, text, cover):
    """The count that spares reading the sequence never turns a copy away."""
    whole = containment.translation_copy(containment.anchor_sequence(text, skip=profile.term_words),
                                         profile.sequence, cover=cover)
    assert containment.translated_copy(text, profile.sequence, skip=profile.term_words, cover=cover) == whole


def test_a_paragraph_with_a_marker_of_the_source_may_share_one():
    markers = containment._source_markers(SOURCE)
    for text in (TRANSLATION, FOLLOWUP, CHINESE):
        for paragraph in containment._paragraphs(text):
            if set(containment.anchor_sequence(paragraph)) & markers:
                assert containment._may_share(paragraph, SOURCE)
    assert not containment._may_share("Rien à voir, ici, avec les autres pages du site.", SOURCE)


# -- the language, detected only when the answer needs it (pipelines.dedup.LanguageNeeded) -----------

def _page(profile: StoryProfile, text: str, *, label: str, language: str | None = None) -> ArticleItem:
    relevance = assess(profile, title="", text=text)
    return ArticleItem(url="https://elsewhere.example/a.html", source="s", found_via="feed", text=text,
                       story=profile.name, label=label, matched=relevance.matched, signals=relevance.signals,
                       language=language, language_reason=None if language is None else "detected")


def _dedup(profile: StoryProfile, item: ArticleItem) -> ArticleItem:
    return deduplicate(item, profiles={profile.name: profile}, index=MemoryIndex(),
                       same_text=settings.MONITOR_DEDUP_SIMILARITY, translation=settings.MONITOR_TRANSLATION_ANCHORS)


def test_an_off_topic_page_with_no_copy_in_it_never_needs_its_language(profile):
    page = _page(profile, FOLLOWUP, label="off_topic")  # the source's traces, not a copy of it
    with pytest.raises(OffTopic):
        _dedup(profile, page)
    assert page.language_reason is None and page.signature is None


def test_a_translation_among_off_topic_pages_asks_for_its_language_then_is_a_copy(profile):
    page = _page(profile, TRANSLATION, label="off_topic")
    with pytest.raises(LanguageNeeded):
        _dedup(profile, page)
    page.language, page.language_reason = "fr", "detected"
    assert _dedup(profile, page).label == "source_copy"
    same_language = _page(profile, TRANSLATION, label="off_topic", language="en")  # said to be the source's
    with pytest.raises(OffTopic):
        _dedup(profile, same_language)


def test_a_kept_page_is_stored_with_its_language(profile):
    with pytest.raises(LanguageNeeded):
        _dedup(profile, _page(profile, FOLLOWUP, label="followup"))
    stored = _dedup(profile, _page(profile, FOLLOWUP, label="followup", language="fr"))
    assert stored.label == "followup" and stored.signature and stored.text_hash


def test_a_teaser_among_off_topic_pages_is_still_a_copy(profile):
    teaser = "\n".join(SOURCE.split("\n")[:4]) + "\nRead more"
    page = _page(profile, teaser, label="off_topic", language="en")
    assert _dedup(profile, page).label == "source_copy" and page.signature


def test_shingles_a_text_can_share_with_the_source_are_bounded_by_its_words(profile):
    for text in (TRANSLATION, FOLLOWUP, SOURCE, "\n".join(SOURCE.split("\n")[:3]), "Veltmar bridge", ""):
        words = textsig.tokens(text)
        shared = len(textsig.shingle_hashes(text, words=words) & profile.shingles)
        assert textsig.shingles_within(words, profile.words) >= shared
    assert textsig.shingles_within(textsig.tokens(TRANSLATION), profile.words) < containment.MIN_SHARED_SHINGLES


_PLAIN_NUMBER = re.compile(r"(?<![0-9A-Za-z\u00c0-\u024f\u0400-\u04ff.,])\d+(?:[.,\u202f\u00a0 ]\d{3})*(?:[.,]\d+)?"
                           r"(?![0-9A-Za-z\u00c0-\u024f\u0400-\u04ff])")


@hypothesis.settings(derandomize=True, max_examples=300, deadline=None)
@hypothesis.given(hypothesis.strategies.text(alphabet="aé9٣0.,- \u00a0\u202fж\n_", max_size=40))
def test_the_number_pattern_finds_what_its_plain_form_finds(text):
    """The lookbehind follows the first digit (a set Python's re skips to in C): the same numbers."""
    assert ([m.span() for m in containment._NUMBER_RE.finditer(text)]
            == [m.span() for m in _PLAIN_NUMBER.finditer(text)])
