"""Issue 14, class 2: repository text cannot become a workflow command or terminal control.

Every command runs on repositories whose folder names, titles and English commit subjects
hold line breaks, ``::error::`` lines, ``##[`` commands, ANSI escapes, bidi overrides and
bytes that are not UTF-8; what each prints is checked line by line.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from l10nsync.escape import (
    escape_json,
    escape_text,
    escape_workflow_data,
    escape_workflow_property,
    guard_output,
)
from l10nsync.render.markdown import escape_markdown
from tests.conftest import L10NSYNC
from tests.hostile import build_pair, every_command

INJECTED = "x\n::error::INJECTED"
CLEAR_SCREEN = "e\x1b[2J"
BIDI = "admin\u202eexe.md\u2066"
OLD_SYNTAX = "p ##[error]old"
NOT_UTF8 = os.fsdecode(b"caf\xe9")  # a folder name that is not UTF-8: a lone surrogate here

# Folder names: each a hostile case of its own.
HOSTILE_FOLDERS = {
    "newline-command": INJECTED,
    "carriage-return-command": "y\r::warning::CR",
    "ansi-clear": CLEAR_SCREEN,
    "bell-and-del": "b\x07\x7f",
    "c1-controls": "c\x9b31m\x85",
    "bidi-override": BIDI,
    "line-separator": "l\u2028::notice::LS",
    "old-command-syntax": OLD_SYNTAX,
    "leading-command": "::set-output name=x::y",
}
FORBIDDEN = ("\x1b", "\x07", "\x7f", "\x9b", "\x85", "\u202e", "\u2066", "\u2028", "##[")


def assert_inert(name: str, text: str, *, commands: bool = False) -> None:
    """No terminal control, no bidi control, no workflow command but our own."""
    for character in FORBIDDEN:
        assert character not in text, f"{name}: {character!r} printed raw"
    assert "\udce9" not in text and "\r" not in text, name
    for line in text.split("\n"):
        if line.lstrip().startswith("::"):
            assert commands, f"{name}: a line reads as a workflow command: {line!r}"
            assert line.startswith(("::error ", "::warning ", "::notice ")), line
            # our own command: one of ours, and the hostile parts are inside its values
            assert "::error::INJECTED" not in line and "::warning::CR" not in line


def run_everything(cli: Callable[..., Any], tmp_path: Path, folders: list[str],
                   **options: Any) -> dict[str, Any]:
    pair = build_pair(tmp_path, folders, **options)
    return every_command(cli, pair, folders, tmp_path / "site")


@pytest.mark.parametrize("folder", list(HOSTILE_FOLDERS.values()), ids=list(HOSTILE_FOLDERS))
def test_hostile_folder_prints_escaped_in_every_command(
    cli: Callable[..., Any], tmp_path: Path, folder: str
) -> None:
    runs = run_everything(cli, tmp_path, ["web/plain", folder])
    for name, result in runs.items():
        assert result.exit_code in (0, 1), f"{name}: {result.exit_code} {result.stderr}"
        assert_inert(name, result.stdout, commands=name == "report-github")
        assert_inert(name, result.stderr)
        if "json" in name:
            json.loads(result.stdout)
    shown = guard_output(escape_text(f"files/fr/{folder}/index.md"))
    assert shown in runs["check"].stdout
    assert shown in runs["bump"].stdout
    assert shown in runs["report-text"].stdout
    paths = [page["path"] for page in runs["status-json"].json()["pages"]]
    assert f"files/fr/{folder}/index.md" in paths  # JSON keeps the path exactly


def test_hostile_title_and_commit_subject(cli: Callable[..., Any], tmp_path: Path) -> None:
    title = '"T \\e[2J \\u202e ::error::title %0A"'
    runs = run_everything(cli, tmp_path, ["web/a"], title=title,
                          subject="Fix \x1b[31mred\x1b[0m\n::warning::from-a-subject ##[error]x")
    for name, result in runs.items():
        assert result.exit_code in (0, 1), f"{name}: {result.stderr}"
        assert_inert(name, result.stdout, commands=name == "report-github")
    assert "Fix \\x1b[31mred" in runs["diff-0"].stdout
    markdown = runs["report-markdown"].stdout
    assert "&#92;u202e" in markdown and "\u202e" not in markdown


def test_check_lines_in_a_hook_never_start_a_command(cli: Callable[..., Any],
                                                     tmp_path: Path) -> None:
    folder = "::error file=a::INJECTED"
    pair = build_pair(tmp_path, [folder])
    page = pair.translations / pair.page(folder)
    page.write_text(page.read_text() + "Edited without a bump.\n")
    # A layout whose pages start at the repository root: the path is the line's start.
    result = cli("check", "--source-root", str(pair.english), pair.page(folder),
                 cwd=pair.translations)
    assert result.exit_code == 1
    assert_inert("check", result.stdout)
    assert guard_output("::error::x\n  ::warning::y\n") == "\\x3a:error::x\n  \\x3a:warning::y\n"


def test_non_utf8_path_gives_valid_utf8_json_and_a_dashboard(tmp_path: Path) -> None:
    pair = build_pair(tmp_path, ["web/a", NOT_UTF8])
    environment = {**os.environ, "CONTENT_ROOT": str(pair.english)}

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*L10NSYNC, *args], cwd=pair.translations, env=environment,
                              capture_output=True, check=False)

    status = run("status", "--format", "json")
    assert status.returncode == 0, status.stderr
    document = json.loads(status.stdout.decode("utf-8"))  # strict UTF-8
    paths = {page["path"] for page in document["pages"]}
    assert "files/fr/caf\udce9/index.md" in paths
    assert os.fsencode("files/fr/caf\udce9/index.md") == b"files/fr/caf\xe9/index.md"
    table = run("status")
    assert table.returncode == 0
    assert "caf\\xe9" in table.stdout.decode("utf-8")
    page = f"files/fr/{NOT_UTF8}/index.md"
    for args in (("diff", "--format", "json", page), ("report", "--base", pair.base,
                                                      "--format", "json")):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        json.loads(result.stdout.decode("utf-8"))
    for form in ("text", "markdown", "github"):
        result = run("report", "--base", pair.base, "--format", form)
        assert result.returncode == 0, result.stderr
        result.stdout.decode("utf-8")
    site = tmp_path / "site"
    dashboard = run("dashboard", "--output", str(site))
    assert dashboard.returncode == 0, dashboard.stderr
    json.loads((site / "status.json").read_bytes().decode("utf-8"))


def test_escape_functions() -> None:
    assert escape_text("a\x1b[2J\u202e\u2066\u200d\t\n\udce9") == (
        "a\\x1b[2J\\u202e\\u2066\u200d\\t\\n\\xe9")
    assert escape_text("ok\ttab", keep="\t") == "ok\ttab"
    assert escape_workflow_data("50%\n\x1b") == "50%25%0A\\x1b"
    assert escape_workflow_property("a:b,c\r") == "a%3Ab%2Cc%0D"
    assert escape_markdown("\u202e") == "&#92;u202e"
    assert escape_json('"caf\udce9 ##[x"') == '"caf\\udce9 ##\\u005bx"'
    assert json.loads(escape_json(json.dumps("caf\udce9 ##[x", ensure_ascii=False))) == (
        "caf\udce9 ##[x")
    # ASCII text takes a shortcut past the regex: DEL, the one ASCII character escaped, must
    # not ride along with it; nor may a C1 control in otherwise ASCII text.
    assert escape_json('"a\x7fb"') == '"a\\u007fb"'
    assert escape_json('"plain"') == '"plain"'
    assert escape_json('"a\x85b"') == '"a\\u0085b"'
    assert guard_output("a ##[error]b") == "a ##\\x5berror]b"
    assert guard_output("::error::ours\n", commands=True) == "::error::ours\n"


def test_error_messages_with_paths_are_escaped(cli: Callable[..., Any], tmp_path: Path) -> None:
    pair = build_pair(tmp_path, ["web/a"])
    missing = "files/fr/x\n::error::gone\x1b[2J/index.md"
    result = cli("bump", "--source-root", str(pair.english), missing, cwd=pair.translations)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert_inert("bump", result.stderr)
    assert "x\\n::error::gone\\x1b[2J" in result.stderr
