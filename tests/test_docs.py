"""The docs tell the truth: settings, spiders, pipelines order, canned queries."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from crawler import settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


CONFIGURATION = ROOT / "docs" / "configuration.md"
REFERENCE_START = "<!-- settings: generated from crawler/settings.py by `python -m tests.test_docs`; do not edit -->"
REFERENCE_END = "<!-- settings: end -->"
_DEFAULT_RE = re.compile(r'(?:os\.environ\.get|_flag)\("(MONITOR_\w+)",\s*("?)([^")]*)\2\)')


def settings_reference() -> str:
    """The settings reference: every ``MONITOR_*`` setting of crawler/settings.py, its default and its comment."""
    out, comment, section = [REFERENCE_START], [], None
    for line in (ROOT / "crawler" / "settings.py").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        heading = re.match(r"^# --- (.+?) -+$", stripped)
        if heading:
            section, comment = heading.group(1), []
        elif stripped.startswith("#"):
            comment.append(stripped.lstrip("#").strip())
        elif re.match(r"^MONITOR_\w+\s*=", stripped) or (re.match(r"^\w+\s*=", stripped)
                                                          and _DEFAULT_RE.search(stripped)):
            found = _DEFAULT_RE.search(stripped)
            name = found.group(1) if found else stripped.split("=")[0].strip()
            default = found.group(3) if found else stripped.split("=", 1)[1].strip()
            if name != stripped.split("=")[0].strip():  # read into one of Scrapy's settings
                comment.append(f"(Sets `{stripped.split('=')[0].strip()}`.)")
            if section:
                out += ["", f"### {section}", "", "| setting | default | meaning |", "|---|---|---|"]
                section = None
            meaning = " ".join(comment).replace("|", "\\|")
            shown = default.lower() if default in ("True", "False") else default
            out.append(f"| `{name}` | `{shown}` | {meaning} |" if shown else f"| `{name}` | empty | {meaning} |")
            comment = []
        else:
            comment = []
    return "\n".join([*out, "", REFERENCE_END])


def test_every_monitor_setting_is_in_the_generated_reference():
    names = [n for n in dir(settings) if n.startswith("MONITOR_")]
    assert {"MONITOR_SOURCES", "MONITOR_DB", "MONITOR_ALLOWED_HOSTS"} <= set(names)
    reference = settings_reference()
    missing = [n for n in names if f"| `{n}` |" not in reference]
    assert not missing, f"settings without a comment line above them in crawler/settings.py: {missing}"
    text = CONFIGURATION.read_text(encoding="utf-8")
    current = text[text.index(REFERENCE_START):text.index(REFERENCE_END) + len(REFERENCE_END)]
    assert current == reference, "docs/configuration.md is not up to date: run `python -m tests.test_docs`"


def test_readme_starts_with_the_two_commands():
    head = README[:1500]
    assert "make demo" in head and "make test" in head


def test_scrapy_list_shows_every_spider_and_readme_names_them():
    out = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["feeds", "sections", "sitemaps"]
    for name in out:
        assert f"scrapy crawl {name}" in README


def test_pipeline_docstring_mirrors_item_pipelines():
    import pipelines

    documented = dict((path, int(prio)) for prio, path in
                      re.findall(r"^\s+(\d+)\s+(pipelines\.\S+)", pipelines.__doc__ or "", re.M))
    assert documented == settings.ITEM_PIPELINES


def test_the_desk_keys_nothing_by_database_name_and_its_queries_run(tmp_path):
    from desk.tables import HIDDEN, TABLES
    from storage import coverage, open_db

    meta = json.loads((ROOT / "desk" / "metadata.json").read_text(encoding="utf-8"))
    assert "databases" not in meta  # tables, queries and facets come from the plugin, for any file name
    db = open_db(tmp_path / "any-name.db")
    tables = set(db.table_names())
    for table in [*TABLES, *HIDDEN]:
        assert table in tables, table
    for name, query in coverage.CANNED_QUERIES.items():
        params = {p: "2025-01-01" for p in re.findall(r":(\w+)", query["sql"])}
        list(db.query(query["sql"], params))  # raises on a broken query
        assert query["title"] and query["description"], name
    db.close()


def test_the_desk_guide_names_every_canned_query():
    from storage import coverage

    guide = (ROOT / "docs" / "desk.md").read_text(encoding="utf-8")
    missing = [name for name in coverage.CANNED_QUERIES if not re.search(rf"`{name}[`?]", guide)]
    assert not missing, f"canned queries missing from docs/desk.md: {missing}"


# --- Every command the README and docs/ show, run ------------------------------------------
#
# A fenced block without a language holds `$ ` command lines (the rest is their
# output, as the reader sees it) and is run, in order, one bash script per file,
# in a folder that holds what the commands name: `sources.toml` (the local news
# web's outlets), `article.html` (its source article), and `scrapy.cfg`,
# `scheduler.py` and `.venv` of this clone; `MONITOR_ALLOWED_HOSTS=127.0.0.0/8` lets the
# crawls reach the local web. A command may fail only when the next one is
# `echo $?` (it shows the exit status). A block that cannot run here says why
# just before it: `<!-- not run: a daemon, tests/test_scheduler.py runs it -->`.
# Diagrams and output alone are ```text, configs ```toml and so on.

DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK_RE = re.compile(r"(?:<!-- not run: (?P<reason>.*?) -->\n)?^(?P<indent>[ \t]*)```(?P<lang>[^\n]*)\n"
                      r"(?P<body>.*?)^(?P=indent)```", re.S | re.M)


def doc_blocks(path):
    """``(line, reason, commands)`` for every plain fenced block of ``path``."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in BLOCK_RE.finditer(text):
        if match["lang"].strip():
            continue
        commands, pending, heredoc = [], "", None
        for line in match["body"].splitlines():
            line = line[len(match["indent"]):] if line.startswith(match["indent"]) else line
            if pending:
                pending += "\n" + line
                if heredoc and line == heredoc:
                    heredoc = None
            elif line.startswith("$ "):
                pending = line[2:]
                opened = re.search(r"<<'?(\w+)'?", pending)
                heredoc = opened.group(1) if opened else None
            if pending and not heredoc and not pending.endswith("\\"):
                commands.append(pending)
                pending = ""
        found.append((text[:match.start()].count("\n") + 1, match["reason"], commands))
    return found


