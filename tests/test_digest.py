"""``l10nsync digest``: what changed for a locale since a date or a commit, as Markdown."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult

GETATTRIBUTE = "files/fr/web/api/element/getattribute/index.md"
SETATTRIBUTE = "files/en-us/web/api/element/setattribute/index.md"


def commit(root: Path, message: str, author: str, date: str) -> None:
    """Commit everything in ``root`` as ``author`` at ``date``."""
    environment = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_COMMITTER_NAME": author,
                   "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=environment)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True,
                   env=environment)


@pytest.fixture
def week(build: Callable[[str], Any], cli: Callable[..., CliResult]) -> Callable[..., CliResult]:
    """The queue scenario, then a week: English adds a page and rewords one whose French
    translation was in step; a French translator brings the outdated API entry up to date."""
    built = build("queue")
    english = built.source_root
    page = english / "files/en-us/web/api/element/setattribute/index.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: Element.setAttribute()\nslug: Web/API/Element/setAttribute\n"
                    "---\n\nSets an attribute.\n", encoding="utf-8")
    reworded = english / "files/en-us/web/api/element/getattribute/index.md"
    reworded.write_text(reworded.read_text(encoding="utf-8").replace(
        "returns the value of a specified attribute", "returns the value of a named attribute"),
        encoding="utf-8")
    commit(english, "Add setAttribute(), reword getAttribute()", "Ed", "2030-01-02T00:00:00Z")
    api = built.translated_root / "files/fr/glossary/api/index.md"
    api.write_text(api.read_text(encoding="utf-8").replace(
        built.shas["init"], built.shas["api-edit"]), encoding="utf-8")
    commit(built.translated_root, "fr: [API](https://example.com) | glossary @everyone",
           "Zoé *Dev*", "2030-01-03T00:00:00Z")

    def run(*args: str) -> CliResult:
        return cli("digest", *args, "--source-root", str(built.source_root),
                   cwd=built.translated_root)

    return run


def test_digest_since_a_date(week: Callable[..., CliResult]) -> None:
    result = week("--since", "2030-01-01", "--locale", "fr")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    outdated = text.split("### Newly outdated (1)")[1].split("###")[0]
    assert f"<code>{GETATTRIBUTE}</code>: 1 English commit" in outdated
    # The API entry was outdated before the week began: not newly outdated.
    assert "glossary/api" not in outdated
    added = text.split("### English pages added (1)")[1].split("###")[0]
    assert f"<code>{SETATTRIBUTE}</code>: not translated yet" in added
    updated = text.split("### Brought up to date (1)")[1]
    assert "<code>files/fr/glossary/api/index.md</code> by Zoé &#42;Dev&#42;" in updated
    # Everything taken from the repositories is escaped: no link, no table cell, no mention.
    assert ("(fr: &#91;API&#93;(https://example.com) &#124; glossary @&#8203;everyone)"
            in updated)
    assert "Thanks to Zoé &#42;Dev&#42; (1 page)." in updated
    assert "## ja" not in text


def test_digest_since_a_commit_of_the_translations(week: Callable[..., CliResult]) -> None:
    text = week("--since", "HEAD~1").stdout
    assert "## fr" in text and "## ja" in text
    assert "### Brought up to date (1)" in text  # only the French commit is after HEAD~1
    # HEAD~1's commit time picks the English point: before the English week began.
    assert text.count(f"<code>{SETATTRIBUTE}</code>: not translated yet") == 2


def test_digest_since_now_is_empty(week: Callable[..., CliResult]) -> None:
    text = week("--since", "2031-01-01", "--locale", "fr").stdout
    assert "### Newly outdated (0)" in text and "### English pages added (0)" in text
    assert "### Brought up to date (0)" in text


@pytest.mark.parametrize("since", ["nope", "--output=/tmp/x", ""])
def test_digest_bad_since(week: Callable[..., CliResult], since: str) -> None:
    result = week("--since", since)
    assert result.exit_code == 2
    assert result.stderr.startswith("l10nsync: error: --since")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
