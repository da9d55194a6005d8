"""Issue 14, class 4: damaged input gives an error, never a wrong answer.

A git object that cannot be read is not an empty file; git's own words reach the user; a
HEAD that names an unreadable commit is not an empty history; no git at all is one line;
a cache entry of another shape is rebuilt.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from l10nsync.cache.status import status_cache
from l10nsync.config import load_config
from tests.conftest import L10NSYNC
from tests.hostile import build_pair, git

PAGE = "files/fr/web/a/index.md"


def object_file(repository: Path, sha: str) -> Path:
    return repository / ".git" / "objects" / sha[:2] / sha[2:]


def corrupt(repository: Path, sha: str) -> None:
    path = object_file(repository, sha)
    path.chmod(0o644)
    path.write_bytes(b"not a zlib stream")


def one_line(result: Any) -> str:
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return str(result.stderr)


@pytest.mark.parametrize("damage", ["corrupt", "missing"])
def test_an_unreadable_english_blob_is_an_error_naming_it(
    cli: Callable[..., Any], tmp_path: Path, damage: str
) -> None:
    pair = build_pair(tmp_path, ["web/a", "web/b"])
    blob = git(pair.english, "rev-parse", f"{pair.start}:files/en-us/web/a/index.md")
    if damage == "corrupt":
        corrupt(pair.english, blob)
    else:
        object_file(pair.english, blob).unlink()
    source = ("--source-root", str(pair.english))
    for args in (("diff", PAGE), ("diff", "--format", "json", PAGE),
                 ("status", "--no-cache"), ("status", "--format", "json"),
                 ("dashboard", "--output", str(tmp_path / "site"))):
        result = cli(*args, *source, cwd=pair.translations)
        assert result.exit_code == 3, (args, result.stdout, result.stderr)
        line = one_line(result)
        assert f"cannot read git object {blob} in {pair.english}" in line, line
        assert '"change_ratio": null' not in result.stdout


def test_git_error_text_reaches_the_user(cli: Callable[..., Any], tmp_path: Path) -> None:
    pair = build_pair(tmp_path, ["web/a"])
    corrupt(pair.english, pair.start)  # a commit in the middle of the history
    result = cli("status", "--no-cache", "--source-root", str(pair.english),
                 cwd=pair.translations)
    assert result.exit_code == 3
    line = one_line(result)
    assert f"loose object {pair.start}" in line and "is corrupt" in line, line
    assert not line.rstrip().endswith("'")


def test_a_corrupt_head_commit_is_not_an_empty_history(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    pair = build_pair(tmp_path, ["web/a"])
    head = git(pair.english, "rev-parse", "HEAD")
    corrupt(pair.english, head)
    for args in (("status", "--no-cache"), ("diff", PAGE), ("bump", PAGE)):
        result = cli(*args, "--source-root", str(pair.english), cwd=pair.translations)
        assert result.exit_code == 3, (args, result.stderr)
        line = one_line(result)
        assert "has no commits" not in line
        assert head in line, line


def test_an_empty_repository_still_has_no_commits(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    pair = build_pair(tmp_path, ["web/a"])
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    result = cli("status", "--no-cache", "--source-root", str(empty), cwd=pair.translations)
    assert result.exit_code in (2, 3)
    assert "cannot read" not in result.stderr


def test_git_missing_from_path_is_one_line(tmp_path: Path) -> None:
    pair = build_pair(tmp_path, ["web/a"])
    tools = tmp_path / "bin"
    tools.mkdir()
    environment = {**os.environ, "PATH": str(tools), "CONTENT_ROOT": str(pair.english)}
    environment.pop("GIT_PYTHON_GIT_EXECUTABLE", None)
    for args in (("status",), ("check", PAGE), ("diff", PAGE), ("bump", PAGE),
                 ("report", "--base", pair.base)):
        result = subprocess.run([*L10NSYNC, *args], cwd=pair.translations, env=environment,
                                capture_output=True, text=True, check=False)
        assert result.returncode == 3, (args, result.stderr)
        assert result.stderr == "l10nsync: error: git not found: install git, or put it on PATH\n"


def test_cache_entries_of_another_shape_are_rebuilt(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    pair = build_pair(tmp_path, ["web/a", "web/b"])
    source = ("--source-root", str(pair.english))
    clean = cli("status", "--format", "json", *source, cwd=pair.translations)
    assert clean.exit_code == 0
    config = load_config(cwd=pair.translations, source_root=str(pair.english), environ={})
    cache = status_cache(config)
    history_key = (config.source_root, "files/en-us")
    shapes: list[tuple[str, object, tuple[object, ...]]] = [
        ("tree.bin", {"listings": {"x": (1,)}, "written_ns": 0}, cache._tree_key()),
        ("tree.bin", {"listings": [], "written_ns": "soon"}, cache._tree_key()),
        ("pages.bin", {"rows": {PAGE: ((1, 2), ("a",), ())}, "written_ns": 0},
         cache._pages_key()),
        ("pages.bin", {"rows": {PAGE: "row"}, "unresolved": []}, cache._pages_key()),
        ("snapshot.bin", {"scan": 1, "written_ns": "x", "unresolved": 3}, (repr(config),)),
        ("history.bin", {"commits": [1], "parents": [], "changes": {"a": [(1,)]},
                         "head_blobs": {}, "shallow": False}, history_key),
        ("history.bin", {"commits": ["a" * 40], "parents": [()],
                         "changes": {"files/en-us/web/a/index.md": [("x",)]},
                         "head_blobs": {}, "shallow": False}, history_key),
    ]
    site = tmp_path / "site"
    for name, value, key in shapes:
        cache._store(name, value, *key)  # a valid checksum over the wrong shape
        if name == "history.bin" and value["commits"] != [1]:  # type: ignore[index]
            # Shallow checks let this one through: it fails where it is used, and the run
            # drops the cache and starts again.
            assert status_cache(config).history() is not None
        for args in (("status", "--format", "json"), ("status",), ("diff", PAGE),
                     ("dashboard", "--output", str(site))):
            result = cli(*args, *source, cwd=pair.translations)
            assert result.exit_code == 0, (name, value, args, result.stderr)
            assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
            if args == ("status", "--format", "json"):
                assert result.json()["pages"] == clean.json()["pages"], (name, value)
