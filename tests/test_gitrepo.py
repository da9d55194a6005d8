"""gitrepo.py: how git's failures reach the rest of l10nsync."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10nsync.errors import GitError
from l10nsync.gitrepo import GitRepository
from tests.conftest import git

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
