"""Names read from a text, core terms drafted from a source, names written by sound in other scripts."""

from __future__ import annotations

from pipelines.names import heading, names
from pipelines.profile import StoryProfile, core_terms
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
