"""The Scrapy project: spiders discover and fetch; the pipeline hands pages to the archive."""
