"""Every piece of advice is a command that works: the advice is parsed from l10nsync's own
output and run as printed, then the page must pass the hook (issue 13)."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest

from l10nsync.advice import Guess, advise
from l10nsync.model import Status, Verdict
from tests.test_dashboard_render import parse_script


def commands_of(advice: str) -> list[list[str]]:
    """The commands in an advice text: '; '-separated steps, each up to its ' (' remark."""
    steps = [step.split(" (", 1)[0].strip() for step in advice.split("; ")]
    return [shlex.split(step) for step in steps if step.startswith(("l10nsync ", "git "))]


def run_advice(cli: Any, root: Path, advice: str) -> list[Any]:
    """Run each command of the advice in ``root``; l10nsync in-process, git as a program."""
    results = []
    for words in commands_of(advice):
        if words[0] == "l10nsync":
            result = cli(*words[1:], cwd=root)
            assert result.exit_code == 0, (words, result.stdout, result.stderr)
            results.append(result)
        else:
            subprocess.run(words, cwd=root, check=True, capture_output=True)
            results.append(None)
    return results


@pytest.fixture
def statuses(build: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    built = build("statuses")
    monkeypatch.setenv("CONTENT_ROOT", str(built.source_root))
    return built


def test_every_status_advice_works_as_printed(statuses: Any, cli: Any) -> None:
    root = statuses.translated_root
    report = cli("status", "--format", "json", cwd=root)
    assert report.exit_code == 0, report.stderr
    pages = {page["path"]: page for page in report.json()["pages"]}
    seen = {page["status"] for page in pages.values()}
    assert seen >= {"outdated", "moved", "orphaned", "missing_source_commit",
                    "invalid_source_commit", "unknown_source_commit", "invalid_front_matter"}
    needing = {path: page for path, page in pages.items() if page["status"] != "up_to_date"}
    # The hook gives the same advice as status.
    hook = cli("check", *needing, cwd=root)
    assert hook.exit_code == 1
    hook_fixes = {line.split(": ", 1)[0]: line.split("; fix: ", 1)[1]
                  for line in hook.stdout.splitlines()}
    for path, page in sorted(needing.items()):
        assert page["fix"], path
        status = page["status"]
        if status != "outdated":  # the hook only blocks an outdated page when it is edited
            assert hook_fixes[path] == page["fix"], path
        if status == "invalid_front_matter":
            # No command can guess the YAML meant: the advice names the line to correct.
            assert page["fix"].startswith(f"edit {path}: invalid YAML front matter: line ")
            continue
        results = run_advice(cli, root, page["fix"])
        if status == "outdated":
            diff, bump = results
            assert diff.stdout.startswith(path)
            assert "sourceCommit" in bump.stdout
            now = path
        elif status == "moved":
            now = results[0].stdout.split(" -> ", 1)[1].split(";")[0].strip()
            assert now == "files/fr/glossary/domain_name_system/index.md"
        elif status == "orphaned":
            assert not (root / path).exists()
            assert path not in {p["path"] for p in cli("status", "--format", "json",
                                                         cwd=root).json()["pages"]}
            continue
        else:
            now = path
        check = cli("check", now, cwd=root)
        assert check.exit_code == 0, (path, check.stdout)
        after = cli("status", "--format", "json", now, cwd=root).json()["pages"][0]
        assert after["status"] == "up_to_date", (path, after)


def test_missing_marker_guess_in_two_repositories_is_labelled_a_guess_from_dates(
        statuses: Any, cli: Any) -> None:
    path = "files/fr/glossary/udp/index.md"
    result = cli("check", path, cwd=statuses.translated_root)
    assert result.exit_code == 1
    guess = statuses.shas["init"][:12]
    assert f"fix: l10nsync bump --to {guess} {path} (guessed from dates: " in result.stdout


def test_missing_marker_guess_in_one_repository_follows_ancestry(build: Any, cli: Any) -> None:
    built = build("one_repository")
    site = built.source_root
    path = "files/fr/learn/forms/index.md"
    page = site / path
    page.write_text("\n".join(line for line in page.read_text().split("\n")
                              if "l10n:" not in line and "sourceCommit" not in line))
    subprocess.run(["git", "commit", "-qam", "fr: drop the marker"], cwd=site, check=True)
    # The English page changed later: the guess must not be its last change.
    english = site / "files/en-us/learn/forms/index.md"
    english.write_text(english.read_text() + "\nA later English sentence.\n")
    subprocess.run(["git", "commit", "-qam", "Forms: later change"], cwd=site, check=True)
    first = subprocess.run(["git", "log", "--reverse", "--format=%H", "--", path], cwd=site,
                           check=True, capture_output=True, text=True).stdout.split()[0]
    # With markers as the basis (in one repository a page without one is otherwise judged
    # by its own history).
    result = cli("status", "--format", "json", "--basis", "marker", path, cwd=site)
    fix = result.json()["pages"][0]["fix"]
    assert fix.startswith(f"l10nsync bump --to {built.shas['forms-1'][:12]} {path} "
                          "(guessed by ancestry: files/en-us/learn/forms/index.md as it was when "
                          f"this translation was first committed, in {first[:12]}")
    run_advice(cli, site, fix)
    after = cli("status", "--format", "json", "--basis", "marker", path,
                cwd=site).json()["pages"][0]
    assert after["status"] == "outdated"  # the later English change is still to port
    assert after["source_commit"] == built.shas["forms-1"]


def test_a_page_with_no_english_counterpart_is_not_told_to_bump(statuses: Any, cli: Any) -> None:
    root = statuses.translated_root
    path = "files/fr/glossary/gopher/index.md"
    (root / path).parent.mkdir(parents=True)
    (root / path).write_text("---\ntitle: Gopher\nslug: Glossary/Gopher\n---\n\nTexte.\n")
    result = cli("check", path, cwd=root)
    assert result.exit_code == 1
    fix = result.stdout.split("; fix: ", 1)[1]
    assert fix.startswith(f"l10nsync move --orphaned {path} (there is no English page ")
    assert "bump" not in fix
    (move,) = run_advice(cli, root, fix)
    aside = "files/fr/orphaned/glossary/gopher/index.md"
    assert move.stdout.startswith(f"{path} -> {aside} (orphaned)")
    assert not (root / path).exists()
    assert "slug: orphaned/Glossary/Gopher\n" in (root / aside).read_text()
    assert cli("check", aside, cwd=root).exit_code == 0


def test_advice_quotes_paths_for_the_shell() -> None:
    verdict = Verdict("files/fr/a b/index.md", "fr", "files/en-us/a b/index.md",
                         Status.MISSING_SOURCE_COMMIT)
    fix = advise(verdict, guess=Guess("0" * 40, "why"))
    assert fix is not None
    assert commands_of(fix) == [["l10nsync", "bump", "--to", "0" * 12, "files/fr/a b/index.md"]]


def test_the_dashboard_and_status_json_carry_the_same_advice(statuses: Any, cli: Any,
                                                             tmp_path: Path) -> None:
    import json

    root = statuses.translated_root
    output = tmp_path / "site"
    assert cli("dashboard", "--output", str(output), cwd=root).exit_code == 0
    expected = {page["path"]: page["fix"]
                for page in cli("status", "--format", "json", cwd=root).json()["pages"]}
    status_json = json.loads((output / "status.json").read_text(encoding="utf-8"))
    in_site = {}
    for data in sorted((output / "data").glob("locale-*.js")):
        _target, _locale, records = parse_script(data.read_text(encoding="utf-8"))
        in_site.update((record["path"], record["fix"]) for record in records
                       if record["status"] != "untranslated")
    assert in_site == expected
    assert {page["path"]: page["fix"] for page in status_json["pages"]
            if page["status"] != "untranslated"} == expected
    assert expected["files/fr/glossary/http/index.md"].startswith("l10nsync diff ")
