"""gitrepo.py on real repositories: how git's failures reach the rest of l10nsync, and the
blob reader's batches through one cat-file process."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from l10nsync.errors import GitError
from l10nsync.gitrepo import GitRepository
from tests.conftest import git

TEXTS = [b"---\ntitle: One\n---\nFirst page.\n", b"Second page,\nwith two lines.\n",
         b"Third page: " + b"many words " * 2000 + b"\n"]

# A git command that git itself runs and that kills git (its parent) with Ctrl-C's signal, as
# the terminal does when the user presses Ctrl-C while git works.
INTERRUPTED = ("-c", "alias.interrupted=!kill -INT $PPID", "interrupted")


@pytest.fixture
def repository(tmp_path: Path) -> GitRepository:
    git(tmp_path, "init", "-q")
    return GitRepository(tmp_path)


def test_git_killed_by_ctrl_c_is_an_interruption_not_a_git_error(
    repository: GitRepository,
) -> None:
    with pytest.raises(KeyboardInterrupt):
        repository._run(*INTERRUPTED)
    with pytest.raises(KeyboardInterrupt):
        list(repository._stream(*INTERRUPTED))


def test_git_that_fails_is_a_git_error_naming_the_repository(
    repository: GitRepository,
) -> None:
    with pytest.raises(GitError, match=f"failed in {repository.root}: exit status 3"):
        repository._run("-c", "alias.fails=!exit 3", "fails")


def blobs_of(root: Path) -> list[str]:
    """A repository holding TEXTS, one file each; their blob ids, in order."""
    subprocess.run(["git", "init", "--quiet", str(root)], check=True)
    found = []
    for number, text in enumerate(TEXTS):
        (root / f"page{number}.md").write_bytes(text)
        found.append(subprocess.run(["git", "-C", str(root), "hash-object", "-w",
                                     f"page{number}.md"], check=True, capture_output=True,
                                    text=True).stdout.strip())
    return found


def test_batches_come_back_in_the_order_asked(tmp_path: Path) -> None:
    one, two, three = blobs_of(tmp_path)
    with GitRepository(tmp_path) as repo, repo.blob_reader() as read:
        assert list(read([three, one])) == [(three, TEXTS[2]), (one, TEXTS[0])]
        assert list(read([])) == []
        assert list(read([two, three])) == [(two, TEXTS[1]), (three, TEXTS[2])]


def test_a_batch_left_unfinished_does_not_shift_the_next_one(tmp_path: Path) -> None:
    one, two, three = blobs_of(tmp_path)
    with GitRepository(tmp_path) as repo, repo.blob_reader() as read:
        first = read([one, two, three])
        assert next(first) == (one, TEXTS[0])
        first.close()  # two answers are still in the pipe
        assert list(read([three])) == [(three, TEXTS[2])]


def test_a_missing_blob_is_an_error_and_the_reader_goes_on(tmp_path: Path) -> None:
    one, _two, _three = blobs_of(tmp_path)
    with GitRepository(tmp_path) as repo, repo.blob_reader() as read:
        with pytest.raises(GitError, match=r"cannot read git object 0{40}"):
            list(read(["0" * 40]))
        assert list(read([one])) == [(one, TEXTS[0])]


def test_git_may_write_a_megabyte_ahead_into_its_pipe(tmp_path: Path) -> None:
    """git stops when its output pipe is full: widened, git goes on while Python parses
    (Linux, where the suite runs; elsewhere pipes stay as they are)."""
    import fcntl
    import os

    from l10nsync.gitrepo import _widen_pipe

    reader, writer = os.pipe()
    try:
        with os.fdopen(reader, "rb", closefd=False) as stream:
            _widen_pipe(stream)
        assert fcntl.fcntl(reader, fcntl.F_GETPIPE_SZ) == 1 << 20
    finally:
        os.close(reader)
        os.close(writer)
    with open(tmp_path / "file", "wb") as not_a_pipe:
        _widen_pipe(not_a_pipe)  # refused by the system: left as it is, no error


def test_a_history_moved_forward_lists_the_files_a_fresh_read_lists(tmp_path: Path) -> None:
    """The files at HEAD of a cached history brought forward (by the diff since its HEAD)
    are those a full read lists: edits, additions, deletions, renames, a symlink, a file
    turned into a submodule and one outside the folder."""
    git(tmp_path, "init", "-q", "-b", "main")
    english = tmp_path / "files" / "en-us"
    for name in ("kept", "edited", "deleted", "renamed", "linked", "replaced"):
        (english / name).mkdir(parents=True)
        (english / name / "index.md").write_text(f"# {name}\n")
    (tmp_path / "README.md").write_text("outside\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start")
    with GitRepository(tmp_path) as repo:
        cached = repo.read_history("files/en-us")
    (english / "edited" / "index.md").write_text("# edited, twice\n")
    git(tmp_path, "rm", "-q", "files/en-us/deleted/index.md")
    git(tmp_path, "mv", "files/en-us/renamed", "files/en-us/moved")
    (english / "added").mkdir()
    (english / "added" / "index.md").write_text("# added\n")
    (english / "linked" / "link.md").symlink_to("index.md")
    (tmp_path / "README.md").write_text("outside, edited\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "move on")
    git(tmp_path, "rm", "-q", "files/en-us/replaced/index.md")
    head = git(tmp_path, "rev-parse", "HEAD").strip()
    git(tmp_path, "update-index", "--add", "--cacheinfo",
        f"160000,{head},files/en-us/replaced/index.md")
    git(tmp_path, "commit", "-qm", "a submodule where a page was")
    with GitRepository(tmp_path) as repo:
        moved_on = repo.read_history("files/en-us", cached)
        fresh = repo.read_history("files/en-us")
    assert moved_on.head == fresh.head == git(tmp_path, "rev-parse", "HEAD").strip()
    assert moved_on.head_blobs == fresh.head_blobs
    assert "files/en-us/moved/index.md" in fresh.head_blobs
    assert "files/en-us/linked/link.md" in fresh.head_blobs
    assert not {"files/en-us/deleted/index.md", "files/en-us/renamed/index.md",
                "files/en-us/replaced/index.md", "README.md"} & set(fresh.head_blobs)
