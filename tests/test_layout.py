"""layout: which folders are locales, which files are pages, and how paths pair up."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from l10nsync.config import Config
from l10nsync.errors import UsageError
from l10nsync.layout import (
    PageFile,
    discover_locales,
    key_of,
    list_translated_pages,
    locale_folder,
    page_file_for,
    parse_redirects,
    resolve_named_pages,
    selected_locales,
    slug_to_folder,
    source_candidates,
    source_folder,
    source_key,
    translation_path,
)

PAGE = "---\ntitle: Page\n---\n"


def write(root: Path, relative: str, text: str = PAGE) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def config_for(root: Path, **changes: object) -> Config:
    return replace(Config(source_root=root, translated_root=root), **changes)  # type: ignore[arg-type]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A translations tree with every kind of thing MDN's files/ folder holds."""
    root = tmp_path / "translated-content"
    for relative in (
        "files/fr/glossary/cache/index.md",
        "files/fr/web/api/fetch/index.html",  # legacy HTML page
        "files/fr/web/orphaned/index.md",  # 'orphaned' below the top is an ordinary folder
        "files/fr/orphaned/web/old/index.md",
        "files/fr/conflicting/web/clash/index.md",
        "files/ja/glossary/café/index.md",
        "files/ja/web/api/エラー/index.md",
        "files/pt-br/glossary/cache/index.md",
        "files/zh-TW/glossary/cache/index.md",
        "files/es-419/glossary/cache/index.md",
        "files/en-us/glossary/cache/index.md",  # the source locale, in the same repository
        "files/jsondata/L10n-Common.json",
        "files/sidebars/index.md",
    ):
        write(root, relative)
    write(root, "files/fr/_redirects.txt", "/fr/docs/A\t/fr/docs/B\n")
    write(root, "files/fr/_wikihistory.json", "{}\n")
    write(root, "files/fr/glossary/cache/diagram.png", "not an image\n")
    write(root, "files/fr/glossary/cache/index.md.orig", PAGE)
    write(root, "files/README.md", "# files\n")
    (root / "files" / "de").symlink_to(root / "files" / "fr", target_is_directory=True)
    (root / "files" / "ja" / "linked").symlink_to(root / "files" / "fr" / "glossary",
                                                  target_is_directory=True)
    return root.resolve()


# --- locales ------------------------------------------------------------------------------------


def test_discover_locales_ignores_non_locale_folders_source_files_and_links(site: Path) -> None:
    assert discover_locales(config_for(site)) == ["es-419", "fr", "ja", "pt-br", "zh-TW"]


def test_discover_locales_matches_the_source_locale_case_insensitively(site: Path) -> None:
    (site / "files" / "en-us").rename(site / "files" / "en-US")
    assert "en-US" not in discover_locales(config_for(site))


def test_discover_locales_without_a_files_folder_is_empty(tmp_path: Path) -> None:
    assert discover_locales(config_for(tmp_path)) == []


def test_discover_locales_with_a_layout_at_the_repository_top(tmp_path: Path) -> None:
    write(tmp_path, "fr/guide/index.md")
    write(tmp_path, "en-us/guide/index.md")
    write(tmp_path, "scripts/build.py", "")
    config = config_for(tmp_path, layout="{locale}/{path}")
    assert discover_locales(config) == ["fr"]
    assert locale_folder(config, "fr") == "fr"
    assert [page.path for page in list_translated_pages(config, ["fr"])] == ["fr/guide/index.md"]


def test_no_locale_filter_selects_every_locale(site: Path) -> None:
    assert selected_locales(config_for(site)) == discover_locales(config_for(site))


def test_locale_filter_is_case_insensitive_and_gives_the_folder_names(site: Path) -> None:
    config = config_for(site, locales=("PT-BR", "zh-tw", "fr", "FR"))
    assert selected_locales(config) == ["fr", "pt-br", "zh-TW"]


def test_unknown_locale_is_a_usage_error_listing_the_found_ones(site: Path) -> None:
    with pytest.raises(UsageError) as error:
        selected_locales(config_for(site, locales=("fr", "it")))
    assert str(error.value) == "unknown locale 'it' (found: es-419, fr, ja, pt-br, zh-TW)"


def test_a_locale_folder_that_is_a_link_is_named_as_such(site: Path) -> None:
    with pytest.raises(UsageError) as error:
        selected_locales(config_for(site, locales=("fr", "de")))
    assert str(error.value).startswith("--locale de: files/de is a symbolic link")


def test_source_locale_is_not_a_selectable_locale(site: Path) -> None:
    with pytest.raises(UsageError, match="unknown locale 'en-US'"):
        selected_locales(config_for(site, locales=("en-US",)))


