"""Lunaria, Docusaurus and MkDocs sites on real repositories: config discovery from the folder
people work in, rootDir, two-pattern layouts, lunaria.config.ts, review touches and
all-excluded translations. The micromatch directive globs are in test_rules_history_mode.py, the
JavaScript literals in test_jsliteral.py.

The statuses of fixtures/lunaria_monorepo.toml run from the git root are checked in
test_scenarios.py; these tests run it from docs/ and change what a scenario cannot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from l10nsync.config import load_config
from l10nsync.errors import ConfigError
from l10nsync.lunaria import read_lunaria_config
from tests.conftest import git, pages_by_path

DOCS = "docs/src/content/docs"


def statuses(result: Any) -> dict[str, str]:
    assert result.exit_code == 0, result.stderr
    return {path: page["status"] for path, page in pages_by_path(result.json()).items()}


# --- the Starlight-shaped monorepo ---------------------------------------------------------------


def test_running_from_docs_and_from_the_root_gives_the_same_answer(build: Any, cli: Any) -> None:
    built = build("lunaria_monorepo")
    site = built.source_root
    from_root = cli("status", "--format", "json", "--no-cache", cwd=site)
    from_docs = cli("status", "--format", "json", "--no-cache", cwd=site / "docs")
    deep = cli("status", "--format", "json", "--no-cache", cwd=site / DOCS / "guides")
    assert from_root.exit_code == from_docs.exit_code == deep.exit_code == 0
    assert from_root.json() == from_docs.json() == deep.json()
    # Found in a sub-folder from the root: said which; from docs/ it is the nearest: no note.
    assert "note: using docs/lunaria.config.json" in from_root.stderr
    assert "note:" not in from_docs.stderr and "note:" not in deep.stderr
    pages = pages_by_path(from_docs.json())
    assert pages[f"{DOCS}/fr/index.mdx"]["status"] == "outdated"
    assert pages[f"{DOCS}/fr/index.mdx"]["source_path"] == f"{DOCS}/index.mdx"
    assert {page["locale"] for page in pages.values()} == {"fr", "ja"}
    # English at the root locale: no English page is taken for a translation, or the reverse.
    assert not any(path.startswith(f"{DOCS}/guides/") for path in pages)


def test_nearest_config_wins_over_one_further_up(build: Any, cli: Any) -> None:
    site = build("lunaria_monorepo").source_root
    (site / ".l10nsync.toml").write_text('layout = "content/{locale}/{path}"\n')
    # From docs/, the Lunaria config there is the nearest; from the root, the root's own.
    assert cli("status", "--format", "json", "--no-cache", cwd=site / "docs").exit_code == 0
    config = load_config(cwd=site, environ={})
    assert config.layout == "content/{locale}/{path}"
    assert load_config(cwd=site / "docs", environ={}).layout == f"{DOCS}/{{locale}}/{{path}}"


def test_several_lunaria_configs_below_the_root_are_not_guessed(build: Any) -> None:
    site = build("lunaria_monorepo").source_root
    (site / "packages/other").mkdir(parents=True)
    (site / "packages/other/lunaria.config.json").write_text(
        (site / "docs/lunaria.config.json").read_text())
    config = load_config(cwd=site, environ={})
    assert config.layout == "files/{locale}/{path}"  # the defaults
    assert any("several Lunaria configs" in note and "packages/other/lunaria.config.json" in note
               for note in config.notes)
    # node_modules is never searched.
    (site / "packages/other/lunaria.config.json").rename(site / "node_modules.json")
    (site / "node_modules/pkg").mkdir(parents=True)
    (site / "node_modules.json").rename(site / "node_modules/pkg/lunaria.config.json")
    assert load_config(cwd=site, environ={}).layout == f"{DOCS}/{{locale}}/{{path}}"


def test_an_l10nsync_config_in_a_subfolder_is_read_from_its_folder(build: Any, cli: Any) -> None:
    site = build("lunaria_monorepo").source_root
    expected = statuses(cli("status", "--format", "json", "--no-cache", cwd=site / "docs"))
    result = cli("init", cwd=site / "docs")
    assert result.exit_code == 0, result.stderr
    written = (site / "docs/.l10nsync.toml").read_text()
    # Written beside the Lunaria config, its paths from that folder.
    assert 'layout = "src/content/docs/{locale}/{path}"' in written
    assert 'review_touches = "sync"' in written
    assert 'locale_labels = { "en" = "English", "fr" = "Français", "ja" = "日本語" }' in written
    assert 'repository_url = "https://github.com/example-org/comet"' in written
    assert statuses(cli("status", "--format", "json", "--no-cache", cwd=site / "docs")) \
        == expected


def test_a_lunaria_config_copied_to_the_root_keeps_its_root_dir(build: Any, cli: Any) -> None:
    site = build("lunaria_monorepo").source_root
    expected = cli("status", "--format", "json", "--no-cache", cwd=site / "docs").json()
    (site / "docs/lunaria.config.json").rename(site / "lunaria.config.json")
    result = cli("status", "--format", "json", "--no-cache", cwd=site)
    assert result.exit_code == 0, result.stderr
    assert "note:" not in result.stderr
    # rootDir "docs": patterns, the root locale and directives are read from docs/.
    assert result.json()["pages"] == expected["pages"]


def test_an_unreadable_lunaria_config_ts_is_one_line_exit_2(tmp_path: Path, cli: Any) -> None:
    git(tmp_path, "init", "-q")
    config = tmp_path / "lunaria.config.ts"
    config.write_text("export default defineConfig({\n  sourceLocale: { lang: 'en' },\n")
    result = cli("status", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"l10nsync: error: {config}: an object in the config is not closed\n"


def test_review_touches_setting(build: Any, cli: Any) -> None:
    site = build("lunaria_monorepo").source_root
    api = f"{DOCS}/fr/reference/api.mdx"
    assert cli("init", cwd=site / "docs").exit_code == 0
    config = site / "docs/.l10nsync.toml"
    assert statuses(cli("status", "--format", "json", "--no-cache", cwd=site))[api] \
        == "up_to_date"
    config.write_text(config.read_text().replace('review_touches = "sync"',
                                                 'review_touches = "ignore"'))
    result = cli("status", "--format", "json", "--no-cache", cwd=site)
    page = pages_by_path(result.json())[api]
    assert page["status"] == "outdated"
    assert page["sync_commit"] == git(site, "log", "--format=%H", "-1", "--grep", "translate",
                                      ).strip()
    config.write_text(config.read_text().replace('review_touches = "ignore"',
                                                 'review_touches = "sometimes"'))
    bad = cli("status", cwd=site)
    assert bad.exit_code == 2
    assert "review_touches 'sometimes' must be one of ignore, sync" in bad.stderr


def test_a_committed_translation_is_never_told_to_commit_itself(build: Any, cli: Any) -> None:
    site = build("lunaria_monorepo").source_root
    page = pages_by_path(cli("status", "--format", "json", cwd=site).json())[
        f"{DOCS}/ja/index.mdx"]
    assert page["status"] != "missing_source_commit"
    assert "commit it" not in page["message"]
    assert "(Lunaria's rule)" in page["message"]


# --- lunaria.config.ts ---------------------------------------------------------------------------

ASTRO_TS = """\
import { defineConfig } from '@lunariajs/core/config';
import { languages } from './src/i18n/languages';

