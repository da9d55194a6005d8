"""A new user's first commands: a wrong or missing English root is an error that says how to
fix it, and a setup that runs but is probably wrong says so (issue: first contact)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest

from l10nsync.scenario import load_scenario
from tests.conftest import git

DEMO = Path(__file__).resolve().parent.parent / "l10nsync" / "scenarios" / "demo.toml"
FR_PAGE = "files/fr/glossary/asynchronous/index.md"


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.fixture
def demo(build: Any) -> Any:
    return build(load_scenario(DEMO))


# Every command that reads English, with arguments that are otherwise right.
COMMANDS = [
    ("status",),
    ("status", "--format", "json"),
    ("check", FR_PAGE),
    ("diff", FR_PAGE),
    ("bump", "--dry-run", FR_PAGE),
    ("annotate", "--key", "outdated", "--dry-run"),
    ("report", "--base", "HEAD"),
    ("dashboard", "--output", "site"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_translations_repository_alone_is_an_error_naming_the_sibling(
        demo: Any, cli: Any, command: tuple[str, ...]) -> None:
    result = cli(*command, cwd=demo.translated_root)
    assert result.exit_code == 2, result.stdout + result.stderr
    line = one_line(result.stderr)
    assert "files/en-us/ is not in HEAD" in line
    assert "translations repository" in line
    assert "--source-root ../content" in line
    assert result.stdout == ""
    assert not (demo.translated_root / "site").exists()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_source_root_naming_the_translations_is_an_error(
        demo: Any, cli: Any, command: tuple[str, ...]) -> None:
    result = cli(*command, "--source-root", str(demo.translated_root), cwd=demo.translated_root)
    assert result.exit_code == 2, result.stdout + result.stderr
    line = one_line(result.stderr)
    assert "files/en-us/ is not in HEAD" in line and "--source-root you passed" in line


def test_printed_source_root_advice_works_when_pasted(demo: Any, cli: Any) -> None:
    first = cli("status", "--format", "json", cwd=demo.translated_root)
    advice = re.search(r"pass (--source-root \S+)", first.stderr)
    assert advice is not None, first.stderr
    second = cli("status", "--format", "json", *shlex.split(advice.group(1)),
                 cwd=demo.translated_root)
    assert second.exit_code == 0, second.stderr
    statuses = {page["status"] for page in second.json()["pages"]}
    assert "up_to_date" in statuses and "outdated" in statuses


def test_no_sibling_checkout_means_a_generic_hint(demo: Any, cli: Any) -> None:
    shutil.rmtree(demo.source_root)
    result = cli("status", cwd=demo.translated_root)
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "--source-root PATH" in line and "CONTENT_ROOT=PATH" in line


@pytest.mark.parametrize("command", [("status",), ("report", "--base", "HEAD~1")])
def test_english_repository_without_translations_is_an_error(
        demo: Any, cli: Any, command: tuple[str, ...]) -> None:
    result = cli(*command, cwd=demo.source_root)
    assert result.exit_code == 2, result.stdout
    line = one_line(result.stderr)
    assert "no translations" in line and "--translated-root" in line
    named = cli(*command, "--translated-root", str(demo.translated_root), cwd=demo.source_root)
    assert named.exit_code == 0, named.stderr


def test_every_marker_unknown_is_a_warning(demo: Any, cli: Any, build: Any, tmp_path: Path
                                           ) -> None:
    # Another English repository: the same pages, a history of its own.
    other = tmp_path / "other-english"
    shutil.copytree(demo.source_root, other, ignore=shutil.ignore_patterns(".git"))
    git(other, "init", "-q")
    git(other, "add", "-A")
    git(other, "commit", "-qm", "Import")
    result = cli("status", "--source-root", str(other), cwd=demo.translated_root)
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1, result.stderr
    assert "no page's source commit is known" in warnings[0]
    assert "shallow clone" in warnings[0]
    right = cli("status", "--source-root", str(demo.source_root), cwd=demo.translated_root)
    assert "warning" not in right.stderr
    site = cli("dashboard", "--output", str(tmp_path / "site"), "--source-root", str(other),
               cwd=demo.translated_root)
    assert site.exit_code == 0, site.stderr
    assert site.stderr.count("no page's source commit is known") == 1
    again = cli("dashboard", "--output", str(tmp_path / "site"), "--source-root", str(other),
                cwd=demo.translated_root)  # an unchanged site, kept: the same warning
    assert again.stderr.count("no page's source commit is known") == 1


def test_init_writes_a_line_to_fill_in_when_no_english_checkout_is_beside(
        demo: Any, cli: Any) -> None:
    shutil.rmtree(demo.source_root)
    result = cli("init", cwd=demo.translated_root)
    assert result.exit_code == 0, result.stderr
    assert '# source_root = "../content"' in result.stdout
    assert "none was found" in result.stdout
    assert 'marker_key = "l10n.sourceCommit"' in result.stdout


def hugo_site(root: Path, marker: str) -> Path:
    """An OpenTelemetry-shaped Hugo site: content/en and content/fr, markers under ``marker``."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for name in ("tracing", "metrics", "logs"):
        page = root / "content" / "en" / "docs" / f"{name}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\ntitle: {name.title()}\n---\n\nAbout {name}.\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "English pages")
    sha = git(root, "rev-parse", "HEAD").strip()
    for name in ("tracing", "metrics", "logs"):
        page = root / "content" / "fr" / "docs" / f"{name}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\ntitle: {name.title()} (fr)\n{marker}: {sha}\n---\n\nÀ propos.\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "French pages")
    return root


