"""A store written before the schema's migrations and tables were renamed opens, keeps its data, runs nothing twice."""

from __future__ import annotations

import shutil
from pathlib import Path

from storage import open_db
from storage.schema import FORMER_NAMES, migrations

OLD_STORE = Path(__file__).parent / "data" / "store-before-renames.db"


def test_a_store_written_before_the_renames_opens_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(OLD_STORE, path)
    db = open_db(path)
    try:
        applied = [m.name for m in migrations.applied(db)]
        assert not set(FORMER_NAMES) & set(applied)  # every record renamed...
        assert len(applied) == len(set(applied))  # ...and nothing applied twice
        fresh = open_db(tmp_path / "fresh.db")
        assert set(applied) == {m.name for m in migrations.applied(fresh)}
        fresh.close()
        assert not migrations.pending(db)
        tables = set(db.table_names())
        assert "ingested_messages" in tables and "m9_ingested" not in tables
        assert [r["id"] for r in db["ingested_messages"].rows] == ["msg-1"]
        assert [r["title"] for r in db["articles"].rows] == ["Follow-up"]
        assert [(r["status"], r["reason"]) for r in db["urls"].rows] == [("stored", "followup")]
        assert db["stories"].get("s")["terms"] == '["DeepSeek"]'
    finally:
        db.close()


def test_a_new_store_gets_the_tables_under_their_names(tmp_path):
    db = open_db(tmp_path / "new.db")
    try:
        assert "ingested_messages" in db.table_names() and "m9_ingested" not in db.table_names()
        assert not migrations.pending(db)
    finally:
        db.close()
