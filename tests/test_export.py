"""``archiver export``: every format, the selection options, streams, pipes and clear errors."""

import csv
import io
import json
import os
import pty
import subprocess
import sys

import pytest
import yaml
from sqlite_utils import Database

from archiver.archive.store import ArchiveError
from archiver.export import FIELDS, Selection, atomic_output, parse_time, run_export
from archiver.export.records import count_records
from archiver.export.markdown import escape
from conftest import REPO, copy_archive, run_cli


def manifest_counts(manifest):
    changes = [entry["change"] for entry in manifest["articles"]]
    return {kind: changes.count(kind) for kind in set(changes)}


def jsonl(result):
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_jsonl_selection_matches_the_manifest(demo_archive):
    db, manifest = demo_archive["db_path"], demo_archive["manifest"]
    counts = manifest_counts(manifest)
    content = {entry["url"] for entry in manifest["articles"] if entry["change"] == "content"}
    changed = jsonl(run_cli("export", "--db", db, "--changed", "--all-versions"))
    assert [(r["url"], r["version"]) for r in changed] == [(url, v) for url in _in_order(changed) for v in (1, 2)]
    assert {r["url"] for r in changed} == content
    assert {r["change"] for r in changed if r["version"] == 2} <= {"headline", "byline", "correction", "paywall", "body-edit", "bio", "dates"}
    latest = jsonl(run_cli("export", "--db", db))
    assert len(latest) == len(manifest["articles"]) - counts["removed"]
    assert not any(r["removed"] for r in latest)
    removed = jsonl(run_cli("export", "--db", db, "--include-removed", "--fields", "url,removed"))
    assert sum(r["removed"] for r in removed) == counts["removed"]
    assert set(removed[0]) == {"url", "removed"}


def _in_order(records):
    seen = []
    for record in records:
        if record["url"] not in seen:
            seen.append(record["url"])
    return seen


def test_site_url_and_time_window(demo_archive):
    db = demo_archive["db_path"]
    first = Database(db).execute("select min(first_seen) from versions").fetchone()[0]
    second_crawl = Database(db).execute("select started from crawls order by id desc limit 1").fetchone()[0]
    site = f"127.0.0.1:{demo_archive['port']}"
    assert len(jsonl(run_cli("export", "--db", db, "--site", site))) == 66
    assert jsonl(run_cli("export", "--db", db, "--site", "elsewhere.example")) == []
    url = next(e["url"] for e in demo_archive["manifest"]["articles"] if e["change"] == "content")
    tracked = url + "?utm_source=newsletter#comments"
    assert [r["version"] for r in jsonl(run_cli("export", "--db", db, "--url", tracked, "--all-versions"))] == [1, 2]
    # The second crawl made 6 new articles and 12 new versions; --since its start finds them only.
    since = jsonl(run_cli("export", "--db", db, "--all-versions", "--since", second_crawl, "--fields", "change"))
    counts = manifest_counts(demo_archive["manifest"])
    assert sorted(r["change"] for r in since).count("new") == counts["new"]
    assert len(since) == counts["new"] + counts["content"]
    assert jsonl(run_cli("export", "--db", db, "--until", first[:10], "--since", first[:10])) != []
    assert parse_time("2024-05-01", "--until", end_of_day=True) == "2024-05-02T00:00:00.000+00:00"
    assert parse_time("2024-05-01T14:00:00+02:00", "--since") == "2024-05-01T12:00:00.000+00:00"


def test_since_keeps_the_milliseconds(tmp_path):
    """A crawl that starts in the same second another ended: --since its start finds its versions only."""
    from archiver.archive.store import Archive, Fetch

    archive = Archive(tmp_path / "a.db")
    for n, moment in enumerate(("2024-05-01T12:00:31.100+00:00", "2024-05-01T12:00:31.900+00:00")):
        url = f"http://news.test/story-{n}"
        article = {"url": url, "title": f"Story {n}", "byline": [], "body": "Text.", "bio": [], "parser_version": "t"}
        archive.record(Fetch(url=url, status=200, body=b"<html></html>", article=article, fetched_at=moment))
    since = jsonl(run_cli("export", "--db", tmp_path / "a.db", "--since", "2024-05-01T12:00:31.500+00:00"))
    assert [record["title"] for record in since] == ["Story 1"]
    until = jsonl(run_cli("export", "--db", tmp_path / "a.db", "--until", "2024-05-01T12:00:31.500+00:00"))
    assert [record["title"] for record in until] == ["Story 0"]


