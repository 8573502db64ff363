"""history, diff, reparse and stats on the demo archive, through the real command."""

import json

from sqlite_utils import Database

from conftest import run_cli


def changed_urls(demo, detail):
    return [e["url"] for e in demo["manifest"]["articles"] if e["change"] == "content" and e["detail"] == detail]


def test_history_lists_versions_with_change_kinds(demo):
    url = changed_urls(demo, "correction")[0]
    result = run_cli("history", url, "--db", demo["db_path"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == url
    assert [line.split()[0] for line in lines[1:]] == ["v1", "v2"]
    assert " new " in lines[1] and " correction " in lines[2]


def test_history_shows_removal(demo):
    url = next(e["url"] for e in demo["manifest"]["articles"] if e["change"] == "removed")
    result = run_cli("history", url, "--db", demo["db_path"])
    assert "(removed " in result.stdout.splitlines()[0]
    assert result.stdout.splitlines()[-1].split()[2] == "removed"


def test_diff_marks_the_changed_words(demo):
    entry = next(e for e in demo["manifest"]["articles"] if e["detail"] == "headline")
    result = run_cli("diff", entry["url"], "--db", demo["db_path"])
    assert result.returncode == 0, result.stderr
    assert "--- title" in result.stdout
    new_words = set(entry["edition2"]["title"].split()) - set(entry["edition1"]["title"].split())
    assert any(f"{{+{word}" in result.stdout or f" {word}" in result.stdout for word in new_words)
    assert "[-" in result.stdout and "{+" in result.stdout


def test_diff_of_correction_shows_only_the_appended_text(demo):
    url = changed_urls(demo, "correction")[0]
    result = run_cli("diff", url, "--db", demo["db_path"], "--from", "1", "--to", "2")
    body = result.stdout.split("--- body\n", 1)[1]
    assert body.startswith("[...]\n\n{+Correction:")


def test_unknown_url_and_version_are_clear_errors(demo):
    result = run_cli("history", "http://nowhere.test/x", "--db", demo["db_path"])
    assert result.returncode == 1 and "no article archived for" in result.stderr
    url = changed_urls(demo, "correction")[0]
    result = run_cli("diff", url, "--db", demo["db_path"], "--to", "9")
    assert result.returncode == 1 and "no version 9" in result.stderr


def test_reparse_with_unchanged_parser_adds_nothing(demo_copy):
    before = Database(demo_copy)["versions"].count
    result = run_cli("reparse", "--db", demo_copy)
    assert result.returncode == 0, result.stderr
    assert "0 new versions" in result.stdout and "0 failed" in result.stdout
    assert Database(demo_copy)["versions"].count == before


def test_reparse_after_parser_change_is_marked_as_reparse(demo_copy):
    db = Database(demo_copy)
    db.execute("update versions set body = body || ' [old parser residue]', content_hash = 'stale' where id = 1")
    db.conn.commit()
    result = run_cli("reparse", "--db", demo_copy)
    assert "1 new versions" in result.stdout
    row = next(db.query("select change, produced_by, version from versions order by id desc limit 1"))
    assert row == {"change": "reparse", "produced_by": "reparse", "version": 2}


def test_stats_reports_compression_goal(demo):
    result = run_cli("stats", "--db", demo["db_path"], "--json")
    figures = json.loads(result.stdout)
    manifest = demo["manifest"]["articles"]
    assert figures["articles"] == len(manifest)
    assert figures["removed"] == sum(1 for e in manifest if e["change"] == "removed")
    assert figures["compression_fetched"] >= 8  # the goal: stored <= 1/8 of raw HTML
