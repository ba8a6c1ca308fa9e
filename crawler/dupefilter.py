"""The request duplicate filter (``DUPEFILTER_CLASS``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.dupefilters import RFPDupeFilter

if TYPE_CHECKING:

    from scrapy import Request


logger = logging.getLogger(__name__)

class RedirectAwareDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, except for the hops of a redirect chain.

    The stock filter silently drops a redirect back to a URL already seen,
    so a redirect loop would leave no trace; letting the hops through makes
    the loop end at ``REDIRECT_MAX_TIMES`` as an error with a reason.
    """

    def request_seen(self, request: Request) -> bool:
        if request.meta.get("redirect_times"):
            return False
        return super().request_seen(request)
