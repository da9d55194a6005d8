"""Issue 14, class 1: nothing outside the repository is read or written.

A pull request can add a symbolic link where a folder or page should be. Each case links a
part of a page's path (the ``files`` folder, a locale folder, a folder on the way, the page
itself) to pages outside the repository, or to another page inside it, and runs every
command: no page through a link is read or written, and each says so.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from l10nsync.errors import L10nSyncError
from l10nsync.safefiles import (
    EditReader,
    LinkedPathError,
    linked_part,
    read_for_edit,
    replace_page,
)
from tests.hostile import FRENCH_PAGE, build_pair, git

OUTSIDE_TITLE = "Secret outside the repository"


def outside_pages(tmp_path: Path, marker: str) -> Path:
    """A tree of French pages outside both repositories, as a link would lead to."""
    outside = tmp_path / "outside"
    for folder in ("fr/web/a", "fr/web/b"):
        page = outside / folder / "index.md"
        page.parent.mkdir(parents=True)
        page.write_text(FRENCH_PAGE.format(title=OUTSIDE_TITLE, marker=marker))
    return outside


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def link(where: Path, to: Path) -> None:
    if where.is_dir() and not where.is_symlink():
        for path in sorted(where.rglob("*"), reverse=True):
            path.unlink() if path.is_file() or path.is_symlink() else path.rmdir()
        where.rmdir()
    elif where.exists() or where.is_symlink():
        where.unlink()
    where.parent.mkdir(parents=True, exist_ok=True)
    where.symlink_to(to)


# Each case: (where the link is, relative to the translations repository; where it leads,
# given the outside tree and the repository; the page named on the command line).
CASES: dict[str, tuple[str, Callable[[Path, Path], Path], str]] = {
    "files-folder": ("files", lambda out, repo: out.parent / "outside-files",
                     "files/fr/web/b/index.md"),
    "locale-folder": ("files/fr", lambda out, repo: out / "fr", "files/fr/web/b/index.md"),
    "inner-folder": ("files/fr/web/b", lambda out, repo: out / "fr" / "web" / "b",
                     "files/fr/web/b/index.md"),
    "page-file": ("files/fr/web/b/index.md",
                  lambda out, repo: out / "fr" / "web" / "b" / "index.md",
                  "files/fr/web/b/index.md"),
    "link-inside-repository": ("files/fr/web/b",
                               lambda out, repo: repo / "files" / "fr" / "web" / "a",
                               "files/fr/web/b/index.md"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_linked_pages_are_never_read_or_written(
    cli: Callable[..., Any], tmp_path: Path, case: str
) -> None:
    where, target_of, named = CASES[case]
    pair = build_pair(tmp_path, ["web/a", "web/b"])
    outside = outside_pages(tmp_path, pair.start)
    (tmp_path / "outside-files").mkdir()
    (tmp_path / "outside-files" / "fr").symlink_to(outside / "fr")
    repo = pair.translations
    link(repo / where, target_of(outside, repo))
    before_outside = snapshot(outside)
    before_a = (repo / "files/fr/web/a/index.md").read_bytes() if case not in (
        "files-folder", "locale-folder") else None
    source = ("--source-root", str(pair.english))

    def run(*args: str) -> Any:
        return cli(*args, *source, cwd=repo)

    status = run("status", "--format", "json")
    assert status.exit_code == 0, status.stderr
    document = status.json()
    assert all(page["title"] != OUTSIDE_TITLE for page in document["pages"])
    assert "files/fr/web/b/index.md" not in {page["path"] for page in document["pages"]}
    assert any("is a symbolic link" in note for note in document["notes"]), document["notes"]
    table = run("status", "--no-cache")
    assert "is a symbolic link" in table.stdout

    check = run("check", named)
    assert check.exit_code == 1, check.stdout + check.stderr
    assert "is a symbolic link" in check.stdout

    for command in (("bump", named), ("diff", named), ("status", named)):
        refused = run(*command)
        assert refused.exit_code == 2, (command, refused.stdout, refused.stderr)
        assert "is a symbolic link" in refused.stderr
        assert "not inside the translations repository" not in refused.stderr

    annotate = run("annotate", "--key", "outdated")
    assert annotate.exit_code == 2, annotate.stderr
    assert "symbolic link" in annotate.stderr
    dashboard = run("dashboard", "--output", str(tmp_path / "site"))
    assert dashboard.exit_code == 0, dashboard.stderr
    assert OUTSIDE_TITLE not in (tmp_path / "site" / "status.json").read_text()
    report = run("report", "--base", pair.base, "--format", "json")
    assert report.exit_code in (0, 1), report.stderr
    assert OUTSIDE_TITLE not in report.stdout

    assert snapshot(outside) == before_outside  # nothing written through the link
    if before_a is not None and case != "link-inside-repository":
        # the real page beside the link was annotated as usual
        assert (repo / "files/fr/web/a/index.md").read_bytes() != before_a


def test_a_link_made_between_read_and_write_is_not_followed(tmp_path: Path) -> None:
    pair = build_pair(tmp_path, ["web/a"])
    outside = outside_pages(tmp_path, pair.start)
    repo = pair.translations
    data, seen = read_for_edit(repo, "files/fr/web/a/index.md")
    before = snapshot(outside)
    link(repo / "files/fr/web/a", outside / "fr" / "web" / "a")
    with pytest.raises(LinkedPathError, match="files/fr/web/a is a symbolic link"):
        replace_page(repo, "files/fr/web/a/index.md", data + b"edited\n", seen)
    assert snapshot(outside) == before
    link(repo / "files/fr", outside / "fr")
    with pytest.raises(LinkedPathError, match="files/fr is a symbolic link"):
        replace_page(repo, "files/fr/web/a/index.md", data + b"edited\n", None)
    assert snapshot(outside) == before


def test_a_page_replaced_by_a_link_is_not_written_through(tmp_path: Path) -> None:
    pair = build_pair(tmp_path, ["web/a"])
    outside = outside_pages(tmp_path, pair.start)
    repo = pair.translations
    data, seen = read_for_edit(repo, "files/fr/web/a/index.md")
    before = snapshot(outside)
    link(repo / "files/fr/web/a/index.md", outside / "fr" / "web" / "a" / "index.md")
    with pytest.raises(L10nSyncError):
        replace_page(repo, "files/fr/web/a/index.md", data + b"edited\n", seen)
    assert snapshot(outside) == before
    assert linked_part(repo, "files/fr/web/a/index.md") == "files/fr/web/a/index.md"


def test_temporary_file_is_removed_when_the_write_fails(tmp_path: Path) -> None:
    pair = build_pair(tmp_path, ["web/a"])
    folder = pair.translations / "files/fr/web/a"
    # A file size limit makes the write of the temporary file fail half way (EFBIG), as a
    # full disk would; it holds for root too.
    script = f"""
