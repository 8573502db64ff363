"""The archive: versioned records of articles in SQLite, their raw pages, changes and checks.

``store`` (:class:`Archive`, the one writer and reader of the tables), ``schema`` (migrations),
``raw`` (compressed raw pages), ``urls`` (canonical URLs), ``fingerprint`` (what counts as a
change), ``changes``, ``neardup``, ``history`` and ``diff`` (a URL's versions), ``reparse``,
``integrity`` (``archiver check``), ``stats``, ``queries`` (named reads for exports), ``ingest``
(Redis queue to archive), ``sql`` (plain SQL of the write path).
"""
