"""UI-string dictionaries on real repositories shaped like Starlight (JSON, nested keys, history
mode), Astro docs (YAML, in-file markers) and Hugo (TOML): each key's status, diff, check, bad
input, and the pure rule on literal records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from l10nsync.dictformats import Dictionary
from l10nsync.dictionaries import judge_keys
from l10nsync.model import KeyStatus
from l10nsync.scenario import _fill, load_scenario
from tests.conftest import FIXTURES, git

DICTIONARY_SCENARIOS = sorted(path.stem for path in FIXTURES.glob("dictionaries_*.toml"))


def dictionaries_of(result: Any) -> dict[str, dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    return {entry["path"]: entry for entry in result.json()["dictionaries"]}


def key_statuses(entry: dict[str, Any]) -> dict[str, str]:
    return {key["key"]: key["status"] for key in entry["keys"]}


@pytest.mark.parametrize("name", DICTIONARY_SCENARIOS)
def test_each_key_has_the_status_the_scenario_declares(name: str, build: Any, cli: Any) -> None:
    scenario = load_scenario(FIXTURES / f"{name}.toml")
    built = build(scenario)
    args = ["status", "--format", "json", "--no-cache"]
    if built.source_root != built.translated_root:
        args += ["--source-root", str(built.source_root)]
    found = dictionaries_of(cli(*args, cwd=built.translated_root))
    expected = _fill(scenario["expect_dictionary"], built.shas)
    assert expected
    for entry in expected:
        assert entry["path"] in found, (entry["path"], sorted(found))
        record = found[entry["path"]]
        for field, value in entry.items():
            if field == "keys":
                assert key_statuses(record) == value, entry["path"]
            elif field == "summary":
                assert {k: v for k, v in record["summary"].items() if v} == value
            elif field == "error":
                assert value in (record["error"] or ""), record
            elif field != "path":
                assert record[field] == value, (entry["path"], field, record)


# --- formats, read as data ---------------------------------------------------------------------


def read(text: str, path: str, **kwargs: Any) -> Dictionary:
    from l10nsync.dictformats import read_dictionary

    return read_dictionary(text.encode(), path, "_sourceCommit", **kwargs)


def test_formats_read_the_same_keys_whatever_their_shape() -> None:
    expected = {"nav.home": "Home", "nav.count": "3", "list": '["a", "b"]'}
    assert read('{"nav": {"home": "Home", "count": 3}, "list": ["a", "b"]}',
                "x.json").entries == expected
    assert read("nav:\n  home: Home\n  count: 3\nlist: [a, b]\n", "x.yml").entries == expected
    assert read('list = ["a", "b"]\n[nav]\nhome = "Home"\ncount = 3\n',
                "x.toml").entries == expected
    module = ("// strings\nexport default {\n  nav: { home: 'Home', count: 3 },\n"
              "  list: ['a', `b`],\n} as const;\n")
    assert read(module, "x.ts").entries == expected


def test_yaml_keys_that_are_not_text_are_path_parts() -> None:
    # YAML reads `404:` as a number and `yes:` as true: a status once stopped on them with a
    # TypeError (exit 3) when they were nested.
    found = read("errors:\n  404: Not found\n  yes: \"Yes\"\n500: Oops\n", "x.yml").entries
    assert found == {"errors.404": "Not found", "errors.true": "Yes", "500": "Oops"}


def test_an_in_file_marker_is_taken_out_of_the_keys() -> None:
    found = read('{\n  "_sourceCommit": "abc1234",\n  "a": "A"\n}\n', "x.json")
    assert found.entries == {"a": "A"}
    assert (found.marker, found.marker_line) == ("abc1234", 2)


def test_a_javascript_value_that_is_not_a_literal_is_never_run() -> None:
    found = read("const name = 'x';\nexport default { greeting: `Hi ${name}`, other: name };\n",
                 "x.js")
    assert found.entries["other"].startswith("<not a plain value")


PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"X-Source-Commit: abc1234\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "Open"
msgstr "Ouvrir"

msgctxt "menu"
msgid "Open"
msgstr "Ouvrir…"

#, fuzzy
msgid "Close"
msgstr "Fermer"

msgid "Save"
msgstr ""

msgid "one file"
msgid_plural "{n} files"
msgstr[0] "un fichier"
msgstr[1] "{n} fichiers"

msgid "one page"
msgid_plural "{n} pages"
msgstr[0] "une page"
msgstr[1] ""
'''


def test_gettext_contexts_plurals_and_untranslated_entries() -> None:
    from l10nsync.dictformats import read_dictionary

    found = read_dictionary(PO.encode(), "fr.po", "X-Source-Commit")
    assert found.marker == "abc1234"
    assert found.entries["Open"] == "Ouvrir"
    assert found.entries["menu.Open"] == "Ouvrir…"  # msgctxt as a namespace
    assert found.entries["one file"] == "un fichier\n{n} fichiers"
    # A fuzzy entry, an empty msgstr and a plural with an empty form are not translated.
    assert found.untranslated == {"Close", "Save", "one page"}
    template = read_dictionary(PO.encode(), "messages.pot", "X-Source-Commit")
    # The English side of a template is its ids.
    assert template.entries["Save"] == "Save"
    assert template.entries["one page"] == "one page\n{n} pages"
    assert not template.untranslated


def test_a_gettext_file_holding_a_file_name_is_read_as_text(tmp_path: Path) -> None:
    from l10nsync.dictformats import DictionaryError, read_dictionary

    elsewhere = tmp_path / "secret.po"
    elsewhere.write_text('msgid "token"\nmsgstr "hunter2"\n', encoding="utf-8")
    with pytest.raises(DictionaryError, match="invalid PO"):
        read_dictionary(str(elsewhere).encode(), "fr.po", "X-Source-Commit")


def test_an_untranslated_gettext_entry_is_missing() -> None:
    from l10nsync.dictformats import read_dictionary

    translation = read_dictionary(PO.encode(), "fr.po", "X-Source-Commit")
    english = dict(read_dictionary(PO.encode(), "messages.pot", "X-Source-Commit").entries)
    verdicts = {v.key: v.status for v in judge_keys(english, english, translation)}
    assert verdicts["Save"] is KeyStatus.MISSING
    assert verdicts["Close"] is KeyStatus.MISSING
    assert verdicts["Open"] is KeyStatus.UP_TO_DATE


BAD = [
    ("fr.json", '{\n  "a": "A",\n  "b": "B"\n  "c": "C"\n}\n', "line 4: invalid JSON"),
    ("fr.yml", "a: A\nb: [B\n", "line 3: invalid YAML"),
    ("fr.toml", 'a = "A"\nb = \n', "line 2: invalid TOML"),
    ("fr.json", '["a", "b"]', "line 1: the file must hold an object of keys, not list"),
    ("fr.po", 'msgid "a"\nmsgstr "b"\nmsgid\n', "invalid PO"),
    ("fr.ts", "export const strings = 1;\n", "no exported config object"),
]


@pytest.mark.parametrize(("path", "text", "message"), BAD)
def test_bad_input_is_one_error_with_its_line(path: str, text: str, message: str) -> None:
    from l10nsync.dictformats import DictionaryError

    with pytest.raises(DictionaryError) as caught:
        read(text, path)
    assert message in str(caught.value)


def test_bytes_that_are_not_utf8_are_an_error_with_the_line() -> None:
    from l10nsync.dictformats import DictionaryError, read_dictionary

    with pytest.raises(DictionaryError, match="line 2: not UTF-8"):
        read_dictionary(b'{\n"a": "\xff"}', "fr.json", "_sourceCommit")


# --- the rule on literal records ---------------------------------------------------------------


def test_the_rule_by_value_with_optional_and_covered_keys() -> None:
    then = {"a": "A", "b": "B", "c": "C", "gone": "G"}
    now = {"a": "A", "b": "B2", "c": "C", "new": "N", "opt": "O", "base": "X"}
    translation = Dictionary({"a": "a", "b": "b", "c": "", "gone": "g"},
                             untranslated=frozenset({"c"}))
    verdicts = judge_keys(now, then, translation, optional=frozenset({"opt"}),
                          covered=frozenset({"base"}))
    assert [(v.key, v.status.value) for v in verdicts] == [
        ("a", "up_to_date"), ("b", "outdated"), ("c", "missing"), ("gone", "extra"),
        ("new", "missing")]
    b = verdicts[1]
    assert (b.english_before, b.english_now, b.translation) == ("B", "B2", "b")
    # Without a sync point only missing and extra keys can be told.
    assert [(v.key, v.status.value) for v in judge_keys(now, None, translation)] == [
        ("base", "missing"), ("c", "missing"), ("gone", "extra"), ("new", "missing"),
        ("opt", "missing")]


# --- the commands ------------------------------------------------------------------------------


def test_diff_shows_english_before_and_now_beside_the_translation(build: Any, cli: Any) -> None:
    site = build("dictionaries_astro").source_root
    result = cli("diff", "src/content/i18n/ja.yml", cwd=site)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "1 changed in English since the translation:" in text
    prompt = text.index("feedback.prompt")
    assert text.index("English before: Was this page helpful?") > prompt
    assert text.index("English now   : Did this page help you?") > prompt
    assert "translation   : このページは役に立ちましたか" in text
    assert "aside.danger" in text and "aside.caution" in text
    data = cli("diff", "--format", "json", "src/content/i18n/ja.yml", cwd=site).json()
    changed = {key["key"]: key for key in data["keys"]}["feedback.prompt"]
    assert changed == {"key": "feedback.prompt", "status": "outdated",
                       "english_before": "Was this page helpful?",
                       "english_now": "Did this page help you?",
                       "translation": "このページは役に立ちましたか"}


def test_status_table_lists_dictionaries_and_bad_files_in_one_line_each(
    build: Any, cli: Any
) -> None:
    site = build("dictionaries_astro").source_root
    result = cli("status", "--no-cache", cwd=site)
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if "src/content/i18n/" in line]
    ko = [line for line in rows if "ko.yml" in line]
    assert len(ko) == 1 and "line 4: invalid YAML" in ko[0]
    assert any("ja.yml: 3 keys need work" in line for line in rows)


def test_key_paths_are_printed_escaped(build: Any, cli: Any) -> None:
    site = build("dictionaries_hugo").source_root
    (site / "i18n" / "fr.toml").write_text(
        '"evil\\u001b[31mkey" = { other = "x" }\n', encoding="utf-8")
    table = cli("status", "--no-cache", cwd=site)
    assert "\x1b" not in table.stdout
    assert "evil\\x1b[31mkey.other" in table.stdout
    diff = cli("diff", "i18n/fr.toml", cwd=site)
    assert "\x1b" not in diff.stdout and "evil\\x1b[31mkey.other" in diff.stdout


def test_the_printed_output_cache_sees_a_dictionary_edit(build: Any, cli: Any) -> None:
    site = build("dictionaries_hugo").source_root
    # Files older than the cache's racy margin, so that a second run may print the first's text.
    for path in site.rglob("*"):
        if ".git" not in path.parts:
            os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 10**12))
    first = cli("status", "--format", "json", cwd=site)
    again = cli("status", "--format", "json", cwd=site)
    assert first.stdout == again.stdout
    nl = site / "i18n" / "nl.toml"
    nl.write_text(nl.read_text(encoding="utf-8").replace("[home]", "[homePage]"),
                  encoding="utf-8")
    after = dictionaries_of(cli("status", "--format", "json", cwd=site))
    # Was missing; now there, but English added it after nl's sync point.
    assert key_statuses(after["i18n/nl.toml"])["homePage.other"] == "outdated"


def test_naming_only_a_dictionary_reports_it_alone(build: Any, cli: Any) -> None:
    site = build("dictionaries_hugo").source_root
    document = cli("status", "--format", "json", "i18n/nl.toml", cwd=site).json()
    assert document["pages"] == []
    assert [entry["path"] for entry in document["dictionaries"]] == ["i18n/nl.toml"]


def test_check_blocks_a_marker_moved_past_a_changed_key_left_as_it_was(
    build: Any, cli: Any
) -> None:
    built = build("dictionaries_astro")
    site, head = built.source_root, built.shas["requote"]
    ja = site / "src/content/i18n/ja.yml"
    text = ja.read_text(encoding="utf-8")
    moved = text.replace(built.shas["init"], head).replace("aside.caution: 注意",
                                                           "aside.danger: 危険")
    ja.write_text(moved, encoding="utf-8")
    blocked = cli("check", "src/content/i18n/ja.yml", cwd=site)
    assert blocked.exit_code == 1
    assert ("src/content/i18n/ja.yml: moves its sync point past English changes to 1 key(s) it "
            "leaves as they were: feedback.prompt") in blocked.stdout
    assert "l10nsync diff src/content/i18n/ja.yml" in blocked.stdout
    # Translating the changed key too, or not moving the marker, is fine.
    ja.write_text(moved.replace("このページは役に立ちましたか", "このページは役立ちましたか"),
                  encoding="utf-8")
    assert cli("check", "src/content/i18n/ja.yml", cwd=site).exit_code == 0
    ja.write_text(text.replace("nav.home: ホーム", "nav.home: トップ"), encoding="utf-8")
    assert cli("check", "src/content/i18n/ja.yml", cwd=site).exit_code == 0


def test_check_in_history_mode_blocks_a_commit_that_would_sync_a_stale_key(
    build: Any, cli: Any
) -> None:
    site = build("dictionaries_hugo").source_root
    fr = site / "i18n" / "fr.toml"
    text = fr.read_text(encoding="utf-8")
    fr.write_text(text.replace("[home]", "[homePage]"), encoding="utf-8")
    blocked = cli("check", "i18n/fr.toml", cwd=site)
    assert blocked.exit_code == 1
    assert "wordCount.other" in blocked.stdout
    fr.write_text(text.replace("[home]", "[homePage]").replace(
        '"{{ .Count }} mots"', '"{{ .Count }} mots en tout"'), encoding="utf-8")
    assert cli("check", "i18n/fr.toml", cwd=site).exit_code == 0


def test_a_lunaria_config_brings_its_dictionaries(build: Any, cli: Any) -> None:
    config = json.dumps({
        "defaultLocale": {"label": "English", "lang": "en"},
        "locales": [{"label": "Français", "lang": "fr"}],
        "files": [
            {"location": "docs/**/*.md", "pattern": "docs/@lang/@path", "type": "universal"},
            {"location": "ui/*.json", "pattern": "ui/@lang.json", "type": "dictionary",
             "optionalKeys": {"fr": ["brand"]}},
        ],
    })
    scenario = {"repositories": "one", "english": [
        {"id": "init", "message": "Add", "files": {
            "lunaria.config.json": config,
            "docs/en/index.md": "---\ntitle: Home\n---\n\nHello.\n",
            "ui/en.json": '{"brand": "Comet", "hello": "Hello", "bye": "Bye"}\n'}},
        {"id": "fr", "message": "fr", "files": {
            "docs/fr/index.md": "---\ntitle: Accueil\n---\n\nBonjour.\n",
            "ui/fr.json": '{"hello": "Bonjour"}\n'}},
        {"id": "bye", "message": "UI: goodbye", "files": {
            "ui/en.json": '{"brand": "Comet", "hello": "Hello!", "bye": "Goodbye"}\n'}},
    ]}
    site = build(scenario).source_root
    result = cli("status", "--format", "json", "--no-cache", cwd=site)
    assert "dictionary" not in result.stderr
    fr = dictionaries_of(result)["ui/fr.json"]
    assert key_statuses(fr) == {"hello": "outdated", "bye": "missing"}  # brand is optional
    assert fr["basis"] == "history"


@pytest.mark.parametrize(("setting", "complaint"), [
    ('dictionaries = ["i18n/fr.toml"]', "must hold {locale} once"),
    ('dictionaries = ["i18n/{locale}.ini"]', "is not a dictionary format l10nsync reads"),
    ("dictionaries = [3]", "each entry must be a pattern"),
    ('optional_keys = { fr = "a" }', "optional_keys must be a list"),
])
def test_bad_dictionary_settings_are_one_line_and_exit_2(
    setting: str, complaint: str, build: Any, cli: Any
) -> None:
    site = build("dictionaries_hugo").source_root
    config = site / ".l10nsync.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'dictionaries = ["i18n/{locale}.toml"]', setting), encoding="utf-8")
    result = cli("status", cwd=site)
    assert result.exit_code == 2
    assert complaint in result.stderr and "Traceback" not in result.stderr


def test_the_dashboard_shows_dictionaries(build: Any, cli: Any, tmp_path: Path) -> None:
    from tests.test_dashboard_render import read_data

    site = build("dictionaries_starlight").source_root
    output = tmp_path / "dashboard"
    result = cli("dashboard", "--output", str(output), cwd=site)
    assert result.exit_code == 0, result.stderr
    _target, _key, summary = read_data(output, "summary.js")
    rows = {row["path"]: row for row in summary["dictionaries"]}
    assert rows["src/content/i18n/fr.json"]["summary"] == {
        "outdated": 1, "missing": 2, "extra": 1, "up_to_date": 4}
    status = json.loads((output / "status.json").read_text(encoding="utf-8"))
    assert {entry["path"] for entry in status["dictionaries"]} == set(rows)
    assert 'id="dictionaries"' in (output / "index.html").read_text(encoding="utf-8")


def test_report_on_a_pull_request_that_moves_a_marker_past_a_changed_key(
    build: Any, cli: Any
) -> None:
    built = build("dictionaries_astro")
    site = built.source_root
    git(site, "checkout", "-q", "-b", "ja-update")
    ja = site / "src/content/i18n/ja.yml"
    ja.write_text(ja.read_text(encoding="utf-8").replace(built.shas["init"],
                                                         built.shas["requote"]),
                  encoding="utf-8")
    git(site, "commit", "-q", "-am", "ja: sync")
    document = cli("report", "--base", "main", "--format", "json", cwd=site).json()
    [reviewed] = document["dictionaries"]
    assert reviewed["path"] == "src/content/i18n/ja.yml"
    assert "feedback.prompt" in reviewed["blocked_because"]
    assert reviewed["summary"]["missing"] == 1  # aside.danger
    text = cli("report", "--base", "main", cwd=site).stdout
    assert "Dictionaries:\n  src/content/i18n/ja.yml: " in text and "; blocked: " in text
    markdown = cli("report", "--base", "main", "--format", "markdown", cwd=site).stdout
    assert "### Dictionaries" in markdown and "<code>src/content/i18n/ja.yml</code>" in markdown
    assert cli("report", "--base", "main", "--fail-on", "blocked", cwd=site).exit_code == 1


def test_report_in_history_mode_judges_against_the_base(build: Any, cli: Any) -> None:
    site = build("dictionaries_hugo").source_root
    git(site, "checkout", "-q", "-b", "fr-home")
    fr = site / "i18n" / "fr.toml"
    fr.write_text(fr.read_text(encoding="utf-8").replace("[home]", "[homePage]"),
                  encoding="utf-8")
    git(site, "commit", "-q", "-am", "fr: homePage")
    document = cli("report", "--base", "main", "--format", "json", cwd=site).json()
    [reviewed] = document["dictionaries"]
    assert "wordCount.other" in reviewed["blocked_because"]


def test_gettext_catalogs_and_script_modules_end_to_end(build: Any, cli: Any) -> None:
    pot = 'msgid ""\nmsgstr ""\n\nmsgid "Open"\nmsgstr ""\n\nmsgid "Save"\nmsgstr ""\n'
    pot_now = (pot.replace('msgid "Save"', 'msgid "Save all"')
               + '\nmsgctxt "menu"\nmsgid "Quit"\nmsgstr ""\n')
    scenario = {"repositories": "one", "english": [
        {"id": "init", "message": "Add", "files": {
            ".l10nsync.toml": (
                'layout = "docs/{locale}/{path}"\nsource_locale = "en"\npage_names = ["*.md"]\n'
                'dictionaries = [{ source = "po/messages.pot", translation = '
                '"po/{locale}/messages.po" }, "ui/{locale}.ts"]\n'),
            "docs/en/index.md": "---\ntitle: Home\n---\n\nHello.\n",
            "po/messages.pot": pot,
            "ui/en.ts": "export default { nav: { home: 'Home', docs: 'Docs' } } as const;\n"}},
        {"id": "fr", "message": "fr", "files": {
            "po/fr/messages.po": ('msgid ""\nmsgstr ""\n\nmsgid "Open"\nmsgstr "Ouvrir"\n\n'
                                  '#, fuzzy\nmsgid "Save"\nmsgstr "Enregistrer"\n'),
            "ui/fr.ts": "export default {\n  nav: { docs: 'Docs', home: 'Accueil' },\n};\n",
            "docs/ja/index.md": "---\ntitle: ホーム\n---\n\nこんにちは。\n",
            "ui/ja.ts": "export default { nav: { home: 'ホーム' } };\n"}},
        {"id": "change", "message": "English", "files": {
            "po/messages.pot": pot_now,
            "ui/en.ts": "export default {nav: {home: `Start`, docs: 'Docs'}};\n"}},
    ]}
    site = build(scenario).source_root
    found = dictionaries_of(cli("status", "--format", "json", "--no-cache", cwd=site))
    assert key_statuses(found["po/fr/messages.po"]) == {
        "Open": "up_to_date", "Save": "extra", "Save all": "missing", "menu.Quit": "missing"}
    assert key_statuses(found["ui/fr.ts"]) == {"nav.docs": "up_to_date", "nav.home": "outdated"}
    # The table sums a locale's dictionaries in one row.
    table = cli("status", "--no-cache", cwd=site).stdout
    [fr_row] = [line for line in table.splitlines() if "2 files" in line]
    assert [cell.strip() for cell in fr_row.split("│")[1:7]] == [
        "fr", "2 files", "1", "2", "1", "2"]
    only_ja = cli("status", "--format", "json", "--no-cache", "--locale", "ja", cwd=site)
    assert [entry["path"] for entry in only_ja.json()["dictionaries"]] == ["ui/ja.ts"]


def test_a_lunaria_config_ts_dictionary_entry_is_read_as_data(tmp_path: Path) -> None:
    from l10nsync.lunaria import read_lunaria_config

    (tmp_path / "ui").mkdir()
    config = tmp_path / "lunaria.config.ts"
    config.write_text(
        "import { defineConfig } from '@lunariajs/core/config';\n"
        "export default defineConfig({\n"
        "  sourceLocale: { label: 'English', lang: 'en' },\n"
        "  locales: [{ label: 'Español', lang: 'es' }],\n"
        "  files: [\n"
        "    { include: ['docs/en/**/*.md'], pattern: 'docs/@lang/@path', type: 'universal' },\n"
        "    { include: ['ui/en.ts'], pattern: 'ui/@lang.ts', type: 'dictionary',\n"
        "      optionalKeys: { es: ['brand'] } },\n"
        "  ],\n"
        "});\n", encoding="utf-8")
    settings, warnings = read_lunaria_config(config)
    assert settings["dictionaries"] == [{"source": "ui/en.ts", "translation": "ui/{locale}.ts"}]
    assert settings["optional_keys"] == {"es": ["brand"]}
    assert not [w for w in warnings if "dictionary" in w]


def test_a_symbolic_link_is_not_followed(build: Any, cli: Any, tmp_path: Path) -> None:
    site = build("dictionaries_hugo").source_root
    outside = tmp_path / "outside.toml"
    outside.write_text('[secret]\nother = "hunter2"\n', encoding="utf-8")
    (site / "i18n" / "de.toml").symlink_to(outside)
    document = cli("status", "--format", "json", "--no-cache", cwd=site).json()
    assert "i18n/de.toml" not in {entry["path"] for entry in document["dictionaries"]}
    assert "hunter2" not in json.dumps(document)
    assert cli("diff", "i18n/de.toml", cwd=site).exit_code == 2


def test_naming_only_a_dictionary_prints_no_page_table(build: Any, cli: Any) -> None:
    site = build("dictionaries_hugo").source_root
    text = cli("status", "i18n/nl.toml", cwd=site).stdout
    assert "English pages" not in text and "i18n/nl.toml" in text


def test_report_on_the_english_side_lists_the_translations_of_a_changed_dictionary(
    build: Any, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = {
        "english": [{"id": "init", "message": "Add", "files": {
            "files/en-us/web/index.md": "---\ntitle: Web\nslug: Web\n---\n\nThe web.\n",
            "ui/en-us.json": '{"nav": {"home": "Home"}}\n'}}],
        "translations": [
            {"locale": "fr", "folder": "web", "source_commit": "{sha:init}"},
            {"path": ".l10nsync.toml", "raw": 'dictionaries = ["ui/{locale}.json"]\n'},
            {"path": "ui/fr.json",
             "raw": '{"_sourceCommit": "{sha:init}", "nav": {"home": "Accueil"}}\n'},
        ],
    }
    built = build(scenario)
    english = built.source_root
    git(english, "checkout", "-q", "-b", "reword")
    (english / "ui/en-us.json").write_text('{"nav": {"home": "Start"}}\n', encoding="utf-8")
    git(english, "commit", "-q", "-am", "UI: Start")
    monkeypatch.setenv("CONTENT_TRANSLATED_ROOT", str(built.translated_root))
    document = cli("report", "--base", "main", "--format", "json", cwd=english).json()
    assert document["side"] == "english"
    [reviewed] = document["dictionaries"]
    assert reviewed["path"] == "ui/fr.json"
    assert key_statuses(reviewed) == {"nav.home": "outdated"}


@pytest.mark.parametrize(("fixture", "pattern"), [
    ("dictionaries_starlight", "src/content/i18n/{locale}.json"),
    ("dictionaries_hugo", "i18n/{locale}.toml"),
])
def test_init_names_the_dictionaries_it_finds(fixture: str, pattern: str, build: Any,
                                              cli: Any) -> None:
    site = build(fixture).source_root
    result = cli("init", "--force", cwd=site)
    assert result.exit_code == 0, result.stderr
    assert f'dictionaries = ["{pattern}"]' in result.stdout
    # What was written loads, and status judges the dictionaries with it.
    document = cli("status", "--format", "json", "--no-cache", cwd=site).json()
    assert document["dictionaries"]


def test_base_locales_configured_and_by_language(tmp_path: Path) -> None:
    from l10nsync.config import Config
    from l10nsync.dictionaries import base_locales, optional_keys_of

    config = Config(source_root=tmp_path, translated_root=tmp_path,
                    dictionary_bases=(("pt-BR", "pt-PT"),),
                    optional_keys=(("*", "brand"), ("de", "footer")))
    assert base_locales(config, "pt-br") == ["pt-PT", "pt"]
    assert base_locales(config, "zh_Hant") == ["zh"]
    assert base_locales(config, "fr") == []
    assert optional_keys_of(config, "DE") == {"brand", "footer"}
    assert optional_keys_of(config, "fr") == {"brand"}


def test_a_json_status_of_dictionaries_loads_no_table_renderer(build: Any) -> None:
    # A JSON status of a large site's dictionaries is mostly start-up and encoding: Rich
    # (tables, diff text) is loaded only by the formats that draw with it.
    built = build("dictionaries_starlight")
    script = ("import sys\n"
              "from l10nsync.terminal import run\n"
              "code = run(['status', '--no-cache', '--format', 'json'])\n"
              "print(code, sorted(name for name in ('rich',) if name in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=built.translated_root,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout[-2000:] + done.stderr


def test_history_mode_reads_an_uncommitted_edit_as_no_sync(build: Any, cli: Any) -> None:
    # The working tree's parse stands in for a version in git only when the bytes are the
    # same: fr.json's newest commit only reindents it, so the sync point is the commit before,
    # and an edit not committed yet changes neither.
    built = build("dictionaries_starlight")
    translation = built.translated_root / "src/content/i18n/fr.json"
    args = ("status", "--format", "json", "--no-cache")
    clean = dictionaries_of(cli(*args, cwd=built.translated_root))["src/content/i18n/fr.json"]
    assert clean["source_commit"] == built.shas["fr-translate"]
    translation.write_text(translation.read_text().replace("Rechercher", "Chercher"))
    edited = dictionaries_of(cli(*args, cwd=built.translated_root))["src/content/i18n/fr.json"]
    assert edited["source_commit"] == built.shas["fr-translate"]
    assert key_statuses(edited) == key_statuses(clean)


def test_a_base_dictionarys_untranslated_entries_cover_nothing(build: Any, cli: Any) -> None:
    # pt-BR falls back to pt, but not for an entry pt leaves fuzzy or empty.
    pot = 'msgid ""\nmsgstr ""\n\nmsgid "Open"\nmsgstr ""\n\nmsgid "Save"\nmsgstr ""\n'
    scenario = {"repositories": "one", "english": [
        {"id": "init", "message": "Add", "files": {
            ".l10nsync.toml": (
                'layout = "docs/{locale}/{path}"\nsource_locale = "en"\npage_names = ["*.md"]\n'
                'dictionaries = [{ source = "po/messages.pot", translation = '
                '"po/{locale}/messages.po" }]\n'),
            "docs/en/index.md": "---\ntitle: Home\n---\n\nHello.\n",
            "po/messages.pot": pot + '\nmsgid "Quit"\nmsgstr ""\n'}},
        {"id": "pt", "message": "pt", "files": {
            "po/pt/messages.po": ('msgid ""\nmsgstr ""\n\nmsgid "Open"\nmsgstr "Abrir"\n\n'
                                  '#, fuzzy\nmsgid "Save"\nmsgstr "Salvar"\n\n'
                                  'msgid "Quit"\nmsgstr "Sair"\n'),
            "po/pt-BR/messages.po": 'msgid ""\nmsgstr ""\n\nmsgid "Open"\nmsgstr "Abrir"\n'}},
    ]}
    site = build(scenario).source_root
    found = dictionaries_of(cli("status", "--format", "json", "--no-cache", cwd=site))
    assert key_statuses(found["po/pt-BR/messages.po"]) == {"Open": "up_to_date",
                                                           "Save": "missing"}
