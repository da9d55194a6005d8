"""``l10nsync move`` on real repositories: MDN's two-repository layout and a one-repository site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git

REDIRECTS = ("# FROM-URL\tTO-URL\n"
             "/fr/docs/Glossary/Cookie\t/fr/docs/Web/HTTP/Cookies\n"
             "/fr/docs/Glossary/Old_DNS\t/fr/docs/Glossary/DNS\n"
             "/fr/docs/Web/Old\t/fr/docs/Web/New\n")

DNS_BODY = ("The **DNS** (Domain Name System) turns host names into addresses.\n\n"
            "## How it works\n\nA resolver asks name servers, from the root down, for the "
            "records of a name.\n\n## See also\n\n"
            "- [IP address](/en-US/docs/Glossary/IP_Address)\n")


def english_dns(slug: str) -> str:
    return f"---\ntitle: DNS\nslug: {slug}\n---\n\n{DNS_BODY}"


SCENARIO: dict[str, Any] = {
    "repositories": "two",
    "english": [
        {"id": "init", "message": "Add pages", "write": {
            "glossary/dns": english_dns("Glossary/DNS"),
            "glossary/ipv6": "**IPv6** is the sixth version of the Internet Protocol.",
            "glossary/tcp": "**TCP** gives a reliable stream of bytes."}},
        # MDN moves a page and its slug in one commit (the slug is written from the folder).
        {"id": "move-dns", "message": "Move DNS", "rename": {
            "glossary/dns": "glossary/domain_name_system"},
         "write": {"glossary/domain_name_system": english_dns("Glossary/Domain_name_system")}},
        {"id": "drop-ipv6", "message": "Remove IPv6", "delete": ["glossary/ipv6"]},
    ],
    "translations": [
        {"locale": "fr", "folder": "glossary/dns", "slug": "Glossary/DNS",
         "source_commit": "{sha:init}", "body": "Le **DNS** traduit les noms en adresses."},
        {"locale": "fr", "folder": "glossary/ipv6", "slug": "Glossary/IPv6",
         "source_commit": "{sha:init}", "body": "**IPv6** est la version 6 d'IP."},
        {"locale": "fr", "folder": "glossary/tcp", "slug": "Glossary/TCP",
         "source_commit": "{sha:init}", "body": "**TCP** donne un flux fiable."},
        {"path": "files/fr/_redirects.txt", "raw": REDIRECTS},
        # de has a page at the target already: a conflict.
        {"locale": "de", "folder": "glossary/dns", "slug": "Glossary/DNS",
         "source_commit": "{sha:init}", "body": "Das **DNS** übersetzt Namen."},
        {"locale": "de", "folder": "glossary/domain_name_system",
         "slug": "Glossary/Domain_name_system", "source_commit": "{sha:move-dns}",
         "body": "Das **DNS** übersetzt Namen in Adressen."},
    ],
}

DNS_FR = "files/fr/glossary/dns/index.md"
DNS_FR_NEW = "files/fr/glossary/domain_name_system/index.md"


@pytest.fixture
def mdn(build: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    built = build(SCENARIO)
    monkeypatch.setenv("CONTENT_ROOT", str(built.source_root))
    return built


def status_of(cli: Any, root: Path, *paths: str) -> dict[str, str]:
    result = cli("status", "--format", "json", *paths, cwd=root)
    assert result.exit_code == 0, result.stderr
    return {page["path"]: page["status"] for page in result.json()["pages"]}


def test_dry_run_shows_the_plan_and_writes_nothing(mdn: Any, cli: Any) -> None:
    root = mdn.translated_root
    before = git(root, "status", "--porcelain")
    result = cli("move", "--dry-run", "--locale", "fr", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert (f"{DNS_FR} -> {DNS_FR_NEW}; slug: Glossary/DNS -> Glossary/Domain_name_system"
            " (dry run)") in result.stdout
    assert ("files/fr/_redirects.txt: + /fr/docs/Glossary/DNS\t"
            "/fr/docs/Glossary/Domain_name_system (dry run)") in result.stdout
    assert (root / DNS_FR).exists()
    assert git(root, "status", "--porcelain") == before


def test_move_applies_the_english_move_and_the_page_is_in_step(mdn: Any, cli: Any) -> None:
    root = mdn.translated_root
    before = (root / DNS_FR).read_bytes()
    assert status_of(cli, root, DNS_FR)[DNS_FR] == "moved"
    result = cli("move", DNS_FR, cwd=root)
    assert result.exit_code == 0, result.stderr
    assert not (root / DNS_FR).exists()
    assert not (root / "files/fr/glossary/dns").exists()
    after = (root / DNS_FR_NEW).read_bytes()
    # Only the slug's value changed; the marker is kept.
    assert after == before.replace(b"slug: Glossary/DNS\n", b"slug: Glossary/Domain_name_system\n")
    assert mdn.shas["init"].encode() in after
    # Staged as a rename, with the redirect.
    staged = git(root, "diff", "--cached", "--name-status", "-M").splitlines()
    assert f"R100\t{DNS_FR}\t{DNS_FR_NEW}" not in staged  # the slug changed: not identical
    assert any(line.startswith("R") and line.endswith(DNS_FR_NEW) for line in staged)
    assert "M\tfiles/fr/_redirects.txt" in staged
    # The new line in sorted place; the redirect to the old URL now goes to the new one.
    assert (root / "files/fr/_redirects.txt").read_text() == (
        "# FROM-URL\tTO-URL\n"
        "/fr/docs/Glossary/Cookie\t/fr/docs/Web/HTTP/Cookies\n"
        "/fr/docs/Glossary/DNS\t/fr/docs/Glossary/Domain_name_system\n"
        "/fr/docs/Glossary/Old_DNS\t/fr/docs/Glossary/Domain_name_system\n"
        "/fr/docs/Web/Old\t/fr/docs/Web/New\n")
    # Only the path and the slug changed in English: the moved page is in step.
    assert status_of(cli, root, DNS_FR_NEW)[DNS_FR_NEW] == "up_to_date"
    assert cli("check", DNS_FR_NEW, cwd=root).exit_code == 0


def test_an_existing_target_is_refused_or_goes_under_conflicting(mdn: Any, cli: Any) -> None:
    root = mdn.translated_root
    dns_de = "files/de/glossary/dns/index.md"
    taken = root / "files/de/glossary/domain_name_system/index.md"
    taken_bytes = taken.read_bytes()
    refused = cli("move", "--locale", "de", cwd=root)
    assert refused.exit_code == 2
    assert refused.stderr == (f"l10nsync: error: {dns_de}: files/de/glossary/domain_name_system/"
                              "index.md exists already; not overwritten (--conflicts puts this "
                              "page under conflicting/)\n")
    assert (root / dns_de).exists()
    assert taken.read_bytes() == taken_bytes
    moved = cli("move", "--locale", "de", "--conflicts", cwd=root)
    assert moved.exit_code == 0, moved.stderr
    aside = root / "files/de/conflicting/glossary/domain_name_system/index.md"
    text = aside.read_text()
    assert "slug: conflicting/Glossary/Domain_name_system\noriginal_slug: Glossary/DNS\n" in text
    assert taken.read_bytes() == taken_bytes
    assert not (root / dns_de).exists()


def test_orphaned_pages_go_under_orphaned_only_when_asked(mdn: Any, cli: Any) -> None:
    root = mdn.translated_root
    ipv6 = "files/fr/glossary/ipv6/index.md"
    cli("move", "--locale", "fr", cwd=root)
    assert (root / ipv6).exists()
    result = cli("move", "--orphaned", ipv6, cwd=root)
    assert result.exit_code == 0, result.stderr
    aside = root / "files/fr/orphaned/glossary/ipv6/index.md"
    assert "slug: orphaned/Glossary/IPv6\noriginal_slug: Glossary/IPv6\n" in aside.read_text()
    assert "/fr/docs/Glossary/IPv6\t/fr/docs/orphaned/Glossary/IPv6\n" in (
        root / "files/fr/_redirects.txt").read_text()
    assert ipv6 not in status_of(cli, root)


def test_move_in_one_repository_without_slugs_or_redirects(build: Any, cli: Any) -> None:
    built = build("history")
    site = built.source_root
    old = "src/content/docs/fr/guides/old-name.md"
    new = "src/content/docs/fr/guides/deploy.md"
    assert status_of(cli, site, old)[old] == "moved"
    before = (site / old).read_bytes()
    result = cli("move", old, cwd=site)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{old} -> {new}\n"
    assert (site / new).read_bytes() == before
    assert not (site / "src/content/docs/fr/_redirects.txt").exists()
    git(site, "commit", "-qm", "fr: follow the rename")
    assert status_of(cli, site, new)[new] == "up_to_date"


def test_the_advice_for_a_taken_target_is_the_move_that_works(mdn: Any, cli: Any) -> None:
    from tests.test_advice import run_advice

    root = mdn.translated_root
    dns_de = "files/de/glossary/dns/index.md"
    page = cli("status", "--format", "json", dns_de, cwd=root).json()["pages"][0]
    assert page["fix"].startswith(f"l10nsync move --conflicts {dns_de} (files/de/glossary/"
                                  "domain_name_system/index.md exists already")
    run_advice(cli, root, page["fix"])
    aside = "files/de/conflicting/glossary/domain_name_system/index.md"
    assert (root / aside).exists()
    assert cli("check", aside, cwd=root).exit_code == 0
