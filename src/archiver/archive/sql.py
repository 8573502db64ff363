"""Plain SQL for the write path: one statement per call, no schema look-ups.

sqlite-utils creates and migrates the tables; on the hot path of an ingest its
per-call introspection (table names, column lists) costs more than the writes.
"""

from __future__ import annotations

from sqlite_utils import Database


def insert(db: Database, table: str, record: dict, ignore: bool = False) -> int:
    """Insert one row; return its rowid."""
    columns = ", ".join(f"[{name}]" for name in record)
    marks = ", ".join("?" * len(record))
    verb = "insert or ignore" if ignore else "insert"
    return db.conn.execute(f"{verb} into [{table}] ({columns}) values ({marks})", list(record.values())).lastrowid


def update(db: Database, table: str, key, values: dict, pk: str = "id") -> None:
    """Set ``values`` on the row whose ``pk`` is ``key``."""
    assignments = ", ".join(f"[{name}] = ?" for name in values)
    db.conn.execute(f"update [{table}] set {assignments} where [{pk}] = ?", [*values.values(), key])


def one(db: Database, sql: str, params=()) -> dict | None:
    """The first row of a query as a dict, or None."""
    cursor = db.conn.execute(sql, list(params))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip((column[0] for column in cursor.description), row))
