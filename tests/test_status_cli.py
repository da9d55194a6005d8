"""``l10nsync status`` end to end on real repositories: options, contract, goldens, edge cases."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, L10NSYNC, git, pages_by_path

GOLDEN = Path(__file__).resolve().parent / "golden"
DEMO = Path(__file__).resolve().parent.parent / "l10nsync" / "scenarios" / "demo.toml"
PAGE_KEYS = {"path", "locale", "source_path", "status", "source_commit", "commits_behind",
             "moved_to", "message", "title", "ignored_commits", "change_ratio", "basis",
             "sync_commit", "links", "fix"}


def normalized(text: str, built: Any) -> str:
    """Golden output without the machine's temporary folder."""
    return text.replace(str(built.source_root), "<source-root>")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("L10NSYNC_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def demo(build: Any) -> Any:
    from l10nsync.scenario import load_scenario

    return build(load_scenario(DEMO))


def test_json_contract(demo: Any, cli: Any) -> None:
    result = cli("status", "--format", "json", "--source-root", str(demo.source_root),
                 cwd=demo.translated_root)
    assert result.exit_code == 0
    document = result.json()
    assert document["version"] == 1
    assert document["source"] == {"root": str(demo.source_root),
                                  "head": demo.shas["edit-async-2"]}
    paths = [page["path"] for page in document["pages"]]
    assert paths == sorted(paths)
    for page in document["pages"]:
        assert set(page) == PAGE_KEYS
        if page["status"] in ("up_to_date", "outdated"):
            assert isinstance(page["commits_behind"], int)
            assert isinstance(page["ignored_commits"], list)
        else:
            assert page["commits_behind"] is None
            assert page["ignored_commits"] is None
        if page["status"] == "outdated":
            assert 0 < page["change_ratio"] < 1
        else:
            assert page["change_ratio"] is None
    assert document["summary"]["fr"]["outdated"] == 1
    assert document["summary"]["ja"]["missing_source_commit"] == 1
    assert sum(document["summary"]["es"].values()) == 3
    # One denominator for every share: the English pages at HEAD (an orphan is not counted
    # as translated, since its English page is gone).
    assert document["progress"]["fr"] == {
        "label": "fr", "english_pages": 4, "translated": 3, "up_to_date": 1,
        "translated_percent": 75.0, "up_to_date_percent": 25.0}
    assert all(page["links"] == {} for page in document["pages"])  # no web host known
    check_golden("demo.json", normalized(result.stdout, demo))


def test_table_golden(demo: Any, cli: Any) -> None:
    result = cli("status", "--source-root", str(demo.source_root), cwd=demo.translated_root)
    assert result.exit_code == 0
    # The "what to do" column gives the next command, not the status again.
    assert "l10nsync diff files/fr/glossary/asynchronous/index.md" in result.stdout
    check_golden("demo.table.txt", normalized(result.stdout, demo))


def test_same_answer_from_a_subfolder_and_with_files_folder_roots(demo: Any, cli: Any,
                                                                  monkeypatch: Any) -> None:
    expected = cli("status", "--format", "json", "--source-root", str(demo.source_root),
                   cwd=demo.translated_root).json()
    # MDN sets both variables to the files/ folders; run from deep inside the repository.
    monkeypatch.setenv("CONTENT_ROOT", str(demo.source_root / "files"))
    monkeypatch.setenv("CONTENT_TRANSLATED_ROOT", str(demo.translated_root / "files"))
    result = cli("status", "--format", "json", cwd=demo.translated_root / "files" / "fr")
    assert result.exit_code == 0, result.stderr
    assert result.json() == expected


def test_locale_filter_and_named_paths(demo: Any, cli: Any) -> None:
    args = ("status", "--format", "json", "--source-root", str(demo.source_root))
    only_ja = cli(*args, "--locale", "JA", cwd=demo.translated_root).json()
    assert {page["locale"] for page in only_ja["pages"]} == {"ja"}
    assert list(only_ja["summary"]) == ["ja"]
    named = cli(*args, "files/fr/glossary/cache/index.md", "files/es/glossary",
                cwd=demo.translated_root).json()
    assert [page["path"] for page in named["pages"]] == [
        "files/es/glossary/asynchronous/index.md",
        "files/es/glossary/cache/index.md",
        "files/fr/glossary/cache/index.md",
    ]
    relative = cli(*args, "glossary/cache/index.md", cwd=demo.translated_root / "files" / "fr")
    assert [page["path"] for page in relative.json()["pages"]] == [
        "files/fr/glossary/cache/index.md"
    ]


def test_untranslated_lists_missing_pages_but_not_moved_targets(demo: Any, cli: Any) -> None:
    result = cli("status", "--format", "json", "--untranslated", "--locale", "fr",
                 "--source-root", str(demo.source_root), cwd=demo.translated_root)
    pages = pages_by_path(result.json())
    untranslated = {path for path, page in pages.items() if page["status"] == "untranslated"}
    # fr has asynchronous, cache, first_steps (moved) and latency (orphaned); the moved page's
    # new location is covered by the translation that must move there.
    assert untranslated == {"files/fr/web/api/fetch_api/index.md"}
    assert pages["files/fr/web/api/fetch_api/index.md"]["source_path"] == (
        "files/en-us/web/api/fetch_api/index.md"
    )


def test_fail_on(demo: Any, cli: Any) -> None:
    args = ("status", "--format", "json", "--source-root", str(demo.source_root))
    assert cli(*args, "--fail-on", "orphaned", cwd=demo.translated_root).exit_code == 1
    assert cli(*args, "--fail-on", "orphaned", "--locale", "es",
               cwd=demo.translated_root).exit_code == 0
    assert cli(*args, "--fail-on", "invalid_front_matter",
               cwd=demo.translated_root).exit_code == 0


def test_marker_on_an_unmerged_branch_is_unknown_with_a_hint(build: Any, cli: Any) -> None:
    scenario = {
        "english": [
            {"id": "a", "write": {"glossary/css": "CSS styles pages."}},
            {"id": "wip", "branch": "wip", "from": "a",
             "write": {"glossary/css": "CSS styles pages, in draft."}},
            {"id": "b", "write": {"glossary/css": "CSS styles web pages."}},
        ],
        "translations": [
            {"locale": "fr", "folder": "glossary/css", "source_commit": "{sha:wip}"},
        ],
    }
    built = build(scenario)
    result = cli("status", "--format", "json", "--source-root", str(built.source_root),
                 cwd=built.translated_root)
    page = result.json()["pages"][0]
    assert page["status"] == "unknown_source_commit"
    assert "not in the history of the English HEAD" in page["message"]


def test_shallow_clone_says_fetch_unshallow(build: Any, cli: Any, tmp_path: Path) -> None:
    built = build("statuses")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "2", built.source_root.as_uri(), str(shallow))
    result = cli("status", "--format", "json", "--source-root", str(shallow),
                 cwd=built.translated_root)
    document = result.json()
    http = pages_by_path(document)["files/fr/glossary/http/index.md"]
    assert http["status"] == "unknown_source_commit"
    assert "git fetch --unshallow" in http["message"]
    assert any("shallow" in note for note in document["notes"])
    # A marker inside the shallow history is still judged normally.
    assert pages_by_path(document)["files/de/glossary/tcp/index.md"]["status"] == "up_to_date"


