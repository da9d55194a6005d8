"""What workqueue.py adds to a report, end to end on fixtures/queue.toml: structural drift
(``--drift``), popularity and the priority order. Drift on literal texts is in
test_rules_drift.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, CliResult, age_tree, pages_by_path

# --- end to end: fixtures/queue.toml ----------------------------------------------------------

POPULARITY = FIXTURES / "queue.popularity.json"
GETATTRIBUTE = "files/fr/web/api/element/getattribute/index.md"
COLOR = "files/fr/web/css/color/index.md"
FETCH = "files/fr/web/api/fetch_api/index.md"
API_FR = "files/fr/glossary/api/index.md"
API_JA = "files/ja/glossary/api/index.md"


@pytest.fixture
def queue(build: Callable[[str], Any], cli: Callable[..., CliResult]) -> Callable[..., CliResult]:
    """Run l10nsync in the queue scenario's translations repository."""
    built = build("queue")

    def run(*args: str) -> CliResult:
        return cli(*args, "--source-root", str(built.source_root), cwd=built.translated_root)

    return run


def test_status_drift_in_json(queue: Callable[..., CliResult]) -> None:
    result = queue("status", "--drift", "--format", "json")
    assert result.exit_code == 0, result.stderr
    pages = pages_by_path(result.json())
    assert pages[GETATTRIBUTE]["status"] == "up_to_date"
    assert pages[GETATTRIBUTE]["drift"] == {
        "score": 0.462,
        "missing": ["## Examples", "```html", "```js",
                    '{{EmbedLiveSample("Examples", "100%", 80)}}',
                    "## Browser compatibility", "{{Compat}}"],
        "extra": [],
    }
    for path in (COLOR, FETCH, API_FR):
        assert pages[path]["drift"] == {"score": 0.0, "missing": [], "extra": []}, path
    assert pages[API_JA]["drift"]["extra"] == ["## 歴史"]


def test_without_drift_the_json_is_unchanged(queue: Callable[..., CliResult]) -> None:
    page = queue("status", "--format", "json").json()["pages"][0]
    assert "drift" not in page and "popularity" not in page and "priority" not in page


def test_table_lists_pages_in_step_that_drifted(queue: Callable[..., CliResult]) -> None:
    plain = queue("status").stdout
    assert "getattribute" not in plain
    table = queue("status", "--drift").stdout
    assert "up_to_date" in table and "0.46 -## Examples" in table
    assert "files/fr/web/css/color" not in table  # no drift, nothing to do


def test_fail_on_drift_with_a_threshold(queue: Callable[..., CliResult], tmp_path: Path) -> None:
    assert queue("status", "--fail-on", "drift").exit_code == 1
    assert queue("status", "--fail-on", "drift", "--drift-threshold", "0.5").exit_code == 0
    assert queue("status", "--fail-on", "drift", "--drift-threshold", "0.45").exit_code == 1
    wrong = queue("status", "--fail-on", "drift", "--drift-threshold", "2")
    assert wrong.exit_code == 2 and "--drift-threshold 2.0 must be between 0 and 1" in wrong.stderr


def test_drift_threshold_from_config(build: Callable[[str], Any],
                                     cli: Callable[..., CliResult]) -> None:
    built = build("queue")
    (built.translated_root / ".l10nsync.toml").write_text(
        f'source_root = "{built.source_root}"\ndrift_threshold = 0.5\n', encoding="utf-8")
    assert cli("status", "--fail-on", "drift", cwd=built.translated_root).exit_code == 0
    (built.translated_root / ".l10nsync.toml").write_text(
        f'source_root = "{built.source_root}"\ndrift_threshold = 0.4\n', encoding="utf-8")
    assert cli("status", "--fail-on", "drift", cwd=built.translated_root).exit_code == 1


def test_popularity_matched_by_slug(queue: Callable[..., CliResult]) -> None:
    pages = pages_by_path(queue("status", "--popularity", str(POPULARITY), "--format",
                                "json").json())
    assert pages[GETATTRIBUTE]["popularity"] == 0.0125
    assert pages[COLOR]["popularity"] == 0.031  # a full URL
    assert pages[API_FR]["popularity"] == pages[API_JA]["popularity"] == 0.0042
    # A French URL names no English page: the file scores English pages.
    assert pages[FETCH]["popularity"] is None
    assert "drift" not in pages[GETATTRIBUTE]


