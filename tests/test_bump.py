"""``bump``, ``annotate`` and ``check`` end to end on real repositories."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git

ASYNC = "files/fr/glossary/asynchronous/index.md"


@pytest.fixture
def demo(demo_with_content_root: Any) -> Any:
    return demo_with_content_root


def status_of(cli: Any, built: Any, path: str) -> dict[str, Any]:
    result = cli("status", "--format", "json", path, cwd=built.translated_root)
    assert result.exit_code == 0, result.stderr
    page: dict[str, Any] = result.json()["pages"][0]
    return page


def test_bump_records_the_last_english_change_and_only_the_marker(demo: Any, cli: Any) -> None:
    page = demo.translated_root / ASYNC
    before = page.read_bytes()
    os.chmod(page, 0o640)
    dry = cli("bump", ASYNC, "--dry-run", cwd=demo.translated_root)
    assert dry.exit_code == 0
    assert f"+  sourceCommit: {demo.shas['edit-async-2']}" in dry.stdout
    assert page.read_bytes() == before
    done = cli("bump", ASYNC, cwd=demo.translated_root)
    assert done.exit_code == 0, done.stderr
    after = page.read_bytes()
    assert after == before.replace(demo.shas["start"].encode(), demo.shas["edit-async-2"].encode())
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert status_of(cli, demo, ASYNC)["status"] == "up_to_date"
    again = cli("bump", ASYNC, cwd=demo.translated_root)
    assert "unchanged" in again.stdout
    assert page.read_bytes() == after


def test_bump_adds_a_missing_marker_after_the_slug(demo: Any, cli: Any) -> None:
    path = "files/ja/glossary/asynchronous/index.md"
    result = cli("bump", path, cwd=demo.translated_root)
    assert result.exit_code == 0, result.stderr
    lines = (demo.translated_root / path).read_text().splitlines()
    slug = lines.index("slug: Glossary/Asynchronous")
    assert lines[slug + 1:slug + 3] == ["l10n:", f"  sourceCommit: {demo.shas['edit-async-2']}"]


def test_bump_to_checks_the_commit(demo: Any, cli: Any) -> None:
    page = demo.translated_root / ASYNC
    before = page.read_bytes()
    # A commit on a branch that was never merged into the English HEAD.
    git(demo.source_root, "checkout", "-q", "-b", "draft")
    draft_page = demo.source_root / "files/en-us/glossary/cache/index.md"
    draft_page.write_text(draft_page.read_text() + "\nA draft sentence.\n")
    git(demo.source_root, "commit", "-qam", "Draft")
    draft = git(demo.source_root, "rev-parse", "HEAD").strip()
    git(demo.source_root, "checkout", "-q", "main")
    for target, words in [("--output=x", "not a commit"), ("deadbeef", "not a commit"),
                          (draft[:10], "not in the history")]:
        result = cli("bump", ASYNC, "--to", target, cwd=demo.translated_root)
        assert result.exit_code == 2, target
        assert words in result.stderr
    assert page.read_bytes() == before
    moved = cli("bump", ASYNC, "--to", demo.shas["edit-async"][:12], cwd=demo.translated_root)
    assert moved.exit_code == 0
    backwards = cli("bump", ASYNC, "--to", demo.shas["start"], cwd=demo.translated_root)
    assert backwards.exit_code == 2
    assert "older than the current" in backwards.stderr


def test_bump_refuses_broken_and_moved_pages_and_does_the_others(demo: Any, cli: Any) -> None:
    broken = demo.translated_root / "files/fr/glossary/cache/index.md"
    broken.write_text("---\ntitle: [Cache\nl10n:\n  sourceCommit: abc1234\n---\nTexte\n")
    broken_bytes = broken.read_bytes()
    moved = "files/fr/learn/first_steps/index.md"
    result = cli("bump", "files/fr/glossary/cache/index.md", moved, ASYNC,
                 cwd=demo.translated_root)
    assert result.exit_code == 2
    assert "invalid front matter" in result.stderr
    assert "moved" in result.stderr
    assert broken.read_bytes() == broken_bytes
    assert demo.shas["edit-async-2"] in (demo.translated_root / ASYNC).read_text()


def test_annotate_writes_and_removes_the_banner_key(demo: Any, cli: Any) -> None:
    args = ("annotate", "--key", "drifted_from_default", "--locale", "fr")
    first = cli(*args, cwd=demo.translated_root)
    assert first.exit_code == 0, first.stderr
    page = demo.translated_root / ASYNC
    assert "drifted_from_default: true" in page.read_text()
    cache = (demo.translated_root / "files/fr/glossary/cache/index.md").read_text()
    assert "drifted_from_default" not in cache
    snapshot = page.read_bytes()
    assert cli(*args, cwd=demo.translated_root).stdout == ""
    assert page.read_bytes() == snapshot
    assert cli("bump", ASYNC, cwd=demo.translated_root).exit_code == 0
    cli(*args, cwd=demo.translated_root)
    assert "drifted_from_default" not in page.read_text()
    refused = cli("annotate", "--key", "l10n.sourceCommit", cwd=demo.translated_root)
    assert refused.exit_code == 2


def test_check_blocks_stale_edits_and_passes_synced_ones(demo: Any, cli: Any) -> None:
    page = demo.translated_root / ASYNC
    (demo.translated_root / "README.md").write_text("Not a page.\n")
    untouched = cli("check", ASYNC, "README.md", cwd=demo.translated_root)
    assert untouched.exit_code == 0, untouched.stdout
    page.write_text(page.read_text() + "\nUne phrase de plus.\n")
    stale = cli("check", ASYNC, cwd=demo.translated_root)
    assert stale.exit_code == 1
    assert f"{ASYNC}: edited while 2 English commits behind" in stale.stdout
    assert f"l10nsync bump {ASYNC}" in stale.stdout
    cli("bump", ASYNC, cwd=demo.translated_root)
    assert cli("check", ASYNC, cwd=demo.translated_root).exit_code == 0


def test_check_blocks_a_marker_moved_backwards_and_a_hostile_one(demo: Any, cli: Any,
                                                                 tmp_path: Path) -> None:
    path = "files/es/glossary/asynchronous/index.md"
    page = demo.translated_root / path
    text = page.read_text()
    page.write_text(text.replace(demo.shas["edit-async-2"], demo.shas["edit-async"]))
    backwards = cli("check", path, cwd=demo.translated_root)
    assert backwards.exit_code == 1
    assert "went back" in backwards.stdout
    target = tmp_path / "created"
    page.write_text(text.replace(demo.shas["edit-async-2"], f"--output={target}"))
    hostile = cli("check", path, cwd=demo.translated_root)
    assert hostile.exit_code == 1
    assert "not a 7 to 64 character hex" in hostile.stdout
    assert not target.exists()


def test_check_blocks_moved_and_deleted_sources(demo: Any, cli: Any) -> None:
    result = cli("check", "files/fr/learn/first_steps/index.md",
                 "files/fr/glossary/latency/index.md", cwd=demo.translated_root)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any("fix: l10nsync move files/fr/learn/first_steps/index.md" in line
               for line in lines)
    assert any("glossary/latency" in line and "was deleted" in line for line in lines)


def test_annotate_with_the_cache_warm_reads_only_the_pages_it_may_edit(
    demo: Any, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page in step whose cached front matter facts (read from the file as it is now) show
    no banner key is not read again; the answer is the uncached one, and a page changed since
    the cache was written is read."""
    from l10nsync.commands import bump
    from l10nsync.config import load_config
    from tests.conftest import age_tree

    root = demo.translated_root
    in_step = root / "files/fr/glossary/cache/index.md"
    age_tree(root)
    assert cli("status", cwd=root).exit_code in (0, 1)  # the cache, written an hour later
    read: list[str] = []
    real_read = bump.EditReader.read

    def counted(reader: Any, path: str) -> Any:
        read.append(path)
        return real_read(reader, path)

    monkeypatch.setattr(bump.EditReader, "read", counted)

    def annotate(*, use_cache: bool) -> Any:
        config = load_config(cwd=root, environ=os.environ, use_cache=use_cache)
        return bump.annotate_pages(config, [], cwd=root, key="outdated", value="true",
                                   clear=False)

    warm = annotate(use_cache=True)
    warm_reads, read[:] = list(read), []
    cold = annotate(use_cache=False)
    assert [e for e in warm[0] if e.changed] == [e for e in cold[0] if e.changed]
    assert warm[1] == cold[1]
    assert str(in_step.relative_to(root)) in read  # without the cache, every page is read
    assert str(in_step.relative_to(root)) not in warm_reads
    assert len(warm_reads) < len(read)
    # The key written by hand since: the stamp differs, the page is read and the key removed.
    in_step.write_text(in_step.read_text().replace("---\n", "---\noutdated: true\n", 1))
    edits, _ = annotate(use_cache=True)
    assert [(e.path, e.note) for e in edits if e.changed] == [
        *[(e.path, e.note) for e in warm[0] if e.changed and e.path < str(
            in_step.relative_to(root))],
        (str(in_step.relative_to(root)), "removed outdated"),
        *[(e.path, e.note) for e in warm[0] if e.changed and e.path > str(
            in_step.relative_to(root))],
    ]