def test_unknown_locale_with_no_locales_at_all(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\(found: none\)"):
        selected_locales(config_for(tmp_path, locales=("fr",)))


# --- pages --------------------------------------------------------------------------------------


def test_list_translated_pages(site: Path) -> None:
    config = config_for(site)
    pages = list_translated_pages(config, ["ja", "fr"])
    assert pages == [
        PageFile("files/fr/glossary/cache/index.md", "fr", "files/en-us/glossary/cache/index"),
        PageFile("files/fr/web/api/fetch/index.html", "fr", "files/en-us/web/api/fetch/index"),
        PageFile("files/fr/web/orphaned/index.md", "fr", "files/en-us/web/orphaned/index"),
        PageFile("files/ja/glossary/café/index.md", "ja", "files/en-us/glossary/café/index"),
        PageFile("files/ja/web/api/エラー/index.md", "ja", "files/en-us/web/api/エラー/index"),
    ]


def test_excluded_folders_come_from_config(site: Path) -> None:
    config = config_for(site, excluded_folders=("web",))
    paths = [page.path for page in list_translated_pages(config, ["fr"])]
    assert paths == [
        "files/fr/conflicting/web/clash/index.md",
        "files/fr/glossary/cache/index.md",
        "files/fr/orphaned/web/old/index.md",
    ]


def test_page_names_may_be_globs(site: Path) -> None:
    config = config_for(site, page_names=("*.md",))
    paths = [page.path for page in list_translated_pages(config, ["fr"])]
    assert "files/fr/web/api/fetch/index.html" not in paths
    assert "files/fr/glossary/cache/index.md" in paths


def test_md_and_html_pages_share_a_key_with_the_english_page(site: Path) -> None:
    config = config_for(site)
    assert key_of("web/api/fetch/index.html") == key_of("web/api/fetch/index.md")
    assert source_candidates(config, "files/en-us/web/api/fetch/index", ".html") == [
        "files/en-us/web/api/fetch/index.html",
        "files/en-us/web/api/fetch/index.md",
    ]
    assert source_candidates(config, "files/en-us/web/api/fetch/index", ".md") == [
        "files/en-us/web/api/fetch/index.md",
        "files/en-us/web/api/fetch/index.html",
    ]
    assert source_key(config, "files/en-us/web/api/fetch/index.html") == (
        "files/en-us/web/api/fetch/index")


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("files/en-us/glossary/cache/index.md", "files/en-us/glossary/cache/index"),
        ("files/en-us/glossary/café/index.md", "files/en-us/glossary/café/index"),
        ("files/en-us/orphaned/glossary/cache/index.md", None),
        ("files/en-us/conflicting/glossary/cache/index.md", None),
        ("files/en-us/_redirects.txt", None),
        ("files/en-us/_wikihistory.json", None),
        ("files/en-us/glossary/cache/diagram.png", None),
        ("files/fr/glossary/cache/index.md", None),
        ("files/en-usa/glossary/cache/index.md", None),
    ],
)
def test_source_key(tmp_path: Path, path: str, key: str | None) -> None:
    assert source_key(config_for(tmp_path), path) == key


def test_translation_path_and_source_folder(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    assert source_folder(config) == "files/en-us"
    assert translation_path(config, "pt-br", "files/en-us/glossary/cache/index.md") == (
        "files/pt-br/glossary/cache/index.md"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("files/fr/glossary/cache/index.md", PageFile(
            "files/fr/glossary/cache/index.md", "fr", "files/en-us/glossary/cache/index")),
        ("files/fr/orphaned/web/old/index.md", None),
        ("files/fr/_redirects.txt", None),
        ("files/en-us/glossary/cache/index.md", None),
        ("files/fr-ca/glossary/cache/index.md", None),
    ],
)
def test_page_file_for(tmp_path: Path, path: str, expected: PageFile | None) -> None:
    assert page_file_for(config_for(tmp_path), path, ["fr"]) == expected


# --- pages named on the command line ------------------------------------------------------------


def named(site: Path, *names: str, cwd: Path | None = None, **changes: object) -> list[str]:
    config = config_for(site, **changes)
    return [page.path for page in resolve_named_pages(config, names, cwd or site)]


def test_named_file_relative_to_the_working_folder(site: Path) -> None:
    cwd = site / "files" / "fr" / "glossary"
    assert named(site, "cache/index.md", cwd=cwd) == ["files/fr/glossary/cache/index.md"]


def test_named_absolute_file_and_legacy_html_page(site: Path) -> None:
    page = site / "files" / "fr" / "web" / "api" / "fetch" / "index.html"
    assert named(site, str(page)) == ["files/fr/web/api/fetch/index.html"]


