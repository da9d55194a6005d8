"""The CLI's error boundary: one clean line and exit 2 for user errors, findings as exit 1."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from l10nsync.config import find_repository_root
from l10nsync.scenario import BuiltScenario
from tests.conftest import CliResult, pages_by_path

Build = Callable[[Any], BuiltScenario]
Cli = Callable[..., CliResult]

# English: two pages, one edited after the translations' marker; fr is outdated on one page,
# es is up to date everywhere.
SCENARIO: dict[str, Any] = {
    "english": [
        {"id": "start", "write": {"glossary/cache": "A cache.", "glossary/latency": "Latency."}},
        {"id": "edit", "write": {"glossary/cache": "A cache keeps copies."}},
    ],
    "translations": [
        {"locale": "fr", "folder": "glossary/cache", "source_commit": "{sha:start}"},
        {"locale": "fr", "folder": "glossary/latency", "source_commit": "{sha:start}"},
        {"locale": "es", "folder": "glossary/cache", "source_commit": "{sha:edit}"},
        {"locale": "es", "folder": "glossary/latency", "source_commit": "{short:start}"},
    ],
}


def assert_one_error_line(result: CliResult, *fragments: str) -> str:
    """Exit 2, nothing on stdout, one ``l10nsync: error:`` line holding every fragment."""
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("l10nsync: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def status_args(built: BuiltScenario, *extra: str) -> list[str]:
    return ["status", "--source-root", str(built.source_root), *extra]


@pytest.fixture
def plain_folder(tmp_path: Path) -> Path:
    """A folder outside every git repository."""
    folder = tmp_path / "not-a-repository"
    folder.mkdir()
    assert find_repository_root(folder) is None
    return folder


@pytest.fixture
def built(build: Build) -> BuiltScenario:
    return build(SCENARIO)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


# --- where things are ---------------------------------------------------------------------------


def test_not_in_a_repository(cli: Cli, plain_folder: Path) -> None:
    result = cli("status", cwd=plain_folder)
    assert_one_error_line(result, str(plain_folder), "not inside a git repository")


def test_source_root_that_is_not_a_repository(
    cli: Cli, built: BuiltScenario, plain_folder: Path
) -> None:
    result = cli("status", "--source-root", str(plain_folder), cwd=built.translated_root)
    assert_one_error_line(result, "--source-root", str(plain_folder))


def test_source_root_that_does_not_exist(cli: Cli, built: BuiltScenario, tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    result = cli("status", "--source-root", str(missing), cwd=built.translated_root)
    assert_one_error_line(result, "--source-root", str(missing), "not a folder")


def test_source_root_with_a_broken_git_folder(
    cli: Cli, built: BuiltScenario, plain_folder: Path
) -> None:
    (plain_folder / ".git").mkdir()
    result = cli("status", "--source-root", str(plain_folder), cwd=built.translated_root)
    assert_one_error_line(result, str(plain_folder), "not a git repository")


def test_environment_root_that_is_not_a_repository(
    cli: Cli, built: BuiltScenario, plain_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTENT_ROOT", str(plain_folder))
    result = cli("status", cwd=built.translated_root)
    assert_one_error_line(result, "CONTENT_ROOT", str(plain_folder))


def test_english_repository_without_files_en_us(cli: Cli, build: Build) -> None:
    other = build({"english": [{"files": {"README.md": "Not MDN content.\n"}}],
                   "translations": [{"locale": "fr", "folder": "glossary/cache",
                                     "source_commit": "abcdef1"}]})
    result = cli(*status_args(other), cwd=other.translated_root)
    assert_one_error_line(result, str(other.source_root), "files/en-us", "--source-root")


def test_english_repository_without_commits(
    cli: Cli, built: BuiltScenario, plain_folder: Path
) -> None:
    git("init", "-q", cwd=plain_folder)
    result = cli("status", "--source-root", str(plain_folder), cwd=built.translated_root)
    assert_one_error_line(result, str(plain_folder), "no commits")


def test_bad_config_file_is_one_line_naming_it(cli: Cli, built: BuiltScenario) -> None:
    config_file = built.translated_root / ".l10nsync.toml"
    config_file.write_text('marker = "sourceCommit"\n', encoding="utf-8")
    result = cli(*status_args(built), cwd=built.translated_root)
    assert_one_error_line(result, str(config_file), "unknown key 'marker'")


# --- what the command line names ----------------------------------------------------------------


def test_unknown_locale_lists_the_found_ones(cli: Cli, built: BuiltScenario) -> None:
    result = cli(*status_args(built, "--locale", "de"), cwd=built.translated_root)
    assert_one_error_line(result, "unknown locale 'de'", "found: es, fr")


def test_locale_filter_is_case_insensitive(cli: Cli, built: BuiltScenario) -> None:
    result = cli(*status_args(built, "-l", "FR", "--format", "json"), cwd=built.translated_root)
    assert result.exit_code == 0, result.stderr
    assert {page["locale"] for page in result.json()["pages"]} == {"fr"}


def test_unknown_path(cli: Cli, built: BuiltScenario) -> None:
    result = cli(*status_args(built, "files/fr/glossary/nope/index.md"),
                 cwd=built.translated_root)
    assert_one_error_line(result, "files/fr/glossary/nope/index.md", "no such file")


def test_path_outside_the_translations_repository(
    cli: Cli, built: BuiltScenario, plain_folder: Path
) -> None:
    result = cli(*status_args(built, str(plain_folder)), cwd=built.translated_root)
    assert_one_error_line(result, str(plain_folder), "not inside the translations repository")


def test_repository_root_as_path_reports_every_page(cli: Cli, built: BuiltScenario) -> None:
    result = cli(*status_args(built, ".", "--format", "json"), cwd=built.translated_root)
    assert result.exit_code == 0, result.stderr
    assert len(result.json()["pages"]) == 4


@pytest.mark.parametrize("value", ["bogus", "outdated,bogus", "up-to-date,nope"])
def test_fail_on_unknown_status(cli: Cli, built: BuiltScenario, value: str) -> None:
    result = cli(*status_args(built, "--fail-on", value), cwd=built.translated_root)
    line = assert_one_error_line(result, "--fail-on", "unknown status")
    assert "outdated" in line.split("known:", 1)[1]


def test_fail_on_unknown_status_is_checked_before_looking_for_a_repository(
    cli: Cli, plain_folder: Path
) -> None:
    result = cli("status", "--fail-on", "bogus", cwd=plain_folder)
    assert_one_error_line(result, "'bogus'")


@pytest.mark.parametrize(
    "args",
    [["status", "--bogus"], ["status", "--limit", "-1"], ["status", "--format", "xml"],
     ["no-such-command"]],
)
def test_unknown_options_exit_2(cli: Cli, built: BuiltScenario, args: list[str]) -> None:
    result = cli(*args, cwd=built.translated_root)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("l10nsync: error: ")


# --- findings are an exit code ------------------------------------------------------------------


def test_fail_on_outdated_returns_1_when_a_page_is_outdated(cli: Cli, built: BuiltScenario) -> None:
    result = cli(*status_args(built, "--fail-on", "outdated", "--format", "json"),
                 cwd=built.translated_root)
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
    statuses = {path: page["status"] for path, page in pages_by_path(result.json()).items()}
    assert statuses["files/fr/glossary/cache/index.md"] == "outdated"


def test_fail_on_outdated_returns_0_when_none_is(cli: Cli, built: BuiltScenario) -> None:
    result = cli(*status_args(built, "--fail-on", "outdated", "--locale", "es"),
                 cwd=built.translated_root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout  # the report is still printed


def test_without_fail_on_outdated_pages_exit_0(cli: Cli, built: BuiltScenario) -> None:
    result = cli(*status_args(built), cwd=built.translated_root)
    assert result.exit_code == 0, result.stderr


# --- hostile and broken pages -------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--output={}", "'--output {}'", "-o{}"])
def test_option_like_marker_is_invalid_and_never_reaches_git(
    cli: Cli, build: Build, tmp_path: Path, option: str
) -> None:
    target = Path("/tmp") / f"l10nsync-{uuid.uuid4().hex}"
    built = build({
        "english": SCENARIO["english"],
        "translations": [{"locale": "fr", "folder": "glossary/cache",
                          "source_commit": option.format(target)}],
    })
    try:
        result = cli(*status_args(built, "--format", "json"), cwd=built.translated_root)
        assert result.exit_code == 0, result.stderr
        page = pages_by_path(result.json())["files/fr/glossary/cache/index.md"]
        assert page["status"] == "invalid_source_commit"
        assert not target.exists()
    finally:
        target.unlink(missing_ok=True)


def test_one_broken_page_does_not_stop_the_report(cli: Cli, build: Build) -> None:
    broken = ("---\ntitle: Cache\nslug: Glossary/Cache\nl10n:\n  sourceCommit: [oops\n---\n"
              "\nTexte.\n")
    mapping_error = "---\ntitle: Latence\nslug: a: b\n---\n\nTexte.\n"
    built = build({
        "english": SCENARIO["english"],
        "translations": [
            {"locale": "fr", "folder": "glossary/cache", "raw": broken},
            {"locale": "fr", "folder": "glossary/latency", "source_commit": "{sha:start}"},
            {"locale": "es", "folder": "glossary/cache", "source_commit": "{sha:start}"},
            {"locale": "es", "folder": "glossary/latency", "raw": mapping_error},
        ],
    })
    result = cli(*status_args(built, "--format", "json", "--fail-on", "invalid_front_matter"),
                 cwd=built.translated_root)
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    pages = pages_by_path(result.json())
    assert pages["files/fr/glossary/cache/index.md"]["status"] == "invalid_front_matter"
    assert "line " in pages["files/fr/glossary/cache/index.md"]["message"]
    assert pages["files/es/glossary/latency/index.md"]["status"] == "invalid_front_matter"
    assert "line 3:" in pages["files/es/glossary/latency/index.md"]["message"]
    assert pages["files/fr/glossary/latency/index.md"]["status"] == "up_to_date"
    assert pages["files/es/glossary/cache/index.md"]["status"] == "outdated"
    assert pages["files/es/glossary/cache/index.md"]["commits_behind"] == 1


def test_page_that_is_not_utf8_is_reported_not_raised(cli: Cli, built: BuiltScenario) -> None:
    page = built.translated_root / "files/fr/glossary/latency/index.md"
    page.write_bytes(b"---\ntitle: Latence \xe9\nl10n:\n  sourceCommit: abcdef1\n---\n")
    result = cli(*status_args(built, "--format", "json"), cwd=built.translated_root)
    assert result.exit_code == 0, result.stderr
    verdict = pages_by_path(result.json())["files/fr/glossary/latency/index.md"]
    assert verdict["status"] == "invalid_front_matter"
    assert "UTF-8" in verdict["message"]


# --- the installed console script ---------------------------------------------------------------


def test_console_script_outside_a_repository(plain_folder: Path) -> None:
    script = Path(sys.executable).parent / "l10nsync"
    assert script.is_file(), "the package must be installed (pip install -e .)"
    completed = subprocess.run([str(script), "status"], cwd=plain_folder, capture_output=True,
                               text=True, timeout=60)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert completed.stderr.splitlines() == [
        f"l10nsync: error: {plain_folder.resolve()} is not inside a git repository; "
        "run l10nsync in one"
    ]


@pytest.mark.parametrize("argv", [["status", "--sort", "foo"], ["status", "--format", "yaml"],
                                  ["status", "--limit", "-1"], ["bump"], ["frob"]])
def test_usage_errors_are_one_line(cli: Any, tmp_path: Path, argv: list[str]) -> None:
    result = cli(*argv, cwd=tmp_path)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("l10nsync: error: ")
    assert "Value error" not in result.stderr
    assert "--help')" in result.stderr


def test_version_option_and_readable_help(cli: Any, tmp_path: Path) -> None:
    from l10nsync import __version__

    assert cli("--version", cwd=tmp_path).stdout == f"l10nsync {__version__}\n"
    overview = cli("--help", cwd=tmp_path).stdout
    assert "--install-completion" in overview
    summaries = overview.split("Commands:", 1)[1].splitlines()
    assert summaries and not any(line.endswith("...") for line in summaries)
    for command in ("status", "diff", "check", "bump", "move", "annotate", "report",
                    "dashboard", "demo", "init"):
        text = cli(command, "--help", cwd=tmp_path).stdout
        assert "<list[str]>" not in text and "<str>" not in text, command
    status_help = cli("status", "--help", cwd=tmp_path).stdout
    assert "Usage: l10nsync status [OPTIONS] [PATH]..." in status_help
    assert "-l, --locale LOCALE" in status_help
