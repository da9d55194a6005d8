"""``l10nsync dashboard`` with its diff cache, on real repositories: a warm run writes what a run
without the cache writes, aligns only what changed, and rebuilds a damaged cache."""

from __future__ import annotations

import datetime
import subprocess
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import l10nsync.commands.dashboard
import l10nsync.commands.diff
from l10nsync.cache.diffs import DIFFS_FILE
from l10nsync.cache.store import cache_key, load_entry, store_entry
from l10nsync.scenario import BuiltScenario
from tests.conftest import CliResult

AT_PAGE = "files/fr/web/javascript/reference/global_objects/array/at/index.md"
ENGLISH_HTTP = "files/en-us/glossary/http/index.md"
OUTDATED_PAGES = 4  # fr: at, http and img; ja: http
HTTP_TRANSLATIONS = 2  # fr and ja, both outdated


class _FixedClock(datetime.datetime):
    """A clock stopped at one second: runs a second apart must write the same bytes."""

    @classmethod
    def now(cls, tz: datetime.tzinfo | None = None) -> _FixedClock:
        return cls(2024, 6, 2, 8, 0, 0, tzinfo=tz)


@dataclass
class Site:
    """The dashboard scenario's repositories and a way to write its dashboard."""

    built: BuiltScenario
    run: Callable[..., dict[str, bytes]]
    aligned: list[str]  # the translated texts aligned so far, one per page diffed

    @property
    def cache_file(self) -> Path:
        return self.built.translated_root / ".git" / "l10nsync" / DIFFS_FILE

    def aligned_since(self, count: int) -> int:
        return len(self.aligned) - count


@pytest.fixture
def site(
    build: Callable[[str], BuiltScenario],
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[Site]:
    """The dashboard scenario, with section alignment counted and the clock stopped."""
    built = build("dashboard")
    monkeypatch.setattr(l10nsync.commands.dashboard, "datetime",
                        types.SimpleNamespace(datetime=_FixedClock,
                                              timezone=datetime.timezone))
    aligned: list[str] = []
    map_hunks = l10nsync.commands.diff.map_hunks

    def counting(old: str, new: str, translated: str, cutoff: float) -> Any:
        aligned.append(translated)
        return map_hunks(old, new, translated, cutoff)

    monkeypatch.setattr(l10nsync.commands.diff, "map_hunks", counting)
    outputs = iter(range(100))

    def run(*extra: str) -> dict[str, bytes]:
        return write_site(cli, built, tmp_path / f"dashboard-{next(outputs)}", *extra)

    yield Site(built, run, aligned)


def write_site(cli: Callable[..., CliResult], built: BuiltScenario, output: Path,
               *extra: str) -> dict[str, bytes]:
    """Run ``dashboard`` into ``output``; the files written, by path, with their bytes."""
    result = cli("dashboard", "--output", str(output), "--source-root",
                 str(built.source_root), *extra, cwd=built.translated_root)
    assert result.exit_code == 0, result.stderr
    # The marker records each file's time stamp: it is the one file that always differs.
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted(output.rglob("*"))
            if path.is_file() and path.name != l10nsync.commands.dashboard.MARKER_FILE}


def detail_files(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name.startswith("data/detail-")}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_a_warm_run_writes_the_same_files_and_aligns_nothing(site: Site) -> None:
    cold = site.run()
    assert site.aligned_since(0) == OUTDATED_PAGES
    assert site.cache_file.is_file()
    warm = site.run()
    assert site.aligned_since(OUTDATED_PAGES) == 0
    assert warm == cold
    assert detail_files(warm)


def test_an_edited_translation_is_aligned_again(site: Site) -> None:
    before = site.run()
    page = site.built.translated_root / AT_PAGE
    text = page.read_text(encoding="utf-8")
    # Every section of the translation moves down two lines: its diff must say so.
    page.write_text(text.replace("La méthode", "Une introduction.\n\nLa méthode", 1),
                    encoding="utf-8")
    count = len(site.aligned)
    cached = site.run()
    assert site.aligned_since(count) == 1
    assert "Une introduction." in site.aligned[-1]
    assert detail_files(cached) != detail_files(before)
    assert cached == site.run("--no-cache")


