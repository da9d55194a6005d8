"""Hostile repositories for the tests of issue 14: real git repositories built by each test.

``build_pair`` makes an English repository (files/en-us) and a translations repository
(files/fr) whose pages translate the English ones at its first commit, each English page
changed once since (so every page is outdated). ``every_command`` runs each l10nsync command
that applies on such a pair and returns what each printed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENGLISH_PAGE = "---\ntitle: {title}\nslug: Web/Page\n---\n\nHello.\n\n## Syntax\n\nText.\n"
FRENCH_PAGE = ("---\ntitle: {title}\nslug: Web/Page\nl10n:\n  sourceCommit: {marker}\n---\n\n"
               "Bonjour.\n\n## Syntaxe\n\nTexte.\n")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True, errors="surrogateescape").stdout.strip()


@dataclass
class Pair:
    english: Path
    translations: Path
    start: str  # the English commit the translations were made from
    base: str  # the translations repository's commit before the pages were added

    def page(self, folder: str) -> str:
        return f"files/fr/{folder}/index.md"


def build_pair(
    tmp_path: Path,
    folders: Iterable[str],
    *,
    title: str = "Une page",
    subject: str = "Edit the pages",
    french: Callable[[str, str], str] | None = None,
) -> Pair:
    """English and French pages in ``folders``; the French ones one English commit behind.

    ``french(folder, marker)`` gives a French page's text (default: FRENCH_PAGE).
    """
    folders = list(folders)
    english = tmp_path / "content"
    translations = tmp_path / "translated-content"
    for root in (english, translations):
        root.mkdir()
        git(root, "init", "-q", "-b", "main")
        # A GitHub remote: every output then carries links built from the hostile paths too.
        git(root, "remote", "add", "origin", f"https://github.com/example/{root.name}.git")
    for folder in folders:
        page = english / "files" / "en-us" / folder / "index.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(ENGLISH_PAGE.format(title="A page"))
    git(english, "add", "-A")
    git(english, "commit", "-q", "-m", "Add the pages")
    start = git(english, "rev-parse", "HEAD")
    for folder in folders:
        page = english / "files" / "en-us" / folder / "index.md"
        page.write_text(page.read_text() + "\nA new paragraph.\n")
    git(english, "commit", "-q", "-a", "-m", subject)
    git(translations, "commit", "-q", "--allow-empty", "-m", "Start")
    base = git(translations, "rev-parse", "HEAD")
    for folder in folders:
        page = translations / "files" / "fr" / folder / "index.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        text = french(folder, start) if french else FRENCH_PAGE.format(title=title, marker=start)
        page.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    git(translations, "add", "-A")
    git(translations, "commit", "-q", "-m", "Translate the pages")
    return Pair(english, translations, start, base)


def every_command(cli: Callable[..., Any], pair: Pair, folders: Iterable[str],
                  output: Path) -> dict[str, Any]:
    """Each command on the pair, by a name; the pages of ``folders`` named where one is."""
    source = ("--source-root", str(pair.english))
    pages = [pair.page(folder) for folder in folders]
    runs: dict[str, Any] = {}

    def run(name: str, *args: str) -> None:
        runs[name] = cli(*args, cwd=pair.translations)

    run("status", "status", "--no-cache", *source)
    run("status-cached", "status", *source)
    run("status-json", "status", "--format", "json", *source)
    run("status-named", "status", *source, *pages)
    run("status-drift", "status", "--drift", "--sort", "priority", "--no-cache", *source)
    run("status-drift-json", "status", "--drift", "--format", "json", "--no-cache", *source)
    run("digest", "digest", "--since", "2000-01-01", *source)
    for page in pages:  # an edit without a bump: check blocks it and prints the page
        with open(pair.translations / page, "a", encoding="utf-8") as handle:
            handle.write("Une phrase de plus.\n")
    run("check", "check", *source, *pages)
    for number, page in enumerate(pages):
        run(f"diff-{number}", "diff", *source, page)
        run(f"diff-json-{number}", "diff", "--format", "json", *source, page)
        run(f"diff-words-{number}", "diff", "--word-diff", *source, page)
    run("bump-dry", "bump", "--dry-run", *source, *pages)
    run("annotate-dry", "annotate", "--key", "outdated", "--dry-run", *source)
    for form in ("text", "markdown", "github", "json"):
        run(f"report-{form}", "report", "--base", pair.base, "--format", form, *source)
    run("dashboard", "dashboard", "--output", str(output), *source)
    run("annotate", "annotate", "--key", "outdated", *source)
    run("bump", "bump", *source, *pages)
    return runs
