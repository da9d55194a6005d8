"""``l10nsync report`` on real branches, as a GitHub Actions job would run it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git

ASYNC = "files/fr/glossary/asynchronous/index.md"
HOSTILE = "files/de/glossary/cache/index.md"


@pytest.fixture
def demo(build: Any) -> Any:
    from l10nsync.scenario import load_scenario

    demo_file = Path(__file__).resolve().parent.parent / "l10nsync" / "scenarios" / "demo.toml"
    return build(load_scenario(demo_file))


@pytest.fixture
def translation_pr(demo: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """A pull request on the translations repository: a stale edit and a hostile new page."""
    root = demo.translated_root
    monkeypatch.setenv("CONTENT_ROOT", str(demo.source_root))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    git(root, "checkout", "-q", "-b", "pr")
    page = root / ASYNC
    page.write_text(page.read_text() + "\nUne phrase de plus.\n")
    hostile = root / HOSTILE
    hostile.parent.mkdir(parents=True)
    hostile.write_text(
        "---\ntitle: '<img src=x onerror=alert(1)> 100%, @octocat | x'\n"
        f"slug: Glossary/Cache\nl10n:\n  sourceCommit: {demo.shas['start']}\n---\n\nCache.\n"
    )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Translate and edit")
    return demo


def test_translations_side_json(translation_pr: Any, cli: Any) -> None:
    result = cli("report", "--base", "main", "--format", "json",
                 cwd=translation_pr.translated_root)
    assert result.exit_code == 0, result.stderr
    document = result.json()
    assert document["side"] == "translations"
    assert document["head"] == git(translation_pr.translated_root, "rev-parse", "HEAD").strip()
    pages = {page["path"]: page for page in document["pages"]}
    assert set(pages) == {ASYNC, HOSTILE}
    assert pages[ASYNC]["status"] == "outdated"
    assert "edited while 2 English commits behind" in pages[ASYNC]["blocked_because"]
    assert pages[ASYNC]["marker_line"] == 5
    # The page the pull request adds is labelled new.
    assert pages[HOSTILE]["new"] is True
    assert pages[ASYNC]["new"] is False
    assert pages[HOSTILE]["status"] == "up_to_date"
    assert pages[HOSTILE]["blocked_because"] is None
    assert document["impacted"] == []


def test_translations_side_github_annotations_and_summary(translation_pr: Any, cli: Any,
                                                          tmp_path: Path) -> None:
    result = cli("report", "--base", "main", "--format", "github", "--fail-on", "blocked",
                 cwd=translation_pr.translated_root)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 1
    assert errors[0].startswith(f"::error file={ASYNC},line=5,")
    assert all(line.startswith("::") for line in lines)
    summary = (tmp_path / "summary.md").read_text()
    assert ASYNC in summary
    assert "<img src=x" not in summary


def test_markdown_comment_escapes_hostile_titles(translation_pr: Any, cli: Any) -> None:
    result = cli("report", "--base", "main", "--format", "markdown",
                 cwd=translation_pr.translated_root)
    assert result.exit_code == 0
    text = result.stdout
    assert text.splitlines()[0] == "<!-- l10nsync-report -->"
    assert "<img src=x" not in text
    assert "@octocat" not in text


def test_english_side_lists_impacted_translations(demo: Any, cli: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    english = demo.source_root
    monkeypatch.setenv("CONTENT_TRANSLATED_ROOT", str(demo.translated_root / "files"))
    git(english, "checkout", "-q", "-b", "pr")
    cache = english / "files/en-us/glossary/cache/index.md"
    cache.write_text(cache.read_text() + "\nCaches expire.\n")
    git(english, "mv", "files/en-us/web/api/fetch_api", "files/en-us/web/api/fetch")
    git(english, "commit", "-qam", "Edit cache, move Fetch API")
    result = cli("report", "--base", "main", "--format", "json", cwd=english)
    assert result.exit_code == 0, result.stderr
    document = result.json()
    assert document["side"] == "english"
    impacted = {page["path"]: page["status"] for page in document["impacted"]}
    # Only what the pull request does: es's unknown marker was there before, listed apart.
    assert impacted == {
        "files/fr/glossary/cache/index.md": "outdated",
        "files/ja/glossary/cache/index.md": "outdated",
        "files/es/web/api/fetch_api/index.md": "moved",
        "files/ja/web/api/fetch_api/index.md": "moved",
    }
    assert [page["path"] for page in document["pre_existing"]] == [
        "files/es/glossary/cache/index.md"]
    text = cli("report", "--base", "main", cwd=english).stdout
    assert "4 translations in 3 locales" in text
    assert "(1 translation needed work before it, listed apart)" in text
    assert ("Needing work before this change (not its effect):\n"
            "  files/es/glossary/cache/index.md: unknown_source_commit: "
            "sourceCommit 0123456789abcdef0123456789abcdef01234567 is not a "
            "commit of the English repository; fix: l10nsync bump --to ") in text
    # Each affected translation gets its next command, to run in the translations repository.
    fixes = {page["path"]: page["fix"] for page in document["impacted"]}
    assert fixes["files/fr/glossary/cache/index.md"] == (
        "l10nsync diff files/fr/glossary/cache/index.md; port the English changes; "
        "l10nsync bump files/fr/glossary/cache/index.md")
    assert fixes["files/ja/web/api/fetch_api/index.md"].startswith(
        "l10nsync move files/ja/web/api/fetch_api/index.md")
    changes = {(c["status"], c["path"]) for c in document["english_changes"]}
    assert ("M", "files/en-us/glossary/cache/index.md") in changes
    assert ("R", "files/en-us/web/api/fetch_api/index.md") in changes


def test_bad_refs_are_one_line_errors(demo: Any, cli: Any, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path: Path) -> None:
    monkeypatch.setenv("CONTENT_ROOT", str(demo.source_root))
    target = tmp_path / "x"
    for ref in ["no-such-branch", f"--output={target}", "main\n--all"]:
        result = cli("report", "--base", ref, cwd=demo.translated_root)
        assert result.exit_code == 2, ref
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    assert not target.exists()


def test_pages_needing_work_without_being_blocked_get_their_next_command(
        demo: Any, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root = demo.translated_root
    monkeypatch.setenv("CONTENT_ROOT", str(demo.source_root))
    git(root, "checkout", "-q", "-b", "pr")
    # Ported one of the two English changes: the marker moves forward, the page stays outdated.
    assert cli("bump", ASYNC, "--to", demo.shas["edit-async"], cwd=root).exit_code == 0
    git(root, "commit", "-qam", "fr: port the callbacks sentence")
    document = cli("report", "--base", "main", "--format", "json", cwd=root).json()
    (page,) = document["pages"]
    assert page["status"] == "outdated" and page["blocked_because"] is None
    assert page["fix"] == (f"l10nsync diff {ASYNC}; port the English changes; "
                           f"l10nsync bump {ASYNC}")
