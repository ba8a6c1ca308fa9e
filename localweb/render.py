"""Rendering of the local news web: article and list pages, feeds, sitemaps, robots.txt.

Every function is pure: it takes data and the outlet's base URL and returns bytes.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape as _html_escape
from xml.sax.saxutils import escape as _xml_escape

from localweb.model import BROKEN_KINDS, Outlet, Page
from localweb.site import is_tech, published_at

__all__ = [
    "FEED_CONTENT_TYPES",
    "http_date",
    "related_pages",
    "render_article",
    "render_feed",
    "render_list_page",
    "render_news_sitemap",
    "render_no_text",
    "render_robots",
    "render_sitemap_index",
    "summary_of",
]

FEED_CONTENT_TYPES: dict[str, str] = {
    "rss2": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
    "jsonfeed": "application/feed+json; charset=utf-8",
}

_OG_LOCALES: dict[str, str] = {
    "fr": "fr_FR",
    "en": "en_US",
    "de": "de_DE",
    "es": "es_ES",
    "zh": "zh_CN",
    "vi": "vi_VN",
    "ja": "ja_JP",
}

# Boilerplate text, in the outlet's language.
_CHROME: dict[str, dict[str, str]] = {
    "fr": {
        "home": "Accueil", "tech": "Tech", "nav": "Économie|Monde|Culture|Sport|Météo",
        "by": "Par", "related": "À lire aussi", "latest": "Dernières actualités",
        "section": "Tech et numérique", "subscribe": "S'abonner à la lettre du matin",
        "cookie": "Nous utilisons des cookies pour mesurer l'audience et vous proposer des "
                  "publicités personnalisées. Vous pouvez modifier vos choix à tout moment.",
        "accept": "Tout accepter", "refuse": "Continuer sans accepter",
        "footer": "Journal indépendant d'information, fondé en 1987.",
        "rights": "Tous droits réservés.", "contact": "Nous écrire", "feed": "Flux RSS",
        "sitemap": "Plan du site", "updated": "Mis à jour",
    },
    "en": {
        "home": "Home", "tech": "Tech", "nav": "Business|World|Science|Culture|Sport",
        "by": "By", "related": "Related stories", "latest": "Latest news",
        "section": "Technology", "subscribe": "Sign up for the daily briefing",
        "cookie": "We use cookies to analyse traffic and to show you relevant ads. You can "
                  "change your preferences at any time.",
        "accept": "Accept all", "refuse": "Reject non-essential",
        "footer": "Independent journalism since 1998.",
        "rights": "All rights reserved.", "contact": "Contact us", "feed": "Feed",
        "sitemap": "Sitemap", "updated": "Updated",
    },
    "de": {
        "home": "Startseite", "tech": "Digitales", "nav": "Politik|Wirtschaft|Region|Kultur|Sport",
        "by": "Von", "related": "Mehr zum Thema", "latest": "Neueste Meldungen",
        "section": "Digitales", "subscribe": "Newsletter abonnieren",
        "cookie": "Wir verwenden Cookies, um die Reichweite zu messen und Werbung zu "
                  "personalisieren. Ihre Einwilligung können Sie jederzeit widerrufen.",
        "accept": "Alle akzeptieren", "refuse": "Nur notwendige",
        "footer": "Unabhängige Tageszeitung für das Rheinland seit 1949.",
        "rights": "Alle Rechte vorbehalten.", "contact": "Kontakt", "feed": "RSS-Feed",
        "sitemap": "Sitemap", "updated": "Aktualisiert",
    },
    "es": {
        "home": "Portada", "tech": "Tecnología", "nav": "Local|España|Economía|Cultura|Deportes",
        "by": "Por", "related": "Te puede interesar", "latest": "Últimas noticias",
        "section": "Tecnología", "subscribe": "Suscríbete al boletín",
        "cookie": "Utilizamos cookies propias y de terceros para analizar el tráfico y "
                  "mostrarte publicidad personalizada. Puedes cambiar tu configuración.",
        "accept": "Aceptar", "refuse": "Rechazar",
        "footer": "Diario independiente de la Comunitat Valenciana.",
        "rights": "Todos los derechos reservados.", "contact": "Contacto", "feed": "RSS",
        "sitemap": "Mapa del sitio", "updated": "Actualizado",
    },
    "zh": {
        "home": "首页", "tech": "科技", "nav": "财经|国际|社会|文化|体育",
        "by": "作者：", "related": "相关阅读", "latest": "最新资讯",
        "section": "科技频道", "subscribe": "订阅每日早报",
        "cookie": "本网站使用Cookie来分析流量并提供个性化内容。继续浏览即表示您同意我们的隐私政策。",
        "accept": "同意", "refuse": "拒绝",
        "footer": "东方科技网 版权所有 未经授权禁止转载",
        "rights": "保留所有权利。", "contact": "联系我们", "feed": "订阅",
        "sitemap": "网站地图", "updated": "更新",
    },
    "vi": {
        "home": "Trang chủ", "tech": "Công nghệ", "nav": "Thời sự|Kinh tế|Thế giới|Văn hóa|Thể thao",
        "by": "Tác giả:", "related": "Tin liên quan", "latest": "Tin mới nhất",
        "section": "Công nghệ", "subscribe": "Đăng ký nhận bản tin",
        "cookie": "Chúng tôi sử dụng cookie để phân tích lưu lượng truy cập và cá nhân hóa "
                  "quảng cáo. Bạn có thể thay đổi lựa chọn bất cứ lúc nào.",
        "accept": "Đồng ý", "refuse": "Từ chối",
        "footer": "Cơ quan ngôn luận độc lập. Giấy phép hoạt động báo chí điện tử.",
        "rights": "Bảo lưu mọi quyền.", "contact": "Liên hệ", "feed": "RSS",
        "sitemap": "Sơ đồ trang", "updated": "Cập nhật",
    },
    "ja": {
        "home": "トップ", "tech": "テクノロジー", "nav": "政治|経済|国際|社会|スポーツ",
        "by": "記者：", "related": "関連記事", "latest": "最新ニュース",
        "section": "テクノロジー", "subscribe": "ニュースレター登録",
        "cookie": "当サイトでは、アクセス解析と広告配信のためにCookieを使用しています。"
                  "設定はいつでも変更できます。",
        "accept": "同意する", "refuse": "拒否する",
        "footer": "海浜新報は地域に根ざした総合ニュースサイトです。",
        "rights": "無断転載を禁じます。", "contact": "お問い合わせ", "feed": "フィード",
        "sitemap": "サイトマップ", "updated": "更新",
    },
}

_MONTHS: dict[str, tuple[str, ...]] = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}


def _h(text: str) -> str:
    return _html_escape(text, quote=True)


def _x(text: str) -> str:
    return _xml_escape(text, {'"': "&quot;"})


def _display_date(when: datetime, language: str) -> str:
    """A human date as the outlet would print it."""
    hm = f"{when.hour:02d}:{when.minute:02d}"
    if language in ("zh", "ja"):
        return f"{when.year}年{when.month}月{when.day}日 {hm}"
    if language == "vi":
        return f"{hm} {when.day:02d}/{when.month:02d}/{when.year}"
    month = _MONTHS[language][when.month - 1]
    if language == "fr":
        return f"{when.day} {month} {when.year} à {when.hour:02d}h{when.minute:02d}"
    if language == "de":
        return f"{when.day}. {month} {when.year}, {hm} Uhr"
    if language == "es":
        return f"{when.day} de {month} de {when.year}, {hm}"
    return f"{month} {when.day}, {when.year} {hm}"


def http_date(when: datetime) -> str:
    """An RFC 7231 date for Last-Modified headers."""
    return format_datetime(when.astimezone(timezone.utc), usegmt=True)


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def summary_of(page: Page, limit: int = 220) -> str:
    """A teaser for feeds and lists: the first paragraph, shortened on a word boundary."""
    text = page.paragraphs[0] if page.paragraphs else page.title
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(",;:") + "…"


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
        f'<meta property="og:locale" content="{_OG_LOCALES.get(language, language)}">\n'
        f"{extra}"
        f'<link rel="alternate" type="{FEED_CONTENT_TYPES[outlet.feed_format].split(";")[0]}" '
        f'title="{_h(outlet.name)}" href="{_h(base_url + outlet.feed_path)}">\n'
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        ".cookie-banner{position:fixed;bottom:0;background:#eee}</style>\n"
        "</head>\n"
    )


def _masthead(outlet: Outlet) -> str:
    chrome = _CHROME[outlet.language]
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
    chrome = _CHROME[outlet.language]
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
    chrome = _CHROME[outlet.language]
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
            "datePublished": _iso(when),
            "dateModified": _iso(when),
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
        f'<meta property="article:published_time" content="{_iso(when)}">\n'
        f'<meta property="article:modified_time" content="{_iso(when)}">\n'
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
        f'<p class="dateline"><time datetime="{_iso(when)}">{_h(_display_date(when, outlet.language))}</time></p>\n'
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
            f'<time datetime="{_iso(when)}">{_h(_display_date(when, outlet.language))}</time>'
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


def render_robots(outlet: Outlet, base_url: str) -> bytes:
    """robots.txt allowing everything and pointing at the sitemap index."""
    return (
        f"# robots.txt for {outlet.name}\n"
        "User-agent: *\n"
        "Allow: /\n"
        "\n"
        f"Sitemap: {base_url}/sitemap_index.xml\n"
    ).encode("utf-8")


def render_sitemap_index(base_url: str, lastmod: datetime) -> bytes:
    """A sitemap index with one news sitemap."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        "  <sitemap>\n"
        f"    <loc>{_x(base_url)}/sitemap-news.xml</loc>\n"
        f"    <lastmod>{_iso(lastmod)}</lastmod>\n"
        "  </sitemap>\n"
        "</sitemapindex>\n"
    ).encode("utf-8")


