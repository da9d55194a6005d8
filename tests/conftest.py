"""Shared test helpers: scenarios built into real git repositories, and the CLI run in-process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from l10nsync.scenario import BuiltScenario, build_scenario, load_scenario
from l10nsync.terminal import run  # the entry point: the hook's check without parsing

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# l10nsync as a separate process: the package under test, run by the interpreter running the
# tests, so a test never depends on a `l10nsync` script on PATH (an unactivated venv, an IDE,
# PATH stripped to test a missing git). `-P` (Python 3.11+) keeps the working folder off
# sys.path, as it is for the console script; `python -m` on 3.10 puts it there, and no test
# repository has Python modules at its root. test_cli_errors checks the console script itself.
L10NSYNC: list[str] = [sys.executable, *(["-P"] if sys.version_info >= (3, 11) else []),
                       "-m", "l10nsync"]

# git must not read the developer's or CI's own configuration, hooks or templates.
GIT_ENVIRONMENT = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@l10nsync.invalid",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@l10nsync.invalid",
    "GIT_AUTHOR_DATE": "2024-06-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2024-06-01T12:00:00Z",
}


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets git without user config and without MDN's variables from the shell."""
    for name, value in GIT_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    for name in ("CONTENT_ROOT", "CONTENT_TRANSLATED_ROOT", "NO_COLOR", "GITHUB_ACTIONS",
                 "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


@dataclass
class CliResult:
    """What one in-process CLI run printed and returned."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """Run ``l10nsync ARGS`` in-process from a given folder, as a user would from a shell."""

    def invoke(*args: str, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def build(tmp_path: Path) -> Callable[[str | Mapping[str, Any]], BuiltScenario]:
    """Build a scenario (a fixtures/ file name without .toml, or a dict) into real repositories."""
    counter = iter(range(1000))

    def make(scenario: str | Mapping[str, Any]) -> BuiltScenario:
        if isinstance(scenario, str):
            scenario = load_scenario(FIXTURES / f"{scenario}.toml")
        data = scenario
        return build_scenario(data, tmp_path / f"scenario-{next(counter)}")

    return make


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` (with the tests' fixed identity and dates) and return its output."""
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


HOUR_AGO = time.time() - 3600


def age_tree(root: Path) -> None:
    """Make every file and folder an hour old, so the cache may trust their time stamps."""
    for folder, folders, files in os.walk(root):
        if ".git" in folders:
            folders.remove(".git")
        for name in files:
            os.utime(Path(folder, name), (HOUR_AGO, HOUR_AGO))
        os.utime(folder, (HOUR_AGO, HOUR_AGO))


@pytest.fixture
def demo_with_content_root(build: Callable[[str | Mapping[str, Any]], BuiltScenario],
                           monkeypatch: pytest.MonkeyPatch) -> BuiltScenario:
    """The demo scenario built, with CONTENT_ROOT naming its English files/ folder."""
    built = build(load_scenario(Path(__file__).resolve().parent.parent / "l10nsync"
                                / "scenarios" / "demo.toml"))
    monkeypatch.setenv("CONTENT_ROOT", str(built.source_root / "files"))
    return built


def pages_by_path(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The JSON report's pages keyed by path."""
    return {page["path"]: page for page in document["pages"]}


@pytest.fixture
def scenario_status(
    build: Callable[[str | Mapping[str, Any]], BuiltScenario], cli: Callable[..., CliResult]
) -> Iterator[Callable[..., tuple[BuiltScenario, dict[str, dict[str, Any]]]]]:
    """Build a scenario, run ``status --format json`` in its translations repo, return pages."""

    def status(scenario: str | Mapping[str, Any], *extra: str):  # type: ignore[no-untyped-def]
        built = build(scenario)
        args = ["status", "--format", "json", *extra]
        if built.source_root != built.translated_root:
            args += ["--source-root", str(built.source_root)]
        result = cli(*args, cwd=built.translated_root)
        assert result.exit_code == 0, result.stderr
        return built, pages_by_path(result.json())

    yield status
