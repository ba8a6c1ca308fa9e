"""Names read from a text, core terms drafted from a source, names written by sound in other scripts."""

from __future__ import annotations

from pipelines.names import capitalises_nouns, heading, name_shaped, names
from pipelines.profile import StoryProfile, core_terms, draft_terms
from pipelines.sounds import SoundMatcher, latin_skeleton, skeleton

# Our own French text, in the shape of the one whose drafted terms were cut wrong.
FRENCH = (
    "Le ministre de l'Intérieur Laurent Nuñez s'est rendu sur place dimanche. "
    "Selon Laurent Nuñez, les voleurs ont agi en sept minutes. "
    "Parmi les objets volés figure un diadème de la reine Hortense, que la Reine Hortense portait en 1810. "
    "Cependant, rien n'indique que les vitrines aient été forcées. Pendant ce temps, l'enquête avance."
)


def test_a_role_before_a_name_is_cut_off_and_sentence_starts_are_not_names():
    found = names(FRENCH)
    assert found["Laurent Nuñez"] == 2 and found["Hortense"] == 2
    assert not any(n.startswith("Intérieur ") or n.startswith("Reine ") for n in found)
    assert "Cependant" not in found and "Pendant" not in found and "Selon" not in found


def test_names_keep_their_numbers_and_headings_are_left_out():
    text = ("Passengers of Alaska Airlines Flight 1282 heard a loud boom.\nInspections and Cancellations\n"
            "The Boeing 737 Max 9 of Alaska Airlines Flight 1282 landed safely in Portland.")
    found = names(text)
    assert found["Alaska Airlines Flight 1282"] == 2 and found["Boeing 737 Max 9"] == 1
    assert heading("Inspections and Cancellations") and not heading("The plane landed in Portland.")
    assert "Inspections" not in found


def test_core_terms_come_from_the_title_and_skip_short_acronyms():
    title = "Que disent les experts de l'IA à propos de Quantera ?"
    text = ("Les experts de l'IA saluent la startup Quantera. Pour Sam Altman, Quantera a surpris. "
            "Le modèle Quantera Q2 coûte peu, dit Andrew Ng. L'IA change vite, et Quantera Q2 aussi.")
    assert core_terms(title, text) == ("Quantera", "Quantera Q2")


def test_a_story_without_terms_gets_its_core_terms():
    text = "Quantera stuns the market\nThe startup Quantera released Quantera Q2. Investors said Quantera won."
    profile = StoryProfile.build(name="q", url="", language="en", terms=(), text=text)
    assert "Quantera" in profile.terms
    assert profile.find_terms("中国のAI企業Quanteraが開発") == ["Quantera"]


def test_a_latin_name_is_found_written_by_sound_in_other_scripts():
    matcher = SoundMatcher(("DeepSeek", "Liang Wenfeng", "Nvidia"))
    assert latin_skeleton("DeepSeek") == "tpsk"
    for text in ("中国のディープシークが公開", "딥시크가 공개한 모델", "о Дипсике и", "شركة ديب سيك الصينية",
                 "η Ντίπσικ", "డీప్సీక్ వ్యవస్థాపకుడు", "डीपसीक ने नया मॉडल"):
        assert matcher.find(text) == ["DeepSeek"], text
    assert matcher.find("ディープラーニングの研究") == []
    assert matcher.find("дипломатический визит") == []
    # three consonants or fewer (Nvidia: n-p-t) are too common a sound to use
    assert "Nvidia" not in matcher.by_skeleton.values()
    assert skeleton("딥시크") == skeleton("ディープシーク")


# Our own German text: every noun capitalised, few of them names.
GERMAN = (
    "Nach dem Zwischenfall über Portland prüfen die Behörden jetzt die Flugzeuge der Baureihe. "
    "Die Fluggesellschaft sprach von einem technischen Problem an der Kabinenwand, die Passagiere "
    "blieben unverletzt. Experten erwarten weitere Untersuchungen, bevor die Maschinen wieder starten "
    "dürfen. Der Hersteller kündigte eine Überprüfung seiner Fertigung an, die Aktionäre reagierten "
    "nervös auf die Nachrichten aus Amerika und die Vorwürfe der Gewerkschaft."
)


def test_an_orthography_that_capitalises_nouns_is_read_from_the_text():
    assert capitalises_nouns(GERMAN)
    english = ("After the incident over Portland the authorities are now checking the aircraft of the series. "
               "The airline spoke of a technical problem with the cabin wall; the passengers were unhurt. "
               "Experts expect further investigations before the machines may take off again, and Boeing "
               "announced a review of its production while shareholders reacted nervously to the news.")
    assert not capitalises_nouns(english) and not capitalises_nouns(FRENCH)
    assert name_shaped("Alaska Airlines") and name_shaped("OpenAI") and name_shaped("R1")
    assert name_shaped("NVDA") and not name_shaped("Zwischenfall") and not name_shaped("Tech-Aktie")


def test_a_numbered_name_also_gives_its_variant_alone():
    title = "Boeing 737 Max 9 loses a panel"
    text = "A Boeing 737 Max 9 lost a panel. Every Boeing 737 Max 9 was grounded, said the FAA."
    assert core_terms(title, text) == ("Boeing 737 Max 9", "737 Max 9", "Max 9")
    profile = StoryProfile.build(name="b", url="", language="en", terms=(), text=f"{title}\n{text}")
    assert profile.find_terms("停飛全部65架同類波音MAX-9飛機") == ["Max 9"]


def test_a_name_ending_in_a_common_noun_also_gives_the_part_other_languages_keep():
    title = "Harbour Bridge closed after barge strike"
    text = ("Harbour Bridge closed after barge strike\n"
            "A barge hit a pier of the Kesteven Harbour Bridge early on Monday. The bridge was closed to traffic "
            "while engineers inspected it. The Harbour Bridge carries 40,000 cars a day, and the city said the "
            "Harbour Bridge would stay shut until Friday. Another bridge upstream took the traffic.")
    # "bridge" is written in lower case: a common noun; French writes "le pont Kesteven Harbour".
    assert core_terms(title, text) == ("Harbour Bridge", "Kesteven Harbour")
    # The draft for sources.toml lists it too, with how often the text writes it.
    assert ("Kesteven Harbour", 1) in draft_terms(title, text)
    assert StoryProfile.build(name="b", url="", language="en", terms=(), text=text).find_terms(
        "Le pont Kesteven-Harbour a été fermé lundi.") == ["Kesteven Harbour"]


def test_no_proper_part_from_one_word_or_a_sentence_start():
    title = "Nordvik Airways grounds its fleet"
    text = ("Nordvik Airways grounds its fleet\n"
            "Nordvik Airways said on Monday that it grounded its fleet. The Nordvik Airways pilots' union "
            "agreed. Other airways kept flying, and Nordvik Airways expects to resume on Friday.")
    # "Nordvik" alone would be a place; "The" is an ordinary word the text writes in lower case too.
    assert core_terms(title, text) == ("Nordvik Airways",)


def test_an_abbreviation_keeps_its_dot_and_does_not_cut_the_name_after_it():
    found = names("Divers searched the river with support from the U.S. Coast Guard on Tuesday. "
                  "Officials in the U.S. The agency said the U.S. Coast Guard would stay.")
    assert found["Coast Guard"] == 2 and found["U.S."] == 3
    assert "Guard" not in found and "U.S" not in found and not any(n.startswith("The") for n in found)
