"""URL hygiene before the ledger lookup: no fragment, no tracking parameters."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "ga_", "hsa_")
TRACKING_NAMES = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid",
    "_ga", "_gl", "ref_src", "ref_url", "cmpid", "xtor", "ito", "ns_mchannel", "ns_source", "ns_campaign",
    "ns_linkname", "ns_fee", "ocid", "smid", "cid", "sr_share", "traffic_source", "__twitter_impression",
}


def clean_url(url: str) -> str:
    """``url`` without its fragment and tracking parameters; host lower-cased."""
    parts = urlsplit(url.strip())
    query = [
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(TRACKING_PREFIXES) and key.lower() not in TRACKING_NAMES
    ]
    netloc = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query, doseq=True), ""))
