"""The real pre-commit framework runs this repository's hook on a translations repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import L10NSYNC, git

THIS_REPOSITORY = Path(__file__).resolve().parent.parent
ASYNC = "files/fr/glossary/asynchronous/index.md"


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the session: the hook's environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def try_hook(built: Any, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo`` on this repository's hook, as a translations repo would run it."""
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home),
                   "CONTENT_ROOT": str(built.source_root / "files")}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(THIS_REPOSITORY), "l10nsync",
         "--files", *files],
        cwd=built.translated_root, capture_output=True, text=True, env=environment,
        check=False, timeout=600,
    )


def test_pre_commit_runs_the_hook(build: Any, pre_commit_home: Path, tmp_path: Path) -> None:
    from l10nsync.scenario import load_scenario

    built = build(load_scenario(THIS_REPOSITORY / "l10nsync" / "scenarios" / "demo.toml"))
    root = built.translated_root
    page = root / ASYNC
    page.write_text(page.read_text() + "\nUne phrase de plus.\n")
    git(root, "add", ASYNC)
    stale = try_hook(built, pre_commit_home, ASYNC)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "edited while 2 English commits behind" in stale.stdout

    up_to_date = "files/fr/glossary/cache/index.md"
    (root / up_to_date).write_text((root / up_to_date).read_text() + "\nMise à jour.\n")
    passing = try_hook(built, pre_commit_home, up_to_date)
    assert passing.returncode == 0, passing.stdout + passing.stderr

    environment = {**os.environ, "CONTENT_ROOT": str(built.source_root / "files")}
    subprocess.run([*L10NSYNC, "bump", ASYNC], cwd=root, check=True, env=environment,
                   capture_output=True)
    after_bump = try_hook(built, pre_commit_home, ASYNC)
    assert after_bump.returncode == 0, after_bump.stdout + after_bump.stderr

    spanish = "files/es/glossary/asynchronous/index.md"
    text = (root / spanish).read_text()
    (root / spanish).write_text(text.replace(built.shas["edit-async-2"], built.shas["start"]))
    backwards = try_hook(built, pre_commit_home, spanish)
    assert backwards.returncode == 1
    assert "went back" in backwards.stdout

    target = tmp_path / "written-by-git"
    (root / spanish).write_text(text.replace(built.shas["edit-async-2"], f"--output={target}"))
    hostile = try_hook(built, pre_commit_home, spanish)
    assert hostile.returncode == 1
    assert "not a 7 to 64 character hex" in hostile.stdout
    assert not target.exists()