def test_json_csv_and_markdown_hold_the_same_records(demo_archive, tmp_path):
    db = demo_archive["db_path"]
    records = jsonl(run_cli("export", "--db", db, "--all-versions", "--include-removed"))
    as_json = json.loads(run_cli("export", "--db", db, "--all-versions", "--include-removed", "-f", "json").stdout)
    assert as_json == records
    result = run_cli("export", "--db", db, "--all-versions", "--include-removed", "-f", "csv", "-o", tmp_path / "v.csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "v.csv").read_text(encoding="utf-8"), newline="")))
    assert [row["url"] for row in rows] == [r["url"] for r in records]
    assert list(rows[0]) == list(FIELDS)
    assert [json.loads(row["byline"]) for row in rows] == [r["byline"] for r in records]
    assert rows[0]["body"] == records[0]["body"]
    folder = tmp_path / "md"
    result = run_cli("export", "--db", db, "--all-versions", "--include-removed", "-f", "markdown", "-o", folder)
    assert result.returncode == 0, result.stderr
    files = sorted(folder.rglob("*.md"))
    assert len(files) == len(records)
    changed = next(r for r in records if r["version"] == 2)
    text = next(f for f in files if f.name.endswith(".v2.md") and _front(f)["url"] == changed["url"]).read_text()
    front = _front_text(text)
    assert front["title"] == changed["title"] and front["byline"] == changed["byline"]
    assert front["version"] == 2 and "body" not in front
    assert changed["body"].split("\n\n")[0][:40] in text.replace("\\", "")
    # A second export into the same folder replaces it; an unrelated folder is never overwritten.
    assert run_cli("export", "--db", db, "-f", "markdown", "-o", folder).returncode == 0
    assert len(list(folder.rglob("*.md"))) == len(records) - 12 - 6
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    result = run_cli("export", "--db", db, "-f", "markdown", "-o", tmp_path / "mine")
    assert result.returncode == 1 and "not an earlier export folder" in result.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"
    # --fields chooses the front matter; files are still one per version.
    result = run_cli("export", "--db", db, "-f", "markdown", "--all-versions", "--fields", "title,body", "-o", folder)
    assert result.returncode == 0, result.stderr
    files = sorted(folder.rglob("*.md"))
    assert len(files) == len(records) - 6 and set(_front(files[0])) == {"title"}


def _front(path):
    return _front_text(path.read_text(encoding="utf-8"))


def _front_text(text):
    return yaml.safe_load(text.split("---\n")[1])


def test_markdown_escapes_markup():
    assert escape("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>"
    assert escape("# not a heading\n1. not a list") == "\\# not a heading\n1\\. not a list"


def refetch_same_page(db_path) -> None:
    """Record one more fetch of an article with exactly the bytes already stored for it."""
    from archiver import parse_article
    from archiver.archive.store import Archive, Fetch

    archive = Archive(db_path)
    fetch = next(archive.db.query("select * from fetches where page_hash is not null order by id desc limit 1"))
    body = archive.raw_page(fetch["page_hash"])
    headers = {"Content-Type": fetch["content_type"], "ETag": fetch["etag"]}
    article = parse_article(body, fetch["url"]).to_dict()
    assert archive.record(Fetch(url=fetch["url"], status=200, body=body, article=article, headers=headers)) == "unchanged"


def test_warc_is_valid_and_indexable(demo_archive, tmp_path):
    db = copy_archive(demo_archive["db_path"], tmp_path)
    refetch_same_page(db)
    out = tmp_path / "pages.warc.gz"
    result = run_cli("export", "--db", db, "-f", "warc", "--all-versions", "--include-removed", "-o", out)
    assert result.returncode == 0, result.stderr
    warcio = [sys.executable, "-m", "warcio.cli"]
    check = subprocess.run([*warcio, "check", "-v", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fields = "warc-type,warc-record-id,warc-target-uri,warc-date,warc-refers-to-target-uri,warc-concurrent-to,http:status"
    index = subprocess.run([*warcio, "index", "-f", fields, str(out)], capture_output=True, text=True)
    assert index.returncode == 0, index.stderr
    entries = [json.loads(line) for line in index.stdout.splitlines()]
    types = [entry["warc-type"] for entry in entries]
    fetches = Database(db).execute("select count(*), count(distinct page_hash) from fetches where page_hash is not null").fetchone()
    assert types[0] == "warcinfo"
    assert types.count("response") == fetches[1]
    assert types.count("revisit") == fetches[0] - fetches[1]
    assert types.count("request") == fetches[0]
    # Each response or revisit is followed by its request, concurrent to it, same URI and date.
    for answer, request in zip(entries[1::2], entries[2::2]):
        assert answer["warc-type"] in ("response", "revisit") and answer["http:status"] == "200"
        assert request["warc-type"] == "request" and "http:status" not in request
        assert request["warc-concurrent-to"] == answer["warc-record-id"]
        assert (request["warc-target-uri"], request["warc-date"]) == (answer["warc-target-uri"], answer["warc-date"])
    revisit = next(e for e in entries if e["warc-type"] == "revisit")
    assert revisit["warc-refers-to-target-uri"] == revisit["warc-target-uri"]
    assert revisit["warc-date"].endswith("Z")
    latest = run_cli("export", "--db", db, "-f", "warc", "-o", tmp_path / "latest.warc")
    assert latest.returncode == 0, latest.stderr
    assert (tmp_path / "latest.warc").read_bytes().startswith(b"WARC/1.1\r\n")
    check = subprocess.run([*warcio, "check", str(tmp_path / "latest.warc")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_warc_payload_is_the_stored_page(demo_archive, tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    from archiver.archive.store import Archive

    out = tmp_path / "one.warc"
    url = next(e["url"] for e in demo_archive["manifest"]["articles"] if e["change"] == "content")
    assert run_export(demo_archive["db_path"], "warc", Selection(urls=(url,)), output=out) == 1
    with open(out, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                payload, headers = record.content_stream().read(), record.http_headers
                break
    fetch = next(Database(demo_archive["db_path"]).query(
        "select * from fetches where url = ? and page_hash is not null order by id desc limit 1", [url]))
    assert payload == Archive(demo_archive["db_path"]).raw_page(fetch["page_hash"])
    assert b"</html>" in payload.lower()
    assert headers.get_header("ETag") == fetch["etag"]
    assert headers.get_header("Content-Type") == fetch["content_type"]
    assert record.rec_headers.get_header("WARC-Date") == fetch["fetched_at"].replace("+00:00", "Z")


def warc_records(path):
    """``(record type, WARC headers, HTTP headers, payload)`` of every record of a WARC file."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        return [
            (record.rec_type, record.rec_headers, record.http_headers, record.content_stream().read())
            for record in ArchiveIterator(stream)
        ]


def test_warc_carries_the_servers_headers(demo_archive, tmp_path):
    from email.utils import parsedate_to_datetime

    from archiver.archive.store import Archive

    db = demo_archive["db_path"]
    archive = Archive(db)
    assert archive.db.execute("select count(*) from fetches where headers is null").fetchone()[0] == 0
    out = tmp_path / "all.warc"
    assert run_export(db, "warc", Selection(all_versions=True), output=out) > 0
    fetches = {(f["url"], f["fetched_at"].replace("+00:00", "Z")): f for f in archive.db.query("select * from fetches")}
    records = warc_records(out)
    answers = [r for r in records if r[0] in ("response", "revisit")]
    assert answers and sum(r[0] == "request" for r in records) == len(answers)
    for kind, warc, http, payload in answers:
        fetch = fetches[(warc.get_header("WARC-Target-URI"), warc.get_header("WARC-Date"))]
        stored = dict(json.loads(fetch["headers"]))
        names = [name.lower() for name, _ in http.headers]
        # The server's own headers, as it sent them (the demo site: http.server).
        assert http.get_header("Date") == stored["Date"]
        assert parsedate_to_datetime(http.get_header("Date")).tzinfo is not None
        assert http.get_header("Server") == "MeridianDemo/1.0"
        assert http.get_header("Cache-Control") == "max-age=60"
        assert http.get_header("Content-Type") == fetch["content_type"] == "text/html; charset=utf-8"
        assert http.get_header("ETag") == fetch["etag"]
        assert "set-cookie" not in names and "content-encoding" not in names and "transfer-encoding" not in names
        assert names.count("content-length") == 1 and names.count("date") == 1
        page = archive.raw_page(fetch["page_hash"])
        assert http.get_header("Content-Length") == str(len(page))
        if kind == "response":
            assert payload == page and http.get_header("Content-Length") == str(len(payload))
    requests = [r for r in records if r[0] == "request"]
    assert {http.get_header("Host") for _, _, http, _ in requests} == {f"127.0.0.1:{demo_archive['port']}"}
    assert all(http.protocol == "GET" and http.statusline.endswith(" HTTP/1.1") for _, _, http, _ in requests)


def test_warc_of_fetches_recorded_before_headers_were_kept(demo_archive, tmp_path):
    # An archive from before m008: no headers column. Opening it upgrades it in place
    # (the column is added, NULL for every old fetch); its WARC has the headers it had before.
    db = copy_archive(demo_archive["db_path"], tmp_path)
    old = Database(db)
    old.execute("alter table fetches drop column headers")
    old.execute("delete from _sqlite_migrations where name = 'm008_fetch_headers'")
    old.conn.commit()
    old.close()
    url = next(e["url"] for e in demo_archive["manifest"]["articles"] if e["change"] == "content")
    out = tmp_path / "old.warc"
    assert run_export(db, "warc", Selection(urls=(url,), all_versions=True), output=out) == 2
    assert Database(db).execute("select count(*), count(headers) from fetches").fetchone()[1] == 0
    responses = [r for r in warc_records(out) if r[0] == "response"]
    assert len(responses) == 2
    for _, warc, http, payload in responses:
        fetch = next(Database(db).query(
            "select * from fetches where url = ? and fetched_at = ?", [url, warc.get_header("WARC-Date").replace("Z", "+00:00")]))
        assert http.headers == [
            ("Content-Type", fetch["content_type"]),
            ("ETag", fetch["etag"]),
            ("Last-Modified", fetch["last_modified"]),
            ("Content-Length", str(len(payload))),
        ]
    warcio = [sys.executable, "-m", "warcio.cli"]
    check = subprocess.run([*warcio, "check", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("-f", "xml"), "unknown format 'xml'"),
        (("--since", "yesterday"), "--since: 'yesterday' is not a date"),
        (("--until", "2024-02-30"), "--until: '2024-02-30' is not a date"),
        (("--fields", "url,colour"), "unknown field colour"),
        (("-f", "markdown"), "give a folder with -o"),
        (("-f", "warc", "--fields", "url"), "--fields does not apply to warc"),
        (("-o", "/nonexistent-folder/out.jsonl"), "cannot write /nonexistent-folder/out.jsonl"),
    ],
)
def test_bad_input_gets_one_clear_line(demo_archive, args, message):
    result = run_cli("export", "--db", demo_archive["db_path"], *args)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_archive(tmp_path):
    result = run_cli("export", "--db", tmp_path / "none.db")
    assert result.returncode != 0 and result.stderr.strip() == f"Error: no archive at {tmp_path / 'none.db'}: run 'archiver crawl' first or pass --db"
    assert not (tmp_path / "none.db").exists()
    (tmp_path / "notes.db").write_text("not a database")
    result = run_cli("export", "--db", tmp_path / "notes.db")
    assert result.returncode == 1 and result.stderr.startswith(f"Error: cannot open the archive {tmp_path / 'notes.db'}")
    assert result.stderr.count("\n") == 1


def test_failed_export_leaves_no_file(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with atomic_output(target) as out:
            out.write("partial\n")
            raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ArchiveError, match="no archive at"):
        run_export(tmp_path / "none.db", "jsonl", Selection(), output=target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "warc"])
def test_closed_pipe_ends_quietly(demo_archive, fmt):
    command = f"{sys.executable} -m archiver export -f {fmt} --db {demo_archive['db_path']} --all-versions | head -c 100"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, cwd=REPO)
    assert len(result.stdout) == 100
    assert result.stderr == b"", result.stderr
    assert result.returncode == 0


def test_progress_only_on_a_terminal(demo_archive, tmp_path):
    out = tmp_path / "all.jsonl"
    quiet = run_cli("export", "--db", demo_archive["db_path"], "--all-versions", "-o", out)
    assert quiet.returncode == 0 and quiet.stderr == ""
    # stderr on a pseudo-terminal: a progress bar and a summary line.
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "archiver", "export", "--db", str(demo_archive["db_path"]), "--all-versions", "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=follower, cwd=REPO,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=60) == 0
    os.close(leader)
    text = seen.decode()
    total = count_records(Database(demo_archive["db_path"]), Selection(all_versions=True))
    assert f"{total}/{total}" in text and "\r[" in text
    assert f"{total} records written to" in text
