"""The places the crawler reaches into Scrapy (``scrapers/seams.py``) still exist in the installed Scrapy.

A Scrapy upgrade that renames or re-signs one of them fails here, by name, instead of
silently turning off a 304-aware throttle or a clean stop on a full disk.
"""

import inspect

from scrapy.core.engine import ExecutionEngine
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response

from scrapers import seams


def test_autothrottle_adjust_delay_is_the_hook_scrapy_calls():
    hook = getattr(AutoThrottle, "_adjust_delay", None)
    assert hook is not None, "AutoThrottle._adjust_delay is gone: ConditionalAutoThrottle no longer applies"
    assert list(inspect.signature(hook).parameters) == ["self", "slot", "latency", "response"]
    assert "self._adjust_delay(" in inspect.getsource(AutoThrottle), "AutoThrottle no longer calls _adjust_delay"


def test_engine_has_a_public_scheduler_and_async_close():
    assert isinstance(inspect.getattr_static(ExecutionEngine, "scheduler"), property)
    assert inspect.iscoroutinefunction(ExecutionEngine.close_spider_async)
    assert "reason" in inspect.signature(ExecutionEngine.close_spider_async).parameters


class _Slot:
    def __init__(self):
        self.delay = 5.0


def _adjusted(throttle_class, status: int) -> float:
    """The delay after one response of ``status`` answered in 0.1 s, from a delay of 5 s."""
    throttle = object.__new__(throttle_class)  # the delay policy only; no crawler needed
    throttle.target_concurrency, throttle.mindelay, throttle.maxdelay = 1.0, 0.0, 60.0
    slot = _Slot()
    throttle._adjust_delay(slot, 0.1, Response("http://a.test/", status=status))
    return slot.delay


def test_a_304_lowers_the_delay_as_a_200_does():
    assert _adjusted(seams.ConditionalAutoThrottle, 200) < 5.0
    assert _adjusted(seams.ConditionalAutoThrottle, 304) == _adjusted(seams.ConditionalAutoThrottle, 200)
    assert _adjusted(AutoThrottle, 304) == 5.0  # what Scrapy's own does, and why the override exists


def test_scheduler_of_a_crawler_without_an_engine_is_none():
    class Crawler:
        engine = None

    assert seams.scheduler_of(Crawler) is None
