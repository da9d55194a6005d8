"""Git-history mode, root-locale layouts, Lunaria configs and ``init`` on real repositories.

The statuses of fixtures/history.toml are checked in test_scenarios.py; these tests cover what
a scenario's expectations cannot: forcing a basis, markers winning, uncommitted translations,
untranslated pages beside a root locale, and starting from a Lunaria config; then the pure
rules (rules/history_mode.py) on literal records: inference, commit rules, directive globs.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from l10nsync.history import History
from l10nsync.model import Page
from l10nsync.rules.history_mode import CommitRule, infer_sync_points, parse_commit_rules

FR_INTRO = "src/content/docs/fr/guides/intro.md"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True, env={"GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "a@b.c",
                                          "GIT_COMMITTER_NAME": "Ada",
                                          "GIT_COMMITTER_EMAIL": "a@b.c",
                                          "GIT_AUTHOR_DATE": "2024-06-01T00:00:00Z",
                                          "GIT_COMMITTER_DATE": "2024-06-01T00:00:00Z",
                                          "HOME": str(cwd), "PATH": "/usr/bin:/bin"}).stdout


def pages_of(result: Any) -> dict[str, dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    return {page["path"]: page for page in result.json()["pages"]}


def test_a_marker_wins_and_basis_history_overrides_it(build: Any, cli: Any) -> None:
    built = build("history")
    site = built.source_root
    page = site / FR_INTRO
    marker = built.shas["intro-1"]
    page.write_text(page.read_text().replace("---\n\n", f"l10n:\n  sourceCommit: {marker}\n"
                                             "---\n\n", 1))
    auto = pages_of(cli("status", "--format", "json", cwd=site))[FR_INTRO]
    assert auto["basis"] == "marker"
    assert auto["status"] == "up_to_date"
    assert auto["source_commit"] == marker
    assert auto["sync_commit"] is None
    forced = pages_of(cli("status", "--format", "json", "--basis", "history", cwd=site))[FR_INTRO]
    assert forced["basis"] == "history"
    assert forced["status"] == "outdated"
    assert forced["sync_commit"] == built.shas["translate"]


def test_uncommitted_translation_has_no_sync_point(build: Any, cli: Any) -> None:
    built = build("history")
    site = built.source_root
    new = site / "src/content/docs/es/guides/setup.md"
    new.write_text("---\ntitle: Instalación\n---\n\nInstale la herramienta.\n")
    page = pages_of(cli("status", "--format", "json", cwd=site))[
        "src/content/docs/es/guides/setup.md"]
    assert page["status"] == "missing_source_commit"
    assert page["basis"] == "history"
    assert "no committed change" in page["message"]
    git(site, "add", "-A")
    git(site, "commit", "-qm", "es: translate the setup guide")
    page = pages_of(cli("status", "--format", "json", cwd=site))[
        "src/content/docs/es/guides/setup.md"]
    assert page["status"] == "up_to_date"
    assert page["sync_commit"] == git(site, "rev-parse", "HEAD").strip()


def test_two_repositories_refuse_basis_history(build: Any, cli: Any) -> None:
    built = build("statuses")
    result = cli("status", "--basis", "history", "--source-root", str(built.source_root),
                 cwd=built.translated_root)
    assert result.exit_code == 2
    assert "needs the English pages and the translations in one repository" in result.stderr
    assert "Traceback" not in result.stderr


def test_untranslated_pages_beside_a_root_locale(build: Any, cli: Any) -> None:
    built = build("history")
    site = built.source_root
    config = site / ".l10nsync.toml"
    config.write_text(config.read_text() + 'localizable_property = "i18nReady"\n')
    api = site / "src/content/docs/reference/api.mdx"
    api.write_text(api.read_text().replace("title: API\n", "title: API\ni18nReady: true\n"))
    git(site, "commit", "-qam", "API is ready for translation")
    pages = pages_of(cli("status", "--format", "json", "--untranslated", cwd=site))
    untranslated = {path for path, page in pages.items() if page["status"] == "untranslated"}
    # Only the page marked ready is asked for, in each locale without it; nothing under a
    # locale folder is taken for an English page.
    assert untranslated == {f"src/content/docs/{folder}/reference/api.mdx"
                            for folder in ("de", "es", "pt-br")}


def test_cached_history_mode_agrees_with_a_cold_run(build: Any, cli: Any) -> None:
    built = build("history")
    site = built.source_root
    cold = cli("status", "--format", "json", "--no-cache", cwd=site).json()
    assert cli("status", "--format", "json", cwd=site).json() == cold
    assert cli("status", "--format", "json", cwd=site).json() == cold
    (site / FR_INTRO).write_text((site / FR_INTRO).read_text() + "\nUne phrase de plus.\n")
    git(site, "commit", "-qam", "fr: catch up with the introduction")
    warm = cli("status", "--format", "json", cwd=site).json()
    assert warm == cli("status", "--format", "json", "--no-cache", cwd=site).json()
    assert {p["path"]: p for p in warm["pages"]}[FR_INTRO]["status"] == "up_to_date"


LUNARIA = {
    "$schema": "./node_modules/@lunariajs/core/config.schema.json",
    "repository": {"name": "example/docs", "branch": "main"},
    "defaultLocale": {"label": "English", "lang": "en"},
    "locales": [{"label": "Français", "lang": "fr"}, {"label": "Deutsch", "lang": "de"}],
    "files": [{"location": "src/content/docs/**/*.{md,mdx}",
               "pattern": "src/content/docs/@lang/@path", "type": "universal"}],
    "dashboard": {"title": "Translation status"},
}


def lunaria_site(built: Any) -> Path:
    """The history fixture with its l10nsync config swapped for a Lunaria one."""
    site: Path = built.source_root
    git(site, "rm", "-q", ".l10nsync.toml")
    (site / "lunaria.config.json").write_text(json.dumps(LUNARIA, indent=2))
    git(site, "add", "lunaria.config.json")
    git(site, "commit", "-qm", "Track translations with Lunaria")
    return site


def test_a_lunaria_config_is_read_as_it_is(build: Any, cli: Any) -> None:
    site = lunaria_site(build("history"))
    result = cli("status", "--format", "json", cwd=site)
    pages = pages_of(result)
    assert "field 'dashboard' is not supported" in result.stderr
    assert pages[FR_INTRO]["status"] == "outdated"
    assert pages[FR_INTRO]["basis"] == "history"
    # Lunaria's default keywords: the "Fix typo" commit is not counted.
    assert pages["src/content/docs/fr/guides/setup.md"]["status"] == "up_to_date"
    assert {page["locale"] for page in pages.values()} == {"fr", "de"}


def test_init_writes_a_config_that_status_reads(build: Any, cli: Any) -> None:
    built = build("history")
    site = built.source_root
    expected = cli("status", "--format", "json", "--no-cache", cwd=site).json()
    (site / ".l10nsync.toml").unlink()
    result = cli("init", cwd=site / "src")
    assert result.exit_code == 0, result.stderr
    written = (site / ".l10nsync.toml").read_text()
    assert result.stdout == written
    assert "source_at_root = true" in written
    assert 'locales = ["de", "es", "fr", "pt-br"]' in written
    again = cli("init", cwd=site)
    assert again.exit_code == 2 and "already exists" in again.stderr
    statuses = {p["path"]: p["status"] for p in
                cli("status", "--format", "json", "--no-cache", cwd=site).json()["pages"]}
    before = {p["path"]: p["status"] for p in expected["pages"]}
    # The written config has no commit-message conventions: the commits they ignored count.
    counted_now = {"src/content/docs/fr/guides/setup.md": "outdated",
                   "src/content/docs/pt-br/reference/config.markdoc": "outdated",
                   FR_INTRO: "up_to_date"}
    assert statuses == before | counted_now
    assert all(before[path] != status for path, status in counted_now.items())


def test_init_from_lunaria_and_for_mdn_and_for_nothing_known(build: Any, cli: Any,
                                                             tmp_path: Path) -> None:
    site = lunaria_site(build("history"))
    result = cli("init", cwd=site)
    assert result.exit_code == 0, result.stderr
    assert "from lunaria.config.json" in result.stdout
    assert 'ignore_keywords = ["lunaria-ignore", "fix typo"]' in result.stdout
    assert "not carried over" in result.stdout and "dashboard" in result.stdout
    mdn = build("statuses")
    result = cli("init", cwd=mdn.translated_root)
    assert result.exit_code == 0, result.stderr
    assert 'layout = "files/{locale}/{path}"' in result.stdout
    assert 'source_root = "../content"' in result.stdout  # the English checkout beside it
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    result = cli("init", cwd=empty)
    assert result.exit_code == 2
    assert "no known layout found" in result.stderr
    assert not (empty / ".l10nsync.toml").exists()


# The inference on literal histories: no git, every branch of the walk.
def history_of(changes: dict[str, list[tuple[int, str, str, str | None, int, str]]],
               commits: int) -> History:
    history = History(commits=[f"{n:040x}" for n in range(commits)],
                      parents=[(n - 1,) if n else () for n in range(commits)])
    history.changes = {path: [tuple(c) for c in items]  # type: ignore[misc]
                       for path, items in changes.items()}
    return history


def test_inference_follows_renames_and_skips_cosmetic_and_ignored_changes() -> None:
    history = history_of({
        "fr/old.md": [(1, "A", "b1", None, 100, ""), (2, "M", "b2", None, 100, "b1"),
                      (4, "R>", "", "fr/new.md", 100, "b2")],
        "fr/new.md": [(4, "R<", "b2", "fr/old.md", 100, "b2"), (5, "M", "b3", None, 100, "b2"),
                      (6, "M", "b4", None, 100, "b3")],
    }, 7)
    page = Page("fr/new.md", "fr", "new")
    asked: list[list[tuple[str, str]]] = []

    def cosmetic_of(pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
        asked.append(pairs)
        return {pair for pair in pairs if pair == ("b2", "b3")}

    rules = {history.commits[6]: CommitRule(skip=True)}
    inferred = infer_sync_points(history, [page], rules, cosmetic_of)[page]
    # 6 is ignored by its message, 5 only changed whitespace, 4 is a pure rename: 2 it is.
    assert inferred.source_commit == history.commits[2]
    assert inferred.basis == "history"
    assert asked == [[("b2", "b3")], [("b1", "b2")]]
    # A file deleted in git and written again but not committed has no sync point.
    gone = history_of({"fr/gone.md": [(1, "A", "b1", None, 100, ""),
                                      (3, "D", "", None, 100, "b1")]}, 4)
    page = Page("fr/gone.md", "fr", "gone")
    assert infer_sync_points(gone, [page], {}, cosmetic_of)[page].source_commit is None


def test_commit_rules_from_messages() -> None:
    rules = parse_commit_rules(
        [("a" * 40, "Fix Typo in the intro", ""),
         ("b" * 40, "Docs: new page", "More words.\n@lunaria-track:docs/a.md; docs/b/*.md\n"),
         ("c" * 40, "Docs: tidy", "@lunaria-ignore:docs/**\n"),
         ("d" * 40, "Docs: nothing special", "")],
        ["fix typo", "lunaria-ignore"], "@lunaria-ignore", "@lunaria-track")
    assert set(rules) == {"a" * 40, "b" * 40, "c" * 40}
    assert not rules["a" * 40].counts("docs/a.md")
    assert rules["b" * 40].counts("docs/a.md") and rules["b" * 40].counts("docs/b/x.md")
    assert not rules["b" * 40].counts("docs/c.md")
    assert not rules["c" * 40].counts("docs/x/y.md")


@pytest.mark.parametrize("value", ["guess", "Markers"])
def test_a_bad_basis_flag_is_a_usage_error(value: str, build: Any, cli: Any) -> None:
    built = build("history")
    result = cli("status", "--basis", value, cwd=built.source_root)
    assert result.exit_code == 2
    assert f"--basis {value!r} must be one of auto, marker, history" in result.stderr


def test_the_dashboard_shows_diffs_since_inferred_sync_points(build: Any, cli: Any,
                                                              tmp_path: Path) -> None:
    built = build("history")
    output = tmp_path / "site"
    result = cli("dashboard", "--output", str(output), cwd=built.source_root)
    assert result.exit_code == 0, result.stderr
    details = "".join(path.read_text() for path in (output / "data").glob("detail-*.js"))
    # fr/guides/intro.md is behind by intro-1, counted from its inferred sync point.
    assert "Intro: explain the folder layout" in details
    assert built.shas["intro-1"] in details
    status = json.loads((output / "status.json").read_text())
    assert {page["basis"] for page in status["pages"]
            if page["status"] != "untranslated"} == {"history"}


# --- directive globs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("src/content/docs/en/**/*.mdx", "src/content/docs/en/x.mdx", True),
        ("src/content/docs/en/**/*.mdx", "src/content/docs/en/a/b/x.mdx", True),
        ("en/**.mdx", "en/x.mdx", True),
        ("en/**.mdx", "en/guides/x.mdx", False),
        ("en/*.md", "en/guides/x.md", False),
        ("*.md", "docs/x.md", False),
        ("docs/{a,b}.md", "docs/b.md", True),
        ("./docs/a.md", "docs/a.md", True),
    ],
)
def test_directive_globs_follow_micromatch(glob: str, path: str, matches: bool) -> None:
    rule = CommitRule(ignore=(glob,))
    assert rule.counts(path) is not matches


def test_directive_globs_are_matched_from_the_root_and_from_the_project_folder() -> None:
    rules = parse_commit_rules(
        [("a" * 40, "Docs", "@lunaria-track:src/content/docs/**/*.md"),
         ("b" * 40, "Docs", "@lunaria-ignore:docs/src/content/docs/x.md")],
        [], "@lunaria-ignore", "@lunaria-track", "docs")
    assert rules["a" * 40].counts("docs/src/content/docs/x.md")
    assert not rules["a" * 40].counts("docs/src/content/docs/x.mdx")
    assert not rules["b" * 40].counts("docs/src/content/docs/x.md")
    assert rules["b" * 40].counts("docs/src/content/docs/y.md")
    # Outside the project folder, only paths from the root match.
    assert not rules["a" * 40].counts("other/src/content/docs/x.md")