def test_priority_order(queue: Callable[..., CliResult]) -> None:
    result = queue("status", "--drift", "--popularity", str(POPULARITY), "--sort", "priority",
                   "--format", "json")
    order = [(page["path"], page["priority"]) for page in result.json()["pages"]]
    assert order == [
        (GETATTRIBUTE, round(0.0125 * 0.462, 6)),
        (API_JA, round(0.0042 * 0.429, 6)),
        (API_FR, round(0.0042 * (0.089 + 0.0), 6)),  # slug lines are not counted
        # No priority: the more popular page first, then by status and path.
        (COLOR, 0.0),
        (FETCH, 0.0),
    ]


def test_priority_without_popularity_is_change_plus_drift(
        queue: Callable[..., CliResult]) -> None:
    result = queue("status", "--drift", "--sort", "priority", "--format", "json")
    pages = result.json()["pages"]
    assert pages[0]["path"] == GETATTRIBUTE
    assert [page["priority"] for page in pages] == sorted(
        (page["priority"] for page in pages), reverse=True)


@pytest.mark.parametrize("content, problem", [
    ("not json", "is not JSON"),
    ("[1, 2]", "must be a JSON object"),
    ('{"/en-US/docs/Web": "high"}', "the score of '/en-US/docs/Web' must be a number"),
    ('{"/en-US/docs/Web": -1}', "must be a number 0 or above"),
])
def test_a_bad_popularity_file_is_one_line_and_exit_2(
        queue: Callable[..., CliResult], tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "popularities.json"
    bad.write_text(content, encoding="utf-8")
    result = queue("status", "--popularity", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"l10nsync: error: {bad}: ")
    assert problem in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_missing_popularity_file(queue: Callable[..., CliResult], tmp_path: Path) -> None:
    result = queue("status", "--popularity", str(tmp_path / "nowhere.json"))
    assert result.exit_code == 2
    assert "nowhere.json: cannot read the popularity file" in result.stderr


def test_a_new_popularity_file_is_not_hidden_by_the_output_cache(
        build: Callable[[str], Any], cli: Callable[..., CliResult], tmp_path: Path) -> None:
    built = build("queue")
    age_tree(built.translated_root)  # old enough for the output cache to be used

    def queue(*args: str) -> CliResult:
        return cli(*args, "--source-root", str(built.source_root), cwd=built.translated_root)

    scores = tmp_path / "scores.json"
    scores.write_text('{"/en-US/docs/Glossary/API": 0.5}', encoding="utf-8")
    first = queue("status", "--popularity", str(scores), "--format", "json").json()
    scores.write_text('{"/en-US/docs/Glossary/API": 0.25}', encoding="utf-8")
    second = queue("status", "--popularity", str(scores), "--format", "json").json()
    assert pages_by_path(first)[API_FR]["popularity"] == 0.5
    assert pages_by_path(second)[API_FR]["popularity"] == 0.25


def test_drift_from_cached_verdicts_is_the_drift_of_a_cold_run(
        build: Callable[[str], Any], cli: Callable[..., CliResult]) -> None:
    built = build("queue")
    age_tree(built.translated_root)

    def drift(*args: str) -> dict[str, Any]:
        result = cli("status", "--format", "json", "--source-root", str(built.source_root),
                     *args, cwd=built.translated_root)
        assert result.exit_code == 0, result.stderr
        return {path: page["drift"] for path, page in pages_by_path(result.json()).items()}

    cold = drift("--drift", "--no-cache")
    cli("status", "--source-root", str(built.source_root), cwd=built.translated_root)
    # Every verdict now comes from the cache, and no history is read for them: drift traces
    # the pages again from the cached history.
    warm = drift("--drift")
    assert cold == warm
    assert cold[GETATTRIBUTE]["missing"][0] == "## Examples"


def test_dashboard_shows_drift_and_lists_pages_by_priority(
        build: Callable[[str], Any], cli: Callable[..., CliResult], tmp_path: Path) -> None:
    import json

    built = build("queue")
    site = tmp_path / "site"
    result = cli("dashboard", "--output", str(site), "--source-root", str(built.source_root),
                 "--drift", "--popularity", str(POPULARITY), cwd=built.translated_root)
    assert result.exit_code == 0, result.stderr
    script = (site / "data" / "locale-0.js").read_text(encoding="utf-8")
    records = json.loads(script.split(" = ", 2)[2].rstrip(";\n"))
    assert [record["path"] for record in records][:3] == [GETATTRIBUTE, API_FR, COLOR]
    assert records[0]["drift"]["missing"][0] == "## Examples"
    assert records[0]["popularity"] == 0.0125
    # status.json keeps the JSON contract's order, by path.
    status = json.loads((site / "status.json").read_text(encoding="utf-8"))
    paths = [page["path"] for page in status["pages"]]
    assert paths == sorted(paths)
