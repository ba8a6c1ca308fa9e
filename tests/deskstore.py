"""A small store as the monitor writes it, built in milliseconds, for the desk and digest tests.

One story (a French source article), four outlets: three follow-ups (one of
them quoting the source), one wire copy of a follow-up, one copy of the
source, one passing mention. ``first_seen`` is set so "found since" and the
digest have a window to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage import open_db, writes

SOURCE_TEXT = (
    "DeepSeek, installée à Hangzhou, a présenté le 20 janvier son modèle DeepSeek-R1. "
    "Sam Altman a qualifié le modèle d'impressionnant au regard de son coût.\n"
    "Selon le rapport technique, l'entraînement final a coûté environ 5,6 millions de dollars. "
    "Yann LeCun y voit une victoire des modèles ouverts sur les modèles propriétaires."
)

ARTICLES: list[dict[str, Any]] = [
    {"key": "en", "source": "meridian", "language": "en", "label": "followup", "published": "2025-02-05T09:00:00+00:00",
     "first_seen": "2025-02-05T10:00:00+00:00", "title": "DeepSeek rattles Wall Street",
     "text": "DeepSeek wiped billions off chip stocks on Monday. Investors fear cheaper AI. "
             "DeepSeek said its model cost little to train. Analysts doubt DeepSeek's figures."},
    {"key": "fr", "source": "lecourrier", "language": "fr", "label": "followup",
     "published": "2025-02-06T08:00:00+01:00", "first_seen": "2025-02-06T09:00:00+00:00",
     "title": "DeepSeek : ce qu'en pensent les chercheurs",
     "text": "Sam Altman a qualifié le modèle d'impressionnant au regard de son coût. "
             "Yann LeCun y voit une victoire des modèles ouverts sur les modèles propriétaires.\n"
             "À Paris, les start-up françaises saluent une baisse des prix. "
             "Mistral prépare sa réponse pour le printemps."},
    {"key": "ja", "source": "kaihin", "language": "ja", "label": "followup", "published": "2025-01-28T07:00:00+09:00",
     "first_seen": "2025-02-06T11:00:00+00:00", "title": "ディープシーク・ショック、東京市場で半導体株が急落",
     "text": "中国のディープシークが発表したAIモデルを受け、東京市場で半導体株が急落した。投資家は警戒している。"},
    {"key": "dup", "source": "songhong", "language": "en", "label": "followup", "duplicate_of": "en",
     "duplicate_similarity": 0.94, "published": "2025-02-05T12:00:00+00:00", "first_seen": "2025-02-06T12:00:00+00:00",
     "title": "DeepSeek rattles Wall Street (wire)",
     "text": "DeepSeek wiped billions off chip stocks on Monday. Investors fear cheaper AI."},
    {"key": "copy", "source": "abendpost", "language": "fr", "label": "source_copy",
     "signals": {"source_similarity": 0.97}, "published": "2025-02-04T07:00:00+00:00",
     "first_seen": "2025-02-05T08:00:00+00:00", "title": "Ce que disent les grands noms de l'IA", "text": SOURCE_TEXT},
    {"key": "mention", "source": "abendpost", "language": "de", "label": "mention",
     "published": "2025-02-07T07:00:00+00:00", "first_seen": "2025-02-07T08:00:00+00:00",
     "title": "Mistral baut Rechenzentren", "text": "Mistral baut in Europa. Auch DeepSeek wird erwähnt."},
]


def build_store(path: Path) -> dict[str, int]:
    """Write the store at ``path``; returns each article's id by its key."""
    db = open_db(path)
    try:
        writes.upsert_story(db, {"name": "deepseek", "url": "http://127.0.0.1:9/source.html", "language": "fr",
                                 "title": "Ce que disent les grands noms de l'IA à propos de DeepSeek",
                                 "published": "2025-02-03", "since": "2025-01-20", "text": SOURCE_TEXT,
                                 "terms": '["DeepSeek", "ディープシーク", "Liang Wenfeng"]'})
        writes.upsert_sources(db, [{"name": n, "language": "en"} for n in
                                   ("meridian", "lecourrier", "kaihin", "songhong", "abendpost")])
        ids: dict[str, int] = {}
        for spec in ARTICLES:
            row = {k: v for k, v in spec.items() if k not in ("key", "first_seen")}
            row.update(story="deepseek", url=f"https://{spec['source']}.example/{spec['key']}",
                       canonical_url=f"https://{spec['source']}.example/{spec['key']}")
            if "duplicate_of" in row:
                row["duplicate_of"] = ids[row["duplicate_of"]]
            ids[spec["key"]] = writes.store_article(db, row, run_id=None, ledger_urls=[row["url"]],
                                                    signature=None, bands=[])
            with db.atomic():
                db["articles"].update(ids[spec["key"]], {"first_seen": spec["first_seen"]})
    finally:
        db.close()
    return ids
