from __future__ import annotations

import pytest
from scrapy import Request

from crawler.addresses import BlockedAddress
from crawler.middlewares.address_guard import PrivateAddressGuard


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://2130706433/", "http://0x7f.1/", "http://017700000001/", "http://[::1]/",
    "http://[::ffff:127.0.0.1]/", "http://10.1.2.3/", "http://192.168.0.1/", "http://169.254.169.254/latest/",
    "http://localhost:8080/", "http://printer.local/", "http://0.0.0.0/", "ftp://example.com/",
])
def test_private_addresses_are_refused(url):
    with pytest.raises(BlockedAddress):
        PrivateAddressGuard([]).process_request(Request(url) if not url.startswith("ftp") else Request(url))


def test_public_and_allowed_hosts_pass():
    guard = PrivateAddressGuard(["127.0.0.0/8", "intranet.example"])
    assert guard.refusal("https://www.lemonde.fr/pixels/") is None
    assert guard.refusal("http://93.184.216.34/") is None
    assert guard.refusal("http://127.0.0.5:8000/feed.xml") is None
    assert guard.refusal("http://intranet.example/") is None
    assert guard.refusal("http://10.0.0.1/") is not None
