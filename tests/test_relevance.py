"""Hard cases for relevance and deduplication, with the thresholds of crawler/settings.py."""

from __future__ import annotations

import pytest

from crawler import settings
from localweb.site import PAGES, STORY
from pipelines import textsig
from pipelines.dedup import find_duplicate, source_copy
from pipelines.dupindex import MemoryIndex
from pipelines.profile import StoryProfile
from pipelines.relevance import alone, assess, headed, latin_text, listed, older_than_window, passages, sibling

SOURCE = next(p for p in PAGES if p.expect == "story_source")

NVIDIA_EARNINGS = (
    "Nvidia reported quarterly revenue of 39.3 billion dollars on Wednesday, up 78 percent from a year earlier, "
    "as demand for its Blackwell chips from cloud providers kept growing. The company said data centre sales "
    "reached 35.6 billion dollars and guided for about 43 billion in the current quarter, slightly above what "
    "analysts had expected. Gross margins narrowed as the new generation of chips ramped up, and chief financial "
    "officer Colette Kress said supply would improve through the year. Executives spent much of the call on "
    "networking products, sovereign AI projects in Europe and the Middle East, and the pace of orders from large "
    "internet companies. Asked about efficient models such as DeepSeek, chief executive Jensen Huang said they "
    "would raise, not lower, the need for computing power. Shares moved little in extended trading. The company "
    "also announced a new share buyback and said its automotive business had doubled in a year, helped by "
    "partnerships with carmakers in Japan and Germany."
)
KIMI = (
    "Moonshot AI, the Beijing start-up behind the Kimi chatbot, released its k1.5 reasoning model this week and "
    "said it matches leading American systems on mathematics and coding benchmarks. The company, founded in 2023 "
    "by Yang Zhilin, trained the model with reinforcement learning on long chains of thought and offers it free "
    "of charge to users of its app. Analysts in Shanghai said the release shows how quickly Chinese laboratories "
    "are closing the gap in reasoning, even as export controls limit their access to the most advanced chips. "
    "Moonshot is backed by Alibaba and Tencent and was valued at more than three billion dollars in its last "
    "funding round. The firm plans to open an office in Singapore and to expand its services for businesses."
)


@pytest.fixture(scope="module")
def profile() -> StoryProfile:
    return StoryProfile.build(name="demo", url="http://x/", language="fr", terms=tuple(STORY["terms"]),
                              since=STORY["since"], text="\n".join(SOURCE.paragraphs))


def judge(profile: StoryProfile, title: str, text: str):
    return assess(profile, title=title, text=text, threshold=settings.MONITOR_FOLLOWUP_SCORE,
                  mention_terms=settings.MONITOR_MENTION_MIN_TERMS)


def test_earnings_article_naming_deepseek_once_is_a_mention(profile):
    result = judge(profile, "Nvidia beats forecasts as Blackwell sales climb", NVIDIA_EARNINGS)
    assert result.label == "mention", result
    assert result.matched == ["DeepSeek"] and result.score < settings.MONITOR_FOLLOWUP_SCORE


def test_another_chinese_model_is_off_topic(profile):
    result = judge(profile, "Moonshot's Kimi k1.5 takes on OpenAI in reasoning", KIMI)
    assert result.label == "off_topic" and result.matched == []


def test_followups_of_the_local_web_score_well_above_unrelated_news(profile):
    scores = {kind: [judge(profile, p.title, "\n".join(p.paragraphs)).score for p in PAGES if p.expect == kind]
              for kind in ("followup", "off_topic")}
    assert min(scores["followup"]) >= settings.MONITOR_FOLLOWUP_SCORE + 0.1
    assert max(scores["off_topic"]) <= settings.MONITOR_FOLLOWUP_SCORE - 0.3


@pytest.mark.parametrize("page", [p for p in PAGES if p.expect == "source_copy"], ids=lambda p: p.language)
def test_copies_and_translations_of_the_source_are_recognised(profile, page):
    text = "\n".join(page.paragraphs)
    evidence = source_copy(profile, text=text, language=page.language, same_text=settings.MONITOR_DEDUP_SIMILARITY,
                           translation=settings.MONITOR_TRANSLATION_ANCHORS)
    assert evidence, page.path


