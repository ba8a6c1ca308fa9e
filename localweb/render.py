"""Rendering of the local news web's HTML: article pages and list pages (home, section,
archive) with their boilerplate, and a page of markup garbage.

Every function is pure: it takes data and the outlet's base URL and returns bytes.
"""

from __future__ import annotations

import json
import random
from html import escape as _html_escape

from localweb.chrome import CHROME, OG_LOCALES, display_date, iso, summary_of
from localweb.feeds import FEED_CONTENT_TYPES
from localweb.model import BROKEN_KINDS, Outlet, Page
from localweb.site import is_tech, published_at

__all__ = [
    "related_pages",
    "render_article",
    "render_list_page",
    "render_no_text",
]


def _h(text: str) -> str:
    return _html_escape(text, quote=True)


def _head(
    outlet: Outlet,
    *,
    language: str,
    title: str,
    description: str,
    url: str,
    og_type: str,
    base_url: str,
    extra: str = "",
) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_h(language)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n"
        f'<meta name="description" content="{_h(description)}">\n'
        f'<link rel="canonical" href="{_h(url)}">\n'
        f'<meta property="og:site_name" content="{_h(outlet.name)}">\n'
        f'<meta property="og:type" content="{og_type}">\n'
        f'<meta property="og:url" content="{_h(url)}">\n'
        f'<meta property="og:locale" content="{OG_LOCALES.get(language, language)}">\n'
        f"{extra}"
        f'<link rel="alternate" type="{FEED_CONTENT_TYPES[outlet.feed_format].split(";")[0]}" '
        f'title="{_h(outlet.name)}" href="{_h(base_url + outlet.feed_path)}">\n'
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        ".cookie-banner{position:fixed;bottom:0;background:#eee}</style>\n"
        "</head>\n"
    )


def _masthead(outlet: Outlet) -> str:
    chrome = CHROME[outlet.language]
    items = [f'<li><a href="/">{_h(chrome["home"])}</a></li>']
    items.append(f'<li class="active"><a href="/tech/">{_h(chrome["tech"])}</a></li>')
    for label in chrome["nav"].split("|"):
        anchor = label.lower().replace(" ", "-")
        items.append(f'<li><a href="/#{_h(anchor)}">{_h(label)}</a></li>')
    return (
        '<div class="cookie-banner" role="dialog" aria-live="polite">\n'
        f'<p>{_h(chrome["cookie"])}</p>\n'
        f'<button type="button" class="accept">{_h(chrome["accept"])}</button> '
        f'<button type="button" class="refuse">{_h(chrome["refuse"])}</button>\n'
        "</div>\n"
        '<header class="site-header">\n'
        f'<a class="logo" href="/">{_h(outlet.name)}</a>\n'
        f'<a class="subscribe" href="/#newsletter">{_h(chrome["subscribe"])}</a>\n'
        f'<nav class="main-menu"><ul>{"".join(items)}</ul></nav>\n'
        "</header>\n"
    )


def _footer(outlet: Outlet, year: int = 2025) -> str:
    chrome = CHROME[outlet.language]
    contact = f"redaction@{outlet.key}.example"
    return (
        '<footer class="site-footer">\n'
        f"<p>{_h(chrome['footer'])}</p>\n"
        "<ul>"
        f'<li><a href="/">{_h(chrome["home"])}</a></li>'
        f'<li><a href="/tech/">{_h(chrome["tech"])}</a></li>'
        f'<li><a href="{_h(outlet.feed_path)}">{_h(chrome["feed"])}</a></li>'
        f'<li><a href="/sitemap_index.xml">{_h(chrome["sitemap"])}</a></li>'
        f'<li><a href="mailto:{contact}">{_h(chrome["contact"])}</a></li>'
        "</ul>\n"
        f"<p class=\"copyright\">© {year} {_h(outlet.name)}. {_h(chrome['rights'])}</p>\n"
        "</footer>\n"
    )


def _json_ld(data: dict[str, object]) -> str:
    payload = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{payload}\n</script>\n'