def test_init_finds_the_marker_key_of_the_pages(cli: Any, tmp_path: Path) -> None:
    site = hugo_site(tmp_path / "site", "default_lang_commit")
    result = cli("init", cwd=site)
    assert result.exit_code == 0, result.stderr
    assert 'marker_key = "default_lang_commit"' in result.stdout
    assert 'aliases_property = "aliases"' in result.stdout
    status = cli("status", "--format", "json", cwd=site)
    assert status.exit_code == 0, status.stderr
    assert {page["basis"] for page in status.json()["pages"]} == {"marker"}


def test_a_marker_key_on_no_page_is_a_warning_naming_the_one_in_use(
        cli: Any, tmp_path: Path) -> None:
    site = hugo_site(tmp_path / "site", "default_lang_commit")
    (site / ".l10nsync.toml").write_text(
        'layout = "content/{locale}/{path}"\nsource_locale = "en"\npage_names = ["*.md"]\n')
    result = cli("status", "--format", "json", cwd=site)
    assert result.exit_code == 0, result.stderr
    line = one_line(result.stderr)
    assert "no page has the marker key l10n.sourceCommit" in line
    assert 'marker_key = "default_lang_commit"' in line
    # Following the advice, as printed, makes the warning go and the markers count.
    advice = re.search(r"write (marker_key = \S+) in (\S+),", line)
    assert advice is not None and Path(advice.group(2)) == site / ".l10nsync.toml"
    config = Path(advice.group(2))
    config.write_text(config.read_text() + advice.group(1) + "\n")
    fixed = cli("status", "--format", "json", cwd=site)
    assert fixed.stderr == ""
    assert {page["basis"] for page in fixed.json()["pages"]} == {"marker"}


@pytest.mark.parametrize("alias", ["/docs/tracing/", "/en/docs/tracing", "../tracing"])
def test_hugo_aliases_tell_moved_from_orphaned(cli: Any, tmp_path: Path, alias: str) -> None:
    site = hugo_site(tmp_path / "site", "default_lang_commit")
    config = ('layout = "content/{locale}/{path}"\nsource_locale = "en"\npage_names = ["*.md"]\n'
              'marker_key = "default_lang_commit"\n')
    (site / ".l10nsync.toml").write_text(config)
    old = site / "content/en/docs/tracing.md"
    new = site / "content/en/docs/signals/traces.md"
    new.parent.mkdir()
    git(site, "mv", "content/en/docs/tracing.md", "content/en/docs/signals/traces.md")
    new.write_text(f"---\ntitle: Traces\naliases: [{alias}]\n---\n\nAbout traces, moved.\n")
    git(site, "commit", "-qam", "Move tracing under signals")
    assert not old.exists()

    def verdict() -> dict[str, Any]:
        result = cli("status", "--format", "json", cwd=site)
        assert result.exit_code == 0, result.stderr
        pages = {page["path"]: page for page in result.json()["pages"]}
        return dict(pages["content/fr/docs/tracing.md"])

    assert verdict()["status"] == "orphaned"  # nothing says where it went
    (site / ".l10nsync.toml").write_text(config + 'aliases_property = "aliases"\n')
    moved = verdict()
    assert moved["status"] == "moved"
    assert moved["moved_to"] == "content/en/docs/signals/traces.md"


# --- what a locale maintainer sees ---------------------------------------------------------


def test_shares_use_the_english_pages_as_the_one_denominator(demo: Any, cli: Any) -> None:
    args = ("--source-root", str(demo.source_root))
    document = cli("status", "--format", "json", "--untranslated", *args,
                   cwd=demo.translated_root).json()
    table = cli("status", "--locale", "ja", *args, cwd=demo.translated_root).stdout
    ja = document["progress"]["ja"]
    # ja has 3 translations of 4 English pages, 1 up to date: never "100%" of what exists.
    assert (ja["english_pages"], ja["translated"], ja["up_to_date"]) == (4, 3, 1)
    assert ja["translated_percent"] == 75.0 and ja["up_to_date_percent"] == 25.0
    assert "4 English pages" in table and "shares are of the English pages" in table
    assert "3 (75%)" in table and "1 (25%)" in table
    # Listing the untranslated pages does not change a share.
    plain = cli("status", "--format", "json", *args, cwd=demo.translated_root).json()
    assert plain["progress"] == document["progress"]


