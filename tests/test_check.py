"""archiver check finds what is wrong with an archive, and says nothing when all is well."""

from sqlite_utils import Database

from conftest import run_cli


def test_check_passes_on_a_sound_archive(demo_copy):
    result = run_cli("check", "--db", demo_copy)
    assert result.returncode == 0, result.stderr
    assert ": ok (" in result.stdout


def test_check_finds_a_damaged_page_and_a_missing_version(demo_copy):
    db = Database(demo_copy)
    damaged = next(db.query("select hash from pages where dictionary is null limit 1"))["hash"]
    db.execute("update pages set zstd = X'00112233' where hash = ?", [damaged])
    article = next(db.query("select article_id from versions where version = 2 limit 1"))["article_id"]
    db.execute("delete from versions where article_id = ? and version = 1", [article])
    db.conn.commit()
    result = run_cli("check", "--db", demo_copy)
    assert result.returncode == 1
    assert f"page {damaged}: cannot be read back" in result.stderr
    assert "1 versions numbered up to 2" in result.stderr
    assert "problems in" in result.stderr


def test_check_finds_an_article_row_out_of_step_with_its_latest_version(demo_copy):
    db = Database(demo_copy)
    db.execute("update articles set change = 'headline' where id = 1")
    db.conn.commit()
    result = run_cli("check", "--db", demo_copy)
    assert result.returncode == 1
    assert "does not match its latest version" in result.stderr