def render_article(
    page: Page,
    outlet: Outlet,
    base_url: str,
    related: list[Page],
) -> bytes:
    """A full article page with its boilerplate around an ``<article>``."""
    url = base_url + page.path
    when = published_at(page)
    chrome = CHROME[outlet.language]
    description = summary_of(page, 160)
    section, section_href = (
        (chrome["section"], "/tech/") if is_tech(page) else (chrome["latest"], "/")
    )
    ld = _json_ld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": page.title,
            "description": description,
            "datePublished": iso(when),
            "dateModified": iso(when),
            "inLanguage": page.language,
            "author": [{"@type": "Person", "name": page.author}],
            "publisher": {"@type": "Organization", "name": outlet.name, "url": base_url + "/"},
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "url": url,
            "articleSection": section,
        }
    )
    extra = (
        f'<meta property="og:title" content="{_h(page.title)}">\n'
        f'<meta property="og:description" content="{_h(description)}">\n'
        f'<meta name="author" content="{_h(page.author)}">\n'
        f'<meta property="article:published_time" content="{iso(when)}">\n'
        f'<meta property="article:modified_time" content="{iso(when)}">\n'
        f'<meta property="article:section" content="{_h(section)}">\n'
        f"{ld}"
    )
    head = _head(
        outlet,
        language=page.language,
        title=f"{page.title} – {outlet.name}",
        description=description,
        url=url,
        og_type="article",
        base_url=base_url,
        extra=extra,
    )
    paragraphs = "\n".join(f"<p>{_h(text)}</p>" for text in page.paragraphs)
    related_items = "\n".join(
        f'<li><a href="{_h(other.path)}">{_h(other.title)}</a></li>' for other in related
    )
    body = (
        "<body>\n"
        f"{_masthead(outlet)}"
        '<main class="content">\n'
        '<p class="breadcrumb">'
        f'<a href="/">{_h(chrome["home"])}</a> › <a href="{section_href}">{_h(section)}</a></p>\n'
        "<article>\n<header>\n"
        f"<h1>{_h(page.title)}</h1>\n"
        f'<p class="byline">{_h(chrome["by"])} <span class="author">{_h(page.author)}</span></p>\n'
        f'<p class="dateline"><time datetime="{iso(when)}">{_h(display_date(when, outlet.language))}</time></p>\n'
        "</header>\n"
        f'<div class="article-body">\n{paragraphs}\n</div>\n'
        "</article>\n"
        '<aside class="related">\n'
        f"<h2>{_h(chrome['related'])}</h2>\n<ul>\n{related_items}\n</ul>\n"
        "</aside>\n"
        '<aside class="newsletter" id="newsletter">'
        f'<form action="/#newsletter"><input type="email" name="email">'
        f'<button type="submit">{_h(chrome["subscribe"])}</button></form></aside>\n'
        "</main>\n"
        f"{_footer(outlet, when.year)}"
        "</body>\n</html>\n"
    )
    return (head + body).encode("utf-8")


def render_list_page(
    outlet: Outlet,
    base_url: str,
    *,
    path: str,
    title: str,
    intro: str,
    pages: list[Page],
    language: str | None = None,
) -> bytes:
    """A list page (home, section, archive): ``og:type`` website, links with teasers."""
    url = base_url + path
    items = []
    for page in pages:
        when = published_at(page)
        items.append(
            '<li class="teaser">'
            f'<h3><a href="{_h(page.path)}">{_h(page.title)}</a></h3>'
            f'<time datetime="{iso(when)}">{_h(display_date(when, outlet.language))}</time>'
            f"<p>{_h(summary_of(page, 120))}</p>"
            "</li>"
        )
    head = _head(
        outlet,
        language=language or outlet.language,
        title=f"{title} – {outlet.name}" if title != outlet.name else title,
        description=intro,
        url=url,
        og_type="website",
        base_url=base_url,
        extra=f'<meta property="og:title" content="{_h(title)}">\n',
    )
    body = (
        "<body>\n"
        f"{_masthead(outlet)}"
        '<main class="content list">\n'
        f"<h1>{_h(title)}</h1>\n"
        f'<p class="intro">{_h(intro)}</p>\n'
        f'<ul class="teasers">\n' + "\n".join(items) + "\n</ul>\n"
        "</main>\n"
        f"{_footer(outlet)}"
        "</body>\n</html>\n"
    )
    return (head + body).encode("utf-8")


def render_no_text(page: Page) -> bytes:
    """Markup garbage with no readable text: unclosed tags, entities and a few stray tokens."""
    rng = random.Random(page.path)
    fragments = (
        "<div class=\"w{n}\">", "<span>", "<td>", "<<", "</x{n}", "&#{n};", "<p", "][",
        "{{{{", "<b><i>", "</div>", "<tr><td", "\\x{n:02x}", "<!--", "<font size={n}>",
        "&nbsp;", "<img src=", "%%", "null", "<a href=#>", "</li>", "undefined", "<br",
    )
    out = ['<html><head><meta charset="utf-8"><title></title></head><body>']
    for _ in range(220):
        out.append(rng.choice(fragments).format(n=rng.randrange(256)))
    out.append("<script>var _q=[];_q.push(['x',0]);")
    return "".join(out).encode("utf-8")


def related_pages(page: Page, candidates: list[Page], count: int = 3) -> list[Page]:
    """Up to ``count`` other readable articles of the outlet, same section first."""
    readable = [
        other
        for other in candidates
        if other.path != page.path
        and other.expect not in BROKEN_KINDS
        and other.expect != "not_article"
    ]
    readable.sort(key=lambda other: is_tech(other) != is_tech(page))  # stable: keeps order
    return readable[:count]

