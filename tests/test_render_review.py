"""The pull-request report renderers: JSON contract, text, GitHub workflow commands, Markdown."""

from __future__ import annotations

import html
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10nsync.escape import escape_text as visible
from l10nsync.model import PullRequestReport, ReviewedPage, Side, Status, Verdict
from l10nsync.render.github import (
    escape_data,
    escape_property,
    render_github,
    render_step_summary,
)
from l10nsync.render.markdown import COMMENT_MARKER, escape_markdown, render_markdown
from l10nsync.render.review import (
    render_review_json,
    render_review_text,
    review_document,
)

BASE = "1111111111111111111111111111111111111111"
HEAD = "2222222222222222222222222222222222222222"
MARKER = "55fcb4909299991789f9ccfe7ae0a63e08c0cfba"
HOSTILE = "<img src=x onerror=alert(1)> | col | @octocat </details>\n\n# [x](y) `z` *b* _i_"


def translated(
    path: str, status: Status, *, behind: int | None = None, message: str | None = None,
    title: str | None = None, source_commit: str | None = MARKER,
    moved_to: str | None = None,
) -> Verdict:
    locale = path.split("/")[1]
    return Verdict(path=path, locale=locale, source_path=path.replace(f"/{locale}/", "/en-us/"),
                      status=status, source_commit=source_commit, commits_behind=behind,
                      moved_to=moved_to, message=message, title=title)


CACHE_FR = "files/fr/glossary/cache/index.md"
FETCH_FR = "files/fr/web/api/fetch_api/index.md"
ASYNC_JA = "files/ja/glossary/asynchronous/index.md"
LATENCY_JA = "files/ja/glossary/latency/index.md"

BLOCKED = ReviewedPage(
    translated(CACHE_FR, Status.OUTDATED, behind=2, title="Cache",
               message="2 English commits since 55fcb4909299"),
    marker_line=4,
    blocked_because="edited while 2 English commits behind and sourceCommit did not move",
    fix=f"port the English changes (l10nsync diff {CACHE_FR}), then l10nsync bump {CACHE_FR}",
)
OUTDATED = ReviewedPage(
    translated(FETCH_FR, Status.OUTDATED, behind=1, title="API Fetch",
               message="1 English commit since 55fcb4909299"),
    marker_line=5, blocked_because=None, fix=None,
)
UP_TO_DATE = ReviewedPage(
    translated(ASYNC_JA, Status.UP_TO_DATE, behind=0, title="非同期",
               message="in step with English"),
    marker_line=3, blocked_because=None, fix=None,
)
MISSING_MARKER = ReviewedPage(
    translated(LATENCY_JA, Status.MISSING_SOURCE_COMMIT, source_commit=None, title="レイテンシ",
               message="no l10n.sourceCommit in the front matter"),
    marker_line=None, blocked_because=None,
    fix=f"l10nsync bump {LATENCY_JA} (records the English commit you translated from)",
)
TRANSLATIONS = PullRequestReport(
    side=Side.TRANSLATIONS, base=BASE, head=HEAD,
    pages=(UP_TO_DATE, OUTDATED, MISSING_MARKER, BLOCKED), impacted=(), english_changes=(),
)

MOVED_FROM = "files/en-us/learn/first_steps/index.md"
MOVED_TO = "files/en-us/learn/getting_started/first_steps/index.md"
ENGLISH = PullRequestReport(
    side=Side.ENGLISH, base=BASE, head=HEAD, pages=(),
    impacted=(
        translated(CACHE_FR, Status.OUTDATED, behind=1,
                   message="1 English commit since 55fcb4909299"),
        Verdict("files/fr/learn/first_steps/index.md", "fr", MOVED_FROM, Status.MOVED,
                   source_commit=MARKER, moved_to=MOVED_TO,
                   message=f"the English page moved to {MOVED_TO}; move the translation to "
                           "files/fr/learn/getting_started/first_steps/index.md"),
        translated("files/es/glossary/cache/index.md", Status.UP_TO_DATE, behind=0,
                   message="in step with English"),
        Verdict("files/es/learn/first_steps/index.md", "es", MOVED_FROM, Status.MOVED,
                   source_commit=MARKER, moved_to=MOVED_TO,
                   message=f"the English page moved to {MOVED_TO}; move the translation to "
                           "files/es/learn/getting_started/first_steps/index.md"),
    ),
    english_changes=(("M", "files/en-us/glossary/cache/index.md", None),
                     ("R", MOVED_FROM, MOVED_TO)),
)