def test_a_new_english_commit_diffs_only_the_page_it_changed(site: Site) -> None:
    before = site.run()
    source = site.built.source_root
    english = source / ENGLISH_HTTP
    english.write_text(english.read_text(encoding="utf-8") + "\nHTTP/3 runs over QUIC.\n",
                       encoding="utf-8")
    git(source, "commit", "--quiet", "--all", "--message", "HTTP: QUIC")
    count = len(site.aligned)
    cached = site.run()
    assert site.aligned_since(count) == HTTP_TRANSLATIONS
    assert cached["status.json"] != before["status.json"]
    assert cached == site.run("--no-cache")


def test_no_cache_neither_reads_nor_writes_the_diff_cache(site: Site) -> None:
    uncached = site.run("--no-cache")
    assert not site.cache_file.exists()
    assert site.aligned_since(0) == OUTDATED_PAGES
    site.run()
    site.run("--no-cache")
    assert site.aligned_since(OUTDATED_PAGES) == 2 * OUTDATED_PAGES
    assert site.run() == uncached


def _garbage(path: Path) -> None:
    path.write_bytes(b"not a cache at all")


def _flipped_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))


def _junk_values(path: Path) -> None:
    # A well-formed, correctly keyed file whose entries have the wrong shape.
    key = cache_key(DIFFS_FILE)
    data = load_entry(path, key)
    assert isinstance(data, dict) and len(data["diffs"]) == OUTDATED_PAGES
    data["diffs"] = {diff: ((("junk",),), 0.5) for diff in data["diffs"]}
    data["commits"] = {sha: "junk" for sha in data["commits"]}
    assert store_entry(path, key, data)


@pytest.mark.parametrize("damage", [_garbage, _flipped_byte, _junk_values])
def test_a_damaged_cache_is_ignored_and_rewritten(
    site: Site, damage: Callable[[Path], None]
) -> None:
    first = site.run()
    damage(site.cache_file)
    assert site.run() == first
    assert site.aligned_since(OUTDATED_PAGES) == OUTDATED_PAGES
    rewritten = load_entry(site.cache_file, cache_key(DIFFS_FILE))
    assert isinstance(rewritten, dict)
    assert all(isinstance(summary, tuple) for summary in rewritten["commits"].values())
    assert site.run() == first
    assert site.aligned_since(2 * OUTDATED_PAGES) == 0


def test_entries_no_longer_used_are_dropped(site: Site) -> None:
    site.run()
    page = site.built.translated_root / AT_PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\nUne conclusion.\n", encoding="utf-8")
    site.run()
    kept = load_entry(site.cache_file, cache_key(DIFFS_FILE))
    assert isinstance(kept, dict)
    assert len(kept["diffs"]) == OUTDATED_PAGES


def test_an_unchanged_site_gets_only_a_new_time(
    build: Callable[[str], BuiltScenario], cli: Callable[..., CliResult], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.conftest import age_tree

    built = build("dashboard")
    age_tree(built.translated_root)
    monkeypatch.setattr(l10nsync.commands.dashboard, "datetime",
                        types.SimpleNamespace(datetime=_FixedClock,
                                              timezone=datetime.timezone))
    output = tmp_path / "site"

    def run(*extra: str, into: Path = output) -> dict[str, bytes]:
        return write_site(cli, built, into, *extra)

    def stamps() -> dict[str, int]:
        return {path.name: path.stat().st_mtime_ns for path in output.rglob("*.js")}

    first = run()
    before = stamps()
    assert run() == first
    after = stamps()
    # Only the overview's data was written again; every page and diff file was left alone.
    assert {name for name in before if before[name] != after[name]} == {"summary.js"}
    # A data file changed by hand is noticed: the whole site is written again.
    detail = output / "data" / "detail-0.js"
    detail.write_text("window.L10NSYNC_DETAIL = null;\n")
    assert run() == first
    # So is a new English commit: the site equals one written with no cache at all.
    page = built.source_root / ENGLISH_HTTP
    page.write_text(page.read_text() + "\nHTTP/3 runs over QUIC.\n")
    git(built.source_root, "commit", "-qam", "HTTP: mention HTTP/3")
    moved = run()
    assert moved != first
    assert moved == run("--no-cache", into=tmp_path / "fresh")