def test_every_plain_block_is_commands_or_says_why_not():
    for path in DOC_FILES:
        for line, reason, commands in doc_blocks(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            assert commands or reason is not None, f"{where}: no `$ ` command and no <!-- not run: why -->"
            assert reason is None or len(reason.strip()) > 10, f"{where}: say why it is not run"


def test_readme_is_short_and_links_every_doc():
    assert len(README.splitlines()) <= 250
    for doc in (ROOT / "docs").glob("*.md"):
        assert f"docs/{doc.name}" in README, f"README.md does not link docs/{doc.name}"
    for path in DOC_FILES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"/(?:work|srv|home|root|tmp)/\w", text), f"{path.name} shows a machine path"


def _script(commands):
    lines = ["set -o pipefail"]
    for i, command in enumerate(commands):
        tolerated = i + 1 < len(commands) and commands[i + 1].strip() == "echo $?"
        lines.append(command if tolerated else
                     f"{command}\n_s=$?; if [ $_s -ne 0 ]; then echo \"docs: command {i} exited $_s\" >&2; exit 1; fi")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def doc_folder(localweb, localweb_sources, tmp_path_factory):
    from localweb.site import story_page

    folder = tmp_path_factory.mktemp("docs")
    (folder / "sources.toml").write_text(localweb_sources.read_text(encoding="utf-8"), encoding="utf-8")
    with urllib.request.urlopen(localweb.url(story_page()), timeout=30) as page:
        (folder / "article.html").write_bytes(page.read())
    for name in ("scrapy.cfg", "scheduler.py"):
        (folder / name).symlink_to(ROOT / name)
    (folder / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the README's .venv/bin/monitor
    return folder


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.name)
def test_every_command_shown_runs(path, doc_folder, tmp_path):
    commands = [c for _, reason, block in doc_blocks(path) if reason is None for c in block]
    if not commands:
        pytest.skip(f"{path.name} shows no command to run")
    folder = tmp_path / "run"
    shutil.copytree(doc_folder, folder, symlinks=True)
    env = dict(os.environ, MONITOR_ALLOWED_HOSTS="127.0.0.0/8", PYTHONUNBUFFERED="1",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for name in ("MONITOR_SOURCES", "MONITOR_DB"):
        env.pop(name, None)
    result = subprocess.run(["bash", "-c", _script(commands)], cwd=folder, env=env, capture_output=True, text=True,
                            timeout=900)
    failed = re.search(r"docs: command (\d+) exited (\d+)", result.stderr)
    what = f"`{commands[int(failed[1])]}` exited {failed[2]}" if failed else f"exit status {result.returncode}"
    assert result.returncode == 0, f"{path.name}: {what}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, f"{path.name}: a traceback\n{result.stderr[-3000:]}"


if __name__ == "__main__":  # regenerate the settings reference of docs/configuration.md
    text = CONFIGURATION.read_text(encoding="utf-8")
    start, end = text.index(REFERENCE_START), text.index(REFERENCE_END) + len(REFERENCE_END)
    CONFIGURATION.write_text(text[:start] + settings_reference() + text[end:], encoding="utf-8")
    print(f"{CONFIGURATION.relative_to(ROOT)}: settings reference regenerated")
