"""Follow-ups as a message people read: plain text, Slack mrkdwn and HTML, and the chat-ready JSON.

The alerts and the digest post one JSON body to every webhook. It carries the
message three ways, so the same URL list works with the common receivers:

* ``text``: Slack (and Mattermost, Rocket.Chat) incoming webhooks post it, links as ``<url|title>``;
* ``html``: Matrix hookshot generic webhooks post it instead of ``text``;
* ``msgtype``, ``body``, ``format``, ``formatted_body``: the content of a Matrix
  ``m.room.message`` event, for relays that forward the body as it is;

plus the data (``event``, ``count``, ``followups`` …) for programs.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Message:
    plain: str
    slack: str
    html: str


def _when(article: Mapping[str, Any]) -> str:
    return str(article.get("published") or "no date")[:10]


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def render(heading: str, groups: Iterable[tuple[str, list[Mapping[str, Any]]]]) -> Message:
    """A heading, then per story its title and one line per follow-up: date, title (linked), outlet, language."""
    plain, slack = [heading, ""], [f"*{_slack_escape(heading)}*"]
    markup = [f"<p><strong>{html.escape(heading)}</strong></p>"]
    for title, articles in groups:
        head = f"{title}: {plural(len(articles), 'new follow-up')}"
        plain.append(head)
        slack.append(f"\n*{_slack_escape(head)}*")
        markup.append(f"<p><em>{html.escape(head)}</em></p><ul>")
        for a in articles:
            name = str(a.get("title") or a.get("url"))
            where = f"{a.get('outlet') or a.get('source')} ({a.get('language') or 'und'})"
            plain.append(f"  - {_when(a)}  {name} — {where}\n    {a.get('url')}")
            slack.append(f"• {_when(a)} <{a.get('url')}|{_slack_escape(name)}> — {_slack_escape(where)}")
            markup.append(f'<li>{_when(a)} <a href="{html.escape(str(a.get("url")), quote=True)}">'
                          f"{html.escape(name)}</a> — {html.escape(where)}</li>")
        plain.append("")
        markup.append("</ul>")
    return Message(plain="\n".join(plain).rstrip() + "\n", slack="\n".join(slack), html="".join(markup))


def payload(message: Message, data: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body of a webhook post: the message for chats, the data for programs."""
    return {**data, "text": message.slack, "html": message.html, "msgtype": "m.text", "body": message.plain,
            "format": "org.matrix.custom.html", "formatted_body": message.html}


def by_story(articles: Iterable[Mapping[str, Any]],
             titles: Mapping[str, str]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Articles grouped by story (in first-seen order), each under the story's title in quotes."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for a in articles:
        groups.setdefault(str(a.get("story") or ""), []).append(a)
    return [(f"“{titles[s]}”" if titles.get(s) else (s or "the story"), rows) for s, rows in groups.items()]
