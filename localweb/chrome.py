"""The outlets' boilerplate in their languages, and the dates and teasers they print.

Shared by the HTML pages (localweb.render) and the feeds and sitemaps (localweb.feeds).
"""

from __future__ import annotations

from datetime import datetime

from localweb.model import Page

__all__ = ["CHROME", "OG_LOCALES", "display_date", "iso", "summary_of"]

OG_LOCALES: dict[str, str] = {
    "fr": "fr_FR",
    "en": "en_US",
    "de": "de_DE",
    "es": "es_ES",
    "zh": "zh_CN",
    "vi": "vi_VN",
    "ja": "ja_JP",
}


# Boilerplate text, in the outlet's language.
CHROME: dict[str, dict[str, str]] = {
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


def display_date(when: datetime, language: str) -> str:
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


def iso(when: datetime) -> str:
    """ISO 8601 to the second, with the UTC offset."""
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

