"""The version is kept once (l10nsync/__init__.py); the changelog's newest release names it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import l10nsync

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
# A release heading: "## 0.1.0 - 2026-12-02" (Keep a Changelog, without link brackets or with).
RELEASE = re.compile(r"^## \[?(\d+\.\d+\.\d+)\]? - \d{4}-\d{2}-\d{2}\s*$", re.M)


def released_versions(text: str) -> list[str]:
    """The versions of the changelog's release headings, newest (topmost) first."""
    return RELEASE.findall(text)


def test_changelog_newest_release_is_the_package_version() -> None:
    versions = released_versions((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert versions, "CHANGELOG.md has no '## X.Y.Z - YYYY-MM-DD' heading"
    assert versions[0] == l10nsync.__version__


def test_changelog_keeps_an_unreleased_section_above_the_releases() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    unreleased = re.search(r"^## \[?Unreleased\]?\s*$", text, re.M)
    first_release = RELEASE.search(text)
    assert unreleased and first_release and unreleased.start() < first_release.start()


def test_release_headings_are_read_newest_first() -> None:
    text = "# Changelog\n\n## Unreleased\n\n## 0.2.0 - 2027-01-05\n\n## [0.1.0] - 2026-12-02\n"
    assert released_versions(text) == ["0.2.0", "0.1.0"]


def test_pyproject_takes_the_version_from_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"], "pyproject.toml repeats the version"
    assert "version" in project["project"]["dynamic"]
    attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "l10nsync.__version__"