def test_hostile_marker_never_reaches_git(build: Any, cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "created-by-git"
    scenario = {
        "english": [{"id": "a", "write": {"glossary/xss": "Cross-site scripting."}}],
        "translations": [
            {"locale": "fr", "folder": "glossary/xss", "source_commit": f"--output={target}"},
            {"locale": "de", "folder": "glossary/xss", "source_commit": "HEAD"},
            {"locale": "es", "folder": "glossary/xss", "source_commit": "{short:a}^{{tree}}"},
        ],
    }
    built = build(scenario)
    result = cli("status", "--format", "json", "--source-root", str(built.source_root),
                 cwd=built.translated_root)
    assert [page["status"] for page in result.json()["pages"]] == ["invalid_source_commit"] * 3
    assert not target.exists()


def test_non_ascii_paths_survive(build: Any, cli: Any) -> None:
    built = build("statuses")
    result = cli("status", "--format", "json", "--source-root", str(built.source_root),
                 "files/ja/glossary/café/index.md", cwd=built.translated_root)
    assert result.exit_code == 0, result.stderr
    page = result.json()["pages"][0]
    assert page["source_path"] == "files/en-us/glossary/café/index.md"
    assert page["status"] == "outdated"


def test_demo_command_builds_and_reports(cli: Any, tmp_path: Path) -> None:
    result = cli("demo", "--output", str(tmp_path / "demo"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    statuses = {page["status"] for page in result.json()["pages"]}
    assert {"outdated", "moved", "orphaned", "up_to_date"} <= statuses
    again = cli("demo", "--output", str(tmp_path / "demo"))
    assert again.exit_code == 2
    assert "empty or new folder" in again.stderr


def test_console_script_end_to_end(build: Any, tmp_path: Path) -> None:
    """l10nsync as its own process: exit code, JSON on stdout and nothing on stderr."""
    built = build("one_repository")
    completed = subprocess.run(
        [*L10NSYNC, "status", "--format", "json", "--fail-on", "outdated"],
        cwd=built.translated_root, capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 1
    document = json.loads(completed.stdout)
    assert document["summary"]["fr"]["outdated"] == 1
    assert completed.stderr == ""


def test_fixture_files_parse() -> None:
    assert len(list(FIXTURES.glob("*.toml"))) >= 5


def test_table_never_splits_a_path_and_honours_columns(demo: Any, cli: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    result = cli("status", "--source-root", str(demo.source_root), cwd=demo.translated_root)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # The summary table is fitted to COLUMNS even when piped.
    assert max(len(line) for line in lines if line.startswith(("┏", "│", "└"))) <= 50
    for path in ("files/fr/glossary/asynchronous/index.md",
                 "files/fr/learn/first_steps/index.md"):
        assert f"  {path}" in lines
    assert ("    next: l10nsync diff files/fr/glossary/asynchronous/index.md; port the English "
            "changes; l10nsync bump files/fr/glossary/asynchronous/index.md") in lines
