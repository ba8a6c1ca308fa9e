"""One vocabulary: what the store records is what the docs list, and it reads back as plain strings."""

from __future__ import annotations

import json
import re
from pathlib import Path

from storage.vocabulary import Label, Reason, Status, http_reason

ROOT = Path(__file__).resolve().parent.parent


def test_members_are_their_values_in_sqlite_json_and_text(db):
    db["urls"].insert({"url": "https://example.org/a", "status": Status.SKIPPED, "reason": Reason.TOO_OLD})
    row = next(db.query("select status, reason from urls"))
    assert row == {"status": "skipped", "reason": "too_old"}
    assert json.dumps([Label.FOLLOWUP, Reason.DUPLICATE_URL]) == '["followup", "duplicate_url"]'
    assert f"{Reason.ROBOTS_TXT}" == "robots_txt" and http_reason(404) == "http_404"


def test_every_reason_the_docs_list_is_in_the_vocabulary():
    text = (ROOT / "docs" / "how-it-decides.md").read_text(encoding="utf-8")
    listed = text[text.index("and a `reason`:"):text.index("## Discovery")]
    codes = set(re.findall(r"`([a-z_]+)`", listed)) - {"http_404", "reason"}
    assert codes and codes <= {r.value for r in Reason}, codes - {r.value for r in Reason}
    assert {label.value for label in Label} <= {r.value for r in Reason} | {"off_topic"}
