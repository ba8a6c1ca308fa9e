"""Per-outlet learning outlives the crawl: what run 1 learned of an outlet is used by run 2."""

from __future__ import annotations

from pathlib import Path

from scrapy.utils.test import get_crawler

from pipelines.extract import ExtractPipeline
from pipelines.titles import TitleAffixes
from storage import open_db, queries, writes

NEWSLETTER = "Sign up for our morning briefing and get the day's news in your inbox."


def page(number: int) -> str:
    return "\n".join([f"Story number {number} begins with a paragraph nobody else wrote, about topic {number}.",
                      NEWSLETTER, f"A second paragraph, also unique to story {number}, with its own facts."])


def crawl(db: Path) -> ExtractPipeline:
    pipeline = ExtractPipeline.from_crawler(get_crawler(settings_dict={"MONITOR_DB": str(db)}))
    pipeline.open_spider()
    return pipeline


def test_a_block_learned_in_one_crawl_is_cut_in_the_next(tmp_path: Path):
    db = tmp_path / "store.db"
    first = crawl(db)
    for number in range(5):
        first.learn("gazette", f"Headline {number} | Gazette Online", page(number))
    first.close_spider()

    second = crawl(db)  # a new crawl process: nothing learned in memory yet
    title, text = second.learn("gazette", "A new headline | Gazette Online", page(99))
    assert NEWSLETTER not in text  # the recurring block, learned in run 1
    assert "Story number 99 begins" in text and "unique to story 99" in text  # the one-off paragraphs stay
    assert title == "A new headline"
    # Another outlet learned nothing: its page is untouched.
    assert second.learn("courier", "Story | Courier", page(7)) == ("Story | Courier", page(7))
    second.close_spider()


def test_memory_is_saved_every_so_many_pages_not_only_at_close(tmp_path: Path):
    db = tmp_path / "store.db"
    pipeline = crawl(db)
    pipeline.SAVE_EVERY = 3
    for number in range(3):
        pipeline.learn("gazette", f"Headline {number}", page(number))
    with open_db(db) as store:  # the crawl has not closed: a kill now would keep this
        state = queries.outlet_memory(store, "gazette")
    assert state is not None and state["boilerplate"]["pages"] == 3
    pipeline.close_spider()


def test_outlet_memory_round_trip(tmp_path: Path):
    store = open_db(tmp_path / "store.db")
    learned = TitleAffixes()
    for number in range(4):
        learned.learn("gazette", f"Story {number} – Gazette")
    writes.save_outlet_memory(store, {"gazette": {"boilerplate": {"pages": 1, "lines": {"ab": 1}},
                                                  "title_affixes": learned.source_state("gazette")}})
    state = queries.outlet_memory(store, "gazette")
    assert state is not None and state["boilerplate"] == {"pages": 1, "lines": {"ab": 1}}
    again = TitleAffixes()
    again.restore("gazette", state["title_affixes"])
    assert again.affixes("gazette") == ["Gazette"] and again.clean("gazette", "News – Gazette") == "News"
    assert queries.outlet_memory(store, "nobody") is None
