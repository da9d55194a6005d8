"""The status cache (cache/status.py) under <git-dir>/l10nsync/: warm runs answer exactly what
cold runs answer. The entry format is in test_cache_store.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from l10nsync.cache.status import status_cache
from l10nsync.cache.store import load_entry, store_entry
from l10nsync.config import load_config
from tests.conftest import age_tree, git


def status(cli: Any, built: Any, *extra: str, source: Path | None = None) -> dict[str, Any]:
    result = cli("status", "--format", "json", "--source-root",
                 str(source or built.source_root), *extra, cwd=built.translated_root)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = result.json()
    return document


def cache_dir(built: Any) -> Path:
    return built.translated_root / ".git" / "l10nsync"


@pytest.mark.parametrize("scenario", ["merges", "renames", "statuses", "redirects"])
def test_cached_and_uncached_runs_agree(scenario: str, build: Any, cli: Any) -> None:
    built = build(scenario)
    age_tree(built.translated_root)
    cold = status(cli, built, "--no-cache")
    assert not cache_dir(built).exists()
    first = status(cli, built)
    assert {p.name for p in cache_dir(built).iterdir()} >= {"history.bin", "pages.bin"}
    warm = status(cli, built)
    assert cold == first == warm


def test_english_moving_forward_extends_the_cached_history(build: Any, cli: Any) -> None:
    built = build("merges")
    age_tree(built.translated_root)
    before = status(cli, built)
    page = built.source_root / "files/en-us/web/css/margin/index.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    git(built.source_root, "commit", "-qam", "margin: one more sentence")
    warm = status(cli, built)
    cold = status(cli, built, "--no-cache")
    assert warm == cold
    assert warm["source"]["head"] != before["source"]["head"]
    config = load_config(cwd=built.translated_root, environ={},
                         source_root=str(built.source_root))
    kept = status_cache(config).history()
    assert kept is not None and kept.head == warm["source"]["head"]  # kept, extended
    margin = {p["path"]: p for p in warm["pages"]}["files/es/web/css/margin/index.md"]
    assert margin["status"] == "outdated"
    assert margin["commits_behind"] == 1


def test_status_after_a_check_that_counted_no_english_pages(build: Any, cli: Any) -> None:
    """``check`` does not count the English pages; a ``status`` of the same pages after it
    (nothing changed in between: the verdicts kept are reused) still has the count."""
    built = build("merges")
    age_tree(built.translated_root)
    status(cli, built)
    page = built.source_root / "files/en-us/web/css/margin/index.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    git(built.source_root, "commit", "-qam", "margin: one more sentence")
    named = ["files/es/web/css/margin/index.md", "files/fr/web/css/margin/index.md"]
    named = [path for path in named if (built.translated_root / path).exists()]
    assert named
    source = ["--source-root", str(built.source_root)]
    checked = cli("check", *source, *named, cwd=built.translated_root)
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    warm = status(cli, built, *named)
    assert warm == status(cli, built, "--no-cache", *named)
    assert {share["english_pages"] for share in warm["progress"].values()} == {
        len(git(built.source_root, "ls-files", "--", "files/en-us/*index.md").split())}
    checked = cli("check", *source, *named, cwd=built.translated_root)
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert status(cli, built, *named) == warm


def test_english_head_moved_backwards_is_read_again(build: Any, cli: Any) -> None:
    built = build("merges")
    status(cli, built)
    git(built.source_root, "reset", "-q", "--hard", built.shas["main-1"])
    warm = status(cli, built)
    assert warm == status(cli, built, "--no-cache")
    assert warm["source"]["head"] == built.shas["main-1"]


def test_edited_and_added_pages_are_seen(build: Any, cli: Any) -> None:
    built = build("merges")
    age_tree(built.translated_root)
    status(cli, built)
    page = built.translated_root / "files/fr/web/css/color/index.md"
    page.write_text(page.read_text().replace(built.shas["side-2"], built.shas["main-2"]))
    added = built.translated_root / "files/fr/web/css/new_page/index.md"
    added.parent.mkdir()
    added.write_text("---\ntitle: Nouvelle\n---\n")
    warm = status(cli, built)
    assert warm == status(cli, built, "--no-cache")
    pages = {p["path"]: p for p in warm["pages"]}
    assert pages["files/fr/web/css/color/index.md"]["status"] == "up_to_date"
    assert pages["files/fr/web/css/new_page/index.md"]["status"] == "missing_source_commit"
    added.unlink()
    added.parent.rmdir()
    assert "files/fr/web/css/new_page/index.md" not in {
        p["path"] for p in status(cli, built)["pages"]
    }


@pytest.mark.parametrize("damage", [b"", b"garbage", b"l10nsync-cache\n" + b"0" * 200])
def test_damaged_cache_files_are_rebuilt(damage: bytes, build: Any, cli: Any) -> None:
    built = build("renames")
    cold = status(cli, built, "--no-cache")
    status(cli, built)
    for entry in cache_dir(built).iterdir():
        entry.write_bytes(damage)
    assert status(cli, built) == cold
    assert all(entry.stat().st_size > 100 for entry in cache_dir(built).iterdir())


def test_a_cached_page_history_cut_short_is_read_again(build: Any, cli: Any) -> None:
    """Each English page's changes are kept as a payload of their own, decoded when a verdict
    needs them: one cut short (under a valid checksum) makes the run start again from git,
    with the cold run's answer, not a traceback."""
    built = build("renames")
    cold = status(cli, built, "--no-cache")
    status(cli, built)
    config = load_config(cwd=built.translated_root, environ={},
                         source_root=str(built.source_root))
    cache = status_cache(config)
    kept = cache.history()
    assert kept is not None
    payloads = kept.to_data()["changes"]
    assert isinstance(payloads, dict) and payloads
    assert all(isinstance(payload, bytes) for payload in payloads.values())
    damaged = {**kept.to_data(), "changes": {path: payload[:3]
                                             for path, payload in payloads.items()}}
    cache._store("history.bin", damaged, config.source_root, "files/en-us")
    (cache_dir(built) / "pages.bin").unlink()  # the verdicts are made again from the history
    assert status(cli, built) == cold


