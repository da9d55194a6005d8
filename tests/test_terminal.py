"""The entry point: the pre-commit hook's ``check FILE...``, ``version`` and a plain
``status`` skip the CLI framework, and answer exactly as the parsed command line does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from l10nsync import cli, terminal

ASYNC = "files/fr/glossary/asynchronous/index.md"


def both_ways(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[Any, Any]:
    """(exit code, stdout, stderr) of the entry point and of the Typer command line."""
    capsys.readouterr()
    fast = terminal.run(argv)
    fast_out = capsys.readouterr()
    parsed = cli.run(argv)
    parsed_out = capsys.readouterr()
    return (fast, fast_out.out, fast_out.err), (parsed, parsed_out.out, parsed_out.err)


def test_the_hooks_check_answers_as_the_parsed_command(
    demo_with_content_root: Any, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = demo_with_content_root.translated_root
    monkeypatch.chdir(root)
    page = root / ASYNC
    page.write_text(page.read_text() + "\nUne phrase de plus.\n")
    spanish = root / "files/es/glossary/asynchronous/index.md"
    shas = demo_with_content_root.shas
    spanish.write_text(spanish.read_text().replace(shas["edit-async-2"], shas["edit-async"]))
    (root / "README.md").write_text("Not a page.\n")
    for argv in (["check", ASYNC, "README.md"],
                 ["check", ASYNC, "files/es/glossary/asynchronous/index.md",
                  "files/fr/learn/first_steps/index.md", "files/fr/glossary/latency/index.md"],
                 ["check", "files/fr/no/such/page/index.md"],
                 ["check", "README.md"]):
        fast, parsed = both_ways(capsys, argv)
        assert fast == parsed, argv
    fast, _parsed = both_ways(capsys, ["check", ASYNC, "files/es/glossary/asynchronous/index.md"])
    assert fast[0] == 1
    assert f"{ASYNC}: edited while 2 English commits behind" in fast[1]
    assert "went back" in fast[1]


def test_errors_end_the_same_way(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # not a repository: a one-line error, exit 2
    fast, parsed = both_ways(capsys, ["check", ASYNC])
    assert fast == parsed
    assert fast[0] == 2
    assert fast[2].startswith("l10nsync: error: ")


@pytest.mark.parametrize("argv", [["version"], ["--version"]])
def test_version_answers_as_the_parsed_command(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    fast, parsed = both_ways(capsys, argv)
    assert fast == parsed
    assert fast[1].startswith("l10nsync ")


@pytest.mark.parametrize("argv", [["check", "--help"], ["check", "--source-root", "x", "a"],
                                  ["check"], ["check", "-"], ["status", "a"], ["version", "x"]])
def test_other_command_lines_are_parsed(argv: list[str]) -> None:
    assert terminal._hook_files(argv) is None
    assert terminal._hook_files(["check", "a", "b/index.md"]) == ["a", "b/index.md"]


def test_the_hook_and_version_load_no_cli_framework(demo_with_content_root: Any) -> None:
    # Nor what only other commands need: wcmatch (globs), rapidfuzz (a page in step needs no
    # change ratio), rich (the progress bar).
    loaded = heavy_modules_after(
        "run(['version'])\ncode = run(['check', 'files/fr/glossary/cache/index.md'])",
        ("typer", "click", "pydantic", "rich", "wcmatch", "rapidfuzz"),
        demo_with_content_root.translated_root)
    assert loaded == "0 []"


def heavy_modules_after(calls: str, heavy: tuple[str, ...], root: Path) -> str:
    """Run ``calls`` (which set ``code``) in a fresh interpreter in ``root``: "CODE [the
    modules of ``heavy`` they loaded]"."""
    script = (f"import sys\nfrom l10nsync.terminal import run\n{calls}\n"
              f"print(code, sorted(name for name in {heavy!r} if name in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                          text=True, timeout=60)
    lines = done.stdout.splitlines()
    assert lines, done.stderr
    return lines[-1]


@pytest.mark.parametrize("argv", [["status", "--no-cache", "--format", "json"],
                                  ["status", "--format=json"],
                                  ["status", "-f", "table", "--no-cache"],
                                  ["status"]])
def test_a_plain_status_answers_as_the_parsed_command(
    argv: list[str], demo_with_content_root: Any, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(demo_with_content_root.translated_root)
    assert terminal._plain_status(argv) is not None
    fast, parsed = both_ways(capsys, argv)
    assert fast == parsed
    assert fast[0] == 0
    assert "files/fr/glossary/asynchronous/index.md" in fast[1]


@pytest.mark.parametrize("argv", [["status", "--format", "JSON"], ["status", "files/fr"],
                                  ["status", "--no-cache", "--no-cache"], ["status", "--help"],
                                  ["status", "--format"], ["status", "-fjson"],
                                  ["status", "-f", "json", "--format", "table"],
                                  ["status", "--limit", "3"], ["status", "--", "--no-cache"]])
def test_other_status_lines_are_parsed(argv: list[str]) -> None:
    assert terminal._plain_status(argv) is None
    assert terminal._plain_status(["status", "--format", "json", "--no-cache"]) == (
        terminal.OutputFormat.json, True)


def test_a_plain_status_loads_no_cli_framework(demo_with_content_root: Any) -> None:
    # The status a CI job or a site's build runs: Typer and pydantic cost it 0.15 s of start.
    loaded = heavy_modules_after("code = run(['status', '--no-cache', '--format', 'json'])",
                                 ("typer", "click", "pydantic", "rich"),
                                 demo_with_content_root.translated_root)
    assert loaded == "0 []"


def test_the_console_script_collects_cycles_rarely() -> None:
    # A run that judges 100,000 dictionary keys spent up to 0.3 s in the collector at
    # Python's default threshold (700 new objects).
    script = ("import gc, sys\n"
              "from l10nsync import terminal\n"
              "sys.argv = ['l10nsync', 'version']\n"
              "try:\n    terminal.main()\nexcept SystemExit:\n    pass\n"
              "print(gc.get_threshold()[0])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.splitlines()[-1] == str(terminal.GC_THRESHOLD), done.stderr
    assert terminal.GC_THRESHOLD >= 50_000