def test_followups_quoting_the_same_people_are_not_copies(profile):
    for page in (p for p in PAGES if p.expect == "followup"):
        text = "\n".join(page.paragraphs)
        assert not source_copy(profile, text=text, language=page.language, same_text=settings.MONITOR_DEDUP_SIMILARITY,
                               translation=settings.MONITOR_TRANSLATION_ANCHORS), page.path


def test_syndicated_wire_story_is_grouped_and_other_followups_are_not():
    index = MemoryIndex()
    roots: dict[str, object] = {}
    for page in sorted((p for p in PAGES if p.expect in ("followup", "duplicate")), key=lambda p: p.path):
        text = "\n".join(page.paragraphs) + f"\n(c) {page.outlet}"  # outlets add their own line
        sig, thash = textsig.signature(text), textsig.text_hash(text)
        found = find_duplicate(index, text_hash=thash, signature=sig, language=page.language,
                               threshold=settings.MONITOR_DEDUP_SIMILARITY)
        if page.dup_group:
            if page.dup_group in roots:
                assert found is not None and found[0] == roots[page.dup_group], page.path
            else:
                roots[page.dup_group] = page.path
        else:
            assert found is None, (page.path, found)
        index.add(page.path, text_hash=thash, signature=sig, language=page.language,
                  root=found[0] if found else page.path)


def test_article_older_than_the_story(profile):
    assert older_than_window("2024-05-07", [profile]) == f"published 2024-05-07, before {STORY['since']}"
    assert older_than_window("2025-02-10T08:00:00+01:00", [profile]) is None
    assert older_than_window(None, [profile]) is None


def test_draft_profile_from_the_source_alone(tmp_path, capsys):
    from core.sources import load_config
    from pipelines import profile as profile_module

    source = tmp_path / "source.txt"
    source.write_text(SOURCE.title + "\n" + "\n".join(SOURCE.paragraphs), encoding="utf-8")
    assert profile_module.main([str(source), "--name", "draft", "--url", "https://ex.com/a.html"]) == 0
    block = capsys.readouterr().out
    config_path = tmp_path / "sources.toml"
    config_path.write_text(block.replace(f'file = "{source}"', 'file = "source.txt"') +
                           '\n[[source]]\nname = "x"\nlanguage = "fr"\nfeeds = ["https://ex.com/f"]\n', encoding="utf-8")
    story = load_config(config_path).stories[0]  # the draft is a valid config entry
    assert story.language == "fr" and story.title == SOURCE.title
    assert story.terms[0] == "DeepSeek"
    assert {"Hangzhou", "Liang Wenfeng"} <= set(story.terms), story.terms


