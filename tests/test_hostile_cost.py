"""Issue 14, class 5: what a hostile page costs is bounded.

Huge front matter is refused unparsed (the limit is a setting), a long plain value costs
memory in proportion to its size, deep nesting refuses that page only, and merge keys are
read as YAML defines them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from l10nsync.frontmatter import parse_front_matter
from tests.hostile import FRENCH_PAGE, build_pair

HUGE = "web/huge"
DEEP = "web/deep"
PLAIN = "web/plain"


def huge_page(size: int) -> Callable[[str, str], str]:
    def french(folder: str, marker: str) -> str:
        if folder == HUGE:
            return (f"---\ntitle: {'a' * size}\nl10n:\n  sourceCommit: {marker}\n---\n\n"
                    "Bonjour.\n")
        if folder == DEEP:
            nested = "".join(f"{'  ' * level}k{level}:\n" for level in range(250))
            return (f"---\ntitle: Profond\n{nested}{'  ' * 250}v: 1\nl10n:\n"
                    f"  sourceCommit: {marker}\n---\n\nBonjour.\n")
        return FRENCH_PAGE.format(title="Une page", marker=marker)
    return french


def test_front_matter_over_the_limit_is_invalid_unparsed(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    pair = build_pair(tmp_path, [PLAIN, HUGE], french=huge_page(1_100_000))
    source = ("--source-root", str(pair.english))
    status = cli("status", "--format", "json", *source, cwd=pair.translations)
    assert status.exit_code == 0, status.stderr
    pages = {page["path"]: page for page in status.json()["pages"]}
    huge = pages[pair.page(HUGE)]
    assert huge["status"] == "invalid_front_matter"
    assert "larger than 1048576 bytes" in huge["message"]
    assert pages[pair.page(PLAIN)]["status"] == "outdated"
    check = cli("check", *source, pair.page(HUGE), cwd=pair.translations)
    assert check.exit_code == 1 and "larger than" in check.stdout
    bump = cli("bump", *source, pair.page(HUGE), pair.page(PLAIN), cwd=pair.translations)
    assert bump.exit_code == 2 and "larger than" in bump.stderr
    assert pair.start not in (pair.translations / pair.page(PLAIN)).read_text()
    for args in (("annotate", "--key", "outdated", "--clear"),
                 ("report", "--base", pair.base, "--format", "json"),
                 ("dashboard", "--output", str(tmp_path / "site"))):
        result = cli(*args, *source, cwd=pair.translations)
        assert result.exit_code in (0, 1, 2), (args, result.stderr)
        assert "Traceback" not in result.stderr

    # The limit is a setting: raised, the page is read.
    (pair.translations / ".l10nsync.toml").write_text("front_matter_limit = 4194304\n")
    status = cli("status", "--format", "json", *source, cwd=pair.translations)
    pages = {page["path"]: page for page in status.json()["pages"]}
    assert pages[pair.page(HUGE)]["status"] == "outdated"
    (pair.translations / ".l10nsync.toml").write_text("front_matter_limit = 0\n")
    refused = cli("status", *source, cwd=pair.translations)
    assert refused.exit_code == 2 and "front_matter_limit" in refused.stderr


def test_a_page_of_many_megabytes_costs_memory_in_proportion(tmp_path: Path) -> None:
    """The issue's measure: a 50 MB page made status use 6 GB. Here 20 MB of plain title,
    under a limit raised so that it is read: the process stays within a few times that."""
    pair = build_pair(tmp_path, [PLAIN, HUGE], french=huge_page(20_000_000))
    (pair.translations / ".l10nsync.toml").write_text("front_matter_limit = 41943040\n")
    script = ("import sys, resource\nfrom l10nsync.cli import run\n"
              "code = run(['status', '--no-cache', '--format', 'json'])\n"
              "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
              "sys.exit(code)\n")
    environment = {**os.environ, "CONTENT_ROOT": str(pair.english)}
    result = subprocess.run([sys.executable, "-c", script], cwd=pair.translations,
                            env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    peak_kib = int(result.stderr.strip().splitlines()[-1])
    assert peak_kib * 1024 < 400 * 1024 * 1024, f"{peak_kib} KiB"


def test_deep_nesting_refuses_that_page_and_edits_the_others(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    pair = build_pair(tmp_path, [PLAIN, DEEP], french=huge_page(0))
    source = ("--source-root", str(pair.english))
    status = cli("status", "--format", "json", *source, cwd=pair.translations)
    assert status.exit_code == 0, status.stderr
    bump = cli("bump", *source, pair.page(DEEP), pair.page(PLAIN), cwd=pair.translations)
    assert bump.exit_code == 2, bump.stderr
    assert "nested 251 levels deep" in bump.stderr
    assert "RecursionError" not in bump.stderr
    assert pair.page(PLAIN) in bump.stdout and pair.page(DEEP) not in bump.stdout
    deep_before = (pair.translations / pair.page(DEEP)).read_bytes()
    annotate = cli("annotate", "--key", "outdated", "--clear", *source, cwd=pair.translations)
    assert annotate.exit_code == 2, annotate.stderr
    assert "nested 251 levels deep" in annotate.stderr
    assert (pair.translations / pair.page(DEEP)).read_bytes() == deep_before
    for args in (("check", pair.page(DEEP)), ("diff", pair.page(DEEP)),
                 ("report", "--base", pair.base), ("dashboard", "--output",
                                                   str(tmp_path / "site"))):
        result = cli(*args, *source, cwd=pair.translations)
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr, args


def test_flow_nesting_past_libyaml_limit_is_invalid_front_matter() -> None:
    page = b"---\ntitle: " + b"[" * 100_000 + b"\nl10n:\n  sourceCommit: abcdef1\n---\n"
    result = parse_front_matter(page, "l10n.sourceCommit")
    assert result.error is not None and "nesting depth" in result.error


def test_merge_keys_give_the_marker(cli: Callable[..., Any], tmp_path: Path) -> None:
    def french(folder: str, marker: str) -> str:
        return ("---\ntitle: Fusion\nshared: &shared\n  sourceCommit: " + marker
                + "\nl10n:\n  <<: *shared\n---\n\nBonjour.\n")

    pair = build_pair(tmp_path, [PLAIN], french=french)
    source = ("--source-root", str(pair.english))
    status = cli("status", "--format", "json", *source, cwd=pair.translations)
    page = status.json()["pages"][0]
    assert page["status"] == "outdated", page
    assert page["source_commit"] == pair.start
    bump = cli("bump", *source, pair.page(PLAIN), cwd=pair.translations)
    assert bump.exit_code == 0, bump.stderr
    status = cli("status", "--format", "json", *source, cwd=pair.translations)
    assert status.json()["pages"][0]["status"] == "up_to_date"


def test_merge_key_rules() -> None:
    def marker(yaml_text: str) -> str | None:
        return parse_front_matter(f"---\n{yaml_text}---\n".encode(), "l10n.sourceCommit").marker

    assert marker("a: &a {sourceCommit: 1111111}\nl10n:\n  <<: *a\n") == "1111111"
    # The mapping's own key wins over the merged one, wherever it stands.
    assert marker("a: &a {sourceCommit: 1111111}\nl10n:\n  sourceCommit: 2222222\n"
                  "  <<: *a\n") == "2222222"
    # In a list of merged mappings, the first that has the key wins.
    assert marker("a: &a {sourceCommit: 1111111}\nb: &b {sourceCommit: 3333333}\nl10n:\n"
                  "  <<: [*b, *a]\n") == "3333333"
    assert marker("l10n:\n  <<: {other: 1}\n") is None
