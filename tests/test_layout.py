"""The rooms keep their doors: the library runs without Scrapy, and the old public names still work."""

import subprocess
import sys

IMPORT_ALL = """
import importlib, pkgutil, sys
import archiver
for module in pkgutil.walk_packages(archiver.__path__, "archiver."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
print(sorted({name.split(".")[0] for name in sys.modules} & {"scrapy", "twisted", "scrapers"}))
"""


def test_importing_every_module_of_the_library_imports_neither_scrapy_nor_twisted():
    result = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_public_names_keep_working():
    from archiver import Archive, parse_article
    from archiver.archive.store import Archive as StoreArchive
    from archiver.store import Archive as OldArchive

    assert Archive is StoreArchive is OldArchive
    article = parse_article(b"<html><title>T</title><body><article><h1>T</h1><p>" + b"Words here. " * 40
                            + b"</p></article></body></html>", "https://news.test/t")
    assert article.title == "T" and article.body.startswith("Words here.")
