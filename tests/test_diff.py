"""``l10nsync diff`` and cosmetic changes, end to end on real repositories."""

from __future__ import annotations

import os
import subprocess
from typing import Any

from tests.conftest import git
from tests.test_status_cli import check_golden

PAGE = "files/fr/web/javascript/reference/global_objects/array/at/index.md"


def run_diff(cli: Any, built: Any, *args: str) -> Any:
    return cli("diff", *args, "--source-root", str(built.source_root), cwd=built.translated_root)


def normalized(text: str, built: Any) -> str:
    for commit_id, sha in built.shas.items():
        text = text.replace(sha, f"<{commit_id}>").replace(sha[:12], f"<{commit_id}:12>")
    return text


def test_hunk_is_mapped_onto_the_translated_section(build: Any, cli: Any) -> None:
    built = build("sections")
    result = run_diff(cli, built, PAGE, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = result.json()
    assert document["source_commit"] == built.shas["init"]
    assert document["head_commit"] == built.shas["examples"]
    assert [c["subject"] for c in document["commits"]] == ["at(): compare with bracket notation"]
    (hunk,) = document["hunks"]
    assert "+### Comparing methods" in hunk["text"]
    section = hunk["translation_section"]
    assert section["heading"] == "Renvoyer la dernière valeur d'un tableau"
    translated = (built.translated_root / PAGE).read_text().splitlines()
    assert translated[section["start_line"] - 1].startswith("### Renvoyer")
    assert 0 < section["score"] <= 1
    assert 0 < document["change_ratio"] < 0.5
    check_golden("sections.diff.json", normalized(result.stdout, built))


def test_text_output_names_the_section_and_the_commits(build: Any, cli: Any) -> None:
    built = build("sections")
    result = run_diff(cli, built, PAGE)
    assert result.exit_code == 0, result.stderr
    assert "-> in your page: Renvoyer la dernière valeur d'un tableau, lines 23-29" in result.stdout
    assert "at(): compare with bracket notation" in result.stdout
    check_golden("sections.diff.txt", normalized(result.stdout, built))


def test_word_diff_marks_changed_words(build: Any, cli: Any) -> None:
    built = build("statuses")
    result = run_diff(cli, built, "files/de/glossary/http/index.md", "--word-diff")
    assert result.exit_code == 0, result.stderr
    assert "~**HTTP** is the protocol that carries web pages. HTTP/2 multiplexes requests" \
        "{+; HTTP/3 runs over QUIC+}." in result.stdout
    plain = run_diff(cli, built, "files/de/glossary/http/index.md")
    assert "{+" not in plain.stdout
    assert "+**HTTP** is the protocol" in plain.stdout


def test_moved_page_is_compared_with_its_new_location(build: Any, cli: Any) -> None:
    built = build("renames")
    result = run_diff(cli, built, "files/fr/web/api/old_name/index.md", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = result.json()
    assert document["moved_to"] == "files/en-us/web/api/new_name/index.md"
    assert document["source_path"] == "files/en-us/web/api/old_name/index.md"
    assert len(document["commits"]) == 1
    assert any("It has a new one now." in hunk["text"] for hunk in document["hunks"])


def test_pages_without_a_usable_marker_are_refused(build: Any, cli: Any) -> None:
    built = build("statuses")
    for page, words in [
        ("files/fr/glossary/udp/index.md", "missing_source_commit"),
        ("files/es/glossary/http/index.md", "invalid_source_commit"),
        ("files/fr/glossary/ipv6/index.md", "orphaned"),
        ("files/fr/glossary/nothing/index.md", "no such file"),
        ("files/fr/glossary", "one translated page"),
    ]:
        result = run_diff(cli, built, page)
        assert result.exit_code == 2, page
        assert words in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def test_whitespace_commits_are_listed_but_not_counted(build: Any, cli: Any) -> None:
    built = build("cosmetic")
    result = run_diff(cli, built, "files/fr/web/css/border/index.md", "--format", "json")
    commits = {c["sha"]: c["counted"] for c in result.json()["commits"]}
    assert commits == {built.shas["reformat"]: False, built.shas["border-edit"]: True}


def test_blame_ignore_revs_commits_are_not_counted(build: Any, cli: Any) -> None:
    built = build("merges")
    # List the side branch's first commit as a formatting commit, as git blame would skip it.
    ignore = built.source_root / ".git-blame-ignore-revs"
    ignore.write_text(f"# formatting\n{built.shas['side-1']}\n")
    git(built.source_root, "add", ".git-blame-ignore-revs")
    git(built.source_root, "commit", "-qm", "Ignore the formatting commit in blame")
    result = cli("status", "--format", "json", "--source-root", str(built.source_root),
                 cwd=built.translated_root)
    pages = {page["path"]: page for page in result.json()["pages"]}
    german = pages["files/de/web/css/color/index.md"]
    assert german["commits_behind"] == 2
    assert german["ignored_commits"] == [built.shas["side-1"]]


def test_sort_by_change_puts_the_biggest_change_first(build: Any, cli: Any) -> None:
    built = build("statuses")
    result = cli("status", "--format", "json", "--sort", "change", "--source-root",
                 str(built.source_root), cwd=built.translated_root)
    ratios = [page["change_ratio"] or 0.0 for page in result.json()["pages"]]
    assert ratios == sorted(ratios, reverse=True)
    assert ratios[0] > 0


def test_front_matter_hunks_are_labelled_and_dates_are_author_dates(build: Any, cli: Any) -> None:
    built = build("statuses")
    english = built.source_root
    page = english / "files/en-us/glossary/tcp/index.md"
    page.write_text(page.read_text().replace("title: Tcp", "title: TCP (protocol)"))
    git(english, "add", "-A")
    subprocess.run(["git", "commit", "-qm", "TCP: a clearer title"], cwd=english, check=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": "2023-03-04T05:06:07Z",
                        "GIT_COMMITTER_DATE": "2024-09-09T09:09:09Z"})
    result = run_diff(cli, built, "files/fr/glossary/tcp/index.md")
    assert result.exit_code == 0, result.stderr
    assert "-> in your page: the front matter (title, slug...)" in result.stdout
    assert "no section matches" not in result.stdout
    assert " 2023-03-04 TCP: a clearer title" in result.stdout
    document = run_diff(cli, built, "files/fr/glossary/tcp/index.md", "--format", "json").json()
    (hunk,) = document["hunks"]
    assert hunk["in_front_matter"] is True
    assert document["commits"][0]["date"].startswith("2023-03-04T05:06:07")