def _news_language(language: str) -> str:
    # Google News sitemaps use ISO 639 codes, except zh-cn / zh-tw for Chinese.
    return "zh-cn" if language == "zh" else language


def render_news_sitemap(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    """A Google News sitemap listing ``pages`` (newest first)."""
    entries = []
    for page in pages:
        when = _iso(published_at(page))
        entries.append(
            "  <url>\n"
            f"    <loc>{_x(base_url + page.path)}</loc>\n"
            f"    <lastmod>{when}</lastmod>\n"
            "    <news:news>\n"
            "      <news:publication>\n"
            f"        <news:name>{_x(outlet.name)}</news:name>\n"
            f"        <news:language>{_news_language(page.language)}</news:language>\n"
            "      </news:publication>\n"
            f"      <news:publication_date>{when}</news:publication_date>\n"
            f"      <news:title>{_x(page.title)}</news:title>\n"
            "    </news:news>\n"
            "  </url>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"\n'
        '        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "".join(entries)
        + "</urlset>\n"
    ).encode("utf-8")


def render_feed(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    """The outlet's feed in its format, entries in the order given (newest first)."""
    renderers = {
        "rss2": _render_rss2,
        "atom": _render_atom,
        "rdf": _render_rdf,
        "jsonfeed": _render_jsonfeed,
    }
    return renderers[outlet.feed_format](outlet, base_url, pages)


def _newest(pages: list[Page]) -> datetime:
    if not pages:
        return datetime(2025, 1, 1, tzinfo=timezone.utc)
    return max(published_at(page) for page in pages)


def _render_rss2(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    chrome = _CHROME[outlet.language]
    items = []
    for page in pages:
        url = base_url + page.path
        items.append(
            "    <item>\n"
            f"      <title>{_x(page.title)}</title>\n"
            f"      <link>{_x(url)}</link>\n"
            f'      <guid isPermaLink="true">{_x(url)}</guid>\n'
            f"      <description>{_x(summary_of(page))}</description>\n"
            f"      <pubDate>{format_datetime(published_at(page))}</pubDate>\n"
            f"      <dc:creator>{_x(page.author)}</dc:creator>\n"
            f"      <category>{_x(chrome['section'] if is_tech(page) else chrome['latest'])}</category>\n"
            "    </item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "  <channel>\n"
        f"    <title>{_x(outlet.name)}</title>\n"
        f"    <link>{_x(base_url)}/</link>\n"
        f'    <atom:link href="{_x(base_url + outlet.feed_path)}" rel="self" type="application/rss+xml"/>\n'
        f"    <description>{_x(chrome['latest'])}</description>\n"
        f"    <language>{outlet.language}</language>\n"
        f"    <lastBuildDate>{format_datetime(_newest(pages))}</lastBuildDate>\n"
        + "".join(items)
        + "  </channel>\n</rss>\n"
    ).encode("utf-8")


def _render_atom(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    chrome = _CHROME[outlet.language]
    entries = []
    for page in pages:
        url = base_url + page.path
        when = _iso(published_at(page))
        entries.append(
            f'  <entry xml:lang="{page.language}">\n'
            f"    <title>{_x(page.title)}</title>\n"
            f'    <link rel="alternate" type="text/html" href="{_x(url)}"/>\n'
            f"    <id>{_x(url)}</id>\n"
            f"    <published>{when}</published>\n"
            f"    <updated>{when}</updated>\n"
            f"    <author><name>{_x(page.author)}</name></author>\n"
            f'    <summary type="text">{_x(summary_of(page))}</summary>\n'
            "  </entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.language}">\n'
        f"  <title>{_x(outlet.name)}</title>\n"
        f"  <subtitle>{_x(chrome['latest'])}</subtitle>\n"
        f'  <link rel="self" type="application/atom+xml" href="{_x(base_url + outlet.feed_path)}"/>\n'
        f'  <link rel="alternate" type="text/html" href="{_x(base_url)}/"/>\n'
        f"  <id>{_x(base_url)}/</id>\n"
        f"  <updated>{_iso(_newest(pages))}</updated>\n"
        + "".join(entries)
        + "</feed>\n"
    ).encode("utf-8")


def _render_rdf(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    chrome = _CHROME[outlet.language]
    seq = "".join(f'        <rdf:li rdf:resource="{_x(base_url + p.path)}"/>\n' for p in pages)
    items = []
    for page in pages:
        url = base_url + page.path
        items.append(
            f'  <item rdf:about="{_x(url)}">\n'
            f"    <title>{_x(page.title)}</title>\n"
            f"    <link>{_x(url)}</link>\n"
            f"    <description>{_x(summary_of(page))}</description>\n"
            f"    <dc:date>{_iso(published_at(page))}</dc:date>\n"
            f"    <dc:creator>{_x(page.author)}</dc:creator>\n"
            f"    <dc:language>{page.language}</dc:language>\n"
            "  </item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
        '         xmlns="http://purl.org/rss/1.0/"\n'
        '         xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'  <channel rdf:about="{_x(base_url + outlet.feed_path)}">\n'
        f"    <title>{_x(outlet.name)}</title>\n"
        f"    <link>{_x(base_url)}/</link>\n"
        f"    <description>{_x(chrome['latest'])}</description>\n"
        f"    <dc:language>{outlet.language}</dc:language>\n"
        f"    <dc:date>{_iso(_newest(pages))}</dc:date>\n"
        "    <items>\n      <rdf:Seq>\n" + seq + "      </rdf:Seq>\n    </items>\n"
        "  </channel>\n" + "".join(items) + "</rdf:RDF>\n"
    ).encode("utf-8")


def _render_jsonfeed(outlet: Outlet, base_url: str, pages: list[Page]) -> bytes:
    chrome = _CHROME[outlet.language]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "home_page_url": base_url + "/",
        "feed_url": base_url + outlet.feed_path,
        "description": chrome["latest"],
        "language": outlet.language,
        "items": [
            {
                "id": base_url + page.path,
                "url": base_url + page.path,
                "title": page.title,
                "summary": summary_of(page),
                "date_published": _iso(published_at(page)),
                "authors": [{"name": page.author}],
                "language": page.language,
                "tags": [chrome["section"] if is_tech(page) else chrome["latest"]],
            }
            for page in pages
        ],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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

