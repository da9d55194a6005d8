"""The git layer on real repositories: what l10nsync asks of git comes back whole."""

from __future__ import annotations

import subprocess
from pathlib import Path

from l10nsync.gitrepo import _SPLIT_ABOVE, GitRepository


def test_many_blobs_come_back_through_two_processes_complete(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    contents = [f"page {number}\n".encode() for number in range(_SPLIT_ABOVE + 10)]
    blobs = subprocess.run(
        ["git", "hash-object", "-w", "--stdin-paths"], cwd=tmp_path, check=True,
        capture_output=True, text=True,
        input="\n".join(str(_write(tmp_path, n, data)) for n, data in enumerate(contents)),
    ).stdout.split()
    with GitRepository(tmp_path) as repo:
        found = dict(repo.read_many_blobs([*blobs, blobs[0], "not-a-blob"]))
    assert found == dict(zip(blobs, contents, strict=True))


def _write(folder: Path, number: int, data: bytes) -> Path:
    path = folder / f"{number}.txt"
    path.write_bytes(data)
    return path
