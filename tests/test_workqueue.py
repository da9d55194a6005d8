"""Structural drift: what a translation lacks or adds against its English text at the sync
point, on literal texts and end to end on fixtures/queue.toml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from l10nsync.rules.drift import drift_of_texts, read_structure
from tests.conftest import FIXTURES, CliResult, pages_by_path
from tests.test_cache_status import age_tree

ENGLISH = """---
title: Element.getAttribute()
slug: Web/API/Element/getAttribute
---

{{APIRef("DOM")}}

The **`getAttribute()`** method of {{domxref("Element")}} returns an attribute's value.

## Syntax

```js
getAttribute(name)
```

## Examples

```js
div.getAttribute("align");
```

{{EmbedLiveSample("Examples")}}

## Browser compatibility

{{Compat}}

## See also

- [`setAttribute()`](/en-US/docs/Web/API/Element/setAttribute)
"""

COMPLETE = """---
title: Element.getAttribute()
l10n:
  sourceCommit: 0123456789abcdef0123456789abcdef01234567
---

{{APIRef("DOM")}}

La méthode **`getAttribute()`** de {{domxref("Element")}} renvoie la valeur d'un attribut.

## Syntaxe

```js
getAttribute(name)
```

## Exemples

```js
div.getAttribute("align"); // l'alignement
```

{{EmbedLiveSample("Exemples")}}

## Compatibilité des navigateurs

{{Compat}}

## Voir aussi

- [`setAttribute()`](/fr/docs/Web/API/Element/setAttribute)
"""


def test_a_complete_translation_does_not_drift() -> None:
    # Headings, prose and code comments are translated, the live sample's id too, and the
    # link points to the French page: none of that is drift.
    drift = drift_of_texts(ENGLISH, COMPLETE)
    assert (drift.score, drift.missing, drift.extra) == (0.0, (), ())


def test_a_missing_section_with_its_code_and_live_sample() -> None:
    translation = COMPLETE.replace("""## Exemples

```js
div.getAttribute("align"); // l'alignement
```

{{EmbedLiveSample("Exemples")}}

""", "")
    drift = drift_of_texts(ENGLISH, translation)
    assert drift.missing == ("## Examples", "```js", '{{EmbedLiveSample("Examples")}}')
    assert drift.extra == ()
    # Three block items (3 each) out of 4 headings, 5 blocks ({{APIRef}}, two code blocks,
    # the live sample, {{Compat}}) and 2 inline references ({{domxref}}, the link).
    assert drift.score == round(9 / (4 * 3 + 5 * 3 + 2), 3)


def test_a_missing_macro_is_named_as_it_appears() -> None:
    drift = drift_of_texts(ENGLISH, COMPLETE.replace("{{Compat}}\n", ""))
    assert (drift.missing, drift.extra) == (("{{Compat}}",), ())


def test_a_note_of_the_locale_s_own_is_not_drift() -> None:
    blockquote = COMPLETE.replace("## Syntaxe", """> [!NOTE]
> Traduction de la [version anglaise](/en-US/docs/Web/API/Element/getAttribute),
> voir {{Glossary("Attribute", "attribut")}} et ![schéma](attributs.png).

## Syntaxe""")
    aside = COMPLETE.replace("## Syntaxe", """:::note
Voir la [version anglaise](/en-US/docs/Web/API/Element/getAttribute).
:::

## Syntaxe""")
    for translation in (blockquote, aside):
        drift = drift_of_texts(ENGLISH, translation)
        assert (drift.score, drift.missing, drift.extra) == (0.0, (), ())


def test_an_added_section_or_a_leftover_macro_is_extra() -> None:
    translation = COMPLETE.replace("## Voir aussi", "## Notes\n\n{{Deprecated_Inline}}\n\n"
                                   "## Voir aussi")
    drift = drift_of_texts(ENGLISH, translation)
    assert drift.missing == ()
    assert drift.extra == ("## Notes", "{{Deprecated_Inline}}")
    assert 0 < drift.score < 1


def test_heading_levels_count() -> None:
    # The same headings, one a level lower: the h2 is missing and an h3 is extra.
    translation = COMPLETE.replace("## Voir aussi", "### Voir aussi")
    drift = drift_of_texts(ENGLISH, translation)
    assert drift.missing == ("## See also",)
    assert drift.extra == ("### Voir aussi",)


def test_what_is_inside_code_is_not_structure() -> None:
    english = "## Usage\n\n```md\n{{Compat}}\n## Not a heading\n[x](/en-US/docs/X)\n```\n"
    structure = read_structure(english)
    assert structure.levels == (2,)
    assert [item.shown for item in structure.items] == ["```md"]


def test_tables_images_and_links() -> None:
    english = ("![A diagram](/shared-assets/diagram.png)\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
               "See <a href=\"/en-US/docs/Web/HTML\">HTML</a>.\n")
    translation = ("![Un schéma](diagram.png)\n\n| A | B | C |\n|---|---|---|\n| 1 | 2 | 3 |\n\n"
                   "Voir <a href=\"/fr/docs/Web/HTML\">HTML</a>.\n")
    drift = drift_of_texts(english, translation)
    # The image is the same file, the link the same page; the table has a column more.
    assert drift.missing == ()
    assert drift.extra == ()
    assert drift.score == 0.0
    english_table = read_structure(english).items
    translated_table = read_structure(translation).items
    assert {item.key for item in english_table} - {item.key for item in translated_table} == {
        "table:2"}


def test_a_page_without_structure_has_no_drift() -> None:
    assert drift_of_texts("Just words.\n", "Seulement des mots.\n").score == 0.0


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


def test_priority_formula_and_tie_breakers() -> None:
    from l10nsync.model import Drift, Report, SortOrder, Status, Verdict

    def page(path: str, status: Status, behind: int | None = None,
             ratio: float | None = None) -> Verdict:
        return Verdict(path, "fr", None, status, commits_behind=behind, change_ratio=ratio)

    pages = (
        page("a", Status.UP_TO_DATE, 0),
        page("b", Status.OUTDATED, 3, 0.2),
        page("c", Status.OUTDATED, 9, 0.1),
        page("d", Status.OUTDATED, 1, 0.1),
        page("e", Status.MOVED),
        page("f", Status.OUTDATED, 2, 0.5),
    )
    drift = {"a": Drift(0.4, ("{{Compat}}",), ()), "b": Drift(0.0, (), ()),
             "c": Drift(0.1, ("```js",), ()), "d": Drift(0.1, ("```js",), ())}
    popularity = {"a": 0.5, "b": 1.0, "c": 1.0, "d": 1.0, "e": 2.0, "f": None}
    report = Report("", "", pages, drift=drift, popularity=popularity)
    assert report.priority_of(pages[0]) == 0.5 * (0 + 0.4)
    assert report.priority_of(pages[1]) == 1.0 * (0.2 + 0.0)
    ordered = [p.path for p in report.sorted_by(SortOrder.priority).pages]
    # b, c and d tie on 0.2: most commits behind first (same popularity and status);
    # a then; e and f have no priority: e is the more popular, f is not in the file.
    assert ordered == ["c", "b", "d", "a", "e", "f"]
    assert [p.path for p in replace_popularity(report).sorted_by(SortOrder.priority).pages] == [
        "f", "a", "c", "b", "d", "e"]


def replace_popularity(report: Any) -> Any:
    """The report as if no popularity file was given: every page weighs 1."""
    from dataclasses import replace

    return replace(report, popularity=None)


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