def test_named_folder_gives_its_pages_without_excluded_ones(site: Path) -> None:
    assert named(site, "files/fr") == [
        "files/fr/glossary/cache/index.md",
        "files/fr/web/api/fetch/index.html",
        "files/fr/web/orphaned/index.md",
    ]


def test_named_folder_does_not_match_a_longer_sibling_name(site: Path) -> None:
    write(site, "files/fr/glossary/cache_control/index.md")
    assert named(site, "files/fr/glossary/cache/") == ["files/fr/glossary/cache/index.md"]


def test_named_files_and_folders_are_merged_without_duplicates(site: Path) -> None:
    assert named(site, "files/ja/glossary", "files/ja/glossary/café/index.md", "files/ja/") == [
        "files/ja/glossary/café/index.md",
        "files/ja/web/api/エラー/index.md",
    ]


@pytest.mark.parametrize("start", ["", "files", "files/fr/glossary"])
def test_naming_the_repository_root_gives_every_page(site: Path, start: str) -> None:
    cwd = site / start
    name = os.path.relpath(site, cwd)  # '.', '..' or '../../..'
    everything = [page.path for page in list_translated_pages(config_for(site),
                                                                discover_locales(config_for(site)))]
    assert named(site, name, cwd=cwd) == everything
    assert len(everything) == 8


def test_named_folder_respects_the_locale_filter(site: Path) -> None:
    assert named(site, "files", locales=("JA",)) == [
        "files/ja/glossary/café/index.md",
        "files/ja/web/api/エラー/index.md",
    ]


def test_named_path_outside_the_repository_is_a_usage_error(site: Path, tmp_path: Path) -> None:
    outside = write(tmp_path, "elsewhere/index.md")
    with pytest.raises(UsageError, match="not inside the translations repository") as error:
        named(site, str(outside))
    assert str(outside) in str(error.value)
    with pytest.raises(UsageError, match="not inside the translations repository"):
        named(site, "../elsewhere")


def test_named_path_that_does_not_exist_is_a_usage_error(site: Path) -> None:
    with pytest.raises(UsageError) as error:
        named(site, "files/fr/glossary/nope/index.md")
    assert str(error.value) == "files/fr/glossary/nope/index.md: no such file"


@pytest.mark.parametrize(
    "name",
    [
        "files/fr/_redirects.txt",
        "files/fr/_wikihistory.json",
        "files/fr/glossary/cache/diagram.png",
        "files/fr/orphaned/web/old/index.md",
        "files/en-us/glossary/cache/index.md",
        "files/README.md",
    ],
)
def test_named_file_that_is_not_a_translated_page_is_a_usage_error(site: Path, name: str) -> None:
    with pytest.raises(UsageError, match="not a translated page") as error:
        named(site, name)
    assert str(error.value).startswith(f"{name}: ")


@pytest.mark.parametrize("name", ["files/fr/orphaned", "files/jsondata", "files/en-us"])
def test_named_folder_without_translated_pages_is_a_usage_error(site: Path, name: str) -> None:
    with pytest.raises(UsageError, match="no translated pages in this folder"):
        named(site, name)


# --- MDN slugs and redirects --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "folder"),
    [
        ("Web/CSS/::after", "web/css/_doublecolon_after"),
        ("Web/CSS/:hover", "web/css/_colon_hover"),
        ("Web/CSS/:is", "web/css/_colon_is"),
        ("Web/CSS/*", "web/css/_star_"),
        ("Web/HTTP/Headers/Accept?", "web/http/headers/accept_question_"),
        ("Glossary/Café", "glossary/café"),
        ("Web/API/Fetch_API", "web/api/fetch_api"),
    ],
)
def test_slug_to_folder(slug: str, folder: str) -> None:
    assert slug_to_folder(slug) == folder


def test_parse_redirects() -> None:
    text = (
        "# FROM-URL\tTO-URL\n"
        "\n"
        "/en-US/docs/Glossary/Latency\t/en-US/docs/Web/Performance/Latency\n"
        "/en-US/docs/Web/CSS/::-moz-thing\t/en-US/docs/Web/CSS/::after#legacy\n"
        "/en-US/docs/Old/External\thttps://example.com/page\n"
        "/fr/docs/Glossaire\t/fr/docs/Glossary\n"
        "/en-US/docs/Broken line without a tab\n"
        "/en-US/docs/Too\t/en-US/docs/Many\t/en-US/docs/Parts\n"
        "  /en-US/docs/Learn/First_steps \t /en-US/docs/Learn/Getting_started/First_steps  \n"
    )
    assert parse_redirects(text, "en-US") == {
        "glossary/latency": "web/performance/latency",
        "web/css/_doublecolon_-moz-thing": "web/css/_doublecolon_after",
        "learn/first_steps": "learn/getting_started/first_steps",
    }