// Lunaria 0.2: the config is code; only its plain literals can be read without running it.
export default defineConfig({
  repository: { name: 'example-org/nebula-docs', branch: 'main' },
  sourceLocale: { label: 'English', lang: 'en' },
  locales: [
    { label: 'Deutsch', lang: 'de' },
    { label: "Français", lang: "fr" }, // trailing comma next
  ],
  files: [
    {
      include: ['src/content/docs/en/**/*.mdx'],
      exclude: [`src/content/docs/en/drafts/**`],
      pattern: 'src/content/docs/@lang/@path',
      type: 'universal',
    },
    { include: ['src/i18n/en/ui.ts'], pattern: 'src/i18n/@lang/@path', type: 'dictionary' },
  ],
  tracking: {
    ignoredKeywords: ['lunaria-ignore', 'typo', 'en-only', 'i18nReady'],
    localizableProperty: 'i18nReady',
  },
  cacheDir: `${process.env.CACHE}/lunaria`,
  ...sharedOptions,
}) satisfies object;
"""


def astro_site(build: Any) -> Path:
    """An Astro-docs-shaped site: English in an en/ folder, lunaria.config.ts at the root."""
    page = "---\ntitle: {title}\ni18nReady: {ready}\n---\n\n{body}\n"
    english = [
        ("init", "Add the docs", {
            "lunaria.config.ts": ASTRO_TS,
            "src/content/docs/en/install.mdx": page.format(
                title="Install", ready="true", body="Run the installer.\nPick a folder."),
            "src/content/docs/en/deploy.mdx": page.format(
                title="Deploy", ready="true", body="Deploy with one command."),
            "src/content/docs/en/drafts/idea.mdx": page.format(
                title="Idea", ready="true", body="A draft."),
            "src/content/docs/en/wip.mdx": page.format(
                title="Work in progress", ready="false", body="Not ready yet."),
        }),
        ("translate", "de, fr: translate", {
            "src/content/docs/de/install.mdx": page.format(
                title="Installieren", ready="true", body="Installer starten.\nOrdner wählen."),
            "src/content/docs/fr/install.mdx": page.format(
                title="Installer", ready="true", body="Lancez l'installeur.\nChoisissez."),
            "src/content/docs/fr/drafts/idea.mdx": page.format(
                title="Idée", ready="true", body="Un brouillon."),
        }),
        ("install-typo", "Install: fix a typo", {
            "src/content/docs/en/install.mdx": page.format(
                title="Install", ready="true", body="Run the installer.\nChoose a folder."),
        }),
    ]
    scenario = {"repositories": "one", "english": [
        {"id": commit_id, "message": message, "files": files}
        for commit_id, message, files in english]}
    site: Path = build(scenario).source_root
    return site


def test_lunaria_config_ts_is_read_without_running_it(build: Any, cli: Any) -> None:
    site = astro_site(build)
    result = cli("status", "--format", "json", "--no-cache", "--untranslated", cwd=site)
    pages = pages_by_path(result.json())
    # ignoredKeywords from tracking: the typo fix is not counted.
    assert pages["src/content/docs/de/install.mdx"]["status"] == "up_to_date"
    assert pages["src/content/docs/fr/install.mdx"]["status"] == "up_to_date"
    # exclude: the drafts are not tracked; localizableProperty: wip is not asked for.
    assert not any("/drafts/" in path or path.endswith("wip.mdx") for path in pages)
    assert pages["src/content/docs/fr/deploy.mdx"]["status"] == "untranslated"
    # Every field not read is named, nothing silently dropped.
    for field in ("cacheDir", "repository.branch"):
        assert f"'{field}'" in result.stderr, field
    assert "...sharedOptions" in result.stderr


def test_init_writes_what_lunaria_config_ts_says(build: Any, cli: Any) -> None:
    site = astro_site(build)
    result = cli("init", cwd=site)
    assert result.exit_code == 0, result.stderr
    written = (site / ".l10nsync.toml").read_text()
    for line in ('source_locale = "en"', 'locales = ["de", "fr"]',
                 'ignore_keywords = ["lunaria-ignore", "typo", "en-only", "i18nReady"]',
                 'localizable_property = "i18nReady"',
                 'include = ["src/content/docs/en/**/*.mdx"]',
                 'exclude = ["src/content/docs/en/drafts/**"]',
                 'layout = "src/content/docs/{locale}/{path}"'):
        assert line in written, line
    for field in ("cacheDir", "...sharedOptions", "repository.branch"):
        assert field in result.stderr, field
        assert field in written, field
    before = statuses(cli("status", "--format", "json", "--no-cache", cwd=site))
    assert before["src/content/docs/fr/install.mdx"] == "up_to_date"


def test_unreadable_locales_are_named_and_found_on_disk(tmp_path: Path) -> None:
    config = tmp_path / "lunaria.config.ts"
    (tmp_path / "docs/en").mkdir(parents=True)
    config.write_text(ASTRO_TS.replace(
        "locales: [\n    { label: 'Deutsch', lang: 'de' },\n"
        "    { label: \"Français\", lang: \"fr\" }, // trailing comma next\n  ],",
        "locales: languages.map((lang) => ({ lang, label: lang })),"))
    settings, warnings = read_lunaria_config(config)
    assert "locales" not in settings
    assert any("'locales' could not be read" in warning and "languages.map" in warning
               for warning in warnings)


# --- Docusaurus and MkDocs -----------------------------------------------------------------------


def docusaurus_site(build: Any) -> Path:
    page = "---\ntitle: {0}\n---\n\n{1}\n"
    scenario = {"repositories": "one", "english": [
        {"id": "init", "message": "Add the site", "files": {
            "docusaurus.config.ts": (
                "import type {Config} from '@docusaurus/types';\n"
                "const config: Config = {\n  title: 'Orbit',\n"
                "  i18n: { defaultLocale: 'en', locales: ['en', 'fr', 'ko'] },\n"
                "  presets: [['classic', { docs: { sidebarPath: './sidebars.ts' } }]],\n};\n"
                "export default config;\n"),
            "docs/intro.md": page.format("Intro", "Orbit tracks satellites."),
            "docs/guides/setup.mdx": page.format("Setup", "Install Orbit."),
            "blog/2024-05-01-launch.md": page.format("Launch", "Orbit 1.0 is out."),
            "src/pages/about.md": page.format("About", "Orbit is made by a small team."),
            "i18n/fr/code.json": "{}\n",
        }},
        {"id": "translate", "message": "fr: translate", "files": {
            "i18n/fr/docusaurus-plugin-content-docs/current/intro.md":
                page.format("Intro", "Orbit suit les satellites."),
            "i18n/fr/docusaurus-plugin-content-docs/current/guides/setup.mdx":
                page.format("Installation", "Installez Orbit."),
            "i18n/fr/docusaurus-plugin-content-blog/2024-05-01-launch.md":
                page.format("Lancement", "Orbit 1.0 est sorti."),
        }},
        {"id": "setup-1", "message": "Setup: a second step", "files": {
            "docs/guides/setup.mdx": page.format("Setup", "Install Orbit.\nThen log in."),
        }},
    ]}
    site: Path = build(scenario).source_root
    return site


def test_docusaurus_site_is_recognised_and_judged(build: Any, cli: Any) -> None:
    site = docusaurus_site(build)
    result = cli("init", cwd=site)
    assert result.exit_code == 0, result.stderr
    written = (site / ".l10nsync.toml").read_text()
    assert ('layout = [{ "source" = "docs/{path}", "translation" = '
            '"i18n/{locale}/docusaurus-plugin-content-docs/current/{path}" }, '
            '{ "source" = "blog/{path}", "translation" = '
            '"i18n/{locale}/docusaurus-plugin-content-blog/{path}" }, '
            '{ "source" = "src/pages/{path}", "translation" = '
            '"i18n/{locale}/docusaurus-plugin-content-pages/{path}" }]') in written
    assert 'locales = ["fr", "ko"]' in written
    result = cli("status", "--format", "json", "--no-cache", "--untranslated", cwd=site)
    pages = pages_by_path(result.json())
    current = "i18n/fr/docusaurus-plugin-content-docs/current"
    assert pages[f"{current}/intro.md"]["status"] == "up_to_date"
    assert pages[f"{current}/intro.md"]["source_path"] == "docs/intro.md"
    assert pages[f"{current}/guides/setup.mdx"]["status"] == "outdated"
    assert pages["i18n/fr/docusaurus-plugin-content-blog/2024-05-01-launch.md"]["status"] \
        == "up_to_date"
    assert pages["i18n/ko/docusaurus-plugin-content-docs/current/intro.md"]["status"] \
        == "untranslated"
    assert pages["i18n/fr/docusaurus-plugin-content-pages/about.md"]["status"] \
        == "untranslated"
    assert {page["locale"] for page in pages.values()} == {"fr", "ko"}


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("layout = { source = 'docs/{path}' }\n", "each pattern must be a string or a table"),
        ("layout = { source = 'docs/{locale}/{path}', translation = 'i18n/{locale}/{path}' }\n",
         "layout source 'docs/{locale}/{path}' must be <folder>/{path}"),
        ("layout = [{ source = 'docs/{path}', translation = 'docs/{path}.{locale}.md' }]\n"
         "locales = ['fr']\n", "a layout with its own source pattern must be"),
        ("layout = '../../{locale}/{path}'\n", "points outside the repository"),
        ("layout = { source = 'docs/{path}', translation = 'docs/{locale}/{path}' }\n",
         "keeps translations inside the English folder 'site/docs': it needs locales"),
    ],
)
def test_bad_two_pattern_layouts_name_the_file(tmp_path: Path, text: str, complaint: str) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "site").mkdir()
    (tmp_path / "site/.l10nsync.toml").write_text(text)
    with pytest.raises(ConfigError, match="^" + str(tmp_path / "site/.l10nsync.toml")) as error:
        load_config(cwd=tmp_path / "site", environ={})
    assert complaint in str(error.value)


def mkdocs_site(build: Any, structure: str) -> Path:
    page = "# {0}\n\n{1}\n"
    if structure == "suffix":
        english, french = "docs/guide.md", "docs/guide.fr.md"
    else:
        english, french = "docs/en/guide.md", "docs/fr/guide.md"
    scenario = {"repositories": "one", "english": [
        {"id": "init", "message": "Add the site", "files": {
            "mkdocs.yml": (
                "site_name: Lens\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
                "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                "plugins:\n  - search\n  - i18n:\n"
                f"      docs_structure: {structure}\n      languages:\n"
                "        - locale: en\n          default: true\n          name: English\n"
                "        - locale: fr\n          name: Français\n"),
            english: page.format("Guide", "Lens sharpens images."),
        }},
        {"id": "translate", "message": "fr: translate", "files": {
            french: page.format("Guide", "Lens rend les images nettes."),
        }},
        {"id": "guide-1", "message": "Guide: batch mode", "files": {
            english: page.format("Guide", "Lens sharpens images, one by one or in batches."),
        }},
    ]}
    site: Path = build(scenario).source_root
    return site


@pytest.mark.parametrize(("structure", "layout", "french"), [
    ("suffix", 'layout = "docs/{path}.{locale}.md"', "docs/guide.fr.md"),
    ("folder", 'layout = "docs/{locale}/{path}"', "docs/fr/guide.md"),
])
def test_mkdocs_sites_are_recognised_and_judged(
    build: Any, cli: Any, structure: str, layout: str, french: str
) -> None:
    site = mkdocs_site(build, structure)
    result = cli("init", cwd=site)
    assert result.exit_code == 0, result.stderr
    written = (site / ".l10nsync.toml").read_text()
    assert layout in written and 'source_locale = "en"' in written
    pages = pages_by_path(cli("status", "--format", "json", "--no-cache", cwd=site).json())
    assert set(pages) == {french}
    assert pages[french]["status"] == "outdated"
    assert pages[french]["commits_behind"] == 1
