"""lunaria: a Lunaria 0.1 ``lunaria.config.json`` read as l10nsync settings, warnings and errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from l10nsync.errors import ConfigError
from l10nsync.lunaria import DEFAULT_IGNORE_KEYWORDS, LUNARIA_CONFIG, read_lunaria_config


def make_folders(project: Path, *folders: str) -> None:
    for folder in folders:
        (project / folder).mkdir(parents=True, exist_ok=True)


def write_lunaria(project: Path, text: str) -> Path:
    project.mkdir(parents=True, exist_ok=True)
    path = project / LUNARIA_CONFIG
    path.write_text(text, encoding="utf-8")
    return path


def write_lunaria_data(project: Path, data: dict[str, Any]) -> Path:
    return write_lunaria(project, json.dumps(data, indent=2, ensure_ascii=False))


def named_fields(warnings: list[str]) -> set[str]:
    """The fields the warnings name, e.g. {'dashboard', 'files[1].type'}."""
    return {match for warning in warnings for match in re.findall(r"field '([^']+)'", warning)}


def minimal_config(**overrides: Any) -> dict[str, Any]:
    """The smallest config Lunaria accepted, with the given top-level fields replaced."""
    data: dict[str, Any] = {
        "defaultLocale": {"lang": "en"},
        "locales": [{"lang": "fr"}],
        "files": [{"location": "guides/**/*.md", "pattern": "guides/@lang/@path",
                   "type": "universal"}],
    }
    data.update(overrides)
    return data


# --- real-world shapes ---------------------------------------------------------------------------

STARLIGHT_STYLE = """\
{
  "$schema": "./node_modules/@lunariajs/core/config.schema.json",
  "repository": {
    "name": "example-org/comet-docs"
  },
  "defaultLocale": { "label": "English", "lang": "en" },
  "locales": [
    { "label": "Français", "lang": "fr" },
    { "label": "Português do Brasil", "lang": "pt-br" },
    { "label": "简体中文", "lang": "zh-cn" }
  ],
  "files": [
    {
      "location": "src/content/docs/**/*.{md,mdx}",
      "pattern": "src/content/docs/@lang/@path",
      "type": "universal"
    }
  ],
  "dashboard": {
    "title": "Comet docs: translation status",
    "basesToHide": ["src/content/docs/"]
  }
}
"""


def test_starlight_style_root_locale_is_found_from_the_folders(tmp_path: Path) -> None:
    # Starlight keeps English at the root of src/content/docs and translations in locale folders.
    project = tmp_path / "comet"
    make_folders(project, "src/content/docs/guides", "src/content/docs/fr/guides",
                 "src/content/docs/pt-br", "src/content/docs/zh-cn")
    settings, warnings = read_lunaria_config(write_lunaria(project, STARLIGHT_STYLE))

    assert settings == {
        "source_locale": "en",
        "locales": ["fr", "pt-br", "zh-cn"],
        "layout": ["src/content/docs/{locale}/{path}"],
        "source_at_root": True,
        "page_names": ["*.md", "*.mdx"],
        "ignore_keywords": ["lunaria-ignore", "fix typo"],
        "ignore_directive": "@lunaria-ignore",
        "track_directive": "@lunaria-track",
        "basis": "history",
        "review_touches": "sync",
        "root_dir": "",
        "include": ["src/content/docs/**/*.{md,mdx}"],
        "locale_labels": {"en": "English", "fr": "Français", "pt-br": "Português do Brasil",
                          "zh-cn": "简体中文"},
        "repository_url": "https://github.com/example-org/comet-docs",  # for links
    }
    assert named_fields(warnings) == {"dashboard"}
    assert all(warning.startswith(f"{LUNARIA_CONFIG}: ") for warning in warnings)
    assert all("\n" not in warning for warning in warnings)


ASTRO_DOCS_STYLE = """\
{
  "$schema": "./node_modules/@lunariajs/core/config.schema.json",
  "repository": {
    "name": "example-org/nebula",
    "branch": "trunk",
    "rootDir": "./website/",
    "hosting": "github"
  },
  "files": [
    {
      "location": "src/i18n/**/(strings|search).ts",
      "pattern": "src/i18n/@lang/@path",
      "type": "dictionary",
      "optionalKeys": { "src/i18n/strings.ts": ["footer.credits"] }
    },
    {
      "location": "src/i18n/**/sidebar.ts",
      "pattern": "src/i18n/@lang/@path",
      "type": "universal"
    },
    {
      "location": "src/content/docs/**/*.{mdx,md}",
      "pattern": "src/content/docs/@lang/@path",
      "type": "universal"
    }
  ],
  "defaultLocale": { "label": "English", "lang": "en" },
  "locales": [
    { "label": "Deutsch", "lang": "de" },
    { "label": "日本語", "lang": "ja" }
  ],
  "ignoreKeywords": ["lunaria-ignore", "typo", "en-only", "i18nIgnore"],
  "localizableProperty": "i18nReady",
  "outDir": "./dist/i18n-status"
}
"""


def test_astro_docs_style_with_root_dir_and_english_folder(tmp_path: Path) -> None:
    # Astro's docs keep English in an en/ folder; rootDir puts the project below the repository.
    project = tmp_path / "nebula" / "website"
    make_folders(project, "src/content/docs/en/guides", "src/content/docs/de/guides",
                 "src/i18n/en", "src/i18n/de")
    settings, warnings = read_lunaria_config(write_lunaria(project, ASTRO_DOCS_STYLE))

    assert settings["source_locale"] == "en"
    assert settings["locales"] == ["de", "ja"]
    # rootDir './website/' is normalised; the dictionary and .ts-only entries give no layout.
    assert settings["layout"] == ["website/src/content/docs/{locale}/{path}"]
    assert settings["source_at_root"] is False
    assert settings["page_names"] == ["*.mdx", "*.md"]
    assert settings["ignore_keywords"] == ["lunaria-ignore", "typo", "en-only", "i18nIgnore"]
    assert settings["localizable_property"] == "i18nReady"
    assert settings["basis"] == "history"
    assert "locale_folders" not in settings

    fields = named_fields(warnings)
    assert {"repository.branch", "outDir", "files[1].location"} <= fields
    assert "repository.name" not in fields and settings["repository_url"].startswith("https://")
    # The dictionary entry is imported (its English files are found on disk: none here).
    assert "files[0].type" not in fields
    assert "repository.rootDir" not in fields
    sidebar = next(w for w in warnings if "'files[1].location'" in w)
    assert ".ts" in sidebar


def test_defaults_when_ignore_keywords_is_absent(tmp_path: Path) -> None:
    project = tmp_path / "handbook"
    make_folders(project, "guides/en", "guides/fr")
    settings, warnings = read_lunaria_config(write_lunaria_data(project, minimal_config()))

    assert settings["ignore_keywords"] == list(DEFAULT_IGNORE_KEYWORDS)
    assert settings["ignore_directive"] == "@lunaria-ignore"
    assert settings["track_directive"] == "@lunaria-track"
    assert settings["basis"] == "history"
    assert "localizable_property" not in settings
    assert settings["source_at_root"] is False
    assert warnings == []


def test_an_empty_ignore_keywords_list_turns_the_keywords_off(tmp_path: Path) -> None:
    path = write_lunaria_data(tmp_path, minimal_config(ignoreKeywords=[]))
    settings, _ = read_lunaria_config(path)
    assert settings["ignore_keywords"] == []


# --- unsupported fields are named ----------------------------------------------------------------


def test_every_unsupported_field_is_named_in_its_own_warning(tmp_path: Path) -> None:
    data = minimal_config(
        repository={"name": "example-org/atlas", "branch": "main", "hosting": "gitlab",
                    "mirror": "https://git.example.org/atlas"},
        dashboard={"title": "Atlas translations", "site": "https://i18n.atlas.example/"},
        outDir="./dist/lunaria",
        cloneDir="./node_modules/.cache/lunaria/history",
        renderer="./renderer.config.ts",
        routingStrategy="directory",
    )
    data["$schema"] = "./node_modules/@lunariajs/core/config.schema.json"
    data["files"][0]["ignore"] = ["guides/**/drafts/**"]
    data["files"][0]["priority"] = "high"
    data["locales"][0]["direction"] = "ltr"
    make_folders(tmp_path, "guides/fr")
    settings, warnings = read_lunaria_config(write_lunaria_data(tmp_path, data))
    # files[].ignore is Lunaria 0.1's exclude: carried over, from the repository root.
    assert settings["exclude"] == ["guides/**/drafts/**"]

    # name and hosting give the links' address; the rest is named.
    assert settings["repository_url"] == "https://gitlab.com/example-org/atlas"
    expected = {"repository.branch", "repository.mirror",
                "dashboard", "outDir", "cloneDir", "renderer", "routingStrategy",
                "files[0].priority", "locales[0].direction"}
    assert named_fields(warnings) == expected
    assert len(warnings) == len(expected)
    assert not any("$schema" in warning for warning in warnings)
    by_field = {field: w for w in warnings for field in named_fields([w])}
    assert "not a known Lunaria field" in by_field["routingStrategy"]
    assert "not a known Lunaria field" not in by_field["dashboard"]
    assert (f"{LUNARIA_CONFIG}: field 'dashboard' is not supported by l10nsync and was not used"
            in "\n".join(warnings))


def test_a_dictionary_entry_is_imported(tmp_path: Path) -> None:
    data = minimal_config()
    data["files"].append({"location": "locales/*.json", "pattern": "locales/@lang.json",
                          "type": "dictionary", "optionalKeys": ["brand.name"]})
    data["files"].append({"location": "ui/en/**/*.ts", "pattern": "ui/@lang/@path",
                          "type": "dictionary", "optionalKeys": {"fr": ["footer"]}})
    make_folders(tmp_path, "guides/en", "ui/en/parts")
    (tmp_path / "ui/en/strings.ts").write_text("export default {};\n")
    (tmp_path / "ui/en/parts/nav.ts").write_text("export default {};\n")
    (tmp_path / "ui/en/notes.md").write_text("not matched by the entry's glob\n")
    settings, warnings = read_lunaria_config(write_lunaria_data(tmp_path, data))

    assert settings["layout"] == ["guides/{locale}/{path}"]
    assert settings["dictionaries"] == [
        {"source": "locales/en.json", "translation": "locales/{locale}.json"},
        {"source": "ui/en/parts/nav.ts", "translation": "ui/{locale}/parts/nav.ts"},
        {"source": "ui/en/strings.ts", "translation": "ui/{locale}/strings.ts"},
    ]
    assert settings["optional_keys"] == {"*": ["brand.name"], "fr": ["footer"]}
    assert warnings == []


def test_page_extensions_l10nsync_does_not_track_are_named(tmp_path: Path) -> None:
    data = minimal_config(files=[{"location": "guides/**/*.{md,mdoc,yml}",
                                  "pattern": "guides/@lang/@path", "type": "universal"}])
    make_folders(tmp_path, "guides/en")
    settings, warnings = read_lunaria_config(write_lunaria_data(tmp_path, data))

    assert settings["page_names"] == ["*.md"]
    assert named_fields(warnings) == {"files[0].location"}
    assert ".mdoc" in warnings[0] and ".yml" in warnings[0]


def test_raw_lang_parameter_without_question_mark_means_a_source_folder(tmp_path: Path) -> None:
    # No folders on disk: a required :lang alone says English has its own folder.
    data = minimal_config(files=[{"location": "manual/**/*.html",
                                  "pattern": "manual/:lang(@locales)/:path(.*)",
                                  "type": "universal"}])
    settings, warnings = read_lunaria_config(write_lunaria_data(tmp_path, data))

    assert settings["layout"] == ["manual/{locale}/{path}"]
    assert settings["page_names"] == ["*.html"]
    assert settings["source_at_root"] is False
    assert warnings == []


def test_source_at_root_is_left_out_when_the_folders_do_not_tell(tmp_path: Path) -> None:
    settings, warnings = read_lunaria_config(write_lunaria_data(tmp_path, minimal_config()))

    assert "source_at_root" not in settings
    assert len(warnings) == 1 and "source_at_root was not set" in warnings[0]


def test_a_pattern_that_is_no_layout_is_skipped_and_named(tmp_path: Path) -> None:
    data = minimal_config()
    data["files"].insert(0, {"location": "blog/**/*.md", "pattern": "blog/@path.@lang.md",
                             "type": "universal"})
    make_folders(tmp_path, "guides/en")
    settings, warnings = read_lunaria_config(write_lunaria_data(tmp_path, data))

    assert settings["layout"] == ["guides/{locale}/{path}"]
    assert named_fields(warnings) == {"files[0].pattern"}


def test_no_usable_files_entry_is_an_error(tmp_path: Path) -> None:
    data = minimal_config(files=[{"location": "src/i18n/*.json", "pattern": "src/i18n/@lang/@path",
                                  "type": "dictionary"}])
    with pytest.raises(ConfigError, match="'files' has no \"universal\" entry"):
        read_lunaria_config(write_lunaria_data(tmp_path, data))


# --- errors --------------------------------------------------------------------------------------


def test_malformed_json_names_the_file(tmp_path: Path) -> None:
    path = write_lunaria(tmp_path, '{\n  "defaultLocale": { "lang": "en" },\n  "locales": [\n}\n')
    with pytest.raises(ConfigError) as caught:
        read_lunaria_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not valid JSON")
    assert "\n" not in message


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / LUNARIA_CONFIG
    with pytest.raises(ConfigError, match="cannot read Lunaria config") as caught:
        read_lunaria_config(path)
    assert caught.value.path == str(path)


def test_a_json_array_is_not_a_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="must be a JSON object"):
        read_lunaria_config(write_lunaria(tmp_path, '[{"lang": "en"}]'))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"locales": {"lang": "fr"}}, "'locales'"),
        ({"locales": []}, "'locales'"),
        ({"locales": ["fr"]}, "'locales[0]'"),
        ({"locales": [{"label": "Français", "lang": 33}]}, "'locales[0].lang'"),
        ({"locales": [{"lang": "fr"}, {"lang": "fr"}]}, "'locales[1].lang'"),
        ({"locales": [{"lang": "en"}]}, "'locales[0].lang'"),
        ({"locales": [{"lang": "fr/ca"}]}, "'locales[0].lang'"),
        ({"defaultLocale": {"label": "English", "lang": None}}, "'defaultLocale.lang'"),
        ({"defaultLocale": "en"}, "'defaultLocale'"),
        ({"files": {"location": "guides/**/*.md"}}, "'files'"),
        ({"files": [{"location": ["guides/**/*.md"], "pattern": "guides/@lang/@path"}]},
         "'files[0].location'"),
        ({"files": [{"location": "guides/**/*.md", "pattern": "guides/@lang/@path",
                     "type": "page"}]}, "'files[0].type'"),
        ({"files": [{"location": "guides/**/*.md", "pattern": "guides/@lang/@path",
                     "ignore": "drafts"}]}, "'files[0].ignore'"),
        ({"ignoreKeywords": "fix typo"}, "'ignoreKeywords'"),
        ({"localizableProperty": True}, "'localizableProperty'"),
        ({"repository": "example-org/atlas"}, "'repository'"),
        ({"repository": {"name": "example-org/atlas", "rootDir": 7}}, "'repository.rootDir'"),
        ({"repository": {"name": "example-org/atlas", "rootDir": "../atlas"}},
         "'repository.rootDir'"),
    ],
)
def test_wrong_types_and_values_name_the_field(
    tmp_path: Path, overrides: dict[str, Any], field: str
) -> None:
    path = write_lunaria_data(tmp_path, minimal_config(**overrides))
    with pytest.raises(ConfigError) as caught:
        read_lunaria_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert field in message
    assert "\n" not in message


@pytest.mark.parametrize("missing", ["defaultLocale", "locales", "files"])
def test_a_missing_required_field_is_named(tmp_path: Path, missing: str) -> None:
    data = minimal_config()
    del data[missing]
    with pytest.raises(ConfigError, match=f"'{missing}' is missing"):
        read_lunaria_config(write_lunaria_data(tmp_path, data))


@pytest.mark.parametrize("pattern", ["guides/@path", "guides/@lang/index.md", "guides/all.md"])
def test_a_pattern_without_lang_or_path_is_an_error(tmp_path: Path, pattern: str) -> None:
    data = minimal_config(files=[{"location": "guides/**/*.md", "pattern": pattern,
                                  "type": "universal"}])
    expected = r"'files\[0\]\.pattern' .* must hold both @lang and @path"
    with pytest.raises(ConfigError, match=expected):
        read_lunaria_config(write_lunaria_data(tmp_path, data))
