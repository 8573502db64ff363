"""The crawler's guards as plain objects: built from values, no crawler or reactor needed."""

import asyncio

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from archiver.plan.netguard import table_resolver
from scrapers.middlewares import NetGuardMiddleware, RedirectGuardMiddleware
from scrapers.failures import Refused


class Spider:
    start_urls = ["https://news.test/"]
    allowed_domains = ()


def redirect(url: str, location: str, chain=()) -> tuple[Request, Response]:
    request = Request(url, meta={"redirect_urls": list(chain)} if chain else {})
    return request, Response(url, status=301, headers={"Location": location}, request=request)


def test_a_redirect_loop_is_refused_with_its_chain():
    guard = RedirectGuardMiddleware(max_times=5)
    request, response = redirect("https://news.test/b", "/a", chain=["https://news.test/a"])
    with pytest.raises(Refused, match=r"redirect loop \(https://news.test/a -> https://news.test/b -> https://news.test/a\)"):
        guard.process_response(request, response)


def test_redirects_beyond_the_limit_are_refused_and_within_it_pass():
    chain = [f"https://news.test/{n}" for n in range(3)]
    request, response = redirect("https://news.test/3", "/4", chain=chain)
    assert RedirectGuardMiddleware(max_times=4).process_response(request, response) is response
    with pytest.raises(Refused, match="too many redirects"):
        RedirectGuardMiddleware(max_times=3).process_response(request, response)


def test_a_page_that_is_not_a_redirect_passes():
    request = Request("https://news.test/a")
    response = HtmlResponse("https://news.test/a", body=b"<p>hi</p>", request=request)
    assert RedirectGuardMiddleware(max_times=0).process_response(request, response) is response


def test_the_net_guard_refuses_off_site_and_private_hosts_and_counts_them():
    stats = MemoryStatsCollector(crawler=type("Crawler", (), {"settings": Settings()})())
    guard = NetGuardMiddleware(stats, table_resolver({"news.test": "93.184.216.34"}), spider=Spider())
    refusal = lambda url: asyncio.run(guard.process_request(Request(url)))  # noqa: E731 (no name look-up: no thread)
    assert refusal("https://news.test/story") is None
    with pytest.raises(Refused, match="off-site host elsewhere.test"):
        refusal("https://elsewhere.test/")
    with pytest.raises(Refused, match="10.0.0.7"):
        refusal("http://10.0.0.7/admin")
    assert stats.get_value("archiver/refused") == 2