def test_truncated_cache_is_not_trusted(build: Any, cli: Any) -> None:
    built = build("renames")
    cold = status(cli, built, "--no-cache")
    status(cli, built)
    for entry in cache_dir(built).iterdir():
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2])
    assert status(cli, built) == cold


def test_unshallowing_with_the_same_head_is_noticed(build: Any, cli: Any,
                                                    tmp_path: Path) -> None:
    built = build("statuses")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", built.source_root.as_uri(), str(shallow))
    before = status(cli, built, source=shallow)
    assert before["notes"]
    git(shallow, "fetch", "--quiet", "--unshallow")
    after = status(cli, built, source=shallow)
    assert after["source"]["head"] == before["source"]["head"]
    assert after["notes"] == []
    assert after == status(cli, built, "--no-cache", source=shallow)


def test_named_pages_keep_the_rest_of_the_cache(build: Any, cli: Any) -> None:
    built = build("merges")
    age_tree(built.translated_root)
    full = status(cli, built)
    named = status(cli, built, "files/fr/web/css/color/index.md")
    assert [p["path"] for p in named["pages"]] == ["files/fr/web/css/color/index.md"]
    assert status(cli, built) == full


@pytest.mark.parametrize("bloom", [False, True, "split"],
                         ids=["plain", "bloom-filters", "log-in-two-parts"])
@pytest.mark.parametrize("scenario", ["merges", "renames", "statuses", "redirects",
                                      "one_repository"])
