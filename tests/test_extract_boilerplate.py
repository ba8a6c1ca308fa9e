"""Per-outlet boilerplate: a block recurring across an outlet's pages goes, a one-off paragraph stays."""

from __future__ import annotations

import json

from pipelines.boilerplate import Boilerplate, drop_prompts

NEWSLETTER = "Sign up for our morning briefing and get the day's news in your inbox."
COPYRIGHT = "© 2025 Example Gazette. All rights reserved."


def page(number: int) -> str:
    return "\n".join([f"Story number {number} begins with a paragraph nobody else wrote, about topic {number}.",
                      NEWSLETTER, f"A second paragraph, also unique to story {number}, with its own facts.", COPYRIGHT])


def test_recurring_block_disappears_and_one_off_paragraph_stays():
    learned = Boilerplate(min_pages=3)
    for number in range(5):
        learned.learn_and_clean("gazette", page(number))
    cleaned = learned.clean("gazette", page(99))
    assert NEWSLETTER not in cleaned and COPYRIGHT not in cleaned
    assert "Story number 99 begins" in cleaned and "unique to story 99" in cleaned
    # Another outlet has learned nothing: its text is untouched.
    assert learned.clean("other", page(99)) == page(99)


def test_a_page_does_not_remove_its_own_lines_and_nothing_is_emptied():
    learned = Boilerplate(min_pages=2)
    assert learned.learn_and_clean("gazette", page(1)) == page(1)
    for _ in range(3):
        learned.learn("gazette", NEWSLETTER)
    assert learned.clean("gazette", NEWSLETTER) == NEWSLETTER  # all boilerplate: keep the text rather than nothing


def test_counts_are_bounded_and_round_trip_through_json():
    learned = Boilerplate(min_pages=3, max_lines=50, max_sources=2)
    for number in range(200):
        learned.learn("gazette", page(number))
    learned.learn("second", page(1))
    learned.learn("third", page(1))  # beyond max_sources: not learned
    assert len(learned.counts["gazette"]) <= 50 and "third" not in learned.counts
    restored = Boilerplate.from_json(json.loads(json.dumps(learned.to_json())), min_pages=3)
    assert restored.clean("gazette", page(500)) == learned.clean("gazette", page(500))
    assert NEWSLETTER not in restored.clean("gazette", page(500))


def test_reader_prompts_are_dropped_without_history():
    text = "The minister resigned on Monday.\nRead more: Why the minister resigned\nThe vote is next week."
    assert drop_prompts(text) == "The minister resigned on Monday.\nThe vote is next week."
    long_line = "Read more carefully and you will see " + "that the report says much more " * 8
    assert drop_prompts(long_line) == long_line  # a paragraph, not a prompt