def test_labels_and_links_from_config_and_remotes(demo: Any, cli: Any) -> None:
    git(demo.translated_root, "remote", "add", "origin",
        "git@github.com:example-org/translated-content.git")
    git(demo.source_root, "remote", "add", "origin", "https://github.com/example-org/content")
    (demo.translated_root / ".l10nsync.toml").write_text(
        'source_root = "../content"\nlocale_labels = { fr = "Français", ja = "日本語" }\n')
    result = cli("status", "--format", "json", "--untranslated", cwd=demo.translated_root)
    assert result.exit_code == 0, result.stderr
    document = result.json()
    assert document["progress"]["fr"]["label"] == "Français"
    pages = {page["path"]: page for page in document["pages"]}
    head = document["source"]["head"]
    outdated = pages[FR_PAGE]
    assert outdated["status"] == "outdated"
    translations = "https://github.com/example-org/translated-content"
    english = "https://github.com/example-org/content"
    assert outdated["links"] == {
        "page": f"{translations}/blob/main/{FR_PAGE}",
        "source": f"{english}/blob/{head}/files/en-us/glossary/asynchronous/index.md",
        "compare": f"{english}/compare/{outdated['source_commit']}...{head}",
    }
    missing = [page for page in document["pages"] if page["status"] == "untranslated"]
    assert missing and all(page["links"]["create"].startswith(f"{translations}/new/main/files/")
                           for page in missing)
    table = cli("status", cwd=demo.translated_root).stdout
    assert "Français (fr)" in table and "日本語 (ja)" in table


def test_markdown_report_carries_labels_and_host_links(demo: Any, cli: Any) -> None:
    root = demo.translated_root
    git(root, "remote", "add", "origin", "https://gitlab.com/example-org/translated-content.git")
    git(demo.source_root, "remote", "add", "origin", "git@gitlab.com:example-org/content.git")
    (root / ".l10nsync.toml").write_text(
        'source_root = "../content"\nlocale_labels = { fr = "Français" }\n')
    page = root / FR_PAGE
    page.write_text(page.read_text() + "\nUne phrase de plus.\n")
    git(root, "commit", "-qam", "fr: one more sentence")
    result = cli("report", "--base", "HEAD~1", "--format", "markdown", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "### Français (fr): 1 page" in result.stdout
    translations = "https://gitlab.com/example-org/translated-content"
    assert f"[the translation]({translations}/-/blob/main/{FR_PAGE})" in result.stdout
    assert "(https://gitlab.com/example-org/content/-/compare/" in result.stdout
    document = cli("report", "--base", "HEAD~1", "--format", "json", cwd=root).json()
    assert document["pages"][0]["links"]["page"] == f"{translations}/-/blob/main/{FR_PAGE}"


def test_advice_printed_in_a_sub_folder_works_pasted_there(cli: Any, tmp_path: Path) -> None:
    """A Lunaria site run from docs/: paths are printed from the repository root, and the
    printed commands work when pasted in docs/. The config's repository gives links."""
    site = tmp_path / "site"
    docs = site / "docs"
    (docs / "src/content/docs/guides").mkdir(parents=True)
    (docs / "src/content/docs/fr/guides").mkdir(parents=True)
    git(site, "init", "-q", "-b", "main")
    english = docs / "src/content/docs/guides/start.md"
    english.write_text("---\ntitle: Start\n---\n\n# Start\n\nHello.\n")
    (docs / "lunaria.config.json").write_text(
        '{"repository": {"name": "example-org/site", "rootDir": "docs"},'
        ' "sourceLocale": {"label": "English", "lang": "en"},'
        ' "locales": [{"label": "Français", "lang": "fr"}],'
        ' "files": [{"location": "src/content/docs/**/*.md",'
        ' "pattern": "src/content/docs/@lang/@path", "type": "universal"}]}')
    git(site, "add", "-A")
    git(site, "commit", "-qm", "English")
    (docs / "src/content/docs/fr/guides/start.md").write_text(
        "---\ntitle: Démarrer\n---\n\n# Démarrer\n\nBonjour.\n")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "fr")
    english.write_text("---\ntitle: Start\n---\n\n# Start\n\nHello, world.\n")
    git(site, "commit", "-qam", "English: more words")
    page = "docs/src/content/docs/fr/guides/start.md"
    result = cli("status", "--format", "json", cwd=docs)
    assert result.exit_code == 0, result.stderr
    (only,) = result.json()["pages"]
    assert (only["path"], only["status"], only["basis"]) == (page, "outdated", "history")
    assert only["links"]["compare"].startswith("https://github.com/example-org/site/compare/")
    assert "repository.name" not in result.stderr  # used now, not warned about
    steps = [shlex.split(step.strip()) for step in only["fix"].split(";")
             if step.strip().startswith("l10nsync ")]
    assert [step[1] for step in steps] == ["diff", "bump"]
    for step in steps:
        done = cli(*step[1:], cwd=docs)
        assert done.exit_code == 0, (step, done.stderr)
    assert "no such file" in cli("diff", "src/content/docs/fr/nope.md", cwd=docs).stderr