def test_parse_redirects_uses_the_source_locale_case_insensitively() -> None:
    text = "/EN-us/docs/A\t/en-US/docs/B\n/en-US/docs/C\t/fr/docs/D\n"
    assert parse_redirects(text, "en-us") == {"a": "b"}
    assert parse_redirects(text, "fr") == {}


# --- other sites' layouts: root locale, suffixed file names, several patterns ---------------


def test_a_root_source_locale_keeps_locale_folders_out_of_english(tmp_path: Path) -> None:
    config = config_for(tmp_path, layout="src/content/docs/{locale}/{path}", source_at_root=True,
                        known_locales=("fr", "pt-BR"), locale_folders=(("pt-BR", "pt-br"),),
                        page_names=("*.md", "*.mdx"))
    write(tmp_path, "src/content/docs/fr/guides/intro.mdx")
    write(tmp_path, "src/content/docs/pt-br/guides/intro.md")
    write(tmp_path, "src/content/docs/guides/intro.mdx")  # English, not a translation
    assert list_translated_pages(config, discover_locales(config)) == [
        PageFile("src/content/docs/fr/guides/intro.mdx", "fr", "src/content/docs/guides/intro"),
        PageFile("src/content/docs/pt-br/guides/intro.md", "pt-BR",
                 "src/content/docs/guides/intro"),
    ]
    assert source_folder(config) == "src/content/docs"
    assert source_key(config, "src/content/docs/guides/intro.mdx") == (
        "src/content/docs/guides/intro")
    assert source_key(config, "src/content/docs/fr/guides/intro.mdx") is None
    assert source_key(config, "src/content/docs/pt-br/guides/intro.md") is None
    assert source_candidates(config, "src/content/docs/guides/intro", ".md") == [
        "src/content/docs/guides/intro.md", "src/content/docs/guides/intro.mdx"]
    assert translation_path(config, "pt-BR", "src/content/docs/guides/intro.mdx") == (
        "src/content/docs/pt-br/guides/intro.mdx")


@pytest.mark.parametrize(("at_root", "english"), [(True, "content/post/hello.md"),
                                                    (False, "content/post/hello.en.md")])
def test_suffixed_file_names(tmp_path: Path, at_root: bool, english: str) -> None:
    config = config_for(tmp_path, layout="content/{path}.{locale}.md", source_at_root=at_root,
                        source_locale="en", known_locales=("fr", "zh-TW"))
    write(tmp_path, english)
    write(tmp_path, "content/post/hello.fr.md")
    write(tmp_path, "content/post/hello.zh-TW.md")
    write(tmp_path, "content/post/.fr.md")  # no page name before the suffix
    write(tmp_path, "content/.git/x.fr.md")  # hidden folders are not walked
    assert list_translated_pages(config, ["fr", "zh-TW"]) == [
        PageFile("content/post/hello.fr.md", "fr", "content/post/hello"),
        PageFile("content/post/hello.zh-TW.md", "zh-TW", "content/post/hello"),
    ]
    assert source_key(config, english) == "content/post/hello"
    assert source_key(config, "content/post/hello.fr.md") is None
    assert source_candidates(config, "content/post/hello", ".md") == [english]
    assert translation_path(config, "fr", english) == "content/post/hello.fr.md"
    assert page_file_for(config, "content/post/hello.fr.md", ["fr", "zh-TW"]) == PageFile(
        "content/post/hello.fr.md", "fr", "content/post/hello")
    assert page_file_for(config, english, ["fr", "zh-TW"]) is None


def test_several_layouts_in_one_repository(tmp_path: Path) -> None:
    config = config_for(tmp_path, layout="docs/{locale}/{path}",
                        extra_layouts=("blog/{path}.{locale}.md",), source_locale="en",
                        known_locales=("de",), page_names=("*.md",))
    write(tmp_path, "docs/en/start.md")
    write(tmp_path, "docs/de/start.md")
    write(tmp_path, "blog/launch.md")
    write(tmp_path, "blog/launch.de.md")
    pages = list_translated_pages(config, ["de"])
    assert pages == [PageFile("blog/launch.de.md", "de", "blog/launch"),
                     PageFile("docs/de/start.md", "de", "docs/en/start")]
    assert source_folder(config) == ""  # the history to read covers both
    assert source_key(config, "blog/launch.en.md") == "blog/launch"
    assert source_candidates(config, "docs/en/start", ".md") == ["docs/en/start.md"]
    assert translation_path(config, "de", "docs/en/start.md") == "docs/de/start.md"