def test_draft_profile_reports_unreadable_file(tmp_path, capsys):
    from pipelines import profile as profile_module

    assert profile_module.main([str(tmp_path / "missing.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err


RIVAL_LAUNCH = (
    "Alibaba released Qwen 2.5-Max on Wednesday and said the model beats DeepSeek V3 on several benchmarks.\n"
    "Qwen 2.5-Max was trained on more than 20 trillion tokens, Alibaba said, and is offered through Alibaba "
    "Cloud to business customers. The company published results on Arena-Hard and LiveBench.\n"
    "Alibaba shares rose 3 percent in Hong Kong after the announcement. Analysts said Qwen gives Alibaba a "
    "stronger hand in the price war among Chinese cloud providers.\n"
    "The release came on the first day of the Lunar New Year holiday, an unusual date for Alibaba, which "
    "usually presents Qwen models at its autumn conference. Qwen apps are also used by carmakers."
)


@pytest.mark.parametrize("title, label", [
    ("Qwen 2.5-Max claims edge over DeepSeek", "mention"),  # the story is what Qwen is compared with
    ("Alibaba unveils Qwen 2.5-Max for cloud customers", "mention"),  # the headline is about something else
    ("DeepSeek faces a new rival in Alibaba's Qwen 2.5-Max", "followup"),  # the story is the subject
])
def test_the_headline_role_decides_between_subject_and_mention(profile, title, label):
    assert judge(profile, title, RIVAL_LAUNCH).label == label


RIVAL_BACKGROUND = (
    "Moonshot AI released Kimi k1.5 on Monday, a week after DeepSeek shook the industry with its R1 model.\n"
    "The Beijing start-up says its model matches DeepSeek R1 on mathematics and coding, and that DeepSeek's "
    "success has pushed every Chinese laboratory to publish its results sooner.\n"
    "DeepSeek, like Moonshot, offers its assistant for free; analysts expect the price war started by "
    "DeepSeek to spread to cloud services.\n"
    "Moonshot did not say how much the training of Kimi k1.5 cost."
)


@pytest.mark.parametrize("title, label", [
    # another name first, the story one item of a list after it: what that name is compared with
    ("Moonshot says Kimi k1.5 beats DeepSeek and OpenAI o1", "mention"),
    ("Moonshot asegura que Kimi k1.5 supera a DeepSeek y GPT-4o", "mention"),
    # the story first, or alone after the other name: the story stays the headline's subject
    ("DeepSeek and OpenAI o1 beaten by Kimi k1.5, Moonshot says", "followup"),
    ("Moonshot answers DeepSeek with Kimi k1.5", "followup"),
])
def test_the_story_as_one_item_of_a_list_after_another_name_is_a_compared_object(profile, title, label):
    assert judge(profile, title, RIVAL_BACKGROUND).label == label


def test_a_list_item_is_a_name_after_a_separator_or_a_short_lower_case_word():
    def after(title: str, word: str = "DeepSeek") -> bool:
        return listed(title, title.index(word) + len(word), {})
    assert after("beats DeepSeek y ChatGPT") and after("beats DeepSeek, GPT-4o") and after("超越DeepSeek、GPT-4o")
    assert not after("Nhà Sáng Lập DeepSeek Kẻ Thách Thức OpenAI")  # a capitalised word is no conjunction
    assert not after("Alibaba Challenges DeepSeek With New Model")  # four letters: not a short linking word
    assert not after("Alibaba Challenges DeepSeek And Others")  # a capitalised word is no conjunction
    assert not after("Alibaba Challenges DeepSeek and Others Again")  # title case: a capital says nothing
    assert listed("Beats DeepSeek und Claude", 14, {"Claude": 2})  # the text reads it as a name


LESSON = (
    "The main lesson of the week, several researchers wrote, is not where the model came from but that it "
    "was published. Open weights let anyone test the claims, and many did within days.\n"
    "DeepSeek released its R1 model under a permissive licence, and its report describes the training in "
    "detail; DeepSeek also published smaller versions. Laboratories that keep their models closed now have "
    "to explain what they add.\n"
    "Venture investors, for their part, asked whether the costs of training will fall for everyone."
)


def test_a_headline_naming_nothing_leaves_the_subject_to_the_text(profile):
    bare = judge(profile, "The lesson of the week is about openness", LESSON)
    assert bare.signals["title"] == 0.10 and bare.label == "followup", bare
    # A headline naming something else (not often enough to be the subject) points away from the story.
    other = judge(profile, "Meta researchers draw the lesson of the week", LESSON + " So did researchers at Meta.")
    assert other.signals["title"] == 0.0 and other.label == "mention", other
    # In Chinese no name can be read: nothing is known of what the headline names.
    assert judge(profile, "本周的教训在于开放", LESSON).signals["title"] == 0.0
    # A text that never names the story gets nothing from its headline.
    assert judge(profile, "The lesson of the week is about openness",
                 LESSON.replace("DeepSeek", "The laboratory")).signals["title"] == 0.0


EUROPE_PIVOT = (
    "The chief executive of OpenAI said on Tuesday that OpenAI wants an office in Brussels, a week after "
    "DeepSeek shook the industry with a cheaper model.\n"
    "Brussels has courted American laboratories for a year; officials in Brussels said the talks had "
    "sped up since DeepSeek released R1 under an open licence.\n"
    "Lawyers in Brussels expect the new rules to apply to DeepSeek as well. OpenAI declined to comment, "
    "and Brussels did not say when a decision would come."
)


@pytest.mark.parametrize("title, label", [
    # opened by a name of the source (OpenAI), the headline's subject is the story's context, not Brussels
    ("OpenAI courts Brussels as DeepSeek rattles the industry", "followup"),
    # opened by another name that the text names more than the story: that name is the subject
    ("Brussels courts OpenAI as DeepSeek rattles the industry", "mention"),
])
def test_a_headline_opened_by_a_name_of_the_source_has_no_later_subject(profile, title, label):
    assert judge(profile, title, EUROPE_PIVOT).label == label


def test_names_written_onto_the_opening_name_of_the_source_share_its_role(profile):
    # "Meta's Llama4" is one noun phrase: Llama4, named far more than the story, is the subject.
    text = ("Llama4 is out. Llama4 beats older models, and Llama4 is free to download; Llama4 runs on one "
            "machine. Developers tried Llama4 all week, some comparing Llama4 with DeepSeek. Llama4 "
            "comes in three sizes, and Llama4 will get a larger version later this year.")
    assert judge(profile, "Meta's Llama4 tops the charts, ahead of DeepSeek", text).signals["title"] == -0.20


def test_passages_are_cut_at_sentence_ends_whatever_the_paragraphs():
    one_block = " ".join(["This sentence is about forty characters."] * 30)
    parts = passages(one_block)
    assert len(parts) >= 3 and all(p.endswith(".") for p in parts)
    assert passages("短い。" * 200)[0].endswith("。")


def test_terms_glued_to_cjk_text_count(profile):
    title = "中国のAI企業DeepSeekが開発した推論モデルに世界が注目"
    text = ("中国のAI企業DeepSeekが開発した推論モデルは、米国の大手企業の製品に匹敵する性能を示した。" * 3 + "\n") * 3
    assert judge(profile, title, text).label == "followup"


SELLOFF = (
    "Nvidia shares fell 17 percent on Monday, wiping almost 600 billion dollars off its market value, after "
    "DeepSeek said its R1 model was trained for a fraction of what American laboratories spend.\n"
    "Investors asked whether DeepSeek's cheaper training would cut the demand for Nvidia's most expensive chips. "
    "DeepSeek's assistant also overtook ChatGPT in Apple's App Store in the United States over the weekend.\n"
    "Analysts said DeepSeek had shown that export controls slowed Chinese laboratories less than expected."
)


@pytest.mark.parametrize("title, label", [
    # a name of the source (Nvidia) first in the headline is the story's context, not another subject
    ("Nvidia loses 600 billion dollars as DeepSeek shakes the chip trade", "followup"),
    ("Nvidia-Aktie: DeepSeek schickt den Kurs in den Keller", "followup"),
])
def test_a_name_of_the_source_in_the_headline_is_context(profile, title, label):
    assert judge(profile, title, SELLOFF).label == label


def test_a_name_of_the_source_is_the_subject_when_the_text_is_about_it(profile):
    assert judge(profile, "Nvidia Q4 earnings: 39.3 billion dollars revenue", NVIDIA_EARNINGS).label == "mention"


def test_a_single_naming_is_not_salient_even_without_other_names(profile):
    # Chinese text: no name can be read, so "named as often as any other name" would always hold.
    text = ("在人工智能领域，資金壓力是公開的秘密。DeepSeek 的創辦人另有身分。"
            + "這家量化基金去年的收益率在同類機構中排名第二，管理規模超過七百億元。" * 12)
    result = judge(profile, "量化基金收益率排名第二", text)
    assert result.signals["salience"] == 0.0 and result.label == "mention", result


def test_german_common_nouns_are_not_other_subjects(profile):
    text = ("Der Kurssturz an der Börse hat die Anleger überrascht. DeepSeek hat mit seinem Modell die "
            "Erwartungen verändert, und die Aktie des Chipherstellers verlor deutlich. Analysten sprechen "
            "von einem Wendepunkt, weil DeepSeek mit weniger Rechenleistung auskommt. Die Unternehmen "
            "überprüfen ihre Investitionen, die Anleger ihre Erwartungen an die Branche.")
    result = judge(profile, "Kurssturz: Anleger fürchten DeepSeek", text)
    assert result.signals["salience"] > 0 and result.label == "followup", result


def test_a_name_of_the_source_takes_salience_only_when_it_dominates(profile):
    # Nvidia is a name of the source: named three times against the story's twice, it is context.
    text = ("Nvidia shares fell again on Monday. DeepSeek released a second model, and Nvidia said demand "
            "for its chips was unchanged. Analysts expect Nvidia to report in February. "
            "Investors are watching how DeepSeek trains its models with fewer chips.")
    assert judge(profile, "Chip stocks slide for a second day", text).signals["salience"] > 0
    # Six times against twice: Nvidia is what the text is about.
    assert judge(profile, "Chip stocks slide for a second day",
                 text + " Nvidia, Nvidia and Nvidia again.").signals["salience"] == 0.0


# A story named by several things: an operator, a numbered service, as a drafted profile names it.
FERRY_SOURCE = (
    "Harbor Line Ferry 212: engine fire forces evacuation near Kesteven Island\n"
    "A fire broke out in the engine room of Harbor Line's Ferry 212 on Saturday, shortly after it left "
    "Portwick with 340 passengers on board. The crew evacuated everyone to lifeboats near Kesteven Island, "
    "and the Coast Guard took them ashore within two hours. The Maritime Safety Board opened an inquiry on "
    "Sunday. Captain Ilse Moreau said the alarm sounded 47 minutes into the crossing. Harbor Line suspended "
    "its two other ships of the same class while inspectors look at their fuel lines."
)


FLEET = ("Harbor Line said on Tuesday it has ordered three new ships from a yard in Finland, to be delivered "
         "from 2027. Harbor Line will retire its oldest vessels as the new ones arrive, and expects the order "
         "to lower its fuel costs by a fifth. The company carried more passengers last year than ever before, "
         "and Harbor Line plans a new route to the southern islands next summer.")


def test_terms_sharing_a_word_are_one_family_and_other_scripts_are_in_none():
    profile = StoryProfile.build(name="s", url="", language="en",
                                 terms=("Harbor Line", "Ferry 212", "Harbor Line Ferry 212", "Ferry-212", "渡轮"))
    families = profile.families
    assert families["Ferry 212"] == families["Harbor Line Ferry 212"] == families["Harbor Line"]
    assert families["Ferry-212"] == families["Ferry 212"] and "渡轮" not in families
    two = StoryProfile.build(name="s", url="", language="en", terms=("Harbor Line", "Ferry 212"))
    assert two.families["Harbor Line"] != two.families["Ferry 212"]
    assert two.plain_families == {two.families["Harbor Line"]}


def test_the_operator_alone_is_its_own_news_not_the_story():
    profile = StoryProfile.build(name="ferry", url="", language="en", terms=("Harbor Line", "Ferry 212"),
                                 text=FERRY_SOURCE)
    result = judge(profile, "Harbor Line orders three new ships", FLEET)
    assert result.label == "mention" and result.signals["alone"] < 0, result
    # The numbered name is specific on its own: the same text naming the ferry is about it.
    named = judge(profile, "Harbor Line orders three new ships",
                  FLEET + " The order follows the fire on Ferry 212 in the spring.")
    assert "alone" not in named.signals, named


def test_the_operator_with_the_source_specifics_is_a_followup():
    profile = StoryProfile.build(name="ferry", url="", language="en", terms=("Harbor Line", "Ferry 212"),
                                 text=FERRY_SOURCE)
    text = ("Harbor Line has blamed a cracked fuel line for the engine fire near Kesteven Island. In a report "
            "sent to the Maritime Safety Board, Harbor Line said its inspectors found the same crack on a "
            "sister ship. Captain Ilse Moreau and her crew will be honoured in Portwick next week.")
    result = judge(profile, "Harbor Line blames a fuel line for the fire", text)
    assert result.label == "followup" and "alone" not in result.signals, result


def test_a_story_named_by_one_thing_is_that_thing():
    profile = StoryProfile.build(name="ferry", url="", language="en", terms=("Harbor Line",), text=FERRY_SOURCE)
    result = judge(profile, "Harbor Line orders three new ships", FLEET)
    assert result.label == "followup" and "alone" not in result.signals, result


def test_a_story_of_plain_names_only_holds_none_of_them_back():
    # A company and its founder: no numbered name says which one is the event, so the company alone is the story.
    profile = StoryProfile.build(name="ferry", url="", language="en", terms=("Harbor Line", "Ilse Moreau"),
                                 text=FERRY_SOURCE)
    result = judge(profile, "Harbor Line orders three new ships", FLEET)
    assert result.label == "followup" and "alone" not in result.signals, result


def test_the_operator_alone_is_not_judged_where_the_source_names_cannot_be_read():
    profile = StoryProfile.build(name="ferry", url="", language="en", terms=("Harbor Line", "Ferry 212"),
                                 text=FERRY_SOURCE)
    # The same finding in Latin letters is capped; in Chinese the source's names would not be written as they are.
    assert alone(profile, ["Harbor Line"], set(), FLEET)
    assert not alone(profile, ["Harbor Line"], set(), "Harbor Line 宣布向芬兰船厂订购三艘新船，二〇二七年起交付。")
    assert not latin_text("港湾线宣布订购三艘新船") and latin_text("Ça dépend: Đà Nẵng, Łódź")


TOW = ("Ferry 318 lost power in its main generator on Monday and was towed back to Portwick with 120 passengers "
       "on board. It was the second scare for Harbor Line this year: in the spring, an engine fire on Ferry 212 "
       "forced the evacuation of 340 passengers near Kesteven Island, and the Maritime Safety Board is still "
       "looking into it.")


def test_a_headline_naming_another_member_of_the_story_family_is_at_most_a_mention():
    profile = StoryProfile.build(name="ferry", url="", language="en", terms=("Harbor Line", "Ferry 212"),
                                 text=FERRY_SOURCE)
    result = judge(profile, "Ferry 318 towed back to port after a generator failure", TOW)
    assert result.label == "mention" and result.signals["sibling"] < 0, result
    # The same text under a headline that names the story's own ferry is not held back.
    named = judge(profile, "Ferry 212 inquiry still open as Ferry 318 is towed back to port", TOW)
    assert named.label == "followup" and "sibling" not in named.signals, named


def test_a_sibling_is_the_story_words_with_another_number_not_a_year():
    profile = StoryProfile.build(name="ferry", url="", language="en", terms=("Harbor Line", "Ferry 212"),
                                 text=FERRY_SOURCE)
    assert sibling(profile, "Ferry-318 towed back") == "ferry-318"
    assert sibling(profile, "Harbor Line 2025: record year") is None  # a year dates a name
    assert sibling(profile, "Ferry 212 back in service") is None  # the story's own number
    assert sibling(profile, "Harbor Line pays 4,5 million") is None
    # Numbered like the story's member (three digits after Ferry), not an amount or a count.
    assert sibling(profile, "Ferry 40 passengers rescued") is None
    # A story without a numbered name is not one of a series.
    plain = StoryProfile.build(name="ferry", url="", language="en", terms=("Harbor Line",), text=FERRY_SOURCE)
    assert sibling(plain, "Harbor Line 318 towed back") is None


def test_a_text_naming_another_member_as_often_as_the_story_is_about_that_member():
    profile = StoryProfile.build(name="ferry", url="", language="en", terms=("Harbor Line", "Ferry 212"),
                                 text=FERRY_SOURCE)
    # The headline names neither; the text names the other ferry as often as the story's (once each).
    result = judge(profile, "Second scare of the year: a ship towed back to Portwick", TOW)
    assert result.label == "mention" and result.signals["sibling"] < 0, result
    # Named more often than the other member, the story's ferry is the subject.
    recap = TOW + " Ferry 212 itself has not sailed since the fire."
    assert "sibling" not in judge(profile, "Second scare of the year: a ship towed back to Portwick", recap).signals
    # Glued to Chinese text, a member is read as in Latin text.
    assert sibling(profile, "", "港湾线的Ferry318周一失去动力", numbered=1) == "ferry318"


def test_a_crawled_page_reads_the_same_whether_its_text_repeats_the_headline_or_not(profile):
    title = "DeepSeek faces a new rival in Alibaba's Qwen 2.5-Max"
    with_headline = f"{title}\n{RIVAL_LAUNCH}"
    assert headed(title, RIVAL_LAUNCH) == with_headline  # an <h1> above the article: extraction left it out
    assert headed(title, f"  {title}  \n{RIVAL_LAUNCH}") == f"  {title}  \n{RIVAL_LAUNCH}"  # already there
    assert headed("", RIVAL_LAUNCH) == RIVAL_LAUNCH
    assert judge(profile, title, headed(title, RIVAL_LAUNCH)) == judge(profile, title, with_headline)
