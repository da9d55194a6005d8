"""One history engine for every command: ``bump`` and ``check`` answer from the history
``status`` reads, and give the commits the per-page git queries they replaced would give.

The references here are git itself, run per page as the code once did: ``git log --follow``
for the last change of a page and ``git merge-base --is-ancestor`` for a marker moved back.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from l10nsync.advice import guess_sync_points
from l10nsync.cache.status import status_cache
from l10nsync.commands.bump import sync_points
from l10nsync.commands.check import markers_moved_backwards
from l10nsync.commands.status import build_status_report
from l10nsync.config import load_config
from l10nsync.facts import load_history
from l10nsync.history import History, first_descendant_of_all, last_change, text_changes
from l10nsync.rules.check import Committed
from l10nsync.rules.status import SourceFacts
from l10nsync.scenario import BuiltScenario
from tests.conftest import git

# Scenarios in two repositories with merges, renames (with and without edits), deletions,
# re-created paths, redirects and cosmetic commits.
SCENARIOS = ["merges", "renames", "redirects", "statuses", "cosmetic", "sections"]
ENGLISH = "files/en-us/"


def follow_reference(root: Path, path: str) -> str | None:
    """The last commit that changed ``path``'s text, as ``git log --follow`` tells it (the
    query ``bump`` ran once per page): the first entry that is not a pure rename."""
    log = git(root, "log", "--follow", "--format=%x01%H", "--name-status", "HEAD", "--", path)
    for entry in log.split("\x01")[1:]:
        sha, _newline, changes = entry.partition("\n")
        if any(not line.startswith("R100") for line in changes.splitlines() if line):
            return sha
    return None


def english_pages(built: BuiltScenario) -> list[str]:
    listed = git(built.source_root, "ls-files", "-z", "--", ENGLISH).split("\0")
    return sorted(path for path in listed if path.endswith("/index.md"))


def full_history(built: BuiltScenario) -> History:
    config = load_config(cwd=built.translated_root, environ={},
                         source_root=str(built.source_root), use_cache=False)
    return load_history(config, status_cache(config))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_last_change_is_what_git_log_follow_names(
    build: Callable[[str], BuiltScenario], scenario: str
) -> None:
    built = build(scenario)
    history = full_history(built)
    pages = english_pages(built)
    assert pages
    for path in pages:
        found = last_change(history, path)
        assert found is not None, path
        assert history.commits[found] == follow_reference(built.source_root, path), path


@pytest.mark.parametrize("scenario", ["merges", "renames", "statuses", "cosmetic", "sections"])
def test_bump_writes_what_git_log_follow_names(
    build: Callable[[str], BuiltScenario], cli: Any, scenario: str
) -> None:
    built = build(scenario)
    root = built.translated_root
    translations = [line for line in git(root, "ls-files", "--", "files").splitlines()
                    if line.endswith("index.md")]
    result = cli("bump", "--dry-run", "--source-root", str(built.source_root), *translations,
                 cwd=root)
    # Moved, orphaned and broken pages are refused (exit 2); every other page gets its edit.
    assert result.exit_code in (0, 2), result.stderr
    assert all(re.search(r": (moved|orphaned|invalid front matter): ", line)
               for line in result.stderr.splitlines()), result.stderr
    written = dict(re.findall(r"^\+\+\+ b/(\S+)\n(?:.*\n)*?\+\s+sourceCommit: ([0-9a-f]{40})$",
                              result.stdout, flags=re.MULTILINE))
    history = full_history(built)
    points = sync_points(history, {path: ENGLISH + path.split("/", 2)[2]
                                   for path in translations})
    checked = 0
    for path, sha in written.items():
        english = ENGLISH + path.split("/", 2)[2]
        assert sha == follow_reference(built.source_root, english), (path, result.stdout)
        assert points[path] == sha
        checked += 1
    assert checked, result.stdout


GAP = ("The `gap` property sets the space between rows and columns.\n\n"
       "## Syntax\n\nIt takes one or two lengths.\n\n## Examples\n\nA grid with gaps.\n\n"
       "## Browser compatibility\n\nBrowsers support it in grid and flex layouts.")


def test_changes_merged_from_two_branches_sync_with_the_merge(
    build: Callable[[Mapping[str, Any]], BuiltScenario], cli: Any
) -> None:
    """Both branches changed the page: the last change of either leaves the other one
    unsynced, so bump records the merge that holds both (git log --follow does not)."""
    built = build({
        "repositories": "two",
        "english": [
            {"id": "base", "message": "Add", "write": {"web/css/gap": GAP}},
            {"id": "side", "branch": "side", "from": "base", "message": "side: last paragraph",
             "write": {"web/css/gap": GAP.replace("Browsers", "Every browser")}},
            {"id": "main", "message": "main: first paragraph",
             "write": {"web/css/gap": GAP.replace("between rows", "between the rows")}},
            {"id": "merge", "merge": "side", "message": "Merge side", "write": {
                "web/css/gap": GAP.replace("Browsers", "Every browser").replace(
                    "between rows", "between the rows")}},
        ],
        "translations": [{"locale": "fr", "folder": "web/css/gap",
                          "source_commit": "{sha:base}"}],
    })
    root, page = built.translated_root, "files/fr/web/css/gap/index.md"
    history = full_history(built)
    changes = text_changes(history, ENGLISH + "web/css/gap/index.md")
    assert {history.commits[c] for c in changes} >= {built.shas["side"], built.shas["main"]}
    merged = history.commits[first_descendant_of_all(history.parents, changes)]
    assert merged == built.shas["merge"]
    result = cli("bump", "--source-root", str(built.source_root), page, cwd=root)
    assert result.exit_code == 0, result.stderr
    assert f"sourceCommit: {built.shas['merge']}" in (root / page).read_text()
    status = cli("status", "--format", "json", "--source-root", str(built.source_root), page,
                 cwd=root)
    assert status.json()["pages"][0]["status"] == "up_to_date"
    # The per-page query names one branch's change only.
    assert follow_reference(built.source_root, ENGLISH + "web/css/gap/index.md") in {
        built.shas["side"], built.shas["main"]}


@pytest.mark.parametrize("scenario", ["merges", "renames"])
def test_markers_moved_backwards_agrees_with_git(
    build: Callable[[str], BuiltScenario], scenario: str
) -> None:
    built = build(scenario)
    config = load_config(cwd=built.translated_root, environ={},
                         source_root=str(built.source_root), use_cache=False)
    history = full_history(built)
    shas = sorted(set(built.shas.values()) & set(history.commits))
    pairs = [(old, new) for old in shas for new in shas if old != new]
    markers_now = {f"page{n}": new for n, (_old, new) in enumerate(pairs)}
    committed = {f"page{n}": Committed(old, "") for n, (old, _new) in enumerate(pairs)}
    for engine_history in (history, None):  # from the history, and from git alone
        backwards = markers_moved_backwards(config, markers_now, committed, engine_history)
        for n, (old, new) in enumerate(pairs):
            expected = git_is_ancestor(built.source_root, new, old)
            assert (f"page{n}" in backwards) == expected, (old, new)


def git_is_ancestor(root: Path, ancestor: str, descendant: str) -> bool:
    return subprocess.run(["git", "merge-base", "--is-ancestor", ancestor, descendant],
                          cwd=root, capture_output=True).returncode == 0


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_cached_uncached_and_narrow_runs_give_the_same_json(
    build: Callable[[str], BuiltScenario], cli: Any, scenario: str
) -> None:
    built = build(scenario)
    root, source = built.translated_root, ["--source-root", str(built.source_root)]
    status = ["status", "--format", "json", *source]
    uncached = cli(*status, "--no-cache", cwd=root)
    cold = cli(*status, cwd=root)
    warm = cli(*status, cwd=root)
    assert uncached.exit_code == cold.exit_code == warm.exit_code
    assert uncached.stdout == cold.stdout == warm.stdout
    pages = [page["path"] for page in uncached.json()["pages"]][:5]
    # A few named pages with no cache take the narrow read: same verdicts as the full run.
    narrow = cli(*status, "--no-cache", *pages, cwd=root)
    full = {page["path"]: page for page in uncached.json()["pages"]}
    for page in narrow.json()["pages"]:
        assert page == full[page["path"]]


@pytest.mark.parametrize("scenario", ["statuses", "one_repository"])
def test_marker_guesses_from_the_history_are_git_s(
    build: Callable[[str], BuiltScenario], scenario: str
) -> None:
    """The advice for pages without a usable marker guesses their sync point from the
    history the report read (a few git calls in all), as it did from git page by page."""
    built = build(scenario)
    site = built.translated_root
    if scenario == "one_repository":
        # A page that lost its marker, and an English change after its translation.
        page = site / "files/fr/learn/forms/index.md"
        page.write_text("\n".join(line for line in page.read_text().split("\n")
                                  if "l10n:" not in line and "sourceCommit" not in line))
        git(site, "commit", "-qam", "fr: drop the marker")
        english = site / "files/en-us/learn/forms/index.md"
        english.write_text(english.read_text() + "\nA later English sentence.\n")
        git(site, "commit", "-qam", "Forms: later change")
    config = load_config(cwd=site, environ={}, source_root=str(built.source_root),
                         use_cache=False, basis="marker")
    facts: list[SourceFacts] = []
    report = build_status_report(config, cwd=site, on_facts=facts.append)
    assert facts and not facts[0].history.narrow
    from_history = guess_sync_points(config, report.pages, facts[0].history)
    from_git = guess_sync_points(config, report.pages)
    assert from_history == from_git
    guesses, _missing = from_history
    assert guesses  # the scenario has pages to guess for
    if scenario == "one_repository":
        assert guesses["files/fr/learn/forms/index.md"].reason.startswith("guessed by ancestry")


@pytest.mark.parametrize(
    "scenario", ["merges", "renames", "sections", "statuses", "queue", "cosmetic", "history"])
def test_parallel_and_serial_runs_give_the_same_json(
    build: Callable[[str], BuiltScenario], cli: Any, monkeypatch: pytest.MonkeyPatch,
    scenario: str,
) -> None:
    """Drift and the dashboard's diffs fork workers from 400 pages on: forced to fork on a
    few pages, they give byte for byte what the one-process path gives. In "statuses" and
    "queue" some pages' English texts were not read by status: this process reads and compares
    those while the workers take the others."""
    import l10nsync.commands.diff
    import l10nsync.workqueue

    built = build(scenario)
    root, source = built.translated_root, ["--source-root", str(built.source_root)]
    drift = ["status", "--format", "json", "--drift", "--no-cache", *source]
    serial = cli(*drift, cwd=root)
    assert '"drift": {' in serial.stdout
    monkeypatch.setattr(l10nsync.workqueue, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(l10nsync.commands.diff, "_PARALLEL_FROM", 1)
    parallel = cli(*drift, cwd=root)
    assert (parallel.exit_code, parallel.stdout) == (serial.exit_code, serial.stdout)


def test_a_dashboard_diffed_by_workers_is_the_one_diffed_in_process(
    build: Callable[[str], BuiltScenario], cli: Any, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    import datetime
    import types

    import l10nsync.commands.dashboard
    import l10nsync.commands.diff
    from tests.test_cache_diffs import _FixedClock, write_site

    monkeypatch.setattr(l10nsync.commands.dashboard, "datetime",
                        types.SimpleNamespace(datetime=_FixedClock, timezone=datetime.timezone))
    built = build("dashboard")
    serial = write_site(cli, built, tmp_path / "serial", "--no-cache")
    monkeypatch.setattr(l10nsync.commands.diff, "_PARALLEL_FROM", 1)
    parallel = write_site(cli, built, tmp_path / "parallel", "--no-cache")
    assert len(serial) > 3
    assert parallel == serial
