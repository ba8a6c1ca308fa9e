"""Dates: the day the outlet's reader sees, from declared timestamps, the outlet's zone and the written date."""

from __future__ import annotations

import trafilatura

from pipelines.dates import outlet_zone, parse_stamp, written_days
from pipelines.pagemeta import read_metadata


def day_of(head: str, body: str = "", url: str = "https://www.gazette.example/news/story.html",
           lang: str = "", want_date: bool = False) -> str | None:
    html = (f"<html{f' lang={lang!r}' if lang else ''}><head>{head}</head>"
            f"<body>{body}<p>{'Text of the story. ' * 30}</p></body></html>")
    return read_metadata(trafilatura.load_html(html), url=url, want_date=want_date).published


LATE_UTC = '<meta property="article:published_time" content="2022-05-04T00:53:29Z">'


def test_a_utc_timestamp_is_moved_to_the_zone_of_the_outlets_country():
    assert day_of(LATE_UTC, url="https://www.diario.com.ar/politica/nota.html") == "2022-05-03"  # 21:53 in Buenos Aires
    assert day_of(LATE_UTC, url="https://www.zeitung.de/politik/artikel.html") == "2022-05-04"  # 02:53 in Berlin


def test_a_language_tags_region_places_an_outlet_on_a_generic_domain():
    assert day_of(LATE_UTC, url="https://www.diario.com/nota.html", lang="es-AR") == "2022-05-03"


def test_spanish_alone_does_not_place_an_outlet_in_europe():
    late = '<meta property="article:published_time" content="2022-05-05T22:12:00Z">'
    assert day_of(late, url="https://www.diario.com/nota.html", lang="es") == "2022-05-05"
    assert day_of(late, url="https://www.diario.com/nota.html", lang="de") == "2022-05-06"  # 00:12 in Berlin


def test_the_offset_a_page_writes_in_a_time_element_is_its_own():
    body = '<time datetime="2022-05-03T23:37:37-04:00">3 May 2022</time>'
    assert day_of('<meta property="article:published_time" content="2022-05-04T03:37:37Z">', body,
                  url="https://www.island.example/nota.html") == "2022-05-03"


def test_countries_over_several_offsets_give_no_zone():
    assert outlet_zone("https://www.paper.us/story", None) is None
    assert outlet_zone("https://startup.io/story", None) is None  # a country domain sold as a generic name
    assert outlet_zone("https://www.paper.co.uk/story", None) is not None


def test_rfc_2822_dates_are_read():
    assert day_of('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Story",'
                  ' "datePublished": "Wed, 04 May 2022 12:41:00 GMT"}</script>') == "2022-05-04"
    parsed = parse_stamp("Wed, 04 May 2022 02:41:00 -0400")
    assert parsed is not None and parsed[0].isoformat() == "2022-05-04" and parsed[2] is not None


def test_the_written_date_beside_the_headline_wins_over_a_server_clock_a_day_apart():
    stamp = '<meta property="article:published_time" content="2019-12-26T23:07:45+00:00">'
    assert day_of(stamp, url="https://www.paper.ch/?p=5031") == "2019-12-27"  # 00:07 in Zurich
    assert day_of(stamp, '<time datetime="2019-12-26T23:07:45+00:00">26/12/2019</time>',
                  url="https://www.paper.ch/?p=5031") == "2019-12-26"


def test_a_written_date_a_day_from_a_local_timestamp_is_someone_elses():
    stamp = '<meta property="article:published_time" content="2020-01-13T18:54:00+01:00">'
    comment = '<aside><time datetime="2020-01-14T13:47:02+01:00">14. 01. 2020, 13:47</time></aside>'
    assert day_of(stamp, comment) == "2020-01-13"


def test_the_url_date_beats_a_time_element_from_a_sidebar():
    sidebar = '<aside><time class="entry-published" datetime="2009-04-11 18:06:36">11. April 2009</time></aside>'
    assert day_of("", sidebar, url="https://www.blog.example/2019/10/22/story/") == "2019-10-22"
    assert day_of("", sidebar, url="https://www.blog.example/story/") == "2009-04-11"


def test_written_days_reads_both_orders_of_a_slashed_date():
    assert [d.isoformat() for d in written_days("am 03.04.2020, 12:35")] == ["2020-04-03"]
    assert [d.isoformat() for d in written_days("11/08/2020")] == ["2020-08-11", "2020-11-08"]
    assert [d.isoformat() for d in written_days("26/12/2019")] == ["2019-12-26"]
    assert written_days("no date here") == []


def test_a_date_announced_in_words_beats_the_time_of_a_comment():
    page = ('<article><p>Veröffentlicht am 16.08.2019</p></article>'
            '<section class="comments"><time datetime="2019-08-24T03:36:11+02:00">24. August 2019</time></section>')
    tree = trafilatura.load_html(f"<html><head></head><body>{page}<p>{'Text. ' * 50}</p></body></html>")
    assert read_metadata(tree, url="https://www.podcast.example/res158/").published == "2019-08-16"
    words = '<script>/* Date: 17.04.2020 */</script><p>Publié le 5 février 2021</p>'
    tree = trafilatura.load_html(f"<html><head></head><body>{words}<p>{'Texte. ' * 50}</p></body></html>")
    assert read_metadata(tree, url="https://www.journal.example/article").published == "2021-02-05"


def test_an_announced_date_does_not_override_a_declared_one():
    head = '<meta property="article:published_time" content="2021-03-02T10:00:00+01:00">'
    assert day_of(head, "<p>Published on 5 March 2021</p>") == "2021-03-02"


def test_a_change_announced_dates_a_page_that_announces_no_publication():
    page = "<p>Interne Unterlagen im Netz</p><p>Stand: 28.04.2020 18:05 Uhr</p>"
    tree = trafilatura.load_html(f"<html><head></head><body>{page}<p>{'Text. ' * 50}</p></body></html>")
    assert read_metadata(tree, url="https://www.sender.example/investigativ/leak-101.html").published == "2020-04-28"
    both = "<p>Updated June 20, 2019</p><p>Written: 2019-06-13</p>"
    tree = trafilatura.load_html(f"<html><head></head><body>{both}<p>{'Text. ' * 50}</p></body></html>")
    assert read_metadata(tree, url="https://www.recipes.example/cake").published == "2019-06-13"


LD_DATES = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Skin care",'
            ' "datePublished": "2019-10-15T16:59:59Z", "dateModified": "2020-03-12T14:42:17Z"}</script>')


def test_a_page_showing_only_its_change_is_dated_by_it():
    assert day_of(LD_DATES, '<p class="date">Updated Mar 12, 2020</p>', want_date=True) == "2020-03-12"
    assert day_of(LD_DATES, '<p class="date">Le 12 mars 2020</p>', want_date=True) == "2020-03-12"
    # In a crawl the feed's date comes first and the page's is not searched: the declaration is kept.
    assert day_of(LD_DATES, '<p class="date">Updated Mar 12, 2020</p>') == "2019-10-15"


def test_a_page_showing_its_publication_keeps_it():
    assert day_of(LD_DATES, '<p>Published 15.10.2019, updated 12.03.2020</p>', want_date=True) == "2019-10-15"
    assert day_of(LD_DATES, "<p>No date written here.</p>", want_date=True) == "2019-10-15"
