"""Issue 13: the localizer's loop. Every step a command suggests must work as printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git

CACHE_FR = "files/fr/glossary/cache/index.md"
ASYNC_FR = "files/fr/glossary/asynchronous/index.md"


@pytest.fixture
def demo(demo_with_content_root: Any) -> Any:
    return demo_with_content_root


def test_bump_never_moves_a_marker_backwards(demo: Any, cli: Any) -> None:
    page = demo.translated_root / CACHE_FR
    # The page's marker is the English HEAD, newer than the last change to the English page.
    head = git(demo.source_root, "rev-parse", "HEAD").strip()
    page.write_text(page.read_text().replace(demo.shas["start"], head))
    before = page.read_bytes()
    result = cli("bump", CACHE_FR, cwd=demo.translated_root)
    assert result.exit_code == 0, result.stderr
    assert "already in step" in result.stdout
    assert page.read_bytes() == before
    assert cli("check", CACHE_FR, cwd=demo.translated_root).exit_code == 0


@pytest.mark.parametrize("revision", ["HEAD", "main", "HEAD~1"])
def test_bump_to_takes_a_revision_of_the_english_repository(demo: Any, cli: Any,
                                                            revision: str) -> None:
    sha = git(demo.source_root, "rev-parse", f"{revision}^{{commit}}").strip()
    result = cli("bump", ASYNC_FR, "--to", revision, cwd=demo.translated_root)
    assert result.exit_code == 0, result.stderr
    assert f"sourceCommit: {sha}\n" in (demo.translated_root / ASYNC_FR).read_text()


def test_bump_to_never_passes_an_option_to_git(demo: Any, cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "created"
    before = (demo.translated_root / ASYNC_FR).read_bytes()
    for revision in (f"--output={target}", "-h", "HEAD:files", "nope"):
        result = cli("bump", ASYNC_FR, "--to", revision, cwd=demo.translated_root)
        assert result.exit_code == 2, revision
        assert "not a commit of the English repository" in result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert not target.exists()
    assert (demo.translated_root / ASYNC_FR).read_bytes() == before


def test_check_on_a_path_that_does_not_exist_is_an_error(demo: Any, cli: Any) -> None:
    result = cli("check", "files/fr/glossary/cach/index.md", cwd=demo.translated_root)
    assert result.exit_code == 2
    assert result.stderr == "l10nsync: error: files/fr/glossary/cach/index.md: no such file\n"


def test_status_untranslated_with_paths_lists_untranslated_pages_there(demo: Any,
                                                                       cli: Any) -> None:
    result = cli("status", "--format", "json", "--untranslated", "files/fr/glossary",
                 cwd=demo.translated_root)
    assert result.exit_code == 0, result.stderr
    untranslated = sorted(page["path"] for page in result.json()["pages"]
                          if page["status"] == "untranslated")
    # Only glossary pages: fetch_api and the moved guide are English pages outside the folder.
    assert untranslated == []
    (demo.translated_root / CACHE_FR).unlink()
    result = cli("status", "--format", "json", "--untranslated", "files/fr/glossary",
                 cwd=demo.translated_root)
    untranslated = sorted(page["path"] for page in result.json()["pages"]
                          if page["status"] == "untranslated")
    assert untranslated == [CACHE_FR]


@pytest.mark.parametrize("clear", [False, True])
def test_annotate_reports_invalid_yaml_and_edits_the_other_pages(demo: Any, cli: Any,
                                                                  clear: bool) -> None:
    broken = demo.translated_root / CACHE_FR
    broken.write_text("---\ntitle: [Cache\nl10n:\n  sourceCommit: abc1234\n---\nTexte\n")
    broken_bytes = broken.read_bytes()
    async_page = demo.translated_root / ASYNC_FR
    if clear:
        async_page.write_text(async_page.read_text().replace(
            "slug: Glossary/Asynchronous\n", "slug: Glossary/Asynchronous\nbanner: true\n"))
    args = ["annotate", "--key", "banner", "files/fr/glossary", *(["--clear"] if clear else [])]
    result = cli(*args, cwd=demo.translated_root)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"l10nsync: error: {CACHE_FR}: invalid front matter")
    assert broken.read_bytes() == broken_bytes
    assert ("banner" in async_page.read_text()) is not clear


def test_the_fix_for_a_marker_moved_backwards_restores_it_and_keeps_the_edit(
        demo: Any, cli: Any) -> None:
    from tests.test_advice import run_advice

    path = "files/es/glossary/asynchronous/index.md"
    page = demo.translated_root / path
    text = page.read_text()
    edited = text.replace(demo.shas["edit-async-2"], demo.shas["edit-async"]) + "\nMás.\n"
    page.write_text(edited)
    blocked = cli("check", path, cwd=demo.translated_root)
    assert blocked.exit_code == 1
    fix = blocked.stdout.split("; fix: ", 1)[1].strip()
    assert fix.startswith(f"l10nsync bump --to {demo.shas['edit-async-2'][:12]} {path}")
    run_advice(cli, demo.translated_root, fix)
    assert page.read_text() == text + "\nMás.\n"
    assert cli("check", path, cwd=demo.translated_root).exit_code == 0


def test_check_skips_a_dangling_symlink_like_any_file_that_is_not_a_page(demo: Any,
                                                                          cli: Any) -> None:
    link = demo.translated_root / "files/fr/glossary/gone.md"
    link.symlink_to("does-not-exist.md")
    result = cli("check", "files/fr/glossary/gone.md", cwd=demo.translated_root)
    assert result.exit_code == 0, result.stderr