def hostile_report(text: str) -> PullRequestReport:
    """A report where everything a page controls (path, title, message, fix) is ``text``."""
    page = Verdict(f"files/fr/{text}/index.md", "fr", f"files/en-us/{text}/index.md",
                      Status.OUTDATED, commits_behind=1, message=text, title=text)
    return PullRequestReport(Side.TRANSLATIONS, BASE, HEAD,
                             (ReviewedPage(page, 7, text, text),), (), ())


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Read a workflow command the way the Actions runner does (ActionCommand.TryParseV2)."""
    assert line.startswith("::")
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2:]
    name, _, given_properties = info.partition(" ")
    properties = {}
    for pair in filter(None, given_properties.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape_property(value)
    return name, properties, unescape_data(data)


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
            .replace("%2C", ",").replace("%25", "%"))


# --- JSON -------------------------------------------------------------------------------------


def test_json_document_keys_and_page_fields() -> None:
    document = json.loads(render_review_json(TRANSLATIONS))
    assert list(document) == ["version", "side", "base", "head", "pages", "impacted",
                              "english_changes", "pre_existing", "dictionaries"]
    assert document["version"] == 1
    assert (document["side"], document["base"], document["head"]) == ("translations", BASE, HEAD)
    assert list(document["pages"][0]) == [*Verdict._fields, "links", "blocked_because", "fix",
                                          "marker_line", "new"]
    blocked = document["pages"][3]
    assert blocked["status"] == "outdated"
    assert blocked["commits_behind"] == 2
    assert blocked["marker_line"] == 4
    assert blocked["blocked_because"] == BLOCKED.blocked_because
    assert blocked["fix"] == BLOCKED.fix
    assert document["pages"][2]["marker_line"] is None
    assert document["impacted"] == []
    assert document["english_changes"] == []


def test_json_english_side_lists_impacted_translations_and_changes() -> None:
    document = review_document(ENGLISH)
    assert [page["path"] for page in document["impacted"]] == [p.path for p in ENGLISH.impacted]
    assert list(document["impacted"][0]) == [*Verdict._fields, "links", "fix"]
    assert document["english_changes"] == [
        {"status": "M", "path": "files/en-us/glossary/cache/index.md", "new_path": None},
        {"status": "R", "path": MOVED_FROM, "new_path": MOVED_TO},
    ]


def test_json_text_is_indented_unescaped_and_ends_with_a_newline() -> None:
    text = render_review_json(TRANSLATIONS)
    assert text.startswith('{\n  "version": 1,\n  "side": "translations",\n')
    assert text.endswith("}\n")
    assert '"title": "非同期"' in text


# --- plain text -------------------------------------------------------------------------------


def test_text_has_one_line_per_page_blocked_first() -> None:
    assert render_review_text(TRANSLATIONS).splitlines() == [
        "l10nsync report (translations side, base 111111111111, head 222222222222)",
        "4 translated pages changed: 1 blocked, 1 outdated, 1 missing source commit, "
        "1 up to date",
        f"{CACHE_FR}: outdated, 2 behind: 2 English commits since 55fcb4909299; blocked: "
        f"{BLOCKED.blocked_because}; fix: {BLOCKED.fix}",
        f"{FETCH_FR}: outdated, 1 behind: 1 English commit since 55fcb4909299",
        f"{LATENCY_JA}: missing_source_commit: no l10n.sourceCommit in the front matter; "
        f"fix: {MISSING_MARKER.fix}",
        f"{ASYNC_JA}: up_to_date, 0 behind: in step with English",
    ]


def test_text_english_side_lists_changes_then_translations() -> None:
    lines = render_review_text(ENGLISH).splitlines()
    assert lines[1] == ("this change affects 4 translations in 2 locales: 1 outdated, 2 moved, "
                        "1 up to date")
    assert lines[2:5] == [
        "English changes:",
        "  files/en-us/glossary/cache/index.md modified",
        f"  {MOVED_FROM} moved to {MOVED_TO}",
    ]
    assert lines[5] == "Translations affected:"
    assert lines[6] == f"  {CACHE_FR}: outdated, 1 behind: 1 English commit since 55fcb4909299"
    assert len(lines) == 10


def test_text_keeps_a_hostile_page_on_its_line() -> None:
    text = render_review_text(hostile_report("a\nb\r\x1b[31mred\udcff"))
    assert len(text.splitlines()) == 3
    assert "\x1b" not in text
    assert "a\\nb\\r\\x1b[31mred\\xff" in text


def test_visible_shows_control_characters_and_undecodable_bytes() -> None:
    assert visible("plain café") == "plain café"
    assert visible("a\tb\nc\rd\x00\x7f\x85") == "a\\tb\\nc\\rd\\x00\\x7f\\x85"
    assert visible("caf\udcc3") == "caf\\xc3"
    assert visible("zwnj\u200cstays") == "zwnj\u200cstays"  # needed in Persian words


# --- GitHub workflow commands -----------------------------------------------------------------


def test_github_translations_side_golden() -> None:
    assert render_github(TRANSLATIONS) == (
        "::error file=files/fr/glossary/cache/index.md,line=4,title=l10nsync%3A outdated::"
        "edited while 2 English commits behind and sourceCommit did not move; "
        "fix: port the English changes (l10nsync diff files/fr/glossary/cache/index.md), "
        "then l10nsync bump files/fr/glossary/cache/index.md\n"
        "::warning file=files/fr/web/api/fetch_api/index.md,line=5,title=l10nsync%3A outdated::"
        "1 English commit since 55fcb4909299\n"
        # Not blocked: its command is in the job summary, not in the annotation.
        "::notice file=files/ja/glossary/latency/index.md,"
        "title=l10nsync%3A missing_source_commit::"
        "no l10n.sourceCommit in the front matter\n"
    )


def test_github_english_side_golden() -> None:
    # Translations are not in the English repository: each annotation goes on the English
    # page the pull request changed, and up-to-date translations get none.
    assert render_github(ENGLISH) == (
        "::warning file=files/en-us/glossary/cache/index.md,title=l10nsync%3A outdated::"
        "translation files/fr/glossary/cache/index.md: 1 English commit since 55fcb4909299\n"
        "::warning file=files/en-us/learn/getting_started/first_steps/index.md,"
        "title=l10nsync%3A moved::translation files/es/learn/first_steps/index.md: "
        "the English page moved to files/en-us/learn/getting_started/first_steps/index.md; "
        "move the translation to files/es/learn/getting_started/first_steps/index.md\n"
        "::warning file=files/en-us/learn/getting_started/first_steps/index.md,"
        "title=l10nsync%3A moved::translation files/fr/learn/first_steps/index.md: "
        "the English page moved to files/en-us/learn/getting_started/first_steps/index.md; "
        "move the translation to files/fr/learn/getting_started/first_steps/index.md\n"
    )


def test_github_nothing_to_say_is_empty() -> None:
    report = PullRequestReport(Side.TRANSLATIONS, BASE, HEAD, (UP_TO_DATE,), (), ())
    assert render_github(report) == ""


def test_escape_data_and_property() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext%3A a%2Cb"
    # '%' first: an already escaped-looking sequence must survive a round trip.
    assert escape_data("%0A") == "%250A"
    assert escape_property("%3A") == "%253A"


def test_github_hostile_page_cannot_inject_commands_or_properties() -> None:
    hostile = "x%0A,line=99,title=owned:: 50%\r\n::error::injected\n::add-mask::s, t"
    output = render_github(hostile_report(hostile))
    lines = output.splitlines()
    assert len(lines) == 1
    assert "\r" not in output
    assert output.count("\n") == 1
    assert lines[0] == (
        "::error file=files/fr/x%250A%2Cline=99%2Ctitle=owned%3A%3A 50%25%0D%0A%3A%3Aerror%3A%3A"
        "injected%0A%3A%3Aadd-mask%3A%3As%2C t/index.md,line=7,title=l10nsync%3A outdated::"
        "x%250A,line=99,title=owned:: 50%25%0D%0A::error::injected%0A::add-mask::s, t; "
        "fix: x%250A,line=99,title=owned:: 50%25%0D%0A::error::injected%0A::add-mask::s, t"
    )
    name, properties, message = parse_command(lines[0])
    assert name == "error"
    assert properties == {"file": f"files/fr/{hostile}/index.md", "line": "7",
                          "title": "l10nsync: outdated"}
    assert message == f"{hostile}; fix: {hostile}"


@given(st.text())
def test_escaped_text_round_trips_through_the_runner(text: str) -> None:
    data, value = escape_data(text), escape_property(text)
    assert "\n" not in data and "\r" not in data
    assert not {"\n", "\r", ":", ","} & set(value)
    # Line breaks survive (percent-encoded); other controls arrive made visible.
    assert unescape_data(data) == visible(text, keep="\r\n")
    assert unescape_property(value) == visible(text, keep="\r\n")


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_marker_then_one_summary_line() -> None:
    lines = render_markdown(TRANSLATIONS).splitlines()
    assert lines[0] == COMMENT_MARKER == "<!-- l10nsync-report -->"
    assert lines[1] == ("l10nsync: 4 translated pages changed: 1 blocked, 1 outdated, "
                        "1 missing source commit, 1 up to date")
    assert lines[2] == ""


def test_markdown_table_per_locale() -> None:
    text = render_markdown(TRANSLATIONS)
    assert (
        "### fr: 2 pages\n\n"
        "| page | status | behind | what to do |\n"
        "| --- | --- | ---: | --- |\n"
        "| <code>files/fr/glossary/cache/index.md</code> | blocked (outdated) | 2 | "
        "port the English changes (l10nsync diff files/fr/glossary/cache/index.md), then "
        "l10nsync bump files/fr/glossary/cache/index.md |\n"
        "| <code>files/fr/web/api/fetch&#95;api/index.md</code> | outdated | 1 | "
        "1 English commit since 55fcb4909299 |\n"
        "\n"
        "### ja: 2 pages\n\n"
        "| page | status | behind | what to do |\n"
        "| --- | --- | ---: | --- |\n"
        "| <code>files/ja/glossary/latency/index.md</code> | missing source commit |  | "
        "l10nsync bump files/ja/glossary/latency/index.md (records the English commit you "
        "translated from) |\n"
        "| <code>files/ja/glossary/asynchronous/index.md</code> | up to date | 0 |  |\n"
    ) in text
    assert text.count("| page | status | behind | what to do |") == 2


def test_markdown_details_for_each_translated_page() -> None:
    text = render_markdown(TRANSLATIONS)
    assert text.count("<details>") == text.count("</details>") == 4
    assert (
        "<details><summary><code>files/fr/glossary/cache/index.md</code>: blocked (outdated)"
        "</summary>\n\n"
        "- Title: Cache\n"
        "- English page: <code>files/en-us/glossary/cache/index.md</code>\n"
        "- Status: 2 English commits since 55fcb4909299\n"
        "- Blocked because: edited while 2 English commits behind and sourceCommit did not move\n"
        "- Fix: port the English changes (l10nsync diff files/fr/glossary/cache/index.md), then "
        "l10nsync bump files/fr/glossary/cache/index.md\n\n"
        "</details>"
    ) in text
    assert text.endswith("<sub>base <code>111111111111</code>, head <code>222222222222</code>"
                         "</sub>\n")


def test_markdown_english_side() -> None:
    text = render_markdown(ENGLISH)
    lines = text.splitlines()
    assert lines[0] == COMMENT_MARKER
    assert lines[1] == ("l10nsync: this change affects 4 translations in 2 locales: "
                        "1 outdated, 2 moved, 1 up to date")
    assert [line for line in lines if line.startswith("### ")] == [
        "### es: 2 translations", "### fr: 2 translations"]
    assert ("| <code>files/fr/glossary/cache/index.md</code> | outdated | 1 | "
            "1 English commit since 55fcb4909299 |") in lines
    assert "| <code>files/es/glossary/cache/index.md</code> | up to date | 0 |  |" in lines
    assert (
        "<details><summary><code>files/fr/learn/first&#95;steps/index.md</code>: moved"
        "</summary>\n\n"
        "- English change: <code>files/en-us/learn/first&#95;steps/index.md</code> moved to "
        "<code>files/en-us/learn/getting&#95;started/first&#95;steps/index.md</code>\n"
        "- After this change: the English page moved to "
        "files/en-us/learn/getting&#95;started/first&#95;steps/index.md; move the translation "
        "to files/fr/learn/getting&#95;started/first&#95;steps/index.md\n\n"
        "</details>"
    ) in text
    assert ("- English change: <code>files/en-us/glossary/cache/index.md</code> modified"
            in lines)


def test_escape_markdown_hostile_titles() -> None:
    assert escape_markdown("<img src=x onerror=alert(1)>") == \
        "&lt;img src=x onerror=alert(1)&gt;"
    assert escape_markdown("| col |") == "&#124; col &#124;"
    assert escape_markdown("@octocat") == "@&#8203;octocat"
    assert escape_markdown("fixes #123") == "fixes #&#8203;123"
    assert escape_markdown("</details>") == "&lt;/details&gt;"
    assert escape_markdown("a\nb\r\n") == "a&#92;nb&#92;r&#92;n"
    assert escape_markdown(r"`code` *b* _i_ ~s~ [l](u) \* $x$ &amp;") == (
        "&#96;code&#96; &#42;b&#42; &#95;i&#95; &#126;s&#126; &#91;l&#93;(u) &#92;&#42; "
        "&#36;x&#36; &amp;amp;")


def test_markdown_hostile_page_stays_inside_its_row_and_details() -> None:
    text = render_markdown(hostile_report(HOSTILE))
    lines = text.splitlines()
    row = next(line for line in lines if line.startswith("| <code>"))
    assert row.count("|") == 5  # four cells: the title's pipes are not cell borders
    for raw in ("<img", "</details>\n\n#", "@octocat", "`z`", "*b*", "_i_", "[x]"):
        assert raw not in text
    assert text.count("</details>") == 1
    assert text.count("<details>") == 1
    # The row and each list item keep the whole hostile text on their line.
    assert ("- Title: &lt;img src=x onerror=alert(1)&gt; &#124; col &#124; @&#8203;octocat "
            "&lt;/details&gt;&#92;n&#92;n#&#8203; &#91;x&#93;(y) &#96;z&#96; &#42;b&#42; "
            "&#95;i&#95;") in lines


@given(st.text())
def test_escape_markdown_is_inert_and_shows_the_text(text: str) -> None:
    escaped = escape_markdown(text)
    assert not set("<>|`*_[]\\\n\r~$\"") & set(escaped)
    assert "@" not in escaped.replace("@&#8203;", "")
    assert html.unescape(escaped).replace("\u200b", "") == visible(text).replace("\u200b", "")


def test_markdown_too_big_drops_details_then_rows() -> None:
    full = render_markdown(TRANSLATIONS)
    no_details = render_markdown(TRANSLATIONS, max_size=len(full.encode()) - 1)
    assert "<details>" not in no_details
    assert "Details of each page are left out" in no_details
    assert no_details.count("| <code>") == 4
    one_row = render_markdown(TRANSLATIONS, max_size=len(no_details.encode()) - 1)
    assert one_row.splitlines()[:2] == full.splitlines()[:2]
    assert one_row.count("| <code>") == 2
    assert "... and 1 more in fr" in one_row
    assert "... and 1 more in ja" in one_row
    assert len(one_row.encode()) < len(no_details.encode())


@pytest.mark.parametrize("report", [TRANSLATIONS, ENGLISH])
def test_step_summary_reuses_the_comment_without_its_marker(report: PullRequestReport) -> None:
    summary = render_step_summary(report)
    comment = render_markdown(report)
    assert COMMENT_MARKER not in summary
    assert summary.startswith("## l10nsync report\n\nl10nsync: ")
    assert summary.split("\n", 3)[2] == comment.splitlines()[1]
    assert summary.split("\n\n", 2)[2] == comment.split("\n\n", 1)[1]


def test_empty_reports_say_so() -> None:
    nothing = PullRequestReport(Side.TRANSLATIONS, BASE, HEAD, (), (), ())
    assert render_markdown(nothing).splitlines()[:2] == [
        COMMENT_MARKER, "l10nsync: no translated page changed"]
    english = PullRequestReport(Side.ENGLISH, BASE, HEAD, (), (),
                                (("M", "files/en-us/a/index.md", None),))
    assert render_markdown(english).splitlines()[1] == \
        "l10nsync: 1 English page changed; no translation is affected"
    assert render_github(english) == ""
