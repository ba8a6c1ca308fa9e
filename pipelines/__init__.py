"""Item pipelines, one step per module, in this order (``ITEM_PIPELINES``):

    100  pipelines.extract.ExtractPipeline      page → text and metadata (trafilatura)
    200  pipelines.relevance.RelevancePipeline  text → score, matched terms, followup | mention | off_topic
    300  pipelines.language.LanguagePipeline    language of a page relevance kept (langdetect, seeded)
    400  pipelines.dedup.DedupPipeline          source copies, off-topic drop, near-duplicates
    500  pipelines.store.StorePipeline          article + ledger rows, crawl_runs counts

Each class is a thin Scrapy adapter over plain code that needs no crawler
(``best_story``, ``deduplicate``, ``ArticleStore``); the distributed ingest
runs the last two itself. Pipelines never make HTTP requests. A page that is
not stored is dropped with a :mod:`pipelines.drops` exception whose
``reason`` lands in ``urls``.
"""
