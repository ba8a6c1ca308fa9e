"""How the desk describes a store's tables: descriptions, columns, facets, sort order, hidden tables.

Served by the plugin's ``get_metadata`` hook for every database that has the
monitor's tables, whatever the file is called (Datasette names a database after
its file), so nothing here is keyed by a database name.
"""

from __future__ import annotations

import copy
from typing import Any

# Bookkeeping of the crawler, the scheduler and the distributed ingest: nothing a reader needs.
# Datasette also hides every table whose name starts with one of these.
HIDDEN = ("_sqlite_migrations", "signatures", "lsh", "entry_dates", "job_events", "ingested_messages", "outlet_memory")

ARTICLE_COLUMNS = {
    "id": "The article's number in this store",
    "url": "Address the page was fetched from (tracking parameters removed)",
    "canonical_url": "The page's own canonical address (rel=canonical / og:url), unique in the store",
    "source": "Outlet (a [[source]] name in sources.toml)",
    "story": "The story the article was judged against",
    "kind": "What it counts as: followup (counted), duplicate (a wire copy of a stored follow-up, not counted "
            "again), source_copy (the source article again, or translated), mention (names the story in passing)",
    "label": "The relevance verdict before duplicates were grouped: followup, source_copy or mention",
    "score": "Relevance to the story, 0 to 1 (the article page says why, in words)",
    "matched": "The story's tracked terms found in the title and text",
    "signals": "The parts of the relevance score (title, lead, density, anchors; source_similarity and "
               "source_anchor_share for copies): the article page puts them in words",
    "duplicate_of": "The stored article this one near-duplicates (wire copies), else empty",
    "duplicate_similarity": "Estimated share of wording in common with that article, 0 to 1",
    "published": "Publication date (ISO 8601)",
    "published_from": "Where the date came from: feed, sitemap, html, url or none",
    "language": "ISO 639-1 language (und when unknown)",
    "language_reason": "detected, detected+declared, declared, too_short, low_confidence",
    "first_seen": "When the crawler stored it (UTC)",
    "found_via": "feed, sitemap or section page",
    "title": "Headline, as extracted from the page",
    "author": "Byline, when the page names one",
    "text": "The article's text (no menus, no comments)",
    "sitename": "The outlet's own name for itself (og:site_name)",
    "text_hash": "Hash of the normalised text (exact copies share it)",
    "run_id": "The crawl run that stored it",
    "undated": "1 when no publication date was found anywhere",
    "charset": "How the page was decoded",
    "charset_suspect": "Set when the declared or guessed charset looked wrong",
    "replacement_ratio": "Share of unreadable characters left in the text",
}