import resource, signal
from l10nsync.safefiles import read_for_edit, replace_page
data, seen = read_for_edit({str(pair.translations)!r}, "files/fr/web/a/index.md")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
try:
    replace_page({str(pair.translations)!r}, "files/fr/web/a/index.md", data * 10, seen)
except OSError as error:
    print("failed:", error.errno)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.startswith("failed:"), result.stdout + result.stderr
    assert sorted(path.name for path in folder.iterdir()) == ["index.md"]
    assert git(pair.translations, "status", "--porcelain") == ""


def test_the_marker_key_sample_reads_no_page_through_a_link(tmp_path: Path) -> None:
    from l10nsync.preflight import sample_pages

    pair = build_pair(tmp_path, ["web/a", "web/b"])
    outside = outside_pages(tmp_path, pair.start)
    link(pair.translations / "files/fr/web/b/index.md", outside / "fr/web/b/index.md")
    sampled = sample_pages([pair.translations / "files" / "fr"], lambda name: name == "index.md")
    assert sampled == [pair.translations / "files/fr/web/a/index.md"]


def test_reading_many_pages_follows_no_link_and_reads_what_one_read_reads(tmp_path: Path) -> None:
    """EditReader keeps the shared folders open between pages: each page still reads as
    read_for_edit reads it, and a folder or page that is a link is refused the same way."""
    root = tmp_path / "root"
    for folder in ("files/fr/web/a", "files/fr/web/b", "files/fr/glossary/c", "files/es/web/a"):
        (root / folder).mkdir(parents=True)
        (root / folder / "index.md").write_text(f"---\ntitle: {folder}\n---\n")
    outside = outside_pages(tmp_path, "abc1234")
    (root / "files/fr/linked").symlink_to(outside / "fr/web")
    (root / "files/fr/glossary/page").mkdir()
    (root / "files/fr/glossary/page/index.md").symlink_to(outside / "fr/web/a/index.md")
    paths = ["files/es/web/a/index.md", "files/fr/glossary/c/index.md",
             "files/fr/glossary/page/index.md", "files/fr/linked/a/index.md",
             "files/fr/missing/index.md", "files/fr/web/a/index.md", "files/fr/web/b/index.md"]

    def outcome(read: Callable[[str], Any], path: str) -> Any:
        try:
            return read(path)
        except (L10nSyncError, OSError) as error:
            return type(error).__name__, str(error)

    one_by_one = [outcome(lambda path: read_for_edit(root, path), path) for path in paths]
    with EditReader(root) as reader:
        together = [outcome(reader.read, path) for path in paths]
    assert together == one_by_one
    assert sum(isinstance(found[0], bytes) for found in together) == 4
    assert together[3][0] == "LinkedPathError" and together[2][0] == "LinkedPathError"
    assert together[4][0] == "FileNotFoundError"
    assert together[5][0].decode() == "---\ntitle: files/fr/web/a\n---\n"
