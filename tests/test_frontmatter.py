"""frontmatter: the marker's exact text and line, and every bad page turned into data."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10nsync.frontmatter import FrontMatter, parse_front_matter, read_front_matter

KEY = "l10n.sourceCommit"
BAD_PAGES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "bad").glob("bad.*.md"))

PAGE = (
    "---\n"
    "title: Cache\n"
    "slug: Glossary/Cache\n"
    "l10n:\n"
    "  sourceCommit: abcdef1\n"
    "---\n"
    "\n"
    "Un **cache** garde une copie d'une ressource.\n"
    "\n"
    "---\n"  # a thematic break in the body is not front matter
    "\n"
    "Fin.\n"
)


def page(front: str, body: str = "\nTexte.\n") -> bytes:
    return f"---\n{front}---\n{body}".encode()


# --- encodings and line endings -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        PAGE.encode(),
        PAGE.replace("\n", "\r\n").encode(),
        b"\xef\xbb\xbf" + PAGE.encode(),
        b"\xef\xbb\xbf" + PAGE.replace("\n", "\r\n").encode(),
    ],
    ids=["lf", "crlf", "bom", "bom-crlf"],
)
def test_marker_title_and_line_read_the_same_whatever_the_encoding(data: bytes) -> None:
    assert parse_front_matter(data, KEY) == FrontMatter("abcdef1", 5, "Cache")


def test_read_front_matter_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "index.md"
    path.write_bytes(PAGE.encode())
    assert read_front_matter(path, KEY) == FrontMatter("abcdef1", 5, "Cache")


@pytest.mark.parametrize("make", [lambda p: p / "missing.md", lambda p: p])
def test_read_front_matter_turns_an_unreadable_file_into_an_error(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    result = read_front_matter(make(tmp_path), KEY)
    assert result.marker is None
    assert result.error is not None
    assert result.error.startswith("cannot read the file: ")


# --- the marker's exact text --------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0123456",  # an octal integer to YAML 1.1
        "1234567",  # a decimal integer
        "1234e56",  # a float
        "0x1234a",  # a hex integer
        "1_000_000",  # YAML 1.1 allows underscores in numbers
        "1234567890123456789012345678901234567890",  # an all-digit full SHA
        "abcdef1",
        "ABCDEF1",
    ],
)
def test_marker_keeps_the_exact_text_yaml_would_turn_into_a_number(raw: str) -> None:
    result = parse_front_matter(page(f"title: T\nl10n:\n  sourceCommit: {raw}\n"), KEY)
    assert result == FrontMatter(raw, 4, "T")


@pytest.mark.parametrize("quoted", ["'0123456'", '"0123456"'])
def test_quoted_marker_gives_the_text_inside_the_quotes(quoted: str) -> None:
    assert parse_front_matter(page(f"l10n:\n  sourceCommit: {quoted}\n"), KEY).marker == "0123456"


def test_marker_surrounding_spaces_are_dropped() -> None:
    result = parse_front_matter(page("l10n:\n  sourceCommit: '  abcdef1  '\n"), KEY)
    assert result.marker == "abcdef1"


def test_marker_under_a_custom_top_level_key() -> None:
    data = page("title: Caché\ndefault_lang_commit: 0123456\n")
    assert parse_front_matter(data, "default_lang_commit") == FrontMatter("0123456", 3, "Caché")
    assert parse_front_matter(data, KEY) == FrontMatter(None, None, "Caché")


def test_marker_under_a_deeper_custom_key() -> None:
    data = page("meta:\n  translation:\n    from: abcdef1\n")
    assert parse_front_matter(data, "meta.translation.from") == FrontMatter("abcdef1", 4, None)


def test_marker_in_a_flow_mapping() -> None:
    assert parse_front_matter(page("l10n: {sourceCommit: abcdef1}\n"), KEY) == FrontMatter(
        "abcdef1", 2, None
    )


@pytest.mark.parametrize(
    "front",
    [
        "title: T\n",  # no l10n at all
        "title: T\nl10n:\n  other: x\n",  # l10n without the marker
        "title: T\nl10n: abcdef1\n",  # l10n is not a mapping
        "title: T\nl10n:\n",  # l10n is empty
        "title: T\nsourceCommit: abcdef1\n",  # the marker at the wrong depth
    ],
)
def test_missing_marker_is_none_without_an_error(front: str) -> None:
    assert parse_front_matter(page(front), KEY) == FrontMatter(None, None, "T")


@pytest.mark.parametrize("empty", ["", "''", '""', "null", "~", "Null", "   "])
def test_empty_marker_is_none_but_keeps_its_line(empty: str) -> None:
    result = parse_front_matter(page(f"title: T\nl10n:\n  sourceCommit: {empty}\n"), KEY)
    assert result == FrontMatter(None, 4, "T")


def test_quoted_null_is_text_not_an_empty_marker() -> None:
    assert parse_front_matter(page("l10n:\n  sourceCommit: 'null'\n"), KEY).marker == "null"


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ("l10n:\n  sourceCommit: [abcdef1]\n", 3),
        ("l10n:\n  sourceCommit:\n    - abcdef1\n", 4),
        ("l10n:\n  sourceCommit: {sha: abcdef1}\n", 3),
        ("l10n:\n  sourceCommit:\n    sha: abcdef1\n", 4),
    ],
)
def test_marker_that_is_a_list_or_mapping_is_not_a_string(front: str, line: int) -> None:
    assert parse_front_matter(page(front), KEY) == FrontMatter("<not a string>", line, None)


def test_duplicate_marker_key_keeps_the_last_like_yaml_loaders_do() -> None:
    data = page("l10n:\n  sourceCommit: aaaaaaa\n  sourceCommit: bbbbbbb\n")
    assert parse_front_matter(data, KEY) == FrontMatter("bbbbbbb", 4, None)


# --- marker_line --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ("# a comment\n\ntitle: T\n# another\nl10n:\n\n  sourceCommit: abcdef1\n", 8),
        ("title: T\nl10n:\n  sourceCommit: >-\n    abcdef1\n", 4),
        ("title: >\n  A long\n  title\nl10n:\n  sourceCommit: abcdef1\n", 6),
        ("\n\ntitle: T\nl10n:\n  sourceCommit: abcdef1\n", 6),  # blank lines after the opening
    ],
)
def test_marker_line_is_the_file_line_of_the_value(front: str, line: int) -> None:
    data = page(front)
    result = parse_front_matter(data, KEY)
    assert result.marker == "abcdef1"
    assert result.marker_line == line
    if ">" not in front:
        assert data.decode().splitlines()[line - 1].endswith("sourceCommit: abcdef1")


def test_marker_line_with_crlf_and_blank_lines_after_the_opening() -> None:
    data = b"---\r\n\r\n\r\ntitle: T\r\nl10n:\r\n  sourceCommit: abcdef1\r\n---\r\n"
    assert parse_front_matter(data, KEY) == FrontMatter("abcdef1", 6, "T")


# --- title --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "title"),
    [
        ("title: Cache\n", "Cache"),
        ("title: 'Fetch API : guide'\n", "Fetch API : guide"),
        ("title: フェッチ API\n", "フェッチ API"),
        ("title: 2024\n", "2024"),
        ("title: [a, b]\n", None),
        ("slug: Glossary/Cache\n", None),
    ],
)
def test_title(front: str, title: str | None) -> None:
    assert parse_front_matter(page(front), KEY).title == title


# --- what is not front matter, or not valid front matter ----------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"# Cache\n\nUn cache.\n",
        b"\n---\ntitle: T\n---\n",  # front matter must open on the first line
        b"Text\n---\ntitle: T\n---\n",
        b"---\n---\n\nEmpty front matter.\n",
        b"---\n\n---\n",
    ],
)
def test_no_front_matter_is_not_an_error(data: bytes) -> None:
    assert parse_front_matter(data, KEY) == FrontMatter(None, None, None)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"---\ntitle: T\nslug: a: b\n---\n", 3),
        (b"---\r\ntitle: T\r\nslug: a: b\r\n---\r\n", 3),
        (b"\xef\xbb\xbf---\ntitle: T\nslug: a: b\n---\n", 3),
        (b"---\ntitle: T\nl10n:\n  sourceCommit: abcdef1\nslug: a: b\n---\n", 5),
        (b"---\n\n\ntitle: T\nslug: a: b\n---\n", 5),
        (b"---\r\n\r\ntitle: T\r\nslug: a: b\r\n---\r\n", 4),
        (b"---\ntitle: T\nl10n:\n\tsourceCommit: abcdef1\n---\n", 4),
    ],
)
def test_invalid_yaml_names_the_file_line(data: bytes, line: int) -> None:
    result = parse_front_matter(data, KEY)
    assert result.marker is None
    assert result.error is not None
    assert result.error.startswith(f"invalid YAML front matter: line {line}: ")


def test_unclosed_front_matter_is_an_error() -> None:
    result = parse_front_matter(b"---\ntitle: T\nl10n:\n  sourceCommit: abcdef1\n\nBody.\n", KEY)
    assert result == FrontMatter(None, None, None, "front matter is not closed by a '---' line")


def test_non_utf8_bytes_are_an_error_giving_the_offset() -> None:
    result = parse_front_matter(b"---\ntitle: Caf\xe9\n---\n", KEY)
    assert result == FrontMatter(None, None, None, "not UTF-8 text (byte 14)")


@pytest.mark.parametrize("front", ["- a\n- b\n", "just words\n", "'quoted'\n"])
def test_front_matter_that_is_not_a_mapping_is_an_error(front: str) -> None:
    result = parse_front_matter(page(front), KEY)
    assert result.error == "front matter is not a mapping of keys to values"


def test_every_truncation_of_a_page_is_data_not_an_exception() -> None:
    data = b"\xef\xbb\xbf" + PAGE.replace("Cache", "Caché").encode()
    outcomes = {cut: parse_front_matter(data[:cut], KEY) for cut in range(len(data) + 1)}
    assert all(isinstance(outcome, FrontMatter) for outcome in outcomes.values())
    # A cut inside the two-byte 'é' is reported as bad UTF-8, not raised.
    inside_e_acute = data.index("é".encode()) + 1
    assert outcomes[inside_e_acute].error is not None
    assert outcomes[inside_e_acute].error.startswith("not UTF-8 text")
    assert outcomes[len(data)].marker == "abcdef1"


# --- fixtures/bad: bad pages as data ------------------------------------------------------------

# Pages whose outcome is not simply "an error": exactly what they must give.
SPECIFIC_OUTCOMES: dict[str, FrontMatter] = {
    "bad.l10n-not-a-mapping.md": FrontMatter(None, None, "Cache"),
    "bad.marker-empty.md": FrontMatter(None, 4, "Cache"),
    "bad.marker-null.md": FrontMatter(None, 4, "Cache"),
    "bad.marker-list.md": FrontMatter("<not a string>", 5, "Cache"),
    "bad.marker-mapping.md": FrontMatter("<not a string>", 4, "Cache"),
    "bad.marker-option.md": FrontMatter("--output=/tmp/l10nsync-pwned", 4, "Cache"),
}

# What the error of the other pages must say (the start of the message).
ERRORS: dict[str, str] = {
    "bad.blank-line-after-opening.md": "invalid YAML front matter: line 5: mapping values",
    "bad.list-root.md": "front matter is not a mapping",
    "bad.not-utf8.md": "not UTF-8 text (byte 14)",
    "bad.nul-byte.md": "invalid YAML front matter: unacceptable character",
    "bad.scalar-root.md": "front matter is not a mapping",
    "bad.tab-indent.md": "invalid YAML front matter: line 4: ",
    "bad.unclosed.md": "front matter is not closed by a '---' line",
    "bad.undefined-alias.md": "invalid YAML front matter: line 4: found undefined alias",
    "bad.unterminated-quote.md": "invalid YAML front matter: line ",
    "bad.yaml-syntax.md": "invalid YAML front matter: line 5: mapping values",
}


def test_bad_fixtures_are_all_described() -> None:
    names = {path.name for path in BAD_PAGES}
    assert len(names) >= 10
    assert names == set(SPECIFIC_OUTCOMES) | set(ERRORS)
    assert not set(SPECIFIC_OUTCOMES) & set(ERRORS)


@pytest.mark.parametrize("path", BAD_PAGES, ids=lambda path: path.name)
def test_bad_page_is_data_never_an_exception(path: Path) -> None:
    from_file = read_front_matter(path, KEY)
    assert from_file == parse_front_matter(path.read_bytes(), KEY)
    if path.name in SPECIFIC_OUTCOMES:
        assert from_file == SPECIFIC_OUTCOMES[path.name]
    else:
        assert from_file.error is not None
        assert from_file.error.startswith(ERRORS.get(path.name, "")), from_file.error
        assert from_file.marker is None
        assert from_file.marker_line is None