TABLES: dict[str, dict[str, Any]] = {
    "articles": {
        "description": "Every stored page: follow-ups of the story, copies of the source article, wire copies "
                       "(duplicate_of points at the first article of the group) and mentions. Facet on kind: "
                       "only 'followup' is counted as coverage. Search title and text with the search box.",
        "sort_desc": "published",
        "label_column": "title",
        "facets": ["kind", "language", "source", {"date": "published"}, "story"],
        "columns": ARTICLE_COLUMNS,
        "fts_table": "articles_fts",
        "fts_pk": "id",
    },
    "urls": {
        "description": "The ledger: every URL discovered and where its journey ended, with a reason. "
                       "Answers 'why is this article missing?'",
        "sort_desc": "last_seen",
        "facets": ["status", "reason", "source"],
        "columns": {
            "status": "stored, skipped (a normal reason) or error (fetch failure)",
            "reason": "followup, source_copy, duplicate, duplicate_url, too_old, off_topic, not_article, no_text, "
                      "empty_body, story_source, http_404, timeout, not_a_feed...",
            "detail": "Readable detail of the reason (score, date, HTTP status)",
            "article_id": "The stored article, when there is one",
            "found_via": "feed, sitemap, section, or config (a configured feed/sitemap URL)",
        },
    },
    "crawl_runs": {
        "description": "One row per crawl (spider × source or all sources), with Scrapy's finish reason and "
                       "counts per outcome.",
        "sort_desc": "id",
        "facets": ["spider", "status", "finish_reason"],
        "columns": {
            "status": "running, finished, failed, timeout (stopped at its time limit), interrupted (stopped at "
                      "scheduler shutdown) or crashed",
            "log_tail": "The last lines of output of a crawl that did not finish well",
            "counts": "Every outcome counted: stored/<label>, skipped/<reason>, error/<reason>, already_known",
            "error_messages": "The last errors of the run",
            "already_known": "URLs found again and not fetched (already in the ledger)",
        },
    },
    "stories": {
        "description": "The stories followed, with the text of each source article.",
        "columns": {
            "url": "The source article",
            "since": "Start of the coverage window: older pages are skipped unfetched",
            "terms": "Tracked terms (JSON list), in every script",
            "text": "The source article's text, as compared with every page",
            "text_from": "Where the text came from: the configured file or the crawl",
        },
    },
    "sources": {
        "description": "The outlets watched, as configured in sources.toml.",
        "facets": ["unhealthy", "language"],
        "columns": {
            "feeds": "RSS/Atom/RDF/JSON feed URLs (JSON list)",
            "sitemaps": "News sitemap, sitemap index or robots.txt URLs (JSON list)",
            "sections": "Section pages (JSON list)",
            "every": "How often the scheduler crawls it",
            "unhealthy": "1 when the source's feeds, sitemaps or sections failed MONITOR_UNHEALTHY_AFTER runs in a row",
            "unhealthy_reason": "Why the source is unhealthy",
            "consecutive_failures": "Runs in a row with a failed listing",
            "last_success": "Last time a listing of the source was fetched and read",
            "last_error": "Last listing failure",
            "discovered_feeds": "Feeds found on the home page (sources without 'feeds')",
            "discovered_sitemaps": "Sitemaps found in robots.txt (sources without 'sitemaps')",
        },
    },
    "listings": {
        "description": "Every feed, sitemap and section page fetched: conditional-GET validators (ETag, "
                       "Last-Modified) and health, per URL.",
        "facets": ["kind", "source"],
    },
    "alerts": {
        "description": "Webhook alerts: one row per webhook and finished crawl with new follow-ups, with its "
                       "delivery outcome (MONITOR_ALERT_WEBHOOKS).",
        "sort_desc": "id",
        "facets": ["status", "webhook"],
        "columns": {
            "webhook": "The URL the JSON was POSTed to",
            "run_ids": "The crawl runs whose new follow-ups it announces (JSON list)",
            "article_ids": "The follow-ups announced (JSON list of article ids)",
            "payload": "The JSON body sent (chat-ready text plus the data)",
            "status": "pending, delivered or failed",
            "attempts": "Tries made (the first one and its retries)",
            "http_status": "The receiver's last HTTP status, if it answered",
            "error": "Why the last try failed",
        },
    },
    "digests": {
        "description": "Daily digests of new follow-ups: one row per channel (e-mail or webhook) and digest, "
                       "with its delivery outcome (MONITOR_DIGEST_*, MONITOR_SMTP_*).",
        "sort_desc": "id",
        "facets": ["status", "channel"],
        "columns": {
            "channel": "email or webhook",
            "target": "The recipients, or the webhook URL",
            "since": "Follow-ups found from (UTC)...",
            "until": "...to (UTC, excluded)",
            "payload": "What was sent: the e-mail's text, or the JSON body",
            "status": "pending, delivered or failed",
            "attempts": "Tries made (the first one and its retries)",
            "error": "Why the last try failed",
        },
    },
}


def store_tables(*, has_kind: bool) -> dict[str, dict[str, Any]]:
    """The metadata of a store's tables. A store written before ``articles.kind`` existed facets on ``label``."""
    tables = copy.deepcopy(TABLES)
    if not has_kind:
        tables["articles"]["facets"][0] = "label"
    for name in HIDDEN:
        tables[name] = {"hidden": True}
    return tables
