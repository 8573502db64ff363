"""Crawl planning that needs no Scrapy: site files, re-visit decisions, the crawl lock,
the network guard and the schedule (cron, systemd). Scrapy itself is driven by ``scrapers``."""
