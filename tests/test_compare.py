"""desk/compare.py: what a follow-up shares with its source, what it adds, and why it counts, in words."""

from __future__ import annotations

from desk.compare import compare, copy_evidence, sentences, shared_markers, term_count, term_evidence

SOURCE = ("DeepSeek a présenté le 20 janvier son modèle DeepSeek-R1. Sam Altman a qualifié le modèle "
          "d'impressionnant au regard de son coût.\nYann LeCun y voit une victoire des modèles ouverts.")


def test_sentences_split_on_latin_and_cjk_full_stops():
    assert sentences("Il a dit « bien ». Puis il est parti! Et après? Fin") == [
        "Il a dit « bien ».", "Puis il est parti!", "Et après?", "Fin"]
    assert sentences("深度求索发布了模型。性能对标OpenAI。「好」。") == ["深度求索发布了模型。", "性能对标OpenAI。", "「好」。"]


def test_a_quoted_sentence_is_shared_even_with_a_word_changed_and_the_rest_is_what_it_adds():
    followup = ("Sam Altman a qualifié le modèle d'impressionnant au regard de son faible coût. "
                "À Paris, les start-up saluent une baisse des prix.\nMistral prépare sa réponse.")
    result = compare(SOURCE, followup)
    assert [[s.shared for s in p] for p in result.followup] == [[True, False], [False]]
    assert [[s.shared for s in p] for p in result.source] == [[False, True], [False]]
    assert result.added == ["À Paris, les start-up saluent une baisse des prix.", "Mistral prépare sa réponse."]
    assert result.in_words() == ("1 sentence of 3 repeat the source (1 passage of the source marked); "
                                 "it adds 2 sentences of its own.")


def test_the_same_names_are_not_a_shared_passage():
    result = compare(SOURCE, "Sam Altman and Yann LeCun praised DeepSeek-R1 on Monday.")
    assert result.shared == 0 and result.added == ["Sam Altman and Yann LeCun praised DeepSeek-R1 on Monday."]
    assert result.in_words().startswith("None of its 1 sentences repeats the source")


def test_a_copy_adds_nothing_and_cjk_text_is_compared_by_characters():
    assert compare(SOURCE, SOURCE).in_words() == "All 3 of its sentences come from the source: it adds nothing."
    zh = "深度求索发布了推理模型，性能对标美国最好的系统。投资者感到不安。"
    result = compare(zh, "据报道，深度求索发布了推理模型，性能对标美国最好的系统。股市下跌。")
    assert [s.shared for s in result.followup[0]] == [True, False]
    assert compare("", "").in_words() == "The article has no text to compare."


def test_relevance_evidence_in_words_a_journalist_reads():
    text = "DeepSeek said so. Investors sold DeepSeek-R1 rivals. deepseek again, and DeepSeekers (not counted)."
    assert term_count("DeepSeek", text) == 3  # any case, and in DeepSeek-R1; not inside DeepSeekers
    lines = term_evidence(["DeepSeek", "DeepSeek-R1", "Liang Wenfeng"], title="DeepSeek shakes markets",
                          text=text)
    assert lines == ["names DeepSeek in the headline and 3 times in the text", "names DeepSeek-R1 once in the text"]
    assert term_evidence(["ディープシーク"], title="", text="ディープシーク・ショック ディープシーク") == [
        "names ディープシーク twice in the text"]
    assert shared_markers({"altman", "2025", "paris"}, {"altman", "2025", "lecun"}, "Sam Altman in 2025") == (
        "carries 2 of the 3 names and figures of the source: Altman, 2025")
    assert copy_evidence({"source_similarity": 0.967}).startswith("repeats the source's wording almost word for word (97% alike)")
    assert "translation" in copy_evidence({"source_anchor_share": 0.83})
    assert copy_evidence({"title": 0.45}) is None