def test_named_pages_without_cache_read_a_narrow_history_that_agrees(
    scenario: str, bloom: bool | str, build: Any, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page checked alone (the pre-commit case) gets the verdict of the full run, with
    one log over all its paths, that log split between two git processes (as for a long
    range) or, where the English repository has changed-path Bloom filters, one log per
    path."""
    built = build(scenario)
    if bloom == "split":
        monkeypatch.setattr("l10nsync.gitrepo._SPLIT_LOG_FROM", 1)
        bloom = False
    if bloom:
        git(built.source_root, "commit-graph", "write", "--reachable", "--changed-paths")
        from l10nsync.gitrepo import GitRepository

        with GitRepository(built.source_root) as repo:
            assert repo.has_changed_path_filters()
    full = {page["path"]: page for page in status(cli, built, "--no-cache")["pages"]}
    assert len(full) >= 2
    for path, expected in full.items():
        alone = status(cli, built, "--no-cache", path)
        assert alone["pages"] == [expected], path
    together = status(cli, built, "--no-cache", *full)
    assert together["pages"] == list(full.values())


def test_a_narrow_read_with_markers_off_head_or_on_diverging_branches_agrees(
    build: Any, cli: Any
) -> None:
    """The narrow read takes the oldest marker as its base only when it is an ancestor of
    HEAD and of every other marker, and the same English text at a marker and at HEAD means
    in step only for a marker in HEAD's history: a marker on an unmerged branch, or markers
    on two branches, get the verdicts of the full run, alone and together."""
    built = build({
        "english": [
            {"id": "a", "write": {"glossary/css": "CSS styles pages.",
                                  "glossary/html": "HTML marks up pages.",
                                  "glossary/js": "JavaScript runs in pages."}},
            {"id": "wip", "branch": "wip", "from": "a",
             "write": {"glossary/css": "CSS styles pages, in draft."}},
            {"id": "side", "branch": "side", "from": "a",
             "write": {"glossary/html": "HTML marks up web pages."}},
            {"id": "b", "write": {"glossary/css": "CSS styles web pages."}},
            {"id": "merged", "merge": "side"},
            {"id": "c", "write": {"glossary/html": "HTML marks up documents."}},
        ],
        "translations": [
            {"locale": "fr", "folder": "glossary/css", "source_commit": "{sha:wip}"},
            {"locale": "de", "folder": "glossary/css", "source_commit": "{sha:a}"},
            {"locale": "fr", "folder": "glossary/html", "source_commit": "{sha:side}"},
            {"locale": "es", "folder": "glossary/html", "source_commit": "{sha:b}"},
            # The same English text at the marker and at HEAD, the marker off HEAD's history.
            {"locale": "fr", "folder": "glossary/js", "source_commit": "{sha:wip}"},
        ],
    })
    full = {page["path"]: page for page in status(cli, built, "--no-cache")["pages"]}
    assert full["files/fr/glossary/css/index.md"]["status"] == "unknown_source_commit"
    assert full["files/fr/glossary/js/index.md"]["status"] == "unknown_source_commit"
    for path, expected in full.items():
        assert status(cli, built, "--no-cache", path)["pages"] == [expected], path
    for pair in (["files/fr/glossary/html/index.md", "files/es/glossary/html/index.md"],
                 ["files/de/glossary/css/index.md", "files/fr/glossary/css/index.md"]):
        assert status(cli, built, "--no-cache", *pair)["pages"] == [full[p] for p in sorted(pair)]


def test_unchanged_runs_print_the_kept_output_until_an_input_moves(build: Any, cli: Any) -> None:
    built = build("merges")
    age_tree(built.translated_root)
    first = status(cli, built)
    assert (cache_dir(built) / "output.bin").exists()
    assert status(cli, built) == first
    table = cli("status", "--source-root", str(built.source_root), "--limit", "0",
                cwd=built.translated_root)
    assert "margin" in table.stdout and not table.stdout.startswith("{")
    assert status(cli, built)["summary"] == first["summary"]
    page = built.source_root / "files/en-us/web/css/margin/index.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    git(built.source_root, "commit", "-qam", "margin: one more sentence")
    moved = status(cli, built)
    assert moved == status(cli, built, "--no-cache")
    assert moved["source"]["head"] != first["source"]["head"]
    assert moved != first


def test_kept_output_is_not_reused_once_git_learns_an_unknown_marker(build: Any,
                                                                     cli: Any) -> None:
    """No page and no English HEAD moves, yet a verdict does: the marker's commit appears."""
    built = build("merges")
    english = built.source_root
    head = git(english, "rev-parse", "HEAD").strip()
    git(english, "checkout", "-q", "-b", "draft")
    (english / "draft.txt").write_text("not merged yet\n")
    git(english, "add", "draft.txt")
    git(english, "commit", "-qm", "Draft")
    draft = git(english, "rev-parse", "HEAD").strip()
    # Forget the commit entirely, so the marker names nothing git knows.
    git(english, "checkout", "-q", head)
    git(english, "branch", "-q", "-D", "draft")
    git(english, "reflog", "expire", "--expire=now", "--all")
    git(english, "gc", "-q", "--prune=now")
    page = built.translated_root / "files/fr/web/css/color/index.md"
    page.write_text(page.read_text().replace(built.shas["side-2"], draft))
    age_tree(built.translated_root)
    before = {p["path"]: p for p in status(cli, built)["pages"]}
    assert status(cli, built)["pages"] == list(before.values())
    assert "is not a commit of the English repository" in before[
        "files/fr/web/css/color/index.md"]["message"]
    # The same commit made again (fixed identity and dates): now git knows it, off HEAD.
    git(english, "checkout", "-q", "-b", "draft")
    (english / "draft.txt").write_text("not merged yet\n")
    git(english, "add", "draft.txt")
    git(english, "commit", "-qm", "Draft")
    assert git(english, "rev-parse", "HEAD").strip() == draft
    git(english, "checkout", "-q", head)
    after = {p["path"]: p for p in status(cli, built)["pages"]}
    assert "an unmerged branch?" in after["files/fr/web/css/color/index.md"]["message"]
    assert after == {p["path"]: p for p in status(cli, built, "--no-cache")["pages"]}


def test_page_rows_decode_only_the_shards_asked_for() -> None:
    from l10nsync.cache.status import SHARDS, PageRows

    def row(number: int) -> tuple[Any, ...]:
        marker = f"{number % 7:040x}"
        return ((1, 2, 3, 4), (f"files/fr/p{number}/index.md", "fr", "k", marker), ("v",))

    written = PageRows()
    for number in range(2000):
        written[f"files/fr/p{number}/index.md"] = row(number)
    kept = PageRows(written.encoded())
    assert kept["files/fr/p7/index.md"] == row(7)
    assert "files/fr/nowhere/index.md" not in kept
    assert len(kept._decoded) <= 2 < SHARDS  # the two paths' shards, no more
    changed = kept.copy()
    moved_on = ("files/fr/p7/index.md", "fr", "k", "f" * 40)
    changed["files/fr/p7/index.md"] = ((1, 2, 3, 4), moved_on, ("v",))
    assert changed.markers() == {f"{n:040x}" for n in range(7)} | {"f" * 40}
    assert len(changed._decoded) <= 2
    again = PageRows(changed.encoded())
    assert dict(again) == {**dict(written), "files/fr/p7/index.md": changed["files/fr/p7/index.md"]}
    assert kept["files/fr/p7/index.md"] == row(7)  # the copy changed, not the original


def test_a_page_cache_shard_of_another_shape_is_rebuilt(build: Any, cli: Any) -> None:
    import marshal

    from l10nsync.cache.status import SHARDS

    built = build("statuses")
    first = cli("status", "--format", "json", "--source-root", str(built.source_root),
                cwd=built.translated_root)
    pages = cache_dir(built) / "pages.bin"
    stored = load_entry(pages, pages_key := pages.read_bytes()[15:79].decode())
    assert stored is not None
    stored["rows"] = [(marshal.dumps({"x": (1,)}), marshal.dumps(()))] * SHARDS
    store_entry(pages, pages_key, stored)
    (cache_dir(built) / "snapshot.bin").unlink()
    again = cli("status", "--format", "json", "--source-root", str(built.source_root),
                cwd=built.translated_root)
    assert again.exit_code == first.exit_code
    assert again.json() == first.json()
